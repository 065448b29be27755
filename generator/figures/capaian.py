"""The report's figures (DESIGN §4): capaian, kategori, serapan, efisiensi. Pure: no I/O.

Everything is Decimal, rounded half-up to 2 decimals, because the published tables are checked by
hand against a calculator and binary floats would disagree in the last digit (110.135 -> 110.13).
Nothing here raises on bad data except `compute` when there is no year, PK or Renstra to report
on at all: a missing number becomes None with a `keterangan` the document shows instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from generator.data import model as m

TIDAK_DAPAT_DIHITUNG = "tidak dapat dihitung"
NA = "n/a"  # what published reports print where the formula is undefined (target 0)
BELUM_TERSEDIA = "belum tersedia"
TARGET_TIDAK_ADA = "target tidak ada"
BUKAN_ANGKA = f"{TIDAK_DAPAT_DIHITUNG}: realisasi bukan angka dan capaian tidak dinyatakan bidang"

_SEN = Decimal("0.01")
# A fixed context, so results do not depend on whatever decimal context the caller's thread has.
_CTX = Context(prec=34, rounding=ROUND_HALF_UP)


def _q(x: Decimal) -> Decimal:
    return x.quantize(_SEN, rounding=ROUND_HALF_UP, context=_CTX)


def _dec(x: Decimal | int | float | str | None) -> Decimal | None:
    """A number as Decimal; None for None and text (ratios such as "1:32" are not numbers)."""
    if x is None or isinstance(x, str | bool):
        return None
    d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)  # float: the digits as written
    return d if d.is_finite() else None


def _persen(a: Decimal, b: Decimal) -> Decimal:
    # multiply before dividing: fewer digits lost before the half-up rounding
    return _q(_CTX.divide(_CTX.multiply(a, Decimal(100)), b))


# ---------------------------------------------------------------- formulas


def hitung_capaian(realisasi: Decimal | int | str | None, target: Decimal | int | None, polaritas: str,
                   rumus: str = "R/T") -> tuple[Decimal | None, str | None]:
    """(capaian, None) or (None, why not). Above 100 is kept: published reports do not cap it.

    positif R/T: R/T×100; negatif: (2T−R)/T×100; rumus "T/R": T/R×100 whatever the polaritas.
    A zero target makes every variant meaningless, so it is refused for "T/R" as well.
    """
    if realisasi is None:
        return None, BELUM_TERSEDIA
    if target is None:
        return None, TARGET_TIDAK_ADA
    r, t = _dec(realisasi), _dec(target)
    if r is None:
        return None, BUKAN_ANGKA
    assert t is not None  # target is never text in the model
    if t == 0:
        return None, f"{TIDAK_DAPAT_DIHITUNG}: target nol"
    if rumus == "T/R":
        if r == 0:
            return None, f"{TIDAK_DAPAT_DIHITUNG}: realisasi nol"
        return _persen(t, r), None
    if polaritas == "negatif":
        return _persen(_CTX.subtract(_CTX.multiply(Decimal(2), t), r), t), None
    return _persen(r, t), None


_KELAS = ("sangat-tinggi", "tinggi", "sedang", "rendah", "sangat-rendah")


def kategori_kelas(label: str | None, skala: tuple[m.Kategori, ...] = m.DEFAULT_SKALA) -> str:
    """The CSS class word of a kategori, by its rank in `skala`: the default scale's band at the
    same rank ("sangat-tinggi" ... "sangat-rendah"; an office's own labels get the colours of the
    default band at their rank, a sixth band and below the last colour), "kosong" when the
    kategori is missing or not in the scale. Used by the document and the website alike."""
    labels = [k.label for k in skala]
    if label not in labels:
        return "kosong"
    return _KELAS[min(labels.index(label), len(_KELAS) - 1)]


def kategori(capaian: Decimal | None, skala: tuple[m.Kategori, ...] = m.DEFAULT_SKALA) -> str | None:
    """The first band whose lower bound the capaian strictly exceeds (Permendagri 86/2017: > 90 ...)."""
    if capaian is None:
        return None
    for band in skala:
        if band.di_atas is None or capaian > band.di_atas:
            return band.label
    return None  # a scale without an open last band: the capaian is below every band


def serapan(realisasi: int | None, pagu: int) -> Decimal | None:
    """Realisasi anggaran as a percentage of the pagu."""
    if realisasi is None or not pagu:
        return None
    return _persen(Decimal(realisasi), Decimal(pagu))


def rata_rata(values: Iterable[Decimal | None]) -> Decimal | None:
    """Mean of the known values (of the rounded numbers the tables show, so readers can redo it)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    total = Decimal(0)
    for v in known:
        total = _CTX.add(total, v)
    return _q(_CTX.divide(total, Decimal(len(known))))


def efisiensi(capaian: Decimal | None, serapan_: Decimal | None) -> Decimal | None:
    """Index capaian / serapan; efficient when >= 1."""
    if capaian is None or serapan_ is None or serapan_ == 0:
        return None
    return _q(_CTX.divide(capaian, serapan_))


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class CapaianIndikator:
    """The figures of one indikator for one year (DESIGN §4): PK `target` and `realisasi` in the
    indikator's satuan, `capaian` in percent (Decimal, 2 places, half-up; None with `keterangan`
    saying why), its kategori, the previous years as (tahun, realisasi, capaian), the Renstra end
    target and the capaian against it, and the capaian against the standar nasional."""

    id: str
    uraian: str
    satuan: str
    polaritas: str
    sasaran: str
    bidang: str
    target: Decimal | None  # the PK target of the year
    realisasi: Decimal | str | None
    capaian: Decimal | None
    kategori: str | None
    keterangan: str | None  # why capaian is None, or the bidang's note on a stated capaian
    dinyatakan: bool  # capaian stated by the bidang (ratios a formula cannot express)
    analisis: str | None = None
    solusi: str | None = None
    bukti: tuple[str, ...] = ()
    tahun_lalu: tuple[tuple[int, Decimal | str | None, Decimal | None], ...] = ()
    target_akhir: Decimal | None = None  # Renstra target at periode.selesai
    tahun_akhir: int = 0
    capaian_akhir: Decimal | None = None
    standar_nasional: Decimal | None = None
    standar_sumber: str | None = None
    capaian_standar: Decimal | None = None
    rumus_capaian: str = "R/T"
    target_renstra: Decimal | None = None  # the Renstra target of the year (Bab II compares it with PK)
    realisasi_triwulan: tuple[tuple[str, Decimal | None], ...] = ()  # ("tw1", 61.9), as reported

    @property
    def tidak_terdefinisi(self) -> bool:
        """The formula is undefined for these numbers (target 0, text realisasi): printed "n/a",
        not "belum tersedia", which means the bidang has not reported yet."""
        return self.capaian is None and bool(self.keterangan) and \
            self.keterangan.startswith(TIDAK_DAPAT_DIHITUNG)


@dataclass(frozen=True)
class CapaianSasaran:
    """A sasaran's capaian: the mean of its indikator's capaian (percent, of the rounded values the tables
    show), its kategori, and the indikator left out of the mean with the reason."""

    id: str
    uraian: str
    tujuan: str
    indikator: tuple[CapaianIndikator, ...]
    capaian: Decimal | None
    kategori: str | None
    # indikator left out of the mean, with the reason (target 0, realisasi not yet reported, ...)
    dikecualikan: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Anggaran:
    """Budget of one code (sub kegiatan, kegiatan, or the whole year): pagu and realisasi in whole rupiah,
    serapan in percent (None without pagu); `lengkap` False when some realisasi is not reported yet
    (counted as 0)."""

    kode: str
    nama: str
    pagu: int
    realisasi: int  # unreported realisasi counts as 0 and clears `lengkap`
    serapan: Decimal | None
    lengkap: bool


@dataclass(frozen=True)
class Program:
    """A PK program: pagu and realisasi in whole rupiah (summed from its sub kegiatan), serapan in percent,
    the sasaran it serves and their mean capaian, the efficiency index capaian / serapan (efficient
    when >= 1) and its kegiatan and sub kegiatan."""

    kode: str
    nama: str
    pagu: int
    realisasi: int
    serapan: Decimal | None
    lengkap: bool
    sasaran: tuple[str, ...]
    capaian: Decimal | None  # mean of its sasaran
    efisiensi: Decimal | None
    efisien: bool | None
    sub_kegiatan: tuple[Anggaran, ...] = ()
    kegiatan: tuple[Anggaran, ...] = ()


@dataclass(frozen=True)
class Figures:
    """Every figure of one year's report (`compute`): indikator, sasaran, program and the total budget,
    with the capaian scale used for the kategori."""

    tahun: int
    renstra: str
    indikator: tuple[CapaianIndikator, ...]
    sasaran: tuple[CapaianSasaran, ...]
    program: tuple[Program, ...]
    total: Anggaran
    skala: tuple[m.Kategori, ...]


# ---------------------------------------------------------------- compute


def _realisasi_map(tahun: m.Tahun, renstra: m.Renstra | None) -> dict[str, m.Realisasi]:
    """indikator id -> its realisasi; when (wrongly) reported twice, the owning bidang's file wins."""
    owner = {i.id: i.bidang for i in renstra.indikator()} if renstra else {}
    found: dict[str, m.Realisasi] = {}
    for data in tahun.bidang:
        for r in data.realisasi:
            if r.indikator not in found or owner.get(r.indikator) == data.bidang:
                found[r.indikator] = r
    return found


def _nilai(x: Decimal | int | str | None) -> Decimal | str | None:
    return x if x is None or isinstance(x, str) else Decimal(x)


def _capaian(r: m.Realisasi | None, target: Decimal | None,
             ind: m.Indikator) -> tuple[Decimal | None, str | None, bool]:
    """(capaian, keterangan, dinyatakan) of one realisasi record."""
    if r is None:
        return None, BELUM_TERSEDIA, False
    if r.capaian is not None:
        return _q(Decimal(r.capaian)), r.catatan, True
    capaian, why = hitung_capaian(r.nilai, target, ind.polaritas, ind.rumus_capaian)
    return capaian, why, False


def _tahun_lalu(repo: m.Repo, tahun: int,
                ind: m.Indikator) -> tuple[tuple[int, Decimal | str | None, Decimal | None], ...]:
    rows = []
    for t in sorted((t for t in repo.tahun if t.tahun < tahun), key=lambda t: t.tahun):
        renstra = repo.renstra_for(t.tahun, t.pk.renstra if t.pk else None)
        r = _realisasi_map(t, renstra).get(ind.id)
        if r is None:
            continue
        # judge the earlier year by its own Renstra's definition when it has one
        then = next((i for i in renstra.indikator() if i.id == ind.id), ind) if renstra else ind
        target = t.pk.target_of(ind.id) if t.pk else None
        rows.append((t.tahun, _nilai(r.nilai), _capaian(r, _dec(target), then)[0]))
    if not rows and ind.kondisi_awal is not None:
        rows.append((ind.kondisi_awal[0], ind.kondisi_awal[1], None))
    return tuple(rows)


def _indikator(repo: m.Repo, tahun: m.Tahun, renstra: m.Renstra, ind: m.Indikator,
               r: m.Realisasi | None, skala: tuple[m.Kategori, ...]) -> CapaianIndikator:
    assert tahun.pk is not None
    target = _dec(tahun.pk.target_of(ind.id))
    capaian, keterangan, dinyatakan = _capaian(r, target, ind)
    nilai = _nilai(r.nilai) if r else None
    target_akhir = ind.target.get(renstra.selesai)
    standar, sumber = ind.standar_nasional if ind.standar_nasional else (None, None)
    return CapaianIndikator(
        id=ind.id, uraian=ind.uraian, satuan=ind.satuan, polaritas=ind.polaritas, sasaran=ind.sasaran,
        bidang=ind.bidang, target=target, realisasi=nilai, capaian=capaian,
        kategori=kategori(capaian, skala), keterangan=keterangan, dinyatakan=dinyatakan,
        analisis=r.analisis if r else None, solusi=r.solusi if r else None,
        bukti=tuple(b.path for b in r.bukti) if r else (),
        tahun_lalu=_tahun_lalu(repo, tahun.tahun, ind),
        target_akhir=target_akhir, tahun_akhir=renstra.selesai,
        capaian_akhir=hitung_capaian(nilai, target_akhir, ind.polaritas, ind.rumus_capaian)[0],
        standar_nasional=standar, standar_sumber=sumber,
        capaian_standar=hitung_capaian(nilai, standar, ind.polaritas, ind.rumus_capaian)[0],
        rumus_capaian=ind.rumus_capaian, target_renstra=ind.target.get(tahun.tahun),
        realisasi_triwulan=tuple(r.triwulan) if r else ())


def _anggaran(kode: str, nama: str, pagu: int, realisasi: Iterable[int | None]) -> Anggaran:
    values = list(realisasi)
    # nothing reported at all is not "complete": the pagu is unaccounted for
    lengkap = bool(values) and all(v is not None for v in values)
    total = sum(v for v in values if v is not None)
    return Anggaran(kode, nama, pagu, total, serapan(total, pagu) if values else None, lengkap)


def _program(kode: m.Kode, subs: list[m.SubKegiatan], nama_kegiatan: dict[str, str],
             capaian_sasaran: dict[str, Decimal | None]) -> Program:
    subs = sorted(subs, key=lambda s: s.kode)
    sub = tuple(Anggaran(s.kode, s.nama, s.pagu, s.realisasi or 0, serapan(s.realisasi, s.pagu),
                         s.realisasi is not None) for s in subs)
    groups: dict[str, list[m.SubKegiatan]] = {}
    for s in subs:
        groups.setdefault(s.kegiatan, []).append(s)
    keg = tuple(_anggaran(k, nama_kegiatan.get(k, ""), sum(s.pagu for s in g), [s.realisasi for s in g])
                for k, g in groups.items())
    # the PK pagu is the authority; the sum of sub kegiatan stands in when the PK omits it
    pagu = kode.pagu if kode.pagu is not None else sum(s.pagu for s in subs)
    total = _anggaran(kode.kode, kode.nama, pagu, [s.realisasi for s in subs])
    capaian = rata_rata(capaian_sasaran.get(s) for s in kode.sasaran)
    # a partial realisasi would flatter the index: no efisiensi until every sub kegiatan reported
    eff = efisiensi(capaian, total.serapan) if total.lengkap else None
    return Program(kode.kode, kode.nama, total.pagu, total.realisasi, total.serapan, total.lengkap,
                   tuple(kode.sasaran), capaian, eff, None if eff is None else eff >= 1, sub, keg)


def compute(repo: m.Repo, tahun: int) -> Figures:
    """All figures of one year. ValueError only when there is no year, PK or Renstra at all."""
    year = repo.find_tahun(tahun)
    if year is None:
        raise ValueError(f"folder tahun {tahun} tidak ditemukan di content/")
    if year.pk is None:
        raise ValueError(f"Perjanjian Kinerja tahun {tahun} tidak ada atau tidak dapat dibaca")
    renstra = repo.renstra_for(tahun, year.pk.renstra)
    if renstra is None:
        nama = f" {year.pk.renstra}" if year.pk.renstra else ""
        raise ValueError(f"Renstra{nama} untuk tahun {tahun} tidak ditemukan")
    skala = repo.instansi.skala_kategori if repo.instansi else m.DEFAULT_SKALA

    realisasi = _realisasi_map(year, renstra)
    indikator = tuple(_indikator(repo, year, renstra, i, realisasi.get(i.id), skala)
                      for i in renstra.indikator())
    by_sasaran: dict[str, list[CapaianIndikator]] = {}
    for ci in indikator:
        by_sasaran.setdefault(ci.sasaran, []).append(ci)
    sasaran = []
    for s in renstra.sasaran():
        items = tuple(by_sasaran.get(s.id, ()))
        capaian = rata_rata(ci.capaian for ci in items)
        left_out = tuple((ci.id, ci.keterangan or BELUM_TERSEDIA) for ci in items if ci.capaian is None)
        sasaran.append(CapaianSasaran(s.id, s.uraian, s.tujuan, items, capaian, kategori(capaian, skala),
                                      left_out))

    subs: dict[str, list[m.SubKegiatan]] = {}
    for data in year.bidang:
        for sk in data.sub_kegiatan:
            subs.setdefault(sk.program, []).append(sk)
    nama_kegiatan = {k.kode: k.nama for k in year.pk.kegiatan}
    capaian_sasaran = {s.id: s.capaian for s in sasaran}
    program = tuple(_program(p, subs.get(p.kode, []), nama_kegiatan, capaian_sasaran)
                    for p in year.pk.program)
    pagu = sum(p.pagu for p in program)
    real = sum(p.realisasi for p in program)
    total = Anggaran("", "Total", pagu, real, serapan(real, pagu), all(p.lengkap for p in program))
    return Figures(tahun, renstra.nama, indikator, tuple(sasaran), program, total, skala)


# ---------------------------------------------------------------- JSON (DESIGN §6)


def _num(x: Decimal | int | str | None) -> int | float | str | None:
    """A JSON number: integers as written stay int (63), others float (57.2); text stays text."""
    if x is None or isinstance(x, str | int):
        return x
    return int(x) if x == x.to_integral_value() and x.as_tuple().exponent >= 0 else float(x)


json_number = _num  # the same JSON number rule for other figures (rencana aksi, LKE)


def _anggaran_json(a: Anggaran | Program) -> dict:
    return {"kode": a.kode, "nama": a.nama, "pagu": a.pagu, "realisasi": a.realisasi,
            "serapan": _num(a.serapan), "lengkap": a.lengkap}


def _indikator_json(i: CapaianIndikator) -> dict:
    return {
        "id": i.id, "uraian": i.uraian, "satuan": i.satuan, "polaritas": i.polaritas,
        "sasaran": i.sasaran, "bidang": i.bidang, "target": _num(i.target), "realisasi": _num(i.realisasi),
        "capaian": _num(i.capaian), "kategori": i.kategori, "keterangan": i.keterangan,
        "dinyatakan": i.dinyatakan, "bukti": list(i.bukti),
        "tahun_lalu": [{"tahun": t, "realisasi": _num(r), "capaian": _num(c)} for t, r, c in i.tahun_lalu],
        "target_akhir": _num(i.target_akhir), "tahun_akhir": i.tahun_akhir,
        "capaian_akhir": _num(i.capaian_akhir), "standar_nasional": _num(i.standar_nasional),
        "standar_sumber": i.standar_sumber, "capaian_standar": _num(i.capaian_standar),
    }


def figures_json(f: Figures) -> dict:
    """The `lakip figures --json` shape; json.dumps works on it without a default=."""
    return {
        "tahun": f.tahun,
        "renstra": f.renstra,
        "indikator": [_indikator_json(i) for i in f.indikator],
        "sasaran": [{"id": s.id, "uraian": s.uraian, "tujuan": s.tujuan, "capaian": _num(s.capaian),
                     "kategori": s.kategori, "indikator": [i.id for i in s.indikator],
                     "dikecualikan": [{"id": i, "alasan": why} for i, why in s.dikecualikan]}
                    for s in f.sasaran],
        "anggaran": {
            "pagu": f.total.pagu, "realisasi": f.total.realisasi, "serapan": _num(f.total.serapan),
            "lengkap": f.total.lengkap,
            "program": [_anggaran_json(p) | {
                "sasaran": list(p.sasaran), "capaian": _num(p.capaian), "efisiensi": _num(p.efisiensi),
                "efisien": p.efisien,
                "kegiatan": [_anggaran_json(k) for k in p.kegiatan],
                "sub_kegiatan": [_anggaran_json(s) for s in p.sub_kegiatan],
            } for p in f.program],
        },
        "skala": [{"label": k.label, "di_atas": _num(k.di_atas)} for k in f.skala],
    }
