"""The bounded memo of the batches and the audit (``services.memo``)."""

from __future__ import annotations

from inami_cli.services.memo import Generations


def test_the_memo_holds_at_most_two_generations() -> None:
    memo: Generations[int, str] = Generations(3)
    for n in range(100):
        memo.put(n, str(n))
        assert len(memo) <= 6
    assert memo.get(99) == "99"
    assert memo.get(0) is None


def test_an_entry_in_use_survives_the_turn_of_generations() -> None:
    memo: Generations[str, int] = Generations(2)
    memo.put("hot", 1)
    for n in range(50):
        memo.put(f"cold{n}", n)
        assert memo.get("hot") == 1  # asked for at every row: never forgotten
    assert memo.get("cold0") is None  # served once, then forgotten


def test_a_full_memo_answers_what_a_dict_would() -> None:
    memo: Generations[int, int] = Generations(4)
    kept: dict[int, int] = {}
    for n in range(40):
        key = n % 7
        found = memo.get(key)
        assert found is None or found == kept[key]
        if found is None:
            memo.put(key, n)
            kept[key] = n
