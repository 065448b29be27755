"""Working time: SOP durations count only jam kerja on working days (DESIGN.md §5).

A working day is Monday-Friday and neither a public holiday nor cuti bersama of the SOP's country; the
working hours are the SOP's jam_kerja in its zona_waktu. So "2 Hari" is 2 x 480 working minutes for
08:00-16:00, and a step finished on Friday afternoon is not late because of the weekend.

Pure apart from the holiday lookup, which is cached per (country, categories, year): a status run asks
for the same few years hundreds of times.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.data.model import menit_kerja

# Beyond this many calendar days a deadline is a data error (e.g. "9999 Hari"), not a real SOP step;
# the limit also bounds the loop should a calendar somehow have no working day at all.
BATAS_HARI = 3660

_UTC = dt.UTC
_SATU_MENIT = dt.timedelta(minutes=1)
_WAKTU = re.compile(r"([0-9]+)\s+(menit|jam|hari)", re.IGNORECASE | re.ASCII)
_BENTUK_WAKTU = "angka lalu Menit, Jam atau Hari, misalnya 2 Hari"


@lru_cache(maxsize=64)
def _zona(nama: str) -> ZoneInfo:
    try:
        return ZoneInfo(nama)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"zona waktu '{nama}' tidak dikenal (contoh: Asia/Makassar)") from None


# Holiday sets by (negara, kategori, tahun): computed by the `holidays` library, or seeded from a
# cache so that a status run neither imports the library nor recomputes lunar calendars. The cache
# is keyed by the library's version: an upgrade that adds a cuti bersama recomputes everything.
_LIBUR: dict[tuple[str, tuple[str, ...], int], dict[dt.date, str]] = {}


def holidays_version() -> str:
    """The installed `holidays` version, read from its metadata (no import of the library)."""
    from importlib.util import find_spec
    from pathlib import Path

    # importlib.metadata scans every path entry (~15 ms); the dist-info beside the package is
    # where pip puts it, so look there first.
    spec = find_spec("holidays")
    if spec is not None and spec.origin:
        found = sorted(Path(spec.origin).parents[1].glob("holidays-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len("holidays-"):-len(".dist-info")]

    from importlib.metadata import PackageNotFoundError, version  # ~30 ms: only as a fallback

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "-"


def seed_libur(cached: dict) -> None:
    """Holiday sets computed earlier (a dict made by `libur_cache`) that need not be computed again;
    ignored when they were computed by another version of the `holidays` library."""
    if not isinstance(cached, dict) or cached.get("holidays") != holidays_version():
        return
    for key, days in (cached.get("libur") or {}).items():
        try:
            negara, kategori, tahun = key.split("|")
            _LIBUR.setdefault((negara, tuple(kategori.split(",")), int(tahun)),
                              {dt.date.fromisoformat(d): str(n) for d, n in days.items()})
        except (ValueError, AttributeError):
            continue  # a damaged entry is computed again


def libur_cache() -> dict:
    """The holiday sets known in this process, as JSON-ready data for `seed_libur`."""
    return {"holidays": holidays_version(),
            "libur": {f"{n}|{','.join(c)}|{y}": {d.isoformat(): v for d, v in days.items()}
                      for (n, c, y), days in _LIBUR.items()}}


def libur_dikenal() -> dict[tuple[str, tuple[str, ...], int], dict[dt.date, str]]:
    """The holiday sets computed so far in this process, keyed by (country, categories, year): date ->
    holiday name."""
    return dict(_LIBUR)


@lru_cache(maxsize=64)
def _cek_hari_libur(negara: str, kategori: tuple[str, ...]) -> None:
    if any(key[:2] == (negara, kategori) for key in _LIBUR):
        return  # seeded from a cache: the library accepted this country and these categories
    # A repository without step commits computes no holiday set, so nothing would be cached and
    # every run would import the library (~300 modules) for this check alone: the check's own
    # answer is cached, keyed by the library's version.
    from generator.store import digest, store

    cache = store("libur")
    key = digest("cek-hari-libur", holidays_version(), negara, *kategori)
    if cache.get(key) is True:
        return
    import holidays

    # Without years the library computes nothing, so this only checks country and categories up front
    # instead of failing at the first date looked up.
    try:
        holidays.country_holidays(negara, categories=kategori)
    except NotImplementedError:
        raise ValueError(f"negara hari libur '{negara}' tidak dikenal oleh pustaka holidays") from None
    except ValueError:
        raise ValueError(f"kategori hari libur {', '.join(kategori)} tidak dikenal untuk negara "
                         f"'{negara}'") from None
    cache.put(key, True)
    cache.save()


def _libur_tahun(negara: str, kategori: tuple[str, ...], tahun: int) -> dict[dt.date, str]:
    """The holidays (and, with category government, cuti bersama) of one year: date -> name.

    Names are Indonesian where the library has them. The dict is shared: do not modify it.
    """
    key = (negara, kategori, tahun)
    if key not in _LIBUR:
        import holidays

        data = holidays.country_holidays(negara, years=tahun, categories=kategori, language="id")
        _LIBUR[key] = dict(data.items())
    return _LIBUR[key]


class _SopWaktu(Protocol):
    jam_kerja: tuple[dt.time, dt.time]
    zona_waktu: str
    hari_libur_negara: str
    hari_libur_kategori: tuple[str, ...]


@dataclass(frozen=True)
class Kalender:
    """A working-time calendar: Monday-Friday, jam_kerja in zona_waktu, minus holidays/cuti bersama.

    Working time on a working day is the half-open interval [mulai, selesai): 16:00 itself is already
    after hours, so a deadline may fall at 16:00 but counting never starts there.
    """

    mulai: dt.time
    selesai: dt.time
    zona_waktu: str = "Asia/Makassar"
    negara: str = "ID"
    kategori: tuple[str, ...] = ("public", "government")
    # The SOP's own changes for an SKB the library does not know yet (DESIGN §5, hari_libur).
    tambah: tuple[tuple[dt.date, str], ...] = ()
    hapus: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        for jam in (self.mulai, self.selesai):
            # A day of fractional minutes would make "1 Hari" and menit_per_hari disagree.
            if jam.second or jam.microsecond:
                raise ValueError(f"jam kerja {jam.isoformat()} harus tepat pada menit (misalnya 08:00)")
            if jam.tzinfo is not None:
                raise ValueError("jam kerja ditulis tanpa zona waktu; zona waktunya diatur di zona_waktu")
        if self.mulai >= self.selesai:
            raise ValueError(f"jam kerja mulai {self.mulai:%H:%M} harus sebelum selesai {self.selesai:%H:%M}")
        # A list from YAML would make the calendar unhashable and defeat the holiday cache.
        object.__setattr__(self, "kategori", tuple(self.kategori))
        object.__setattr__(self, "tambah", tuple((d, n) for d, n in self.tambah))
        object.__setattr__(self, "hapus", tuple(self.hapus))
        _zona(self.zona_waktu)
        _cek_hari_libur(self.negara, self._kunci_kategori)

    @property
    def _kunci_kategori(self) -> tuple[str, ...]:
        # Order and repeats do not change the holiday set; one cache entry per set.
        return tuple(sorted(set(self.kategori)))

    @property
    def _tz(self) -> ZoneInfo:
        return _zona(self.zona_waktu)

    @property
    def menit_per_hari(self) -> int:
        """Working minutes in one working day (480 for 08:00-16:00)."""
        return menit_kerja(self.mulai, self.selesai)

    def _tanggal(self, day: dt.date) -> dt.date:
        # A datetime is a date too, but as a dict key it never equals the holiday's date.
        if isinstance(day, dt.datetime):
            return day.astimezone(self._tz).date() if day.tzinfo is not None else day.date()
        return day

    def libur(self, day: dt.date) -> str | None:
        """The holiday or cuti bersama name (Indonesian) of that day, or None; weekends have no name."""
        day = self._tanggal(day)
        return self._libur(day.year).get(day)

    def hari_kerja(self, day: dt.date) -> bool:
        """Monday-Friday and not a holiday or cuti bersama."""
        day = self._tanggal(day)
        return day.weekday() < 5 and day not in self._libur(day.year)

    def _libur(self, tahun: int) -> dict[dt.date, str]:
        days = _libur_tahun(self.negara, self._kunci_kategori, tahun)
        if not self.tambah and not self.hapus:
            return days
        days = {d: n for d, n in days.items() if d not in self.hapus}
        days.update((d, n) for d, n in self.tambah if d.year == tahun)
        return days

    def _jendela(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        # In UTC: subtracting two datetimes that share a ZoneInfo ignores their offsets, which would be
        # wrong across a DST change in zones that have one.
        tz = self._tz
        awal = dt.datetime.combine(day, self.mulai, tzinfo=tz).astimezone(_UTC)
        akhir = dt.datetime.combine(day, self.selesai, tzinfo=tz).astimezone(_UTC)
        return awal, akhir

    def menit_kerja(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes between two timezone-aware instants; 0 when end <= start."""
        _cek_aware(start, "awal")
        _cek_aware(end, "akhir")
        if end <= start:
            return 0
        tz = self._tz
        awal, akhir = start.astimezone(_UTC), end.astimezone(_UTC)
        total = dt.timedelta(0)
        day, terakhir = start.astimezone(tz).date(), end.astimezone(tz).date()
        # One step per calendar day, not per minute: a span of a year is a few hundred iterations.
        while day <= terakhir:
            if self.hari_kerja(day):
                buka, tutup = self._jendela(day)
                dari, sampai = max(buka, awal), min(tutup, akhir)
                if sampai > dari:
                    total += sampai - dari
            day += dt.timedelta(days=1)
        return total // _SATU_MENIT

    def tambah_menit(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The instant (in zona_waktu) when `minutes` working minutes have elapsed after start.

        Counting begins at the next working moment when start is outside working time, so
        tambah_menit(s, 0) is s itself inside working time and otherwise the next opening.
        A deadline that uses up a day exactly lands on selesai (16:00), not on the next morning.
        """
        _cek_aware(start, "awal")
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise ValueError(f"jumlah menit harus bilangan bulat, bukan {minutes!r}")
        if minutes < 0:
            raise ValueError(f"jumlah menit tidak boleh negatif: {minutes}")
        tz = self._tz
        sisa = dt.timedelta(minutes=minutes)
        kini = start.astimezone(_UTC)
        day = start.astimezone(tz).date()
        for _ in range(BATAS_HARI + 1):
            if self.hari_kerja(day):
                buka, tutup = self._jendela(day)
                dari = max(buka, kini)
                if dari < tutup:
                    if sisa <= tutup - dari:
                        return (dari + sisa).astimezone(tz)
                    sisa -= tutup - dari
            day += dt.timedelta(days=1)
        raise ValueError(f"{minutes} menit kerja sejak {start.astimezone(tz):%Y-%m-%d %H:%M} melewati "
                         f"{BATAS_HARI} hari kalender; periksa lama waktu langkah SOP")


def _cek_aware(waktu: dt.datetime, peran: str) -> None:
    # A naive time could be WITA, WIB or UTC; guessing would shift durations by hours.
    if not isinstance(waktu, dt.datetime):
        raise ValueError(f"waktu {peran} harus datetime, bukan {type(waktu).__name__}")
    if waktu.tzinfo is None or waktu.utcoffset() is None:
        raise ValueError(f"waktu {peran} {waktu.isoformat()} tidak memiliki zona waktu")


def from_sop(sop: _SopWaktu) -> Kalender:
    """The calendar of a loaded SOP (generator.data.model.Sop or anything with the same attributes)."""
    mulai, selesai = sop.jam_kerja
    return Kalender(mulai=mulai, selesai=selesai, zona_waktu=sop.zona_waktu,
                    negara=sop.hari_libur_negara, kategori=tuple(sop.hari_libur_kategori),
                    tambah=tuple(getattr(sop, "hari_libur_tambah", ())),
                    hapus=tuple(getattr(sop, "hari_libur_hapus", ())))


def parse_waktu(text: str, menit_per_hari: int) -> int:
    """A step's `waktu` in working minutes: "5 Menit" -> 5, "1 Jam" -> 60, "2 Hari" -> 2 * menit_per_hari."""
    if menit_per_hari <= 0:
        raise ValueError(f"menit per hari kerja harus positif, bukan {menit_per_hari}")
    cocok = _WAKTU.fullmatch(text.strip()) if isinstance(text, str) else None
    if cocok is None:
        raise ValueError(f"lama waktu '{text}' tidak dikenali: tulis {_BENTUK_WAKTU}")
    angka, satuan = int(cocok.group(1)), cocok.group(2).lower()
    return angka * {"menit": 1, "jam": 60, "hari": menit_per_hari}[satuan]


def format_durasi(minutes: int, menit_per_hari: int, ringkas: bool = False) -> str:
    """Working minutes for people: 90 -> "1 jam 30 menit", 1000 (480 a day) -> "2 hari kerja 40 menit";
    `ringkas` for table columns: "2hr 40m" (hr = hari kerja, j = jam, m = menit).
    Raises ValueError for a non-positive day length or negative minutes."""
    if menit_per_hari <= 0:
        raise ValueError(f"menit per hari kerja harus positif, bukan {menit_per_hari}")
    if minutes < 0:
        raise ValueError(f"durasi tidak boleh negatif: {minutes} menit")
    hari, sisa = divmod(minutes, menit_per_hari)
    jam, menit = divmod(sisa, 60)
    units = ("hr", "j", "m") if ringkas else (" hari kerja", " jam", " menit")
    bagian = [f"{n}{satuan}" for n, satuan in zip((hari, jam, menit), units, strict=True) if n]
    return " ".join(bagian) or f"0{units[2]}"
