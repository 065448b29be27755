"""The city portal's pages (issue 17): from the offices' exports (workflow/ekspor.py, or read back
from CI artifacts) to one row per office (`aggregate`), the city IKU roll-up (`rollup`), and the
Markdown pages MkDocs builds (`write_pages`). Pure but for the final write: the exports and the
moment "now" come in as arguments, so the same inputs give the same pages.

Exports are untrusted input (an artifact anyone with CI access could write): they are checked
against the schema before they get here, every text is autoescaped by the sandboxed templates,
and numbers are read with `_dec`, never evaluated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.data.daftar import Daftar, IkuKota, Kantor
from generator.figures.capaian import hitung_capaian, rata_rata

TIDAK_TERBACA = "tidak-terbaca"


@dataclass(frozen=True)
class Hasil:
    """One office's export (None when it could not be made or read) and, then, why not."""

    kantor: Kantor
    ekspor: dict | None
    alasan: str | None = None


@dataclass(frozen=True)
class Baris:
    """One office in the overview table. Minutes are working minutes of the office's own SOP
    calendar; `menit_terlambat` sums, over the steps of the current round, the minutes each
    recorded step took beyond its standard and the minutes the running step is past its deadline
    at `now` (DESIGN §5). None where the export does not say (an unreadable office)."""

    id: str
    nama: str
    alasan: str | None
    tahun: int | None = None
    instansi: str | None = None
    langkah_berjalan: int | None = None
    kegiatan_berjalan: str | None = None
    selesai: int = 0
    jumlah_langkah: int = 0
    menit_terlambat: int | None = None
    menit_per_hari: int = 480
    batas_waktu: dt.datetime | None = None
    berjalan_telat: bool = False
    final: bool = False
    bersih: bool = False
    temuan: tuple[dict, ...] = ()
    capaian: Decimal | None = None
    serapan: Decimal | None = None
    arsip: tuple[tuple[int, bool], ...] = ()
    commit: str | None = None
    catatan: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """tidak-terbaca | temuan | final | berjalan | selesai: the row's colour and filter."""
        if self.alasan is not None:
            return TIDAK_TERBACA
        if self.temuan:
            return "temuan"
        if self.final:
            return "final"
        return "berjalan" if self.langkah_berjalan is not None else "selesai"


def _dec(value: object) -> Decimal | None:
    """A JSON number as Decimal (its written digits); None for null, text and booleans."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _moment(text: object) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _overdue(sop: dict, batas: dt.datetime | None, now: dt.datetime) -> tuple[int, str | None]:
    """Working minutes the running step is past `batas` at `now`, by the office's calendar."""
    if batas is None or now <= batas:
        return 0, None
    from generator.sop.worktime import Kalender

    k = sop.get("kalender", {})
    try:
        kalender = Kalender(
            mulai=dt.time.fromisoformat(k["jam_kerja"][0]), selesai=dt.time.fromisoformat(k["jam_kerja"][1]),
            zona_waktu=k["zona_waktu"], negara=k["negara"], kategori=tuple(k["kategori"]),
            tambah=tuple((dt.date.fromisoformat(d), n) for d, n in k["tambah"]),
            hapus=tuple(dt.date.fromisoformat(d) for d in k["hapus"]))
        return kalender.menit_kerja(batas, now), None
    except (KeyError, IndexError, TypeError, ValueError, LookupError, NotImplementedError) as e:
        return 0, (f"kalender kerja SOP tidak dapat dibaca ({e}); keterlambatan langkah berjalan "
                   "tidak dihitung")


def baris(h: Hasil, now: dt.datetime) -> Baris:
    """The overview row of one office at `now`."""
    k = h.kantor
    e = h.ekspor
    if e is None:
        return Baris(k.id, k.nama, h.alasan or "ekspor tidak tersedia")
    sop = e["sop"]
    running = next((s for s in sop["langkah"] if s["no"] == sop["langkah_berjalan"]), None)
    batas = _moment(running["batas_waktu"]) if running else None
    extra, note = _overdue(sop, batas, now)
    ringkasan = e["ringkasan"]
    return Baris(
        id=k.id, nama=k.nama, alasan=None, tahun=e["tahun"], instansi=e["instansi"]["nama"],
        langkah_berjalan=sop["langkah_berjalan"], kegiatan_berjalan=running["kegiatan"] if running else None,
        selesai=sop["selesai"], jumlah_langkah=sop["jumlah_langkah"],
        menit_terlambat=sop["menit_terlambat"] + extra,
        menit_per_hari=sop["kalender"]["menit_per_hari"], batas_waktu=batas, berjalan_telat=extra > 0,
        final=e["dokumen"]["status"] == "FINAL", bersih=e["verifikasi"]["bersih"],
        temuan=tuple(e["verifikasi"]["temuan"]),
        capaian=_dec(ringkasan["capaian_rata_rata"]), serapan=_dec(ringkasan["serapan"]),
        arsip=tuple((a["tahun"], a["sah"]) for a in e["arsip"]), commit=e["commit"],
        catatan=(note,) if note else ())


def aggregate(hasil: list[Hasil], now: dt.datetime) -> list[Baris]:
    """One row per office, in the order of portal.yaml (the aggregation step of the portal)."""
    return [baris(h, now) for h in hasil]


# ---------------------------------------------------------------- city IKU roll-up


@dataclass(frozen=True)
class Pakai:
    """One office value a city IKU used (or wanted): where it came from and what it was."""

    kantor: str
    nama: str
    indikator: str
    realisasi: Decimal | None
    satuan: str | None = None
    dokumen: str | None = None  # FINAL | DRAF of that office's report
    commit: str | None = None
    alasan: str | None = None  # why the value is missing


@dataclass(frozen=True)
class HasilIku:
    iku: IkuKota
    realisasi: Decimal | None
    capaian: Decimal | None
    sumber: tuple[Pakai, ...]
    alasan: tuple[str, ...] = ()


def _pakai(src, hasil: dict[str, Hasil]) -> Pakai:
    h = hasil.get(src.kantor)
    nama = h.kantor.nama if h else src.kantor
    if h is None or h.ekspor is None:
        return Pakai(src.kantor, nama, src.indikator, None,
                     alasan=f"ekspor kantor tidak tersedia: {h.alasan if h else 'tidak ada di daftar'}")
    e = h.ekspor
    figures = e.get("figures")
    if not figures:
        return Pakai(src.kantor, nama, src.indikator, None, dokumen=e["dokumen"]["status"],
                     commit=e["commit"], alasan=f"capaian kantor tidak tersedia: {e.get('figures_galat')}")
    found = next((i for i in figures["indikator"] if i["id"] == src.indikator), None)
    if found is None:
        return Pakai(src.kantor, nama, src.indikator, None, dokumen=e["dokumen"]["status"],
                     commit=e["commit"], alasan=f"indikator {src.indikator} tidak ada di data kantor")
    value = _dec(found.get("realisasi"))
    return Pakai(src.kantor, nama, src.indikator, value, found.get("satuan"), e["dokumen"]["status"],
                 e["commit"], None if value is not None else "realisasi belum tersedia atau bukan angka")


def rollup(iku: tuple[IkuKota, ...], hasil: list[Hasil]) -> list[HasilIku]:
    """Each city IKU's realisasi by its rule (`jumlah`: sum, `rata-rata`: mean half-up to two
    decimals, `kantor`: the one office's value) and its capaian against the city target
    (DESIGN §4 formulas). A missing office value leaves the realisasi empty, with the reasons,
    rather than a sum of the rest."""
    by_id = {h.kantor.id: h for h in hasil}
    out = []
    for item in iku:
        used = tuple(_pakai(src, by_id) for src in item.sumber)
        missing = tuple(f"{p.nama} ({p.indikator}): {p.alasan}" for p in used if p.alasan)
        values = [p.realisasi for p in used if p.realisasi is not None]
        realisasi = None
        if not missing:
            if item.aturan == "jumlah":
                realisasi = sum(values, Decimal(0))
            elif item.aturan == "rata-rata":
                realisasi = rata_rata(values)
            else:
                realisasi = values[0]
        capaian = None
        if realisasi is not None and item.target is not None:
            capaian, _ = hitung_capaian(realisasi, item.target, item.polaritas)
        out.append(HasilIku(item, realisasi, capaian, used, missing))
    return out


# ---------------------------------------------------------------- pages


@dataclass
class Portal:
    """Everything the portal's pages show."""

    daftar: Daftar
    hasil: list[Hasil]
    now: dt.datetime
    baris: list[Baris] = field(default_factory=list)
    iku: list[HasilIku] = field(default_factory=list)


def tenggat(daftar: Daftar, rows: list[Baris]) -> dt.date:
    """The city's deadline: portal.yaml's `tenggat`, else 31 March after the year (the pemda's
    LKjIP upload to ESR, PermenPANRB 53/2014) of the portal's `tahun` or the newest office year."""
    if daftar.tenggat is not None:
        return daftar.tenggat
    years = [r.tahun for r in rows if r.tahun]
    tahun = daftar.tahun or (max(years) if years else None)
    return dt.date((tahun or dt.date.today().year - 1) + 1, 3, 31)


def contexts(p: Portal) -> dict[str, dict]:
    """Page path (without .md) -> template context; `index`, `iku-kota` when the daftar has city
    IKU, and `kantor/<id>` per office."""
    rows = p.baris or aggregate(p.hasil, p.now)
    zone = ZoneInfo(p.daftar.zona_waktu)
    today = p.now.astimezone(zone).date()
    due = tenggat(p.daftar, rows)
    readable = [r for r in rows if r.alasan is None]
    base = {"judul": p.daftar.judul, "pemerintah": p.daftar.pemerintah, "dibuat": p.now,
            "zona": p.daftar.zona_waktu, "ada_iku": bool(p.daftar.iku_kota)}
    pages = {"index": base | {
        "baris": rows, "tenggat": due, "sisa_hari": (due - today).days,
        "jumlah": len(rows), "final": sum(r.final for r in readable),
        "bersih": sum(r.bersih for r in readable), "dengan_temuan": [r for r in readable if r.temuan],
        "tidak_terbaca": [r for r in rows if r.alasan is not None],
        "belum_final": [r for r in readable if not r.final],
        "terlambat": [r for r in readable if r.menit_terlambat],
    }}
    if p.daftar.iku_kota:
        pages["iku-kota"] = base | {"iku": p.iku or rollup(p.daftar.iku_kota, p.hasil)}
    for h, row in zip(p.hasil, rows, strict=True):
        pages[f"kantor/{h.kantor.id}"] = base | {"kantor": h.kantor, "baris": row, "e": h.ekspor}
    return pages


def write_pages(p: Portal, docs_dir: Path) -> list[str]:
    """Render every page into `docs_dir` (a folder lakip made); returns the page names."""
    from generator.render.templates import DEFAULTS, environment, render
    from generator.store import write_file

    env = environment()
    env.filters["waktu"] = lambda moment: _waktu(moment, p.daftar.zona_waktu)
    env.filters["menit"] = _menit
    env.filters["dec"] = _dec
    written = []
    for name, ctx in contexts(p).items():
        template = "portal/kantor.md" if name.startswith("kantor/") else f"portal/{name}.md"
        ctx = ctx | {"akar_situs": "../" if name.startswith("kantor/") else ""}
        write_file(docs_dir, docs_dir / f"{name}.md", render(env, template, ctx))
        written.append(f"{name}.md")
    css = env.loader.get_source(env, "portal/portal.css")[0]
    write_file(docs_dir, docs_dir / "assets" / "portal.css", css)
    # search over file:// as on the office site (lakip's own script, see workflow/mkdocs_plugin.py)
    from generator.render.site import WORKER

    write_file(docs_dir, docs_dir / "assets" / WORKER, (DEFAULTS / "site" / WORKER).read_bytes())
    return written


def _waktu(moment: dt.datetime | None, zona: str) -> str:
    from generator.figures.formats import waktu

    return waktu(moment, zona)


def _menit(minutes: int | None, per_day: int = 480) -> str:
    """Working minutes as "1 hari kerja 2 jam" ("–" when unknown, "tepat waktu" for 0)."""
    from generator.sop.worktime import format_durasi

    if minutes is None:
        return "–"
    if minutes == 0:
        return "tepat waktu"
    return format_durasi(minutes, per_day if per_day > 0 else 480)
