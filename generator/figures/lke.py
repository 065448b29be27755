"""LKE self-assessment of component "Pelaporan Kinerja" (PermenPANRB 88/2021). Pure.

The Lembar Kerja Evaluasi of PermenPANRB 88/2021 weighs component 3, Pelaporan Kinerja, at 15 of
100, split into sub-komponen a. pemenuhan (3), b. kualitas (4,5) and c. pemanfaatan (7,5). Each
sub-komponen lists criteria; pemenuhan criteria are answered Y/T, kualitas and pemanfaatan criteria
a-e. lakip answers the criteria it can read from the repository (data, figures, the SOP's signed
history, the reviu APIP file, the dispatch dates) and says which evidence it used; the others are
"isi sendiri": the office answers them in content/<tahun>/lke.yaml.

Scoring (lakip's reading of the LKE, documented in docs/architecture.md): Y = 1, T = 0;
a = 1, b = 0,75, c = 0,5, d = 0,25, e = 0; a sub-komponen scores its weight times the mean of its
criteria, an unanswered criterion counting 0. Where lakip grades a share (e.g. indikator with an
analysis), all = a, at least 3/4 = b, at least 1/2 = c, more than none = d, none = e.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from generator.data import model as m
from generator.data.model import NARASI_WAJIB
from generator.figures.capaian import Figures, json_number
from generator.figures.triwulan import TERLAMBAT, RencanaAksi, rencana_aksi

KOMPONEN = "Pelaporan Kinerja"
BOBOT_KOMPONEN = Decimal(15)
SUBKOMPONEN = {
    "3.a": ("Terdapat Dokumen Laporan yang menggambarkan Kinerja", Decimal(3)),
    "3.b": ("Dokumen Laporan Kinerja telah memenuhi Standar menggambarkan Kualitas atas Pencapaian "
            "Kinerja, informasi keberhasilan/kegagalan kinerja serta upaya perbaikan/penyempurnaannya",
            Decimal("4.5")),
    "3.c": ("Pelaporan Kinerja telah memberikan dampak yang besar dalam penyesuaian strategi/kebijakan "
            "dalam mencapai kinerja berikutnya", Decimal("7.5")),
}
# The criteria texts of the LKE (PermenPANRB 88/2021, component 3), in order.
KRITERIA = {
    "3.a.1": "Dokumen Laporan Kinerja telah disusun.",
    "3.a.2": "Dokumen Laporan Kinerja telah disusun secara berkala.",
    "3.a.3": "Dokumen Laporan Kinerja telah diformalkan.",
    "3.a.4": "Dokumen Laporan Kinerja telah direviu.",
    "3.a.5": "Dokumen Laporan Kinerja telah dipublikasikan.",
    "3.a.6": "Dokumen Laporan Kinerja telah disampaikan tepat waktu.",
    "3.b.1": "Dokumen Laporan Kinerja disusun secara berkualitas sesuai dengan standar.",
    "3.b.2": "Dokumen Laporan Kinerja telah mengungkap seluruh informasi tentang pencapaian kinerja.",
    "3.b.3": "Dokumen Laporan Kinerja telah menginfokan analisis dan evaluasi realisasi kinerja dengan "
             "target tahunan.",
    "3.b.4": "Dokumen Laporan Kinerja telah menginfokan analisis dan evaluasi realisasi kinerja dengan "
             "target jangka menengah.",
    "3.b.5": "Dokumen Laporan Kinerja telah menginfokan analisis dan evaluasi realisasi kinerja dengan "
             "realisasi kinerja tahun-tahun sebelumnya.",
    "3.b.6": "Dokumen Laporan Kinerja telah menginfokan analisis dan evaluasi realisasi kinerja dengan "
             "realisasi kinerja di level nasional/internasional (Benchmark Kinerja).",
    "3.b.7": "Dokumen Laporan Kinerja telah menginfokan kualitas atas keberhasilan/kegagalan mencapai "
             "target kinerja beserta upaya nyata dan/atau hambatannya.",
    "3.b.8": "Dokumen Laporan Kinerja telah menginfokan efisiensi atas penggunaan sumber daya dalam "
             "mencapai kinerja.",
    "3.b.9": "Dokumen Laporan Kinerja telah menginfokan upaya perbaikan dan penyempurnaan kinerja ke "
             "depan (Rekomendasi perbaikan kinerja).",
    "3.c.1": "Informasi dalam laporan kinerja selalu menjadi perhatian utama pimpinan (Bertanggung Jawab).",
    "3.c.2": "Penyajian informasi dalam laporan kinerja menjadi kepedulian seluruh pegawai.",
    "3.c.3": "Informasi dalam laporan kinerja berkala telah digunakan dalam penyesuaian aktivitas untuk "
             "mencapai kinerja.",
    "3.c.4": "Informasi dalam laporan kinerja berkala telah digunakan dalam penyesuaian penggunaan "
             "anggaran untuk mencapai kinerja.",
    "3.c.5": "Informasi dalam laporan kinerja telah digunakan dalam evaluasi pencapaian keberhasilan "
             "kinerja.",
    "3.c.6": "Informasi dalam laporan kinerja telah digunakan dalam penyesuaian perencanaan kinerja yang "
             "akan dihadapi berikutnya.",
    "3.c.7": "Informasi dalam laporan kinerja selalu mempengaruhi perubahan budaya kinerja organisasi.",
}
NILAI = {"Y": Decimal(1), "T": Decimal(0), "a": Decimal(1), "b": Decimal("0.75"), "c": Decimal("0.5"),
         "d": Decimal("0.25"), "e": Decimal(0)}
ISI_SENDIRI = "isi-sendiri"
OTOMATIS = "otomatis"
# Perangkat daerah send the LKjIP at the latest two months after the budget year ends
# (PermenPANRB 53/2014): the end of February of the next year.
_BULAN_BATAS = 2


@dataclass(frozen=True)
class Tercatat:
    """A standing SOP step record, as the LKE needs it (built from the engine's status)."""

    no: int
    peran: str
    pengesahan: str | None
    syarat: tuple[str, ...]
    commit: str
    nama: str
    waktu: dt.datetime
    keputusan: str


@dataclass(frozen=True)
class Bahan:
    """Everything the assessment reads: the year's data and figures, the SOP history (empty
    outside git), the quarterly rows, and the day it is made."""

    repo: m.Repo
    tahun: m.Tahun
    figures: Figures
    rencana_aksi: tuple[RencanaAksi, ...]
    langkah: tuple[Tercatat, ...]
    final: bool
    hari_ini: dt.date
    narasi_wajib: tuple[str, ...]


@dataclass(frozen=True)
class Kriteria:
    """One criterion of LKE component 3 (PermenPANRB 88/2021): its answer (Y/T or a-e, None when
    unanswered), its contribution to the score, the evidence, and whether lakip answers it
    (`otomatis`) or the office does (`isi-sendiri`)."""

    id: str
    subkomponen: str
    uraian: str
    jawaban: str | None  # Y/T or a-e; None: not answered yet
    nilai: Decimal  # contribution to the component score
    bukti: tuple[str, ...]
    cara: str  # otomatis | isi-sendiri
    petunjuk: str | None = None


@dataclass(frozen=True)
class HasilLke:
    """The self-assessment of one year: every criterion, each sub-komponen as (id, uraian, bobot, nilai),
    the component score (out of 15) and warnings."""

    tahun: int
    kriteria: tuple[Kriteria, ...]
    subkomponen: tuple[tuple[str, str, Decimal, Decimal], ...]  # (id, uraian, bobot, nilai)
    nilai: Decimal
    peringatan: tuple[str, ...]


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def skala(bagian: int, dari: int) -> str:
    """A share graded a-e: all a, >= 3/4 b, >= 1/2 c, more than none d, none (or nothing) e."""
    if dari == 0 or bagian == 0:
        return "e"
    if bagian == dari:
        return "a"
    share = Decimal(bagian) / Decimal(dari)
    return "b" if share >= Decimal("0.75") else "c" if share >= Decimal("0.5") else "d"


def _share(ids: list[str], items: list[str], what: str) -> tuple[str, tuple[str, ...]]:
    missing = [i for i in items if i not in ids]
    bukti = [f"{len(ids)} dari {len(items)} {what}"]
    if missing:
        bukti.append("belum: " + ", ".join(missing))
    return skala(len(ids), len(items)), tuple(bukti)


def _step(b: Bahan, test: Callable[[Tercatat], bool]) -> Tercatat | None:
    return next((t for t in b.langkah if test(t)), None)


def _signed(b: Bahan) -> Tercatat | None:
    """The record of the signing step (`Sop.signing_step`) unless it sent the report back."""
    step = b.repo.sop.signing_step if b.repo.sop else None
    return _step(b, lambda t: step is not None and t.no == step.no and t.keputusan != "revisi")


def _commit(t: Tercatat) -> str:
    return f"commit {t.commit[:10]} (langkah {t.no}, {t.nama}, {t.waktu.date().isoformat()})"


# ---------------------------------------------------------------- 3.a pemenuhan (Y/T)


def _disusun(b: Bahan) -> tuple[str, tuple[str, ...]]:
    reported = [i.id for i in b.figures.indikator if i.realisasi is not None]
    written = {n.bagian for n in b.tahun.narasi}
    narasi = [n for n in b.narasi_wajib if n in written]
    bukti = [f"{len(reported)} dari {len(b.figures.indikator)} indikator berrealisasi",
             f"narasi: {', '.join(narasi) or 'belum ada'}"]
    draft = _step(b, lambda t: "narasi-lengkap" in t.syarat)
    if draft:
        bukti.append(_commit(draft))
    ok = len(reported) == len(b.figures.indikator) and len(narasi) == len(b.narasi_wajib)
    return ("Y" if ok else "T"), tuple(bukti)


def _berkala(b: Bahan) -> tuple[str, tuple[str, ...]]:
    rows = b.rencana_aksi
    reported = [r for r in rows if any(t.realisasi is not None for t in r.triwulan)]
    late = [f"{r.id} {t.triwulan}" for r in rows for t in r.triwulan if t.status == TERLAMBAT]
    bukti = [f"realisasi triwulan dilaporkan untuk {len(reported)} dari {len(rows)} indikator rencana aksi"]
    if late:
        bukti.append("terlambat: " + ", ".join(late))
    earlier = sorted(t.tahun for t in b.repo.tahun if t.tahun < b.figures.tahun)
    if earlier:
        bukti.append("laporan tahun sebelumnya: " + ", ".join(map(str, earlier)))
    return ("Y" if reported and not late else "T"), tuple(bukti)


def _diformalkan(b: Bahan) -> tuple[str, tuple[str, ...]]:
    signed = _signed(b)
    if b.final and signed:
        return "Y", (_commit(signed) + ", tanda tangan SSH sah, konten tidak berubah",)
    if signed:
        return "T", (_commit(signed) + ", tetapi konten berubah setelah disetujui",)
    return "T", ("langkah pengesahan (tanda tangan) belum dicatat",)


def _direviu(b: Bahan) -> tuple[str, tuple[str, ...]]:
    bukti = []
    r = b.tahun.reviu_apip
    if r:
        bukti.append(f"{r.path}: nomor {r.nomor}, {r.tanggal.isoformat()}, {r.inspektur.nama}")
    step = _step(b, lambda t: t.peran == "inspektorat")
    if step:
        bukti.append(_commit(step))
    if not bukti:
        return "T", (f"{b.tahun.path}/reviu-apip.yaml tidak ada",)
    return "Y", tuple(bukti)


def _tepat_waktu(b: Bahan) -> tuple[str, tuple[str, ...]]:
    batas = dt.date(b.figures.tahun + 1, _BULAN_BATAS + 1, 1) - dt.timedelta(days=1)
    kirim = b.tahun.pengiriman
    if kirim and kirim.tanda_terima:
        day = kirim.tanda_terima.tanggal
        bukti = (f"{kirim.path}: tanda terima {day.isoformat()}, batas {batas.isoformat()}",)
        return ("Y" if day <= batas else "T"), bukti
    sent = _step(b, lambda t: "tanda-terima" in t.syarat)
    if sent:
        day = sent.waktu.date()
        return ("Y" if day <= batas else "T"), (_commit(sent) + f", batas {batas.isoformat()}",)
    return "T", (f"belum ada tanda terima pengiriman (batas {batas.isoformat()})",)


# ---------------------------------------------------------------- 3.b kualitas (a-e)


def _standar(b: Bahan) -> tuple[str, tuple[str, ...]]:
    written = {n.bagian for n in b.tahun.narasi}
    have = [n for n in b.narasi_wajib if n in written]
    grade, bukti = _share(have, list(b.narasi_wajib), "narasi wajib")
    return grade, ("susunan dokumen per PermenPANRB 53/2014 (Bab I-IV, lampiran Perjanjian Kinerja)",
                   *bukti)


def _ids(b: Bahan, test) -> tuple[list[str], list[str]]:
    items = list(b.figures.indikator)
    return [i.id for i in items if test(i)], [i.id for i in items]


def _kualitas(b: Bahan, n: int) -> tuple[str, tuple[str, ...]]:
    if n == 1:
        return _standar(b)
    if n == 2:
        return _share(*_ids(b, lambda i: i.realisasi is not None), "indikator PK berrealisasi")
    if n == 3:
        return _share(*_ids(b, lambda i: i.capaian is not None and bool(i.analisis)),
                      "indikator dengan capaian terhadap target tahunan dan analisis")
    if n == 4:
        return _share(*_ids(b, lambda i: i.capaian_akhir is not None),
                      "indikator dibandingkan dengan target akhir Renstra")
    if n == 5:
        return _share(*_ids(b, lambda i: bool(i.tahun_lalu)),
                      "indikator dibandingkan dengan tahun sebelumnya atau kondisi awal")
    if n == 6:
        return _share(*_ids(b, lambda i: i.standar_nasional is not None),
                      "indikator dengan standar nasional")
    if n == 7:
        return _share(*_ids(b, lambda i: bool(i.analisis) and bool(i.solusi)),
                      "indikator dengan analisis keberhasilan/kegagalan dan solusi")
    if n == 8:
        programs = [p.kode for p in b.figures.program]
        return _share([p.kode for p in b.figures.program if p.efisiensi is not None], programs,
                      "program dengan indeks efisiensi (capaian ÷ serapan)")
    # n == 9: recommendations: Bab IV written, and a solusi for every indikator below its target
    below = [i for i in b.figures.indikator if i.capaian is not None and i.capaian < 100]
    grade, bukti = _share([i.id for i in below if i.solusi], [i.id for i in below],
                          "indikator di bawah target dengan solusi")
    if not below:
        grade, bukti = "a", ("semua indikator mencapai target",)
    if "penutup" not in {n.bagian for n in b.tahun.narasi}:
        return "e", ("narasi penutup (Bab IV) belum ditulis", *bukti)
    return grade, ("narasi penutup (Bab IV)", *bukti)


# ---------------------------------------------------------------- 3.c pemanfaatan (a-e)


def _pimpinan(b: Bahan) -> tuple[str, tuple[str, ...]]:
    """The leadership opened the SOP (its first step) and signed the report (the signing step)."""
    signing = _signed(b)
    first = min(b.langkah, key=lambda t: t.no) if b.langkah else None
    parts = [t for t in (first, signing) if t]
    if not parts:
        return "e", ("belum ada langkah SOP yang dicatat",)
    return ("a" if first and signing else "c"), tuple(_commit(t) for t in parts)


def _pegawai(b: Bahan) -> tuple[str, tuple[str, ...]]:
    ids = [d.id for d in b.repo.instansi.bidang] if b.repo.instansi else []
    files = {d.bidang: d for d in b.tahun.bidang}
    owned = {}
    for i in b.figures.indikator:
        owned.setdefault(i.bidang, []).append(i)
    done = [bid for bid in ids if bid in files
            and all(i.realisasi is not None for i in owned.get(bid, []))
            and all(s.realisasi is not None for s in files[bid].sub_kegiatan)]
    return _share(done, ids, "bidang yang datanya lengkap")


def _otomatis(b: Bahan) -> dict[str, tuple[str, tuple[str, ...]]]:
    answers = {"3.a.1": _disusun(b), "3.a.2": _berkala(b), "3.a.3": _diformalkan(b),
               "3.a.4": _direviu(b), "3.a.6": _tepat_waktu(b),
               "3.c.1": _pimpinan(b), "3.c.2": _pegawai(b)}
    for n in range(1, 10):
        answers[f"3.b.{n}"] = _kualitas(b, n)
    return answers


def evaluate(b: Bahan) -> HasilLke:
    """Every criterion of component 3 with its answer, evidence and contribution to the score."""
    auto = _otomatis(b)
    own = {j.id: j for j in b.tahun.lke}
    lke_file = b.tahun.lke_path or f"{b.tahun.path}/lke.yaml"
    warnings = []
    for j in b.tahun.lke:
        if j.id not in KRITERIA:
            warnings.append(f"{j.loc}: kriteria '{j.id}' tidak dikenal; diabaikan")
        elif j.id in auto:
            warnings.append(f"{j.loc}: kriteria {j.id} dijawab lakip dari data; jawaban sendiri diabaikan")
        elif (j.jawaban in ("Y", "T")) != j.id.startswith("3.a"):
            expected = "Y atau T" if j.id.startswith("3.a") else "a, b, c, d atau e"
            warnings.append(f"{j.loc}: jawaban kriteria {j.id} harus {expected}, bukan {j.jawaban}; "
                            "diabaikan")
    per_sub = {sub: [k for k in KRITERIA if k.startswith(sub + ".")] for sub in SUBKOMPONEN}
    rows = []
    for kid, uraian in KRITERIA.items():
        sub = kid.rsplit(".", 1)[0]
        weight = SUBKOMPONEN[sub][1] / len(per_sub[sub])
        scale = "Y atau T" if sub == "3.a" else "a, b, c, d atau e"
        if kid in auto:
            jawaban, bukti = auto[kid]
            rows.append(Kriteria(kid, sub, uraian, jawaban, weight * NILAI[jawaban], bukti, OTOMATIS))
            continue
        j = own.get(kid)
        example = "Y" if sub == "3.a" else "b"
        hint = f"isi di {lke_file}: jawaban: {{{kid}: {{jawaban: {example}, bukti: ...}}}}"
        if j is None or any(w.startswith(f"{j.loc}:") for w in warnings):
            rows.append(Kriteria(kid, sub, uraian, None, Decimal(0), (), ISI_SENDIRI,
                                 f"{hint} (jawaban {scale})"))
            continue
        bukti = tuple(x for x in (f"{lke_file}:{j.loc.line}", j.bukti, j.catatan) if x)
        rows.append(Kriteria(kid, sub, uraian, j.jawaban, weight * NILAI[j.jawaban], bukti, ISI_SENDIRI))
    subs = tuple((sub, uraian, bobot, _q(sum((r.nilai for r in rows if r.subkomponen == sub), Decimal(0))))
                 for sub, (uraian, bobot) in SUBKOMPONEN.items())
    rows = [Kriteria(r.id, r.subkomponen, r.uraian, r.jawaban, _q(r.nilai), r.bukti, r.cara, r.petunjuk)
            for r in rows]
    return HasilLke(b.figures.tahun, tuple(rows), subs, _q(sum((s[3] for s in subs), Decimal(0))),
                    tuple(warnings))


def tercatat(progress) -> tuple[Tercatat, ...]:
    """The standing step records of the SOP's current round, from a sop.progress.Progress (read by
    its attributes: figures do not import the SOP engine)."""
    if progress is None:
        return ()
    rows = []
    for state in progress.status.langkah:
        record = state.catatan
        if record is None:
            continue
        step = state.langkah
        rows.append(Tercatat(step.no, step.pelaksana, step.pengesahan, step.syarat, record.commit,
                             record.nama, record.waktu, record.keputusan))
    return tuple(rows)


def assess(repo: m.Repo, figures: Figures, progress, final: bool, hari_ini: dt.date) -> HasilLke:
    """The assessment of `figures.tahun`; `progress` is None outside git."""
    year = repo.find_tahun(figures.tahun)
    return evaluate(Bahan(repo, year, figures, rencana_aksi(year.pk, figures, hari_ini),
                          tercatat(progress), final, hari_ini, NARASI_WAJIB))


def lke_json(h: HasilLke) -> dict:
    """`lakip lke --json`: {"tahun","komponen","nilai","kriteria":[{"id","subkomponen","uraian",
    "jawaban","nilai","bukti"}]} plus the weights, the way each answer was found and warnings."""
    return {
        "tahun": h.tahun, "komponen": KOMPONEN, "bobot": json_number(BOBOT_KOMPONEN),
        "nilai": json_number(h.nilai),
        "subkomponen": [{"id": s, "uraian": u, "bobot": json_number(w), "nilai": json_number(n)}
                        for s, u, w, n in h.subkomponen],
        "kriteria": [{"id": k.id, "subkomponen": k.subkomponen, "uraian": k.uraian, "jawaban": k.jawaban,
                      "nilai": json_number(k.nilai), "bukti": list(k.bukti), "cara": k.cara,
                      "petunjuk": k.petunjuk} for k in h.kriteria],
        "peringatan": list(h.peringatan),
    }
