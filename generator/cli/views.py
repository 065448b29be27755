"""Text and JSON views of the SOP engine's results for the command line. No I/O: cli prints."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator.render.status import step_rows
from generator.sop.engine import SELESAI, Catatan
from generator.sop.worktime import format_durasi

if TYPE_CHECKING:  # the status view does not import the step recorder
    from generator.sop.progress import Progress
    from generator.sop.record import Recorded


def _local(p: Progress, moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(ZoneInfo(p.sop.zona_waktu))


def _short(p: Progress, moment: dt.datetime | None) -> str:
    return _local(p, moment).strftime("%d-%m-%Y %H:%M") if moment else "-"


def _long(p: Progress, moment: dt.datetime) -> str:
    from generator.figures.formats import waktu  # Babel: only when a deadline is shown

    return waktu(moment, p.sop.zona_waktu, hari=True, jam="HH:mm")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def status_text(p: Progress) -> str:
    s = p.status
    per_day = p.sop.menit_per_hari
    done = sum(x.status == SELESAI for x in s.langkah)
    lines = [f"LAKIP {s.tahun} · SOP {p.sop.judul}",
             f"{done}/{len(s.langkah)} langkah selesai" + (f", putaran {s.putaran}" if s.putaran > 1
                                                            else "")
             + (", dokumen FINAL (langkah pengesahan berlaku)" if s.final else ", dokumen DRAF"), ""]
    header = (f"{'No':>2}  {'Langkah':<34}  {'Pelaksana':<10}  {'Oleh':<22}  {'Waktu':<16}  "
              f"{'Durasi':<11}  {'Standar':<7}  {'Telat':<5}  {'TTD':<9}  Status")
    lines += [header, "-" * len(header)]
    today = _local(p, dt.datetime.now(dt.UTC)).date()
    rows = step_rows(p.sop, s, p.roster, today)
    for row in rows:
        step, c = row.langkah, row.catatan
        durasi = _compact(row.menit, per_day) if row.menit is not None else "-"
        late = "ya" if row.terlambat else "-"
        if c:
            # the roster's name without academic titles
            who, when, ttd = row.oleh.split(",")[0], _short(p, c.waktu), c.tanda_tangan
            state = SELESAI + (f" ({c.keputusan})" if step.keputusan else "")
        else:
            who, when, ttd, state = "-", "-", "-", row.status
            if row.riwayat:
                state += f" (putaran lalu: {row.riwayat[-1].keputusan})"
        lines.append(f"{step.no:>2}  {_cut(row.judul, 34):<34}  "
                     f"{_cut(row.singkatan, 10):<10}  {_cut(who, 22):<22}  {when:<16}  {durasi:<11}  "
                     f"{_compact(row.standar, per_day):<7}  {late:<5}  {ttd:<9}  {state}")
    lines.append("Durasi dalam waktu kerja: hr = hari kerja, j = jam, m = menit.")
    lines.append("")
    if s.berjalan is None:
        lines.append("Semua langkah selesai.")
    else:
        x = next(row for row in rows if row.no == s.berjalan)
        names = "; ".join(x.orang) or "belum ada personil dengan peran ini"
        lines.append(f"Sekarang: langkah {x.no} — {x.langkah.kegiatan}")
        lines.append(f"Pelaksana: {x.pelaksana} ({names})")
        if x.batas_waktu:
            late = " — TERLAMBAT" if x.terlambat else ""
            lines.append(f"Batas waktu: {_long(p, x.batas_waktu)}{late}")
        lines.append(f"Catat dengan: lakip step {x.langkah.no} --keputusan "
                     f"{'|'.join(x.langkah.keputusan) or 'selesai'}")
    if s.penghalang and not s.final:
        lines += ["", "Dokumen DRAF walaupun langkah pengesahan sudah dicatat, karena: "
                  + ", ".join(dict.fromkeys(t.kode for t in s.penghalang))]
    if p.akar:
        lines += ["", f"Diperiksa dari {p.akar.teks()}."]
    if s.temuan:
        lines += ["", f"{len(s.temuan)} temuan (lakip verify untuk rinciannya):"]
        lines += [f"  {t.kode}: {_where(t)}: {t.pesan}" for t in s.temuan]
    return "\n".join(lines)


def _where(t) -> str:
    return f"langkah {t.langkah}, commit {t.commit[:10]}" if t.langkah else f"commit {t.commit[:10]}"


def _compact(minutes: int, per_day: int) -> str:
    return format_durasi(minutes, per_day, ringkas=True)


def status_json(p: Progress) -> dict:
    s = p.status
    steps = []
    for x in s.langkah:
        c: Catatan | None = x.catatan
        steps.append({
            "no": x.langkah.no,
            "status": x.status,
            "kegiatan": x.langkah.kegiatan,
            "peran": x.langkah.pelaksana,
            "oleh": {"nama": c.nama, "email": c.email} if c else None,
            "commit": c.commit if c else None,
            "waktu": c.waktu.isoformat() if c else None,
            "keputusan": c.keputusan if c else None,
            "tanda_tangan": c.tanda_tangan if c else None,
            "durasi_menit_kerja": c.durasi if c else x.berjalan_menit,
            "standar_menit_kerja": x.standar,
            "terlambat": x.terlambat,
            "batas_waktu": x.batas_waktu.isoformat() if x.batas_waktu else None,
            "putaran": c.putaran if c else None,
            "riwayat": [{"commit": r.commit, "putaran": r.putaran, "keputusan": r.keputusan,
                         "waktu": r.waktu.isoformat(), "oleh": {"nama": r.nama, "email": r.email}}
                        for r in x.riwayat],
        })
    return {"sop": s.sop, "tahun": s.tahun, "langkah": steps, "langkah_berjalan": s.berjalan,
            "putaran": s.putaran, "final": s.final, "temuan": [t.as_json() for t in s.temuan],
            "akar": akar_json(p), "penghalang_final": [t.as_json() for t in s.penghalang]}


def akar_json(p: Progress) -> dict | None:
    """The trust root the history was judged from (DESIGN §5), None for a shallow clone."""
    return {"commit": p.akar.commit, "sumber": p.akar.sumber} if p.akar else None


def verify_text(p: Progress) -> str:
    s = p.status
    checked = len({c.commit for c in s.riwayat} | {t.commit for t in s.temuan})
    if not s.temuan:
        return (f"Tidak ada temuan: {checked} commit langkah SOP {s.sop} tahun {s.tahun} diperiksa "
                "(orang, peran, urutan, tanda tangan, sidik jari konten).")
    lines = [f"{t.kode}: commit {t.commit[:10]}{f', langkah {t.langkah}' if t.langkah else ''}: "
             f"{t.pesan}" for t in s.temuan]
    lines.append(f"{len(s.temuan)} temuan pada {checked} commit langkah SOP {s.sop} tahun {s.tahun}.")
    return "\n".join(lines)


def recorded_text(r: Recorded) -> str:
    lines = [f"Langkah dicatat: {r.commit[:10]} {r.subject}"]
    if r.files:
        lines.append("Berkas yang ikut di commit ini: " + ", ".join(r.files))
    s = r.status
    if s.berjalan is None:
        lines.append("SOP selesai: semua langkah tercatat.")
    else:
        step = r.sop.find_langkah(s.berjalan)
        role = r.sop.find_peran(step.pelaksana)
        lines.append(f"Berikutnya: langkah {step.no} ({step.judul or step.kegiatan}) oleh "
                     f"{role.nama if role else step.pelaksana}, standar {step.waktu.lower()}.")
    if s.temuan:
        lines.append(f"Perhatian: {len(s.temuan)} temuan (lakip verify).")
    return "\n".join(lines)



def figures_text(f) -> str:
    """`lakip figures` for people: capaian per indikator and sasaran, budget per program."""
    from generator.figures.formats import nilai, persen, rupiah

    lines = [f"Capaian kinerja tahun {f.tahun} (Renstra {f.renstra})", "",
             f"{'Indikator':<10}  {'Target':>10}  {'Realisasi':>14}  {'Capaian':>9}  Kategori"]
    for i in f.indikator:
        capaian = persen(i.capaian) if i.capaian is not None else (i.keterangan or "–")
        lines.append(f"{i.id:<10}  {nilai(i.target):>10}  {nilai(i.realisasi):>14}  {capaian:>9}  "
                     f"{i.kategori or '-'}")
    lines += ["", f"{'Sasaran':<10}  {'Capaian':>9}  Kategori"]
    lines += [f"{s.id:<10}  {persen(s.capaian):>9}  {s.kategori or '-'}" for s in f.sasaran]
    lines += ["", f"{'Program':<10}  {'Pagu':>18}  {'Realisasi':>18}  {'Serapan':>8}  {'Efisiensi':>9}"]
    for p in f.program:
        lines.append(f"{p.kode:<10}  {rupiah(p.pagu):>18}  {rupiah(p.realisasi):>18}  "
                     f"{persen(p.serapan):>8}  {nilai(p.efisiensi) if p.efisiensi is not None else '-':>9}")
    lines.append(f"{'Total':<10}  {rupiah(f.total.pagu):>18}  {rupiah(f.total.realisasi):>18}  "
                 f"{persen(f.total.serapan):>8}")
    return "\n".join(lines)


def lke_text(h) -> str:
    """`lakip lke` for people: each criterion with lakip's answer, its evidence and score."""
    from generator.figures.formats import angka
    from generator.figures.lke import BOBOT_KOMPONEN, KOMPONEN

    lines = [f"Penilaian mandiri LKE tahun {h.tahun}, komponen {KOMPONEN} (PermenPANRB 88/2021): "
             f"nilai {angka(h.nilai)} dari {angka(BOBOT_KOMPONEN)}"]
    for sub, uraian, bobot, nilai in h.subkomponen:
        lines += ["", f"{sub} {uraian} — nilai {angka(nilai)} dari {angka(bobot)}"]
        for k in (k for k in h.kriteria if k.subkomponen == sub):
            jawaban = k.jawaban or "isi sendiri"
            lines.append(f"  {k.id}  [{jawaban}]  {angka(k.nilai)}  {k.uraian}")
            lines += [f"          bukti: {b}" for b in k.bukti]
            if k.jawaban is None and k.petunjuk:
                lines.append(f"          {k.petunjuk}")
    return "\n".join(lines)
