"""Working time (DESIGN.md §5) against the real `holidays` data for Indonesia."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import holidays
import pytest

from generator.data.load import load_repo
from generator.sop.worktime import Kalender, format_durasi, from_sop, parse_waktu

ROOT = Path(__file__).resolve().parents[1]
WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC
KAL = Kalender(dt.time(8), dt.time(16))
HANYA_PUBLIK = Kalender(dt.time(8), dt.time(16), kategori=("public",))


def wita(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def libur_id(tahun: int, kategori: tuple[str, ...] = ("public", "government")) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("ID", years=tahun, categories=kategori, language="id"))


# --- the calendar itself ---------------------------------------------------------------------------


def test_menit_per_hari_default_jam_kerja():
    assert KAL.menit_per_hari == 480


def test_menit_per_hari_other_jam_kerja():
    kal = Kalender(dt.time(7, 30), dt.time(16))
    assert kal.menit_per_hari == 510
    # Monday 2025-11-17 from midnight to midnight holds exactly one working day.
    assert kal.menit_kerja(wita(2025, 11, 17), wita(2025, 11, 18)) == 510
    assert kal.menit_kerja(wita(2025, 11, 17, 7), wita(2025, 11, 17, 8)) == 30


def test_weekend_is_not_working_day():
    assert KAL.hari_kerja(dt.date(2025, 11, 14))  # Friday
    assert not KAL.hari_kerja(dt.date(2025, 11, 15))  # Saturday
    assert not KAL.hari_kerja(dt.date(2025, 11, 16))  # Sunday
    assert KAL.libur(dt.date(2025, 11, 15)) is None


def test_public_holiday_from_library():
    natal = dt.date(2025, 12, 25)
    assert libur_id(2025, ("public",))[natal] == "Hari Raya Natal"
    assert KAL.libur(natal) == "Hari Raya Natal"
    assert not KAL.hari_kerja(natal)
    assert not HANYA_PUBLIK.hari_kerja(natal)


def test_cuti_bersama_needs_government_category():
    cuti = dt.date(2025, 12, 26)  # Friday
    assert cuti not in libur_id(2025, ("public",))
    assert libur_id(2025)[cuti] == "Cuti Bersama Hari Raya Natal"
    assert KAL.libur(cuti) == "Cuti Bersama Hari Raya Natal"
    assert not KAL.hari_kerja(cuti)
    assert HANYA_PUBLIK.libur(cuti) is None
    assert HANYA_PUBLIK.hari_kerja(cuti)


def test_working_days_2026():
    # TOOLCHAIN.md: 2026 has 240 working days Monday-Friday once holidays and cuti bersama are out.
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    assert sum(KAL.hari_kerja(d) for d in days) == 240
    assert KAL.menit_kerja(wita(2026, 1, 1), wita(2027, 1, 1)) == 240 * 480


def test_hari_kerja_accepts_aware_datetime_in_other_zone():
    # 2025-12-24 17:00 UTC is already Thursday 2025-12-25 01:00 WITA, Christmas.
    assert not KAL.hari_kerja(dt.datetime(2025, 12, 24, 17, tzinfo=UTC))
    assert KAL.hari_kerja(dt.datetime(2025, 12, 24, 15, tzinfo=UTC))


def test_kategori_list_is_normalised_and_hashable():
    kal = Kalender(dt.time(8), dt.time(16), kategori=["government", "public"])
    assert kal.kategori == ("government", "public")
    assert hash(kal) == hash(Kalender(dt.time(8), dt.time(16), kategori=("government", "public")))
    assert not kal.hari_kerja(dt.date(2025, 12, 26))


@pytest.mark.parametrize(("kwargs", "pesan"), [
    ({"mulai": dt.time(16), "selesai": dt.time(8)}, "jam kerja mulai 16:00 harus sebelum selesai 08:00"),
    ({"mulai": dt.time(8), "selesai": dt.time(8)}, "jam kerja mulai 08:00 harus sebelum selesai 08:00"),
    ({"mulai": dt.time(8, 0, 30), "selesai": dt.time(16)},
     "jam kerja 08:00:30 harus tepat pada menit (misalnya 08:00)"),
    ({"mulai": dt.time(8), "selesai": dt.time(16), "zona_waktu": "Asia/Atlantis"},
     "zona waktu 'Asia/Atlantis' tidak dikenal (contoh: Asia/Makassar)"),
    ({"mulai": dt.time(8), "selesai": dt.time(16), "negara": "XX"},
     "negara hari libur 'XX' tidak dikenal oleh pustaka holidays"),
    ({"mulai": dt.time(8), "selesai": dt.time(16), "kategori": ("cuti",)},
     "kategori hari libur cuti tidak dikenal untuk negara 'ID'"),
])
def test_invalid_calendar(kwargs, pesan):
    with pytest.raises(ValueError) as e:
        Kalender(**kwargs)
    assert str(e.value) == pesan


def test_from_sop_attributes():
    sop = SimpleNamespace(jam_kerja=(dt.time(7, 30), dt.time(15, 30)), zona_waktu="Asia/Jakarta",
                          hari_libur_negara="ID", hari_libur_kategori=["public"])
    assert from_sop(sop) == Kalender(dt.time(7, 30), dt.time(15, 30), "Asia/Jakarta", "ID", ("public",))


def test_from_sop_of_this_repository():
    repo, _ = load_repo(ROOT)
    kal = from_sop(repo.sop)
    assert kal == KAL
    assert [parse_waktu(s.waktu, kal.menit_per_hari) for s in repo.sop.langkah] == [
        5, 5, 5, 960, 2400, 960, 960, 960, 480, 30, 5]


# --- menit_kerja ---------------------------------------------------------------------------------------


def test_span_inside_one_working_day():
    assert KAL.menit_kerja(wita(2025, 11, 17, 8, 30), wita(2025, 11, 17, 10)) == 90


def test_whole_minutes_are_floored():
    assert KAL.menit_kerja(wita(2025, 11, 17, 8), wita(2025, 11, 17, 8, 1, 59, 999999)) == 1
    assert KAL.menit_kerja(wita(2025, 11, 17, 8), wita(2025, 11, 17, 8, 0, 59)) == 0


def test_across_weekend():
    # Friday 15:00 -> Monday 09:00: one hour each side.
    assert KAL.menit_kerja(wita(2025, 11, 14, 15), wita(2025, 11, 17, 9)) == 120


def test_across_public_holiday_and_cuti_bersama():
    # Wednesday 2025-12-24 15:00 -> Monday 2025-12-29 09:00: Thursday is Natal, Friday cuti bersama.
    assert KAL.menit_kerja(wita(2025, 12, 24, 15), wita(2025, 12, 29, 9)) == 120
    # Without the government category the Friday is worked.
    assert HANYA_PUBLIK.menit_kerja(wita(2025, 12, 24, 15), wita(2025, 12, 29, 9)) == 600


def test_across_idul_fitri_2025():
    # Thursday 2025-03-27 -> Tuesday 2025-04-08: everything in between is holiday, cuti bersama or weekend.
    assert KAL.menit_kerja(wita(2025, 3, 27, 15), wita(2025, 4, 8, 9)) == 120


def test_outside_working_hours_are_clipped():
    assert KAL.menit_kerja(wita(2025, 11, 17, 6), wita(2025, 11, 17, 9)) == 60
    assert KAL.menit_kerja(wita(2025, 11, 17, 15), wita(2025, 11, 17, 19)) == 60
    assert KAL.menit_kerja(wita(2025, 11, 17, 6), wita(2025, 11, 17, 19)) == 480
    assert KAL.menit_kerja(wita(2025, 11, 17, 17), wita(2025, 11, 18, 7, 59)) == 0


def test_saturday_to_sunday_is_zero():
    assert KAL.menit_kerja(wita(2025, 11, 15, 9), wita(2025, 11, 16, 15)) == 0


def test_end_before_or_at_start_is_zero():
    assert KAL.menit_kerja(wita(2025, 11, 17, 10), wita(2025, 11, 17, 9)) == 0
    assert KAL.menit_kerja(wita(2025, 11, 17, 10), wita(2025, 11, 17, 10)) == 0
    assert KAL.menit_kerja(wita(2025, 11, 20, 10), wita(2025, 11, 17, 9)) == 0


def test_utc_and_jakarta_are_converted_to_makassar():
    assert dt.datetime(2025, 11, 17, 0, tzinfo=UTC) == wita(2025, 11, 17, 8)
    assert KAL.menit_kerja(dt.datetime(2025, 11, 17, 0, tzinfo=UTC), wita(2025, 11, 17, 10)) == 120
    # 07:00 WIB is 08:00 WITA; 08:30 WIB is 09:30 WITA.
    assert KAL.menit_kerja(dt.datetime(2025, 11, 17, 7, tzinfo=WIB),
                           dt.datetime(2025, 11, 17, 8, 30, tzinfo=WIB)) == 90
    # Sunday 23:00 UTC is already Monday 07:00 WITA: the date is taken in WITA.
    assert KAL.menit_kerja(dt.datetime(2025, 11, 16, 23, tzinfo=UTC),
                           dt.datetime(2025, 11, 17, 1, tzinfo=UTC)) == 60
    # 16:00 UTC Monday is midnight WITA: the whole working Monday lies before it.
    assert KAL.menit_kerja(dt.datetime(2025, 11, 16, 12, tzinfo=UTC),
                           dt.datetime(2025, 11, 17, 16, tzinfo=UTC)) == 480


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError) as e:
        KAL.menit_kerja(dt.datetime(2025, 11, 17, 8), wita(2025, 11, 17, 9))
    assert str(e.value) == "waktu awal 2025-11-17T08:00:00 tidak memiliki zona waktu"
    with pytest.raises(ValueError):
        KAL.tambah_menit(dt.datetime(2025, 11, 17, 8), 5)


# --- tambah_menit --------------------------------------------------------------------------------------


def test_tambah_two_days_over_weekend():
    # Thursday 10:00 + 2 x 480: 360 left on Thursday, 480 Friday, 120 Monday.
    hasil = KAL.tambah_menit(wita(2025, 11, 13, 10), parse_waktu("2 Hari", 480))
    assert hasil == wita(2025, 11, 17, 10)
    assert hasil.tzinfo == WITA


def test_tambah_two_days_over_holiday_moves_one_more_day():
    maulid = dt.date(2025, 9, 5)  # Friday
    assert libur_id(2025, ("public",))[maulid] == "Maulid Nabi Muhammad"
    assert KAL.tambah_menit(wita(2025, 9, 4, 10), 960) == wita(2025, 9, 9, 10)
    # Monday 2025-08-18 is cuti bersama only: it shifts with the government category, not without.
    assert KAL.tambah_menit(wita(2025, 8, 14, 10), 960) == wita(2025, 8, 19, 10)
    assert HANYA_PUBLIK.tambah_menit(wita(2025, 8, 14, 10), 960) == wita(2025, 8, 18, 10)


def test_tambah_from_saturday_starts_monday_morning():
    assert KAL.tambah_menit(wita(2025, 11, 15, 13), 0) == wita(2025, 11, 17, 8)
    assert KAL.tambah_menit(wita(2025, 11, 15, 13), 60) == wita(2025, 11, 17, 9)
    assert KAL.tambah_menit(wita(2025, 11, 15, 13), 960) == wita(2025, 11, 18, 16)


def test_tambah_zero_inside_and_outside_working_time():
    assert KAL.tambah_menit(wita(2025, 11, 17, 9, 15), 0) == wita(2025, 11, 17, 9, 15)
    assert KAL.tambah_menit(wita(2025, 11, 17, 6), 0) == wita(2025, 11, 17, 8)
    # 16:00 is closing time, no longer working time.
    assert KAL.tambah_menit(wita(2025, 11, 17, 16), 0) == wita(2025, 11, 18, 8)


def test_tambah_exact_day_ends_at_closing_time():
    assert KAL.tambah_menit(wita(2025, 11, 17, 8), 480) == wita(2025, 11, 17, 16)
    assert KAL.tambah_menit(wita(2025, 11, 17, 15), 60) == wita(2025, 11, 17, 16)
    assert KAL.tambah_menit(wita(2025, 11, 17, 15), 61) == wita(2025, 11, 18, 8, 1)


def test_tambah_from_utc_returns_makassar():
    hasil = KAL.tambah_menit(dt.datetime(2025, 11, 17, 1, tzinfo=UTC), 30)
    assert hasil == wita(2025, 11, 17, 9, 30)
    assert hasil.tzinfo == WITA
    assert (hasil.hour, hasil.minute) == (9, 30)


def test_tambah_across_idul_fitri_terminates():
    assert KAL.tambah_menit(wita(2025, 3, 27, 16), 0) == wita(2025, 4, 8, 8)
    assert KAL.tambah_menit(wita(2025, 3, 27, 15), 5 * 480) == wita(2025, 4, 14, 15)


def test_tambah_inverts_menit_kerja():
    start = wita(2025, 12, 22, 11, 17)
    for minutes in (0, 1, 479, 480, 481, 2400, 10_000):
        assert KAL.menit_kerja(start, KAL.tambah_menit(start, minutes)) == minutes


def test_tambah_refuses_absurd_or_negative_amounts():
    with pytest.raises(ValueError) as e:
        KAL.tambah_menit(wita(2025, 11, 17, 8), 10**9)
    assert str(e.value) == ("1000000000 menit kerja sejak 2025-11-17 08:00 melewati 3660 hari kalender; "
                            "periksa lama waktu langkah SOP")
    with pytest.raises(ValueError) as e:
        KAL.tambah_menit(wita(2025, 11, 17, 8), -1)
    assert str(e.value) == "jumlah menit tidak boleh negatif: -1"


# --- parse_waktu and format_durasi ---------------------------------------------------------------------


@pytest.mark.parametrize(("teks", "menit"), [
    ("5 Menit", 5), ("30 Menit", 30), ("1 Hari", 480), ("2 Hari", 960), ("5 Hari", 2400),
    ("1 Jam", 60), ("30 menit", 30), ("2 hari", 960), ("2 HARI", 960), (" 3 jam ", 180),
])
def test_parse_waktu(teks, menit):
    assert parse_waktu(teks, 480) == menit


def test_parse_waktu_uses_menit_per_hari():
    assert parse_waktu("2 Hari", 510) == 1020


@pytest.mark.parametrize("teks", ["dua hari", "2 minggu"])
def test_parse_waktu_error_message(teks):
    with pytest.raises(ValueError) as e:
        parse_waktu(teks, 480)
    assert str(e.value) == (f"lama waktu '{teks}' tidak dikenali: tulis angka lalu Menit, Jam atau Hari, "
                            "misalnya 2 Hari")


@pytest.mark.parametrize("teks", ["", "2", "Hari", "2Hari", "-1 Hari", "1,5 Jam", "٢ Hari"])
def test_parse_waktu_rejects_other_forms(teks):
    with pytest.raises(ValueError, match="angka lalu Menit, Jam atau Hari, misalnya 2 Hari"):
        parse_waktu(teks, 480)


@pytest.mark.parametrize(("menit", "teks"), [
    (0, "0 menit"), (45, "45 menit"), (60, "1 jam"), (90, "1 jam 30 menit"), (480, "1 hari kerja"),
    (1000, "2 hari kerja 40 menit"), (1020, "2 hari kerja 1 jam"), (959, "1 hari kerja 7 jam 59 menit"),
])
def test_format_durasi(menit, teks):
    assert format_durasi(menit, 480) == teks


def test_format_durasi_other_day_length():
    assert format_durasi(510, 510) == "1 hari kerja"
    assert format_durasi(509, 510) == "8 jam 29 menit"


def test_no_division_by_zero():
    with pytest.raises(ValueError):
        format_durasi(60, 0)
    with pytest.raises(ValueError):
        parse_waktu("1 Hari", 0)
    with pytest.raises(ValueError):
        format_durasi(-5, 480)


def test_format_durasi_ringkas_for_table_columns():
    assert [format_durasi(m, 480, ringkas=True) for m in (0, 45, 90, 1000)] == ["0m", "45m", "1j 30m",
                                                                                "2hr 40m"]
