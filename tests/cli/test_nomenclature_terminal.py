"""``inami nomenclature``: articles written as people write them, set-tariff --dry-run and the
warning for a profile left without a reimbursement (issue 17)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from inami_cli.domain.nomenclature import normalise_article
from inami_cli.domain.tariffs import Profile, uncovered_profiles

D = Decimal
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "code,valid_from,valid_to,fee,regime,dmg,reimbursement,label_fr,label_nl,article"


@pytest.fixture
def demo(engine: Any) -> None:
    from sqlmodel import Session

    from inami_cli.services.nomenclature import load_fixtures

    with Session(engine) as session:
        load_fixtures(session=session, fixtures_dir=FIXTURES)
        session.commit()


@pytest.mark.parametrize(
    ("text", "key"),
    [("14a", "14a"), ("14 a", "14a"), (" 14A ", "14a"), ("Art. 14 a", "14a"), ("2", "2")],
)
def test_normalise_article(text: str, key: str) -> None:
    assert normalise_article(text) == key


def test_uncovered_profiles() -> None:
    assert uncovered_profiles([Profile(D("29"))]) == []
    groups = uncovered_profiles([Profile(D("30"), regime="preferential")])
    assert groups == ["ordinary,no-dmg", "ordinary,dmg"]
    aged = uncovered_profiles([Profile(D("30"), age_from=18)])
    assert "ordinary,no-dmg (age 0)" in aged


def _import_14a(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "art14.csv"
    f.write_text(
        HEADER + "\n"
        "371011,2026-01-01,,20.00,,,15.00,Acte A,Akte A,14 a\n"
        "371033,2026-01-01,,30.00,,,25.00,Acte B,Akte B,14b\n"
    )
    done = cli("nomenclature", "import", str(f))
    assert done.exit_code == 0, done.stderr


@pytest.mark.parametrize("written", ["14a", "14 a", "14A"])
def test_index_article_with_or_without_space(
    cli: Any, demo: None, tmp_path: Path, written: str
) -> None:
    _import_14a(cli, tmp_path)
    args = ["nomenclature", "index", "--rate", "2", "--from", "2027-01-01", "--dry-run"]
    result = cli(*args, "--article", written, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["indexed"] == 1
    listed = cli("nomenclature", "list", "--article", written, "--format", "json")
    assert [r["code"] for r in listed.json()] == ["371011"]
    assert listed.json()[0]["article"] == "14a"


def test_unknown_article_is_exit_2_listing_the_known_ones(cli: Any, demo: None) -> None:
    result = cli("nomenclature", "index", "--rate", "2", "--from", "2027-01-01", "--article", "99")
    assert result.exit_code == 2
    assert "--article '99'" in result.stderr and "known articles: 2, 5, 7" in result.stderr
    assert cli("nomenclature", "list", "--article", "99").exit_code == 2


def test_set_tariff_dry_run_writes_nothing(cli: Any, demo: None) -> None:
    args = ["nomenclature", "set-tariff", "101076", "--from", "2027-01-01", "--fee", "35"]
    dry = cli(*args, "--reimbursement", "any=29", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    data = dry.json()
    assert data["dry_run"] is True and data["fee"] == D("35.00")
    assert data["valid_from"] == "2027-01-01"
    after = cli("nomenclature", "show", "101076", "--date", "2027-06-01", "--format", "json")
    assert after.json()["tariff"]["fee"] == D("33.73")  # the 2026 tariff is still open
    log = cli("audit", "log", "--entity", "tariff", "--format", "json")
    assert not [r for r in log.json() if "2027-01-01" in r["key"]]


def test_set_tariff_warns_when_ordinary_patients_get_nothing(cli: Any, demo: None) -> None:
    args = ["nomenclature", "set-tariff", "101076", "--from", "2027-01-01", "--fee", "35"]
    result = cli(*args, "--reimbursement", "preferential=34", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "warning: 101076: no profile reimburses ordinary,no-dmg; ordinary,dmg" in result.stderr
    quiet = cli(*args, "--reimbursement", "any=29", "--dry-run")
    assert "warning" not in quiet.stderr
