"""``inami reimburse CODE --supplement CODE``: a supplement code computed in the same visit
as its main code (the supplement act and its fee are invented for the test)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

D = Decimal


def test_supplement_in_the_same_visit(cli: Any, tmp_path: Path) -> None:
    assert cli("init", "--demo").exit_code == 0
    added = cli(
        "nomenclature", "add", "102410", "--label-fr", "Supplément de nuit (test)",
        "--label-nl", "Nachttoeslag (test)", "--article", "2", "--category", "supplement",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    # a profile for ordinary patients only: the supplement's share rule answers for BIM
    tariff = cli(
        "nomenclature", "set-tariff", "102410", "--from", "2026-01-01", "--fee", "20.00",
        "--reimbursement", "ordinary=20.00", "--source", "test (invented amount)",
    )  # fmt: skip
    assert tariff.exit_code == 0, tariff.stderr
    base = [
        "reimburse", "101076", "--date", "2026-03-02", "--regime", "preferential", "--age", "50"
    ]  # fmt: skip
    both = cli(*base, "--supplement", "102410", "--explain", "--format", "json")
    assert both.exit_code == 0, both.stderr
    main, night = both.json()
    assert (main["code"], main["personal_share"]) == ("101076", D("1.50"))
    assert (night["code"], night["reimbursement"], night["personal_share"]) == (
        "102410",
        D("20.00"),
        D("0.00"),
    )
    assert any("gp_supplement_no_share" in s["what"] for s in night["explanation"])
    alone = cli("reimburse", "102410", "--date", "2026-03-02", "--regime", "ordinary",
                "--format", "json")  # fmt: skip
    assert alone.exit_code == 1 and alone.json()[0]["refusal_code"] == "007"
    wrong = cli(*base, "--supplement", "101032")
    assert wrong.exit_code == 2 and "not a supplement code" in wrong.stderr
    batch = cli(
        "reimburse", "batch", "-", "--format", "json",
        input="code,date,regime\n102410,2026-03-02,ordinary\n",
    )  # fmt: skip
    assert batch.json()[0]["refusal_code"] == "007"  # one code per row: as alone
