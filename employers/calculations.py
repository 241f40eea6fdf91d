"""Pure rules of the employer services: KvK number and SBI 2008 code (no ORM)."""

from __future__ import annotations

import re

#: SBI 2008 sections (the Dutch edition of NACE Rev. 2) and the divisions (first two digits of
#: an SBI code) each holds. Source: CBS, "Standaard Bedrijfsindeling 2008" (the section and
#: division level is identical to NACE Rev. 2).
SBI_SECTIONS: dict[str, tuple[str, tuple[int, ...]]] = {
    "A": ("Landbouw, bosbouw en visserij", (1, 2, 3)),
    "B": ("Delfstoffenwinning", (6, 7, 8, 9)),
    "C": ("Industrie", tuple(range(10, 34))),
    "D": ("Energievoorziening", (35,)),
    "E": (
        "Winning en distributie van water; afval- en afvalwaterbeheer en sanering",
        (36, 37, 38, 39),
    ),
    "F": ("Bouwnijverheid", (41, 42, 43)),
    "G": ("Groot- en detailhandel; reparatie van auto's", (45, 46, 47)),
    "H": ("Vervoer en opslag", (49, 50, 51, 52, 53)),
    "I": ("Logies-, maaltijd- en drankverstrekking", (55, 56)),
    "J": ("Informatie en communicatie", (58, 59, 60, 61, 62, 63)),
    "K": ("Financiële instellingen", (64, 65, 66)),
    "L": ("Verhuur van en handel in onroerend goed", (68,)),
    "M": (
        "Advisering, onderzoek en overige specialistische zakelijke dienstverlening",
        (69, 70, 71, 72, 73, 74, 75),
    ),
    "N": (
        "Verhuur van roerende goederen en overige zakelijke dienstverlening",
        (77, 78, 79, 80, 81, 82),
    ),
    "O": ("Openbaar bestuur, overheidsdiensten en verplichte sociale verzekeringen", (84,)),
    "P": ("Onderwijs", (85,)),
    "Q": ("Gezondheids- en welzijnszorg", (86, 87, 88)),
    "R": ("Cultuur, sport en recreatie", (90, 91, 92, 93)),
    "S": ("Overige dienstverlening", (94, 95, 96)),
    "T": (
        "Huishoudens als werkgever; niet-gedifferentieerde productie voor eigen gebruik",
        (97, 98),
    ),
    "U": ("Extraterritoriale organisaties en lichamen", (99,)),
}
_DIVISION_SECTION = {d: s for s, (_, divisions) in SBI_SECTIONS.items() for d in divisions}
_SBI = re.compile(r"[0-9]{2}(?:[0-9]{1,3})?")
_KVK = re.compile(r"[0-9]{8}")


def sbi_normalise(text: str) -> str:
    """``"47.11"`` / ``" 4711 "`` -> ``"4711"`` (points and spaces dropped)."""
    return re.sub(r"[\s.]", "", text or "")


def sbi_section(code: str) -> str | None:
    """The SBI 2008 section letter of ``code`` (2 to 5 digits), None if it names no division."""
    code = sbi_normalise(code)
    if not _SBI.fullmatch(code):
        return None
    return _DIVISION_SECTION.get(int(code[:2]))


def sbi_section_label(code: str) -> str:
    section = sbi_section(code)
    if section is None:
        return ""
    return f"{section} {SBI_SECTIONS[section][0]}"


def kvk_is_valid(number: str) -> bool:
    """A KvK number is eight digits; no check-digit rule is applied to it here (the
    Handelsregister is the authority on whether a number exists), so the check is the format,
    and never 00000000 (no registration has it; a walk entered it as "unknown")."""
    return bool(_KVK.fullmatch(number or "")) and number != "00000000"
