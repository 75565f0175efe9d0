"""A bounded memo that keeps the entries in use, for the batches' and the audit's caches."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Generations(Generic[K, V]):
    """A dict of at most ``2 * limit`` entries that keeps the ones still asked for.

    New entries go to the young generation; when it is full it becomes the old one (the
    previous old one is dropped) and a new young one starts. An entry found in the old
    generation moves back to the young one. Clearing a full cache instead would forget
    the few entries that most rows share (a realistic batch's frequent codes) along with
    the many that served once, and compile them again.
    """

    __slots__ = ("limit", "old", "young")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.young: dict[K, V] = {}
        self.old: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)

    def get(self, key: K) -> V | None:
        """The entry of *key*, or None."""
        found = self.young.get(key)
        if found is None:
            found = self.old.get(key)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: K, value: V) -> None:
        """Remember *value* for *key*."""
        if len(self.young) >= self.limit:
            self.old = self.young
            self.young = {}
        self.young[key] = value
