"""Indonesian formats (DESIGN §7), checked against Babel's real id_ID output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

import pytest

from generator.data.numbers import is_angka, parse_angka
from generator.figures.formats import angka, nilai, nip, persen, rupiah, tanggal, waktu, zona_label

D = Decimal


@pytest.mark.parametrize(("x", "desimal", "expected"), [
    (D("1234567.891"), 2, "1.234.567,89"),
    (58, 0, "58"),
    (58, 2, "58,00"),
    (D("0.125"), 2, "0,13"),  # half-up; Babel alone (half-even) gives 0,12
    (D("0.135"), 2, "0,14"),
    (D("2.5"), 0, "3"),
    (D("-1234.5"), 2, "-1.234,50"),
    (D("-0.125"), 2, "-0,13"),  # half-up rounds away from zero
    (D("-0.001"), 2, "0,00"),  # no negative zero
    (0, 2, "0,00"),
    (D(0), 0, "0"),
    (1250000000, 0, "1.250.000.000"),
    (D("57.2"), 1, "57,2"),
    (2.675, 2, "2,68"),  # a float is taken as written, not as 2.67499999...
])
def test_angka(x, desimal, expected):
    assert angka(x, desimal) == expected


def test_angka_default_decimals_and_none():
    assert angka(D("98.6")) == "98,60"
    assert angka(None) == "–"


def test_angka_ignores_a_low_caller_precision():
    with localcontext() as ctx:
        ctx.prec = 3
        assert angka(D("1234567.891")) == "1.234.567,89"
        assert nilai(D("1234.5678")) == "1.234,5678"


@pytest.mark.parametrize(("x", "desimal", "expected"), [
    (D("57.2"), 2, "57,20%"),
    (D("120.01"), 2, "120,01%"),
    (D("0.125"), 2, "0,13%"),
    (D("-1.255"), 2, "-1,26%"),
    (0, 2, "0,00%"),
    (D("95.75"), 0, "96%"),
    (D("1234.5"), 1, "1.234,5%"),
])
def test_persen(x, desimal, expected):
    assert persen(x, desimal) == expected


def test_persen_none():
    assert persen(None) == "–"


@pytest.mark.parametrize(("n", "expected"), [
    (1250000000, "Rp1.250.000.000"),
    (332500000, "Rp332.500.000"),
    (0, "Rp0"),
    (-5000, "-Rp5.000"),
    (D("1234.5"), "Rp1.235"),  # whole rupiah, half-up
    (None, "–"),
])
def test_rupiah(n, expected):
    assert rupiah(n) == expected


def test_tanggal():
    assert tanggal(dt.date(2026, 11, 27)) == "27 November 2026"
    assert tanggal(dt.date(2025, 2, 3)) == "3 Februari 2025"
    assert tanggal(dt.date(2025, 8, 17)) == "17 Agustus 2025"
    assert tanggal(dt.datetime(2025, 12, 31, 23, 59)) == "31 Desember 2025"
    assert tanggal(None) == "–"


@pytest.mark.parametrize(("text", "expected"), [
    ("197001012000031001", "19700101 200003 1 001"),
    ("197203141998031004", "19720314 199803 1 004"),
    ("19700101 200003 1 001", "19700101 200003 1 001"),  # already formatted
    ("19700101200003100", "19700101200003100"),  # 17 digits: not a NIP, shown as written
    ("1970010120000310011", "1970010120000310011"),
    ("19700101200003100A", "19700101200003100A"),
    ("", ""),
])
def test_nip(text, expected):
    assert nip(text) == expected


@pytest.mark.parametrize(("x", "expected"), [
    (D("57.2"), "57,2"),
    (D("58"), "58"),
    (58, "58"),
    (D("3.50"), "3,5"),
    (D("62.40"), "62,4"),
    (D("60.00"), "60"),
    (D("1E+2"), "100"),
    (D("0"), "0"),
    (D("-0.5"), "-0,5"),
    (1500, "1.500"),
    (D("3.11"), "3,11"),
    (D("1.23456"), "1,2346"),  # at most 4 decimals, half-up
    (57.2, "57,2"),
    ("1:32", "1:32"),
    (None, "belum tersedia"),
])
def test_nilai(x, expected):
    assert nilai(x) == expected


def test_nilai_with_satuan():
    assert nilai(D("62.40"), "persen") == "62,4%"
    assert nilai(D("62.40"), "%") == "62,4%"
    assert nilai(1500000, "rupiah") == "Rp1.500.000"
    assert nilai(57, "orang/bulan") == "57 orang/bulan"
    assert nilai(D("83.15"), "nilai indeks") == "83,15 nilai indeks"
    assert nilai(None, "persen") == "belum tersedia"
    assert nilai("1:32", "rasio") == "1:32"


def test_waktu_in_the_sop_time_zone_with_babel_names() -> None:
    moment = dt.datetime(2026, 2, 2, 0, 30, tzinfo=dt.UTC)
    assert waktu(moment, "Asia/Makassar") == "2 Februari 2026 pukul 08.30 WITA"
    assert waktu(moment, "Asia/Jakarta", hari=True, jam="HH:mm") == "Senin, 2 Februari 2026 pukul 07:30 WIB"
    assert waktu(moment, "Asia/Jayapura", hari=True) == "Senin, 2 Februari 2026 pukul 09.30 WIT"
    assert waktu(None) == "–"
    assert [zona_label(z) for z in ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura")] == [
        "WIB", "WIB", "WITA", "WIT"]


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,5", Decimal("1234.5")), ("57,2", Decimal("57.2")), ("-3", Decimal("-3")),
    ("1.000.000", Decimal("1000000")), ("1234,50", Decimal("1234.50")), (" 58 ", Decimal("58"))])
def test_parse_angka(text: str, expected: Decimal) -> None:
    assert parse_angka(text) == expected and is_angka(text)


@pytest.mark.parametrize("text", ["12.5", "1.23,4", "1,2.3", "1e5", "NaN", "1_000", "٣", "1,", ",5", "",
                                  "abc"])
def test_parse_angka_refuses_what_is_not_indonesian_spelling(text: str) -> None:
    with pytest.raises(ValueError):
        parse_angka(text)
    assert not is_angka(text)


def test_numbers_are_the_strings_babel_gives() -> None:
    """The separators are placed without Babel's per-call pattern parsing (issue 18): the strings
    must be exactly Babel's for the same half-up rounded value, over a wide, seeded range."""
    import random

    from babel.numbers import format_currency, format_decimal, format_percent

    rnd = random.Random(18)
    values = [D(0), D(1), D(-1), D("999.995"), D("-0.5"), D("1000"), D("-1000000")]
    values += [D(rnd.randrange(-10**13, 10**13)).scaleb(-rnd.randrange(0, 7)) for _ in range(300)]
    with localcontext() as ctx:
        ctx.prec = 50
        for x in values:
            for desimal in (0, 1, 2, 4):
                q = x.quantize(D(1).scaleb(-desimal), rounding="ROUND_HALF_UP")
                q = abs(q) if q == 0 else q
                pola = "#,##0" + ("." + "0" * desimal if desimal else "")
                assert angka(x, desimal) == format_decimal(q, format=pola, locale="id_ID"), x
                assert persen(x, desimal) == format_percent(q.scaleb(-2), format=pola + "%",
                                                            locale="id_ID"), x
            whole = x.quantize(D(1), rounding="ROUND_HALF_UP")
            whole = abs(whole) if whole == 0 else whole
            assert rupiah(x) == format_currency(whole, "IDR", format="¤#,##0", currency_digits=False,
                                                locale="id_ID"), x
            n = x.quantize(D(1).scaleb(-4), rounding="ROUND_HALF_UP")
            n = abs(n) if n == 0 else n
            n = n.quantize(D(1)) if n == n.to_integral_value() else n.normalize()
            assert nilai(x) == format_decimal(n, format="#,##0" + (
                "." + "0" * -n.as_tuple().exponent if n.as_tuple().exponent < 0 else ""),
                locale="id_ID"), x
