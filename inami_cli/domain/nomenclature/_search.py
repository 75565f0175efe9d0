"""Label search: the normalised form labels are stored and searched in, and the ranking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence


def normalize_label(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces: the form labels are searched in."""
    if text.isascii():  # NFKD leaves ASCII as is and it has no combining marks
        stripped = text.casefold()
    else:
        combining = unicodedata.combining
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join([c for c in decomposed if not combining(c)]).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", stripped).split())


def search_text(code: str, label_fr: str, label_nl: str) -> str:
    """The stored search key of an act: its code and both labels, normalised."""
    return f"{code} {normalize_label(label_fr)} | {normalize_label(label_nl)}"


def search_score(words: Sequence[str], haystack: str) -> int | None:
    """Rank of a normalised ``haystack`` for normalised query ``words``; None = no match.

    Every word must occur. A whole-word hit scores 3, a word-prefix hit 2, a hit inside a
    word 1; the words in order as a phrase add 5; hits near the start add up to 3.
    """
    if not words:
        return 0
    tokens = haystack.split()
    score = 0
    first_positions: list[int] = []
    for word in words:
        if word in tokens:
            score += 3
            first_positions.append(tokens.index(word))
            continue
        position = next((i for i, t in enumerate(tokens) if t.startswith(word)), None)
        if position is not None:
            score += 2
            first_positions.append(position)
        elif word in haystack:
            score += 1
            first_positions.append(len(tokens))
        else:
            return None
    if len(words) > 1 and " ".join(words) in haystack:
        score += 5
    score += max(0, 3 - min(first_positions) // 3)
    return score
