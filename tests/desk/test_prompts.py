"""Validators, code matching and completion of the desk prompts (no database)."""

from __future__ import annotations

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from inami_cli.desk.prompts import (
    CodeCompleter,
    check_age,
    check_amount,
    check_code,
    check_date,
    check_nihii,
    check_niss,
    check_words,
)
from inami_cli.domain.errors import InvalidInput
from inami_cli.domain.nomenclature import search_text
from inami_cli.services.desk import (
    CodeChoice,
    match_choices,
    patient_words,
    profile_words,
    resolve_code,
)

# Labels of the demo nomenclature (fixtures/nomenclature.csv).
ACTS = [
    ("101010", "Consultation au cabinet par un médecin généraliste (droits acquis)",
     "Raadpleging in de spreekkamer door een huisarts (verworven rechten)"),
    ("101076", "Consultation au cabinet par un médecin généraliste agréé accrédité",
     "Raadpleging in de spreekkamer door een erkende geaccrediteerde huisarts"),
    ("560011", "Séance individuelle de kinésithérapie d'au moins 30 minutes au cabinet",
     "Individuele zitting kinesitherapie van minstens 30 minuten in de praktijk"),
    ("560092", "Examen consultatif de kinésithérapie", "Consultatief onderzoek kinesitherapie"),
]  # fmt: skip
CHOICES = [CodeChoice(code, fr, search_text(code, fr, nl)) for code, fr, nl in ACTS]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85061508234", True),
        ("85.06.15-082.34", True),
        (" 85 06 15 082 34 ", True),
        ("85061508235", "bad check digits 35 (expected 34"),
        ("8506150823", "has 10 digits, expected 11"),
        ("85x61508234", "contains 'x'"),
        ("85131508234", "impossible birth month 13"),
        ("", "type the 11 digits"),
    ],
)
def test_check_niss_gives_the_reason(text: str, expected: bool | str) -> None:
    result = check_niss(text)
    if expected is True:
        assert result is True
    else:
        assert isinstance(result, str) and str(expected) in result


def test_check_niss_empty_or_dash_allowed_when_optional() -> None:
    assert check_niss("", empty_ok=True) is True
    assert check_niss("-", empty_ok=True) is True
    assert check_niss("-") != True  # noqa: E712 - the reason string, not True


@pytest.mark.parametrize(
    ("text", "ok"),
    [("today", True), ("2026-03-02", True), ("2/3/2026", True), ("02.03.2026", True),
     ("", True), ("31/2/2026", False), ("tomorrow-ish", False), ("2026-13-01", False)],
)  # fmt: skip
def test_check_date(text: str, ok: bool) -> None:
    result = check_date(text)
    assert (result is True) is ok
    if not ok:
        assert "today, 2026-03-02 or 2/3/2026" in str(result)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("31,81", True), ("31.81", True), ("€ 40", True), ("", True), ("31,815", False),
     ("-5", False), ("abc", False)],
)  # fmt: skip
def test_check_amount_comma_or_dot(text: str, ok: bool) -> None:
    assert (check_amount(text) is True) is ok


@pytest.mark.parametrize(("text", "ok"), [("", True), ("40", True), ("151", False), ("x", False)])
def test_check_age(text: str, ok: bool) -> None:
    assert (check_age(text) is True) is ok


def test_check_words_refuses_blank() -> None:
    assert check_words("kiné") is True
    assert "kiné" in str(check_words("   "))


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("kiné", ["560011", "560092"]),
        ("KINE", ["560011", "560092"]),  # accents and case ignored
        ("kinesitherapie examen", ["560092"]),
        ("101", ["101010", "101076"]),
        ("huisarts", ["101010", "101076"]),  # Dutch words match too
        ("accrédité", ["101076"]),
        ("dentiste", []),
    ],
)
def test_match_choices_narrows(typed: str, codes: list[str]) -> None:
    assert [c.code for c in match_choices(typed, CHOICES)] == codes


def test_resolve_code_accepts_a_code_or_a_unique_match() -> None:
    assert resolve_code("101076", CHOICES) == "101076"
    assert resolve_code("560011 Séance individuelle ...", CHOICES) == "560011"
    assert resolve_code("kiné examen", CHOICES) == "560092"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("kiné", "'kiné' matches 2 codes (560011, 560092)"),
        ("zzz", "no code matches 'zzz'"),
        ("999999", "code 999999 is not in the nomenclature"),
        ("  ", "type a code or words"),
    ],
)
def test_resolve_code_says_why_not(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        resolve_code(typed, CHOICES)
    assert message in info.value.message
    assert message in str(check_code(CHOICES)(typed))


def _completions(text: str, *, requested: bool = False) -> list[str]:
    completer = CodeCompleter(CHOICES)
    event = CompleteEvent(completion_requested=requested)
    return [c.text for c in completer.get_completions(Document(text), event)]


def test_completion_narrows_on_kine_and_on_digits() -> None:
    assert [t.split()[0] for t in _completions("kiné")] == ["560011", "560092"]
    assert [t.split()[0] for t in _completions("101")] == ["101010", "101076"]
    assert _completions("101076")[0].startswith("101076 Consultation au cabinet")


def test_completion_replaces_the_whole_line() -> None:
    completer = CodeCompleter(CHOICES)
    (first, *_) = completer.get_completions(Document("kiné"), CompleteEvent())
    assert first.start_position == -len("kiné")


def test_completion_waits_for_typing_or_tab() -> None:
    assert _completions("") == []
    assert len(_completions("", requested=True)) == len(CHOICES)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("preferential,dmg", "BIM with DMG"),
        ("ordinary,no-dmg", "ordinary without DMG"),
        ("preferential,dmg (fixed share)", "BIM with DMG (fixed share)"),
        ("ordinary,age 0-9,chronic", "ordinary age 0-9 chronically ill"),
        ("any", "everyone"),
    ],
)
def test_profile_words(label: str, words: str) -> None:
    assert profile_words(label) == words


def test_patient_words() -> None:
    assert (
        patient_words("preferential, dmg, age 40, automatic BIM")
        == "preferential regime (BIM), DMG held, age 40, BIM granted automatically"
    )
    assert patient_words("ordinary, no dmg, age unknown") == "ordinary regime, no DMG, age unknown"


def test_check_nihii_skips_empty_and_explains_a_bad_number() -> None:
    assert check_nihii("") is True and check_nihii("  ") is True
    assert check_nihii("1-90025-95-100") is True
    assert check_nihii("12345") == "INAMI number '12345': 5 digits, expected 11 digits"


def test_reimburse_prompt_checks_the_provider_number_as_the_desk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import questionary

    from inami_cli.cli import reimburse

    seen: list[object] = []

    class Answer:
        def ask(self) -> str:
            return " 1-90025-95-100 "

    def text(question: str, **kwargs: object) -> Answer:
        seen.append(kwargs["validate"])
        return Answer()

    monkeypatch.setattr(questionary, "text", text)
    assert reimburse._ask_provider_id() == "1-90025-95-100"
    assert seen == [check_nihii]
