"""Pure nomenclature rules: key-letter arithmetic, codes, rows, indexation, search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inami_cli.domain.errors import InvalidInput, NotFound
from inami_cli.domain.nomenclature import (
    ActView,
    KeyTermSpec,
    KeyValue,
    NomenclatureIndex,
    TariffRecord,
    check_columns,
    close_open_periods,
    code_warnings,
    fee_from_terms,
    format_key_terms,
    group_rows,
    index_amount,
    index_key_value,
    index_profiles,
    normalize_label,
    pair_code,
    pair_warnings,
    parse_key_terms,
    parse_rate,
    parse_tariff_row,
    personal_share,
    search_score,
    search_text,
    validate_code,
)
from inami_cli.domain.tariffs import Profile

D = Decimal


# ---------------------------------------------------------------- key letters


@pytest.mark.parametrize(
    ("terms", "values", "fee"),
    [
        # 105755 in 2025 (github.com/mamisoa/oph4py): 26.976856 + 5.86935 = 32.846206
        ("N265*8+Q124*30", {"N265": "3.372107", "Q124": "0.195645"}, "32.85"),
        # 102535 in 2014 (INAMI circular 2014-08-01): 23.488848 + 0.99117 = 24.480018
        ("N*8+Q*30", {"N": "2.936106", "Q": "0.033039"}, "24.48"),
        ("N265x8 + 30xQ124", {"N265": "3.372107", "Q124": "0.195645"}, "32.85"),
        ("K1*0.5", {"K1": "0.005"}, "0.00"),  # 0.0025 -> 0.00
        ("K1*1", {"K1": "0.005"}, "0.01"),  # half away from zero
    ],
)
def test_fee_from_terms_rounds_the_sum_once(terms: str, values: dict[str, str], fee: str) -> None:
    parsed = parse_key_terms(terms)
    assert fee_from_terms(parsed, {k: D(v) for k, v in values.items()}) == D(fee)


def test_rounding_once_differs_from_rounding_each_term() -> None:
    terms = parse_key_terms("A1*1+B1*1")
    values = {"A1": D("0.004"), "B1": D("0.004")}
    assert fee_from_terms(terms, values) == D("0.01")  # 0.008, not 0.00 + 0.00


@pytest.mark.parametrize(
    "text",
    ["N265", "N265*", "*8", "N265*8+", "N265*-8", "N265*0", "265*8", "N265*8+N265*2", "N265*eight"],
)
def test_bad_key_terms_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_key_terms(text)


def test_key_terms_round_trip() -> None:
    terms = parse_key_terms("N265*8+Q124*30")
    assert terms == (KeyTermSpec("N265", D(8)), KeyTermSpec("Q124", D(30)))
    assert format_key_terms(terms) == "N265*8+Q124*30"
    assert terms[0].key_letter == "N"
    assert format_key_terms(parse_key_terms("n265 x 8.50")) == "N265*8.5"


def test_missing_key_value_names_the_index() -> None:
    with pytest.raises(NotFound, match="Q124"):
        fee_from_terms(parse_key_terms("N265*8+Q124*30"), {"N265": D("3.372107")}, code="105755")


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=D("0.01"), max_value=D(1000), places=2),
            st.decimals(min_value=D("0.000001"), max_value=D(100), places=6),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_derived_fee_is_within_half_a_cent_of_the_exact_sum(
    pairs: list[tuple[Decimal, Decimal]],
) -> None:
    terms = tuple(KeyTermSpec(f"N{i}", c) for i, (c, _) in enumerate(pairs))
    values = {f"N{i}": v for i, (_, v) in enumerate(pairs)}
    exact = sum((c * v for c, v in pairs), D(0))
    fee = fee_from_terms(terms, values)
    assert abs(fee - exact) <= D("0.005")
    assert fee == fee.quantize(D("0.01"))


# ---------------------------------------------------------------- codes


@pytest.mark.parametrize("code", ["101076", "000000", "384042"])
def test_valid_codes(code: str) -> None:
    assert validate_code(f" {code} ") == code


@pytest.mark.parametrize("code", ["10107", "1010766", "10107a", "", "101 76"])
def test_invalid_codes(code: str) -> None:
    with pytest.raises(InvalidInput, match="6 digits"):
        validate_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "101076",
        "101010",
        "101032",
        "103132",
        "105755",
        "301593",
        "302153",
        "371615",
        "560011",
        "469814",
        "469825",
        "532630",
        "532641",
        "384042",
        "591673",
    ],
)
def test_real_codes_follow_the_mod7_pattern(code: str) -> None:
    assert code_warnings(code) == []


def test_mod7_break_is_a_warning() -> None:
    (warning,) = code_warnings("101075")
    assert "10107 mod 7 = 6" in warning


@pytest.mark.parametrize(
    ("code", "setting", "partner"),
    [
        ("469814", "ambulatory", "469825"),
        ("469825", "hospitalised", "469814"),
        ("532630", "ambulatory", "532641"),
        ("532641", "hospitalised", "532630"),
        ("101076", "any", None),
    ],
)
def test_pair_code(code: str, setting: str, partner: str | None) -> None:
    assert pair_code(code, setting) == partner


def test_pair_warning_only_when_partner_has_same_setting() -> None:
    assert pair_warnings("469825", "hospitalised", {"469814": "ambulatory"}) == []
    assert pair_warnings("469825", "hospitalised", {}) == []
    (warning,) = pair_warnings("469825", "hospitalised", {"469814": "hospitalised"})
    assert "469814" in warning


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        (
            "Consultation au cabinet par un médecin généraliste",
            "consultation au cabinet par un medecin generaliste",
        ),
        ("Raadpleging — ÉÈÊ d'huisarts", "raadpleging eee d huisarts"),
        ("  Scaling/détartrage ", "scaling detartrage"),
    ],
)
def test_normalize_label(text: str, normal: str) -> None:
    assert normalize_label(text) == normal


def test_search_is_accent_and_case_insensitive_and_ranked() -> None:
    exact = search_text(
        "101076", "Consultation au cabinet par un médecin généraliste accrédité", "x"
    )
    visit = search_text("103132", "Visite au domicile par un médecin généraliste", "x")
    words = normalize_label("consultation MEDECIN").split()
    assert search_score(words, exact) is not None
    assert search_score(words, visit) is None
    assert search_score(["medecin"], exact) is not None
    one = search_score(["medecin", "generaliste"], exact)
    apart = search_score(["generaliste", "medecin"], exact)
    assert one is not None and apart is not None and one > apart  # phrase bonus
    assert search_score(["101076"], exact) is not None
    assert search_score(["gener"], exact) is not None  # prefix


# ---------------------------------------------------------------- indexation


@pytest.mark.parametrize(
    ("amount", "rate", "indexed"),
    [
        ("32.84", "2.72", "33.73"),  # Domus Medica 2026: 32.84 -> 33.73
        ("31.81", "3.22", "32.83"),
        ("30.00", "2.68", "30.80"),  # physiotherapy 2025-02-01
        ("10.00", "0.05", "10.01"),  # 10.005 half away from zero
        ("0.00", "5", "0.00"),
    ],
)
def test_index_amount(amount: str, rate: str, indexed: str) -> None:
    assert index_amount(D(amount), D(rate)) == D(indexed)


def test_index_key_value_keeps_six_decimals() -> None:
    assert index_key_value(D("3.372107"), D("2.72")) == D("3.463828")


@given(
    st.decimals(min_value=0, max_value=D(5000), places=2),
    st.decimals(min_value=0, max_value=D(5000), places=2),
    st.decimals(min_value=D(-50), max_value=D(50), places=2),
)
def test_indexed_reimbursement_never_exceeds_indexed_fee(
    a: Decimal, b: Decimal, rate: Decimal
) -> None:
    fee, reimb = max(a, b), min(a, b)
    (profile,) = index_profiles([Profile(reimb)], rate)
    assert profile.reimbursement <= index_amount(fee, rate)
    assert personal_share(index_amount(fee, rate), profile.reimbursement) >= 0


@pytest.mark.parametrize("text", ["abc", "-100", "-150"])
def test_bad_rate(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_rate(text)


def test_rate_with_percent_sign() -> None:
    assert parse_rate("2,72%") == D("2.72")


# ---------------------------------------------------------------- import rows


def row(**cells: str) -> dict[str, str]:
    base = {
        "code": "101076",
        "valid_from": "2024-01-01",
        "fee": "31.81",
        "reimbursement": "25.81",
        "regime": "ordinary",
        "dmg": "no",
    }
    base.update(cells)
    return base


def test_check_columns() -> None:
    assert check_columns(["code", "valid_from", "fee", "reimbursement"]) == []
    assert check_columns(["code", "valid_from", "key_terms", "reimbursement", "min_age"]) == []
    problems = check_columns(["code", "valid_from", "fee", "colour"])
    assert any("unknown column 'colour'" in p for p in problems)
    assert any("missing column 'reimbursement'" in p for p in problems)
    assert any(
        "given twice" in p
        for p in check_columns(["code", "code", "valid_from", "fee", "reimbursement"])
    )


def test_parse_row() -> None:
    parsed = parse_tariff_row(
        2,
        row(
            dmg="yes",
            reimbursement="27,81",
            label_fr="Consultation",
            min_age="0",
            max_age="17",
            category="gp_consultation",
        ),
    )
    assert parsed.profile == Profile(D("27.81"), "ordinary", True)
    assert parsed.fee == D("31.81") and parsed.valid_to is None
    assert parsed.act.label_fr == "Consultation" and parsed.act.max_age == 17
    assert parsed.act.given == {"label_fr", "min_age", "max_age", "category"}


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"code": "10107"}, "6 digits"),
        ({"valid_from": "2024-13-01"}, "valid_from"),
        ({"valid_from": ""}, "valid_from is empty"),
        ({"valid_to": "2023-12-31"}, "before valid_from"),
        ({"fee": "-1.00"}, "negative"),
        ({"fee": "", "key_terms": ""}, "fee is empty"),
        ({"reimbursement": "40.00"}, "above the fee"),
        ({"reimbursement": ""}, "reimbursement is empty"),
        ({"reimbursement": "-2"}, "negative"),
        ({"regime": "gold"}, "regime"),
        ({"dmg": "maybe"}, "yes or no"),
        ({"age_from": "ten"}, "age_from"),
        ({"age_from": "20", "age_to": "10"}, "empty"),
        ({"min_age": "20", "max_age": "10"}, "above max_age"),
        ({"max_per_period": "1"}, "go together"),
        ({"category": "surgery"}, "category"),
        ({"setting": "home"}, "setting"),
        ({"frequency_period": "week", "max_per_period": "1"}, "frequency_period"),
        ({"not_combinable_with": "101010 12"}, "6 digits"),
        ({"key_terms": "N265"}, "INDEX"),
    ],
)
def test_bad_rows(cells: dict[str, str], reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_tariff_row(2, row(**cells))


def test_key_terms_without_fee() -> None:
    parsed = parse_tariff_row(2, row(fee="", key_terms="N265*8+Q124*30", reimbursement="20.85"))
    assert parsed.fee is None and parsed.act.key_terms is not None


def gp_rows(
    line: int = 2, valid_from: str = "2024-01-01", fee: str = "31.81"
) -> list[dict[str, str]]:
    f = D(fee)
    return [
        row(valid_from=valid_from, fee=fee, regime=r, dmg=d, reimbursement=str(f - D(s)))
        for r, d, s in (
            ("ordinary", "no", "6.00"),
            ("ordinary", "yes", "4.00"),
            ("preferential", "no", "1.50"),
            ("preferential", "yes", "1.00"),
        )
    ]


def test_group_rows_builds_one_tariff_per_period() -> None:
    rows = gp_rows() + gp_rows(valid_from="2025-01-01", fee="32.84")
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    assert grouped.problems == []
    assert [(t.valid_from, t.fee, len(t.profiles)) for t in grouped.tariffs] == [
        (date(2024, 1, 1), D("31.81"), 4),
        (date(2025, 1, 1), D("32.84"), 4),
    ]


def test_group_rows_reports_every_problem_with_its_line() -> None:
    rows = [
        *gp_rows(),
        row(),
        row(valid_from="2024-06-01", valid_to="2024-12-31"),
        row(valid_from="2024-06-01", fee="30.00", dmg="yes", valid_to="2024-12-31"),
        row(code="101010", regime="", dmg="", reimbursement="1"),
        row(code="101010", regime="ordinary", dmg="", reimbursement="2"),
        row(code="101010", regime="", dmg="no", reimbursement="3"),
    ]
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    lines = {line: reason for line, reason in grouped.problems}
    assert "duplicate row" in lines[6] and "line 2" in lines[6]
    assert "fee differs from line 7" in lines[8]
    assert "equally specific" in lines[11]


def test_overlapping_periods_in_one_file() -> None:
    rows = [row(valid_to="2024-12-31"), row(valid_from="2024-06-01")]
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    assert grouped.problems == [
        (3, "period of 101076 from 2024-06-01 overlaps the period from 2024-01-01 (line 2)")
    ]


def test_act_columns_must_agree_within_a_file() -> None:
    rows = [row(label_fr="A"), row(dmg="yes", reimbursement="27.81", label_fr="B")]
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    assert grouped.problems == [(3, "label_fr of 101076 differs from line 2")]


def test_close_open_periods_uses_file_and_existing_starts() -> None:
    rows = gp_rows() + gp_rows(valid_from="2025-01-01", fee="32.84")
    grouped = group_rows(parse_tariff_row(i + 2, r) for i, r in enumerate(rows))
    closed = close_open_periods(grouped.tariffs, {"101076": [date(2026, 1, 1)]})
    assert [t.valid_to for t in closed] == [date(2024, 12, 31), date(2025, 12, 31)]
    assert [t.valid_to for t in close_open_periods(grouped.tariffs, {})][1] is None


# ---------------------------------------------------------------- in-memory index


def test_index_answers_by_date_and_derives_fees() -> None:
    acts = {"105755": ActView("105755", "Consultation", "Raadpleging", "2")}
    records = [
        TariffRecord(
            1,
            "101076",
            date(2024, 1, 1),
            date(2024, 12, 31),
            D("31.81"),
            (Profile(D("25.81"), "ordinary"),),
            "VNZ",
            "fixture",
        ),
        TariffRecord(
            2,
            "101076",
            date(2025, 1, 1),
            None,
            D("32.84"),
            (Profile(D("26.84"), "ordinary"),),
            "DOMUS",
            "fixture",
        ),
        TariffRecord(
            3,
            "105755",
            date(2025, 1, 1),
            None,
            None,
            (Profile(D("20.85"), "ordinary"),),
            "OPH",
            "fixture",
        ),
    ]
    values = [
        KeyValue("N265", date(2025, 1, 1), None, D("3.372107")),
        KeyValue("Q124", date(2025, 1, 1), date(2025, 12, 31), D("0.195645")),
        KeyValue("Q124", date(2026, 1, 1), None, D("0.200000")),
    ]
    index = NomenclatureIndex(acts, records, {"105755": parse_key_terms("N265*8+Q124*30")}, values)
    assert index.tariff_on("101076", date(2023, 12, 31)) is None
    view = index.tariff_on("101076", date(2024, 12, 31))
    assert view is not None and view.fee == D("31.81")
    view = index.tariff_on("101076", date(2030, 1, 1))
    assert view is not None and view.fee == D("32.84") and not view.fee_derived
    view = index.tariff_on("105755", date(2025, 6, 1))
    assert view is not None and view.fee == D("32.85") and view.fee_derived
    view = index.tariff_on("105755", date(2026, 6, 1))
    assert view is not None and view.fee == D("32.98")  # 26.976856 + 6.000000
    assert index.act("105755") == acts["105755"] and index.act("999999") is None
    assert index.key_value_on("Q124", date(2024, 1, 1)) is None


def test_index_without_key_value_on_the_date_names_it() -> None:
    records = [TariffRecord(3, "105755", date(2024, 1, 1), None, None, (), "x", "fixture")]
    index = NomenclatureIndex({}, records, {"105755": parse_key_terms("N265*8")}, [])
    with pytest.raises(NotFound, match="N265 on 2024-01-01"):
        index.tariff_on("105755", date(2024, 1, 1))


def test_act_exists_on() -> None:
    act = ActView("101076", "a", "b", valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31))
    assert act.exists_on(date(2024, 6, 1))
    assert not act.exists_on(date(2025, 1, 1))
    assert not act.exists_on(date(2023, 12, 31))


def test_keep_shares_lets_the_reimbursement_absorb_the_fee() -> None:
    from inami_cli.domain.nomenclature import keep_shares

    profiles = (Profile(D("27.73"), "ordinary", False), Profile(D("32.73"), "preferential", True))
    kept = keep_shares(profiles, D("33.73"), D("34.65"))
    assert [p.reimbursement for p in kept] == [D("28.65"), D("33.65")]  # 6.00 and 1.00 stay
    assert keep_shares(profiles, D("33.73"), D("3.00"))[0].reimbursement == D("0.00")
