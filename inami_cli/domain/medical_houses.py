"""Medical houses (maisons médicales / wijkgezondheidscentra): a person's dated enrolment and
the disciplines it covers.

A medical house is paid a monthly fixed amount per enrolled person (capitation) for the
disciplines it covers: general practice, physiotherapy, nursing. During the enrolment the
insurance does not also pay per act in a covered discipline (rules-audit.md section 4,
item 3). MyCareNet's insurability answer carries the same facts as ``MedicalHouse`` periods
with the flags ``Medical``, ``Kine`` and ``Nurse``
(https://github.com/e-Contract/mycarenet/blob/master/mycarenet-ehealth-gen-ins/src/wsdl/gen_ins_services_core-1_0.xsd).
Pure rules: stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from inami_cli.domain.errors import InvalidInput

# name -> the MyCareNet flag it stands for
DISCIPLINES: dict[str, str] = {"gp": "Medical", "physio": "Kine", "nursing": "Nurse"}
_WORDS = {
    "gp": "gp", "medical": "gp", "medicine": "gp", "mg": "gp", "ha": "gp",
    "physio": "physio", "kine": "physio", "kiné": "physio", "physiotherapy": "physio",
    "nursing": "nursing", "nurse": "nursing", "nurses": "nursing",
}  # fmt: skip


class Enrolment(NamedTuple):
    """One enrolment of a person in a medical house, over a period (inclusive)."""

    house: str
    gp: bool
    physio: bool
    nursing: bool
    valid_from: date
    valid_to: date | None

    @property
    def disciplines(self) -> tuple[str, ...]:
        """The covered disciplines, in the order of ``DISCIPLINES``."""
        flags = {"gp": self.gp, "physio": self.physio, "nursing": self.nursing}
        return tuple(name for name in DISCIPLINES if flags[name])

    def in_force(self, on: date) -> bool:
        """True when the enrolment covers *on*."""
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


def parse_disciplines(text: str) -> tuple[bool, bool, bool]:
    """(gp, physio, nursing) from ``gp,physio`` (also ``Medical``, ``Kine``, ``Nurse``, ``+``
    or ``;`` between words); InvalidInput naming the word otherwise, or when none is given."""
    found: set[str] = set()
    for word in text.replace("+", ",").replace(";", ",").replace(" ", ",").split(","):
        word = word.strip().lower()
        if not word:
            continue
        name = _WORDS.get(word)
        if name is None:
            raise InvalidInput(
                f"discipline {word!r}: expected gp, physio or nursing (MyCareNet Medical, Kine, "
                "Nurse)"
            )
        found.add(name)
    if not found:
        raise InvalidInput("disciplines: give at least one of gp, physio, nursing")
    return "gp" in found, "physio" in found, "nursing" in found


def check_house(house: str) -> str:
    """The medical house's identifier (its INAMI number or name), stripped, non-empty."""
    value = house.strip()
    if not value:
        raise InvalidInput("medical house: give its INAMI number or name")
    return value


def enrolment_on(enrolments: Iterable[Enrolment], on: date) -> Enrolment | None:
    """The enrolment in force on *on* (periods never overlap), or None."""
    for enrolment in enrolments:
        if enrolment.in_force(on):
            return enrolment
    return None
