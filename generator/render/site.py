"""The progress website: from `SiteData` (made from the command's Snapshot by
workflow/mkdocs_plugin.site_data), render one Markdown page per section from site_templates/site/
and write them into the MkDocs docs folder. MkDocs (through the `lakip` plugin) turns them into the
site; nothing here knows MkDocs internals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator.data import model as m
from generator.data.errors import Issue
from generator.data.source import normalize
from generator.data.validate import incomplete
from generator.figures.capaian import Figures, kategori_kelas
from generator.git import ChangeEntry, Tag
from generator.render import charts
from generator.render.status import roster_name, step_rows
from generator.render.templates import DEFAULTS, environment, markdown_html, render
from generator.sop.worktime import format_durasi
from generator.store import UnsafePath, make_dirs, read_file, remove_file, write_file

WORKER = "lakip-worker.js"  # search over file:// (see the file); the plugin loads it on every page
MANIFEST = ".lakip-dibuat"  # the files written last time: the only ones a rebuild may delete
DATA_STEP = "data-bidang-lengkap"  # the syarat of the step that collects the bidang data (step 4)


@dataclass
class SiteData:
    root: Path
    repo: m.Repo
    issues: list[Issue]
    tahun: int
    figures: dict[int, Figures] = field(default_factory=dict)
    figure_errors: dict[int, str] = field(default_factory=dict)
    progress: object | None = None  # steps.Progress when the folder is a git repository
    final: bool = False  # the signed approval stands for exactly the content in the folder
    changes: list[ChangeEntry] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    documents: dict[str, Path | None] = field(default_factory=dict)  # file name -> built file
    arsip: list[dict] = field(default_factory=list)  # workflow.archive.stored_archives(): stored files
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    notes: list[str] = field(default_factory=list)
    edit_base: str | None = None  # the forge's web editor; + a path = that file's editor
    forms: dict[str, bytes] = field(default_factory=dict)  # bidang id -> its step-4 Excel form
    tte: dict | None = None  # the final PDF's electronic signature, checked (workflow.tte.status_situs)


# ---------------------------------------------------------------- page contexts (pure)


def _zone(data: SiteData) -> str:
    return data.repo.sop.zona_waktu if data.repo.sop else "Asia/Makassar"


def _steps(data: SiteData) -> list[dict]:
    sop = data.repo.sop
    if sop is None:
        return []
    per_day = sop.menit_per_hari
    roster = data.repo.personil
    rows = step_rows(sop, data.progress.status if data.progress else None, roster, data.now.date())
    return [{
        "no": row.no, "judul": row.judul, "kegiatan": row.langkah.kegiatan,
        "pelaksana": row.pelaksana, "peran": row.langkah.pelaksana, "orang": list(row.orang),
        "status": row.status, "oleh": row.oleh,
        "waktu": row.catatan.waktu if row.catatan else None,
        "durasi": format_durasi(row.menit, per_day) if row.menit is not None else None,
        "standar": format_durasi(row.standar, per_day) if row.standar is not None else row.langkah.waktu,
        "terlambat": row.terlambat,
        "tanda_tangan": row.catatan.tanda_tangan if row.catatan else None,
        "keputusan": row.catatan.keputusan if row.catatan and row.langkah.keputusan else None,
        "batas_waktu": row.batas_waktu,
        "riwayat": [{"putaran": r.putaran, "keputusan": r.keputusan, "waktu": r.waktu,
                     "oleh": roster_name(roster, r.email, r.nama), "commit": r.commit[:10]}
                    for r in row.riwayat],
        "kelengkapan": row.langkah.kelengkapan, "output": row.langkah.output,
        "waktu_sop": row.langkah.waktu,
    } for row in rows]


def _today(data: SiteData) -> dt.date:
    from zoneinfo import ZoneInfo

    return data.now.astimezone(ZoneInfo(_zone(data))).date()


def staf_bidang(roster: m.Roster | None, bidang: str, semua: set[str], day: dt.date) -> list[str]:
    """Names of who keeps the file of `bidang` on `day` (sop/personil.yaml `bidang`, roster order).
    Whoever keeps every bidang of the office (the Tim Kerja collecting step 4, already named as
    the step's pelaksana) is named only when nobody else keeps this one (docs/architecture.md)."""
    keepers = [p for p in roster or () if bidang in p.bidang and p.active_on(day)]
    own = [p for p in keepers if not semua <= set(p.bidang)]
    return [p.nama for p in own or keepers]


def edit_link(edit_base: str | None, path: str) -> str | None:
    """The forge's web editor for `path` (relative to the repository root): `edit_base` (from the
    office's mkdocs.yml `repo_url` + `edit_uri`, checked by the caller) followed by the path."""
    from urllib.parse import quote

    return f"{edit_base}{quote(path)}" if edit_base else None


def _bidang(data: SiteData) -> list[dict]:
    """One row per bidang of instansi.yaml: its file, staff, state and messages. `status` is
    "lengkap", "belum-ada" (no file yet), "galat" (errors) or "belum-lengkap" (values missing)."""
    year = data.repo.find_tahun(data.tahun)
    renstra = data.repo.renstra_for(data.tahun, year.pk.renstra if year and year.pk else None)
    files = {b.bidang: b for b in year.bidang} if year else {}
    last: dict[str, ChangeEntry] = {}
    for change in data.changes:
        for path in change.files:
            last.setdefault(path, change)
    semua = data.repo.instansi.bidang_ids() if data.repo.instansi else set()
    day = _today(data)
    rows = []
    for bidang in data.repo.instansi.bidang if data.repo.instansi else ():
        path = f"content/{data.tahun}/bidang/{bidang.id}.yaml"
        owned = [i.id for i in renstra.indikator() if i.bidang == bidang.id] if renstra else []
        content = files.get(bidang.id)
        filled = [r for r in content.realisasi if r.nilai is not None] if content else []
        subs = content.sub_kegiatan if content else ()
        problems = [i for i in data.issues if i.loc.path == path]
        errors = [i for i in problems if i.is_error]
        complete = content is not None and not incomplete(problems, path)
        exists = content is not None or path in data.repo.broken
        status = ("lengkap" if complete else "belum-ada" if not exists
                  else "galat" if errors else "belum-lengkap")
        rows.append({
            "id": bidang.id, "nama": bidang.nama, "berkas": path, "ada": content is not None,
            "indikator": len(owned), "terisi": len([r for r in filled if r.indikator in owned]),
            "sub_kegiatan": len(subs), "anggaran_terisi": sum(s.realisasi is not None for s in subs),
            "galat": errors,
            "peringatan": [i for i in problems if not i.is_error],
            "perubahan": last.get(path),
            "lengkap": complete, "status": status,
            "staf": staf_bidang(data.repo.personil, bidang.id, semua, day),
            "sunting": edit_link(data.edit_base, path) if exists else None,
            "formulir": f"unduh/formulir/{_form_name(data.tahun, bidang.id)}"
            if bidang.id in data.forms else None,
            "unggah": f"content/{data.tahun}/formulir/{bidang.id}.xlsx",
        })
    return rows


def _form_name(tahun: int, bidang: str) -> str:
    return f"formulir-{tahun}-{bidang}.xlsx"


def _kelengkapan(bidang: list[dict], steps: list[dict], sop: m.Sop | None) -> dict | None:
    """What the home page says about the bidang data while it is incomplete or its step runs:
    who has not delivered, who has errors. None when there is nothing to say."""
    step = next((s for s in steps if sop and DATA_STEP in sop.find_langkah(s["no"]).syarat), None)
    belum = [b for b in bidang if b["status"] in ("belum-ada", "belum-lengkap")]
    galat = [b for b in bidang if b["status"] == "galat"]
    running = step is not None and step["status"] == "berjalan"
    if not (belum or galat or running):
        return None
    return {"langkah": step, "berjalan": running, "belum": belum, "galat": galat,
            "lengkap": [b for b in bidang if b["status"] == "lengkap"], "jumlah": len(bidang)}


def _sementara(figures: Figures | None, bidang: list[dict]) -> dict | None:
    """Why the year's figures are partial (budget realisasi or indikator realisasi not all
    reported, a bidang without data or with errors); None when they are complete."""
    if figures is None:
        return None
    subs = [s for p in figures.program for s in p.sub_kegiatan]
    unreported = sum(not s.lengkap for s in subs)
    missing = [b["nama"] for b in bidang if b["status"] != "lengkap"]
    if figures.total.lengkap and not unreported and not missing:
        return None
    return {"sub_kegiatan": len(subs), "sub_belum": unreported, "bidang": missing}


def _capaian(figures: Figures, data: SiteData, sementara: dict | None = None) -> dict:
    grafik = charts.laporan(figures)
    year = data.repo.find_tahun(figures.tahun)
    files = {f"content/{figures.tahun}/bidang/{i.bidang}.yaml" for i in figures.indikator}
    present = {b.path for b in year.bidang} if year else set()
    sunting = {path.rsplit("/", 1)[1][:-5]: edit_link(data.edit_base, path) for path in sorted(files)
               if path in present or path in data.repo.broken}
    return {"figures": figures, "grafik_capaian": grafik.capaian_indikator, "grafik_serapan": grafik.serapan,
            "grafik_indikator": grafik.indikator, "tahun_ini": figures.tahun, "sunting": sunting,
            "sementara": sementara,
            "tone": {i.id: kategori_kelas(i.kategori, figures.skala) for i in figures.indikator}}


def _laporan(data: SiteData, figures: Figures | None) -> dict[str, dict]:
    """The pages "Rencana Aksi" and "Evaluasi LKE" (issue 14): the year so far, as of today."""
    from zoneinfo import ZoneInfo

    from generator.figures import lke, triwulan

    hari_ini = data.now.astimezone(ZoneInfo(_zone(data))).date()
    year = data.repo.find_tahun(data.tahun)
    if figures is None or year is None or year.pk is None:
        missing = {"galat_tahun": data.figure_errors.get(data.tahun)}
        return {"rencana-aksi": {"rencana_aksi": None, **missing}, "lke": {"lke": None, **missing}}
    rows = triwulan.rencana_aksi(year.pk, figures, hari_ini)
    late = [(r.id, triwulan.NAMA[t]) for r in rows for t in r.terlambat]
    return {
        "rencana-aksi": {"rencana_aksi": rows, "terlambat": late, "hari_ini": hari_ini,
                         "batas_hari": triwulan.BATAS_HARI},
        "lke": {"lke": lke.assess(data.repo, figures, data.progress, data.final, hari_ini),
                "bobot": lke.BOBOT_KOMPONEN},
    }


def contexts(data: SiteData) -> dict[str, dict]:
    """page name -> template context. Pure: everything comes from `data`."""
    sop = data.repo.sop
    status = data.progress.status if data.progress else None
    steps = _steps(data)
    current = next((s for s in steps if s["status"] == "berjalan"), None)
    figures = data.figures.get(data.tahun)
    year = data.repo.find_tahun(data.tahun)
    base = {"instansi": data.repo.instansi, "tahun": data.tahun, "sop": sop, "zona": _zone(data),
            "catatan_situs": data.notes, "tahun_lain": sorted(data.figures, reverse=True),
            "dibuat": data.now}
    status_map = {s["no"]: s["status"] for s in steps}
    bidang = _bidang(data)
    sementara = _sementara(figures, bidang)
    pages = {
        "index": {"final": data.final, "langkah": steps, "sekarang": current, "status": status,
                  "figures": figures, "sementara": sementara,
                  "kelengkapan": _kelengkapan(bidang, steps, sop),
                  "selesai": sum(s["status"] == "selesai" for s in steps),
                  "terlambat": [s for s in steps if s["terlambat"]],
                  "galat": sum(i.is_error for i in data.issues),
                  "galat_bidang": [b for b in bidang if b["galat"]]},
        "alur-sop": {"langkah": steps, "status": status,
                     "bagan": charts.flowchart(sop, status_map) if sop else None},
        "data-bidang": {"bidang": bidang, "langkah_data": next(
            (s for s in steps if sop and DATA_STEP in sop.find_langkah(s["no"]).syarat), None)},
        "capaian": _capaian(figures, data, sementara) if figures else {
            "figures": None, "galat_tahun": data.figure_errors.get(data.tahun)},
        "reviu": {"catatan": sorted(
            [{"note": r, "html": markdown_html(r.body, shift=1)} for r in (year.reviu if year else ())],
            key=lambda n: (n["note"].tanggal or dt.date.min, n["note"].path), reverse=True)},
        "dokumen": {"dokumen": data.documents, "final": data.final, "tte": data.tte,
                    "contoh": bool(data.repo.instansi and data.repo.instansi.contoh)},
        "arsip": {"arsip": data.arsip},
        "riwayat": {"perubahan": data.changes},
    } | _laporan(data, figures)
    extra = {f"capaian-{y}": _capaian(f, data) for y, f in data.figures.items()
             if y != data.tahun}
    return {name: base | ctx for name, ctx in (pages | extra).items()}


# ---------------------------------------------------------------- write


def write(data: SiteData, docs_dir: Path) -> list[str]:
    """Render every page into `docs_dir` and copy the built documents into docs_dir/unduh/."""
    env = environment(data.root)
    env.filters["waktu"] = lambda moment: _waktu(moment, _zone(data))
    rendered: dict[str, bytes] = {}
    for name, ctx in contexts(data).items():
        template = "capaian" if name.startswith("capaian-") else name
        rendered[f"{name}.md"] = render(env, f"site/{template}.md", ctx).encode("utf-8")
    rendered["assets/lakip.css"] = env.loader.get_source(env, "site/lakip.css")[0].encode("utf-8")
    # lakip's own script, never an office's override: the site runs it
    rendered[f"assets/{WORKER}"] = (DEFAULTS / "site" / WORKER).read_bytes()
    for file_name, path in data.documents.items():
        # None: written by this build after the pages, its bytes copied in then (finish_site)
        rendered[f"unduh/{file_name}"] = b"" if path is None else read_file(path.parent, path)
    for year in data.arsip:  # the stored files of verified years, read from their tags
        for stored in year["berkas"]:
            rendered[f"unduh/arsip/{year['tahun']}/{stored['nama']}"] = stored["data"]
    for bidang, form in data.forms.items():
        rendered[f"unduh/formulir/{_form_name(data.tahun, bidang)}"] = form
    _replace(docs_dir, rendered)
    return sorted(rendered)


def _waktu(moment: dt.datetime | None, zona: str) -> str:
    from generator.figures.formats import waktu

    return waktu(moment, zona)


def _replace(docs_dir: Path, files: dict[str, bytes]) -> None:
    """Write the new pages; delete only what the previous run wrote and no longer exists. No
    write or delete goes through a symlink (store.py)."""
    make_dirs(docs_dir, docs_dir)
    manifest = docs_dir / MANIFEST
    try:
        previous = set(read_file(docs_dir, manifest).decode("utf-8", "replace").split("\n"))
    except (FileNotFoundError, UnsafePath):
        previous = set()
    for stale in previous - set(files) - {""}:
        if normalize(stale) == stale:
            remove_file(docs_dir, docs_dir / stale)
    for rel, data in files.items():
        path = docs_dir / rel
        try:
            same = read_file(docs_dir, path) == data
        except (FileNotFoundError, UnsafePath):
            same = False
        if not same:  # unchanged files keep their mtime
            write_file(docs_dir, path, data)
    write_file(docs_dir, manifest, "\n".join(sorted(files)))
