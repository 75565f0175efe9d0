"""The desk asks for the provider's INAMI number (issue 14): "look it up in the register",
then the number (Enter = skip, as before) and the time of care."""

from __future__ import annotations

from typing import Any

from tests.desk.test_loop import run_desk


def test_provider_from_the_register(engine: Any) -> None:
    # ordinary, no DMG, age unknown; 560011 on 2024-06-10; register (i), the demo
    # non-conventioned physiotherapist, no time; asks 40,00 (M/24 in force: the -25 %)
    keys = "r\r\ro\rn\r2024-06-10\r560011\ri\r5-90041-10-001\r\r40,00\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0, out
    assert (
        "560011 on 2024-06-10: fee 30.00 €, the sickness fund pays back 17.81 €, the patient "
        "pays 12.19 € + a supplement of 10.00 € (never paid back) = 22.19 €." in out
    )
    assert "The provider is non-conventioned: register: 5-90041-10-001" in out


def test_provider_number_skipped_with_enter_is_conventioned(engine: Any) -> None:
    keys = "r\r\rb\ry30\r2026-03-02\r101076\ri\r\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0, out
    assert "101076 on 2026-03-02: fee 33.73 €, the sickness fund pays back 32.73 €" in out


def test_partially_conventioned_specialist_at_a_time_inside_a_block(engine: Any) -> None:
    # 105755 on Wednesday 2025-03-05 at 15:00: inside the declared block Wed 14-18
    keys = "r\r\ro\rn\r2025-03-05\r105755\ri\r19002595100\r15:00\r50\rq\r"
    code, out = run_desk(engine, keys)
    assert code == 0, out
    assert "a supplement of 17.15 €" in out
    assert "inside a declared block" in out
