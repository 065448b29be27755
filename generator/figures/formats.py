"""Indonesian number, money and date formats for the document and the site (DESIGN §7).

Babel with locale id_ID supplies the separators, month names and the currency sign. Babel rounds
half-even, so every number is first quantized half-up here: the published figure matches the hand
computation (0,125 -> 0,13, as a calculator shows). What is left is placing the separators, and
doing that through Babel's `format_decimal` costs ~0.2-0.8 ms a number (it parses the locale and
the pattern on every call; a large office's site and document format thousands): numbers are
grouped here with the symbols Babel gives for id_ID, read once, giving the same strings
(tests/test_formats.py compares them with Babel's on thousands of values).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cache, wraps
from typing import ParamSpec, TypeVar

from babel.dates import format_date

LOCALE = "id_ID"
KOSONG = "–"  # en dash: an empty table cell, as printed reports show it
BELUM_TERSEDIA = "belum tersedia"
_NIP = re.compile(r"[0-9]{18}")
_PERSEN = {"persen", "%"}
_RUPIAH = {"rupiah", "rp"}
_DESIMAL_NILAI = 4  # more decimals than any indikator is measured in; beyond that is float noise
# A fixed context: quantize and normalize (ours and Babel's) work within the thread's precision,
# which a caller may have lowered for its own reasons.
_CTX = Context(prec=50, rounding=ROUND_HALF_UP)
P = ParamSpec("P")
R = TypeVar("R")


def _fixed_context(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(_CTX):
            return fn(*args, **kwargs)
    return run


def _decimal(x: Decimal | int | float) -> Decimal:
    # float through repr: the digits as written (57.2), not the binary expansion (57.2000000000000028)
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _bulat(x: Decimal, desimal: int) -> Decimal:
    q = x.quantize(Decimal(1).scaleb(-desimal, _CTX), rounding=ROUND_HALF_UP, context=_CTX)
    return abs(q) if q == 0 else q  # no "-0,00" for a tiny negative


@cache
def _simbol() -> tuple[str, str, str, str, str]:
    """id_ID's decimal, group, minus and percent signs and the rupiah's sign (CLDR via Babel)."""
    from babel import Locale

    locale = Locale.parse(LOCALE)
    s = locale.number_symbols["latn"]
    return s["decimal"], s["group"], s["minusSign"], s["percentSign"], locale.currency_symbols["IDR"]


def _susun(q: Decimal, desimal: int, depan: str = "", belakang: str = "") -> str:
    """`q`, already rounded to `desimal` places, as Babel's pattern `#,##0.00` (with `desimal`
    zeros) prints it for id_ID, the sign before `depan` (as in -Rp1.000)."""
    koma, titik, minus, _, _ = _simbol()
    whole, _, frac = f"{abs(q):,.{desimal}f}".partition(".")
    text = depan + whole.replace(",", titik) + (koma + frac if desimal > 0 else "") + belakang
    return minus + text if q < 0 else text


@_fixed_context
def angka(x: Decimal | int | float | None, desimal: int = 2) -> str:
    """1.234.567,89 — grouped, a fixed number of decimals, rounded half-up."""
    if x is None:
        return KOSONG
    return _susun(_bulat(_decimal(x), desimal), desimal)


@_fixed_context
def persen(x: Decimal | int | float | None, desimal: int = 2) -> str:
    """57,20% (x is already a percentage: 57.2, not 0.572)."""
    if x is None:
        return KOSONG
    return _susun(_bulat(_decimal(x), desimal), desimal, belakang=_simbol()[3])


@_fixed_context
def rupiah(n: int | Decimal | None) -> str:
    """Rp1.250.000.000 — whole rupiah, as budget documents print them."""
    if n is None:
        return KOSONG
    return _susun(_bulat(_decimal(n), 0), 0, depan=_simbol()[4])


def tanggal(d: dt.date | dt.datetime | None) -> str:
    """27 November 2026."""
    if d is None:
        return KOSONG
    day = d.date() if isinstance(d, dt.datetime) else d
    return format_date(day, "d MMMM y", locale=LOCALE)


def nip(text: str | None) -> str:
    """NIP in its four printed groups: birth date, appointment month, sex, serial number."""
    if text is None:
        return KOSONG
    if not _NIP.fullmatch(text):
        return text  # already formatted or not a NIP: show what the data says
    return f"{text[:8]} {text[8:14]} {text[14]} {text[15:]}"


@_fixed_context
def nilai(x: Decimal | int | float | str | None, satuan: str | None = None) -> str:
    """A target or realisasi as written: 57,2 · 58 · 3,5 · "1:32" unchanged · "belum tersedia".

    With a satuan the unit follows the number: persen -> "57,2%", rupiah -> "Rp1.500", others
    "57 orang/bulan"; tables that have their own Satuan column pass none.
    """
    if x is None:
        return BELUM_TERSEDIA
    if isinstance(x, str):
        return x
    d = _bulat(_decimal(x), _DESIMAL_NILAI)
    # trailing zeros carry no information in a table cell (3.50 -> 3,5; 60.00 -> 60)
    d = d.quantize(Decimal(1), context=_CTX) if d == d.to_integral_value() else d.normalize(_CTX)
    teks = _susun(d, max(0, -d.as_tuple().exponent))
    kind = (satuan or "").strip().lower()
    if not kind:
        return teks
    if kind in _PERSEN:
        return f"{teks}%"
    if kind in _RUPIAH:
        return f"Rp{teks}"
    return f"{teks} {satuan.strip()}"


def waktu(moment: dt.datetime | None, zona: str | None = None, hari: bool = False,
          jam: str = "HH.mm") -> str:
    """An instant for people, in the SOP's time zone `zona` (IANA name, e.g. "Asia/Makassar"):
    "2 Februari 2026 pukul 08.30 WITA"; with `hari`, "Senin, 2 Februari 2026 pukul 08.30 WITA";
    `jam` is the CLDR pattern of the clock time (the command line prints "HH:mm"). Day and month
    names and the zone labels WIB/WITA/WIT are CLDR's `id` locale (Babel); without `zona` the
    moment's own zone is kept. "–" for no moment."""
    if moment is None:
        return KOSONG
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    tz = ZoneInfo(zona) if zona else moment.tzinfo
    pattern = ("EEEE, " if hari else "") + f"d MMMM y 'pukul' {jam}"
    text = format_datetime(moment, pattern, tzinfo=tz, locale=LOCALE)
    label = zona_label(zona, moment) if zona else moment.strftime("%Z")
    return f"{text} {label}" if label else text


def zona_label(zona: str, moment: dt.datetime | None = None) -> str:
    """The Indonesian label of an SOP time zone: "Asia/Jakarta" and "Asia/Pontianak" -> "WIB",
    "Asia/Makassar" -> "WITA", "Asia/Jayapura" -> "WIT" (CLDR `id` via Babel; other zones get
    CLDR's short name such as "GMT+9"). Raises ZoneInfoNotFoundError for an unknown zone."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    moment = moment or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return format_datetime(moment, "z", tzinfo=ZoneInfo(zona), locale=LOCALE)
