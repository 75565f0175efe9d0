"""``affiliation add --mutuality`` and the mutuality in ``insured`` (JSON and table)."""

from __future__ import annotations

from typing import Any

NEW = "85073003328"  # valid number, not in the demo data


def test_mutuality_in_the_register_and_in_insured(cli: Any) -> None:
    assert cli("init", "--demo").exit_code == 0
    assert cli("person", "add", NEW, "--last-name", "Dupont", "--first-name", "Jean").exit_code == 0
    bad = cli(
        "affiliation", "add", NEW, "--insurer", "400", "--member", "12", "--ct1", "110",
        "--from", "2026-01-01", "--mutuality", "319",
    )  # fmt: skip
    assert bad.exit_code == 2 and "not a mutuality of insurer 400" in bad.stderr
    bad_ct2 = cli(
        "affiliation", "add", NEW, "--insurer", "400", "--member", "12", "--ct1", "110",
        "--ct2", "999", "--from", "2026-01-01",
    )  # fmt: skip
    assert bad_ct2.exit_code == 2 and "CT2 '999'" in bad_ct2.stderr
    added = cli(
        "affiliation", "add", NEW, "--insurer", "400", "--member", "12", "--ct1", "110",
        "--from", "2026-01-01", "--mutuality", "417", "--format", "json",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.json()["mutuality"] == "417"
    insured = cli("insured", NEW, "--date", "2026-03-02", "--format", "json")
    record = insured.json()
    assert (record["insurer_code"], record["mutuality"], record["ct2"]) == ("400", "417", "110")
    table = cli("insured", NEW, "--date", "2026-03-02")
    assert "mutuality" in table.stdout and "417" in table.stdout
    unknown = cli("insured", "85073003427", "--date", "2026-03-02", "--format", "json")
    assert "mutuality" in unknown.json()
