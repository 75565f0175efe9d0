"""``inami init --demo`` loads every area's fixtures, idempotently, into a clean database."""

from __future__ import annotations


def test_demo_is_idempotent_and_clean(cli):
    first = cli("init", "--demo")
    assert first.exit_code == 0, first.stderr
    counts = cli("--format", "json", "db", "status").json()["tables"]
    assert counts["act"] >= 40 and counts["person"] >= 8 and counts["decision"] >= 3
    assert counts["insurer"] == 7
    second = cli("init", "--demo")
    assert second.exit_code == 0, second.stderr
    again = cli("--format", "json", "db", "status").json()["tables"]
    changed = {k: (counts[k], again[k]) for k in counts if counts[k] != again[k]}
    assert changed == {}
    check = cli("db", "check")
    assert check.exit_code == 0 and check.stdout == ""


def test_demo_answers_the_real_tariff(demo_cli):
    result = demo_cli("--format", "json", "nomenclature", "show", "101076", "--date", "2026-03-02")
    assert result.exit_code == 0, result.stderr
    tariff = result.json()["tariff"]
    assert str(tariff["fee"]) == "33.73"
    by_profile = {p["profile"]: p for p in tariff["profiles"]}
    assert str(by_profile["preferential,dmg"]["personal_share"]) == "1.00"
