"""Reading numbers as Indonesians write them: '.' groups thousands, ',' marks the decimals
("1.234,5", "57,2", "1.000.000"). The one parser of that spelling, for the Excel import and for
the hint a schema error gives; CLDR's `id` locale through Babel does the work."""

from __future__ import annotations

import re
from decimal import Decimal

# Babel alone also reads "1e5", "NaN", "Infinity", "1_000" and the digits of other scripts;
# nobody means those when filling in a form or a YAML value.
_SHAPE = re.compile(r"^[+-]?[0-9]([0-9.,]*[0-9])?$")


def parse_angka(text: str) -> Decimal:
    """The number `text` spells in Indonesian: "1.234,5" -> Decimal("1234.5"), "57,2" ->
    Decimal("57.2"), "-3" -> Decimal("-3"). Thousands groups must be whole ("1.23,4" and "12.5"
    are refused), as `babel.numbers.parse_decimal(..., locale="id", strict=True)` checks.

    Raises ValueError (Babel's NumberFormatError is one) when `text` is not such a number."""
    t = text.strip()
    if not _SHAPE.match(t):
        raise ValueError(f"{text!r} bukan angka")
    from babel.numbers import parse_decimal  # ~0.1 s to import: only when a text needs it

    return parse_decimal(t, locale="id", strict=True)


def is_angka(text: str) -> bool:
    """Whether `text` is a number in Indonesian spelling (see `parse_angka`)."""
    try:
        parse_angka(text)
    except ValueError:
        return False
    return True
