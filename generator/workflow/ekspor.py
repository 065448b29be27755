"""`lakip ekspor`: one office's public summary for the city portal (issue 17), in the versioned
shape of `docs/ekspor.schema.json` (the same file ships as generator/data/schemas/ekspor.schema.json).

The export is a function of one commit: it reads the commit's tree (never the working tree), judges
the SOP history at that commit from the trust root, and holds nothing that depends on the clock or
the machine. The running step's lateness depends on "now", so the export gives its deadline and the
SOP's working calendar and the reader (the portal) judges it at its own time. The same commit
therefore exports the same bytes (`dumps`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from generator import __version__
from generator.data.errors import LakipError, Refused, UsageError
from generator.data.load import for_year

SKEMA = "lakip-ekspor"
VERSI_SKEMA = 1
SCHEMA_FILE = "ekspor.schema.json"


@cache
def schema() -> dict:
    """The export's JSON Schema (draft 2020-12), read once per process."""
    text = resources.files("generator.data").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)


def schema_errors(data: object) -> list[str]:
    """Every way `data` breaks the export schema, as Indonesian lines ("path: message"); [] when
    it conforms. Used on exports read from CI artifacts, which are untrusted input."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(akar)"
        found.append(f"{where}: {_schema_message(error)}")
    return found


def _schema_message(error) -> str:
    """A jsonschema error of an export in Indonesian (expected, found), never its English text."""
    from generator.data.schema import _TYPE_WORDS, describe

    kind, want, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        wanted = [want] if isinstance(want, str) else list(want)
        return (f"diharapkan {' atau '.join(_TYPE_WORDS.get(w, w) for w in wanted)}, "
                f"ditemukan {describe(value)}")
    if kind == "enum":
        return (f"nilai {describe(value)} tidak dikenal; diharapkan salah satu dari: "
                f"{', '.join(json.dumps(o, ensure_ascii=False) for o in want)}")
    if kind == "const":
        return f"diharapkan {json.dumps(want, ensure_ascii=False)}, ditemukan {describe(value)}"
    if kind == "required":
        return "kunci wajib tidak ada: " + ", ".join(k for k in want if k not in value)
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        return "kunci tidak dikenal: " + ", ".join(str(k) for k in value if k not in known)
    if kind == "pattern":
        return f"{describe(value)} tidak sesuai pola {want}"
    if kind in ("minimum", "maximum"):
        edge = "paling kecil" if kind == "minimum" else "paling besar"
        return f"diharapkan {edge} {want}, ditemukan {describe(value)}"
    if kind in ("minItems", "maxItems", "minLength", "maxLength"):
        edge = "paling sedikit" if kind.startswith("min") else "paling banyak"
        unit = "butir" if kind.endswith("Items") else "karakter"
        return f"diharapkan {edge} {want} {unit}, ditemukan {len(value)}"
    return f"tidak sesuai aturan skema '{kind}' (ditemukan {describe(value)})"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _resolve(git, ref: str | None) -> str:
    commit = git.commit_id(ref or "HEAD")
    if not commit:
        if ref is None:
            raise Refused("repositori belum punya commit: tidak ada yang dapat diekspor")
        raise UsageError(f"ref '{ref}' tidak ditemukan di repositori")
    return commit


def export(root: Path, tahun: int | None = None, ref: str | None = None,
           akar: str | None = None) -> dict:
    """The public summary of the office at `root` (a git repository, bare or not) as of the
    commit `ref` names (default HEAD): instansi, SOP status, verify result with its trust root,
    FINAL/DRAF, figures, archive tags with their manifest hashes, validation counts, the lakip
    version. `akar` is the trust root (a commit), as `lakip verify --akar`.

    Raises UsageError (no git repository, unknown ref or year), Refused (no commit, git fails)
    and DataInvalid (SOP or roster unreadable): an export that cannot judge the SOP is refused,
    not half-written."""
    from generator.figures.capaian import figures_json
    from generator.sop.progress import approval, open_repo, progress
    from generator.workflow.snapshot import gather

    # One `Git` for the whole export: one `cat-file` reader, each answer about a commit asked once.
    git = open_repo(root)
    commit = _resolve(git, ref)
    when = git.commit_time(commit)
    snapshot = gather(root, tahun, ref=commit, now=when, git=git)
    tahun = snapshot.tahun
    repo = snapshot.repo
    state = progress(root, tahun, now=when, rev=commit, akar=akar, git=git)
    final, _, alasan = approval(root, tahun, snapshot.source, commit, known=state, git=git)
    year_issues = for_year(snapshot.issues, tahun)
    figures = figures_error = None
    if snapshot.invalid() is None:
        try:
            figures = snapshot.figures()
        except (ValueError, KeyError, AttributeError) as e:
            figures_error = str(e) or "data tahun ini belum lengkap"
    else:
        figures_error = (f"data tahun {tahun} belum valid: "
                         f"{sum(i.is_error for i in year_issues)} galat (lakip validate)")
    instansi = repo.instansi
    return {
        "skema": SKEMA,
        "versi_skema": VERSI_SKEMA,
        "lakip": __version__,
        "commit": commit,
        "waktu_commit": when.isoformat(),
        "tahun": tahun,
        "instansi": {
            "nama": instansi.nama if instansi else None,
            "pemerintah": instansi.pemerintah if instansi else None,
            "kota": instansi.kota if instansi else None,
            "contoh": bool(instansi and instansi.contoh),
        },
        "sop": _sop(state),
        "verifikasi": {
            "akar": {"commit": state.akar.commit, "sumber": state.akar.sumber} if state.akar else None,
            "bersih": not state.status.temuan,
            "temuan": [t.as_json() for t in state.status.temuan],
        },
        "dokumen": {"status": "FINAL" if final else "DRAF", "alasan": list(alasan)},
        "validasi": {"galat": sum(i.is_error for i in year_issues),
                     "peringatan": sum(not i.is_error for i in year_issues)},
        "figures": figures_json(figures) if figures is not None else None,
        "figures_galat": figures_error,
        "ringkasan": _ringkasan(figures),
        "arsip": _arsip(root, git),
    }


def _sop(state) -> dict:
    s, sop = state.status, state.sop
    per_day = sop.menit_per_hari
    steps = []
    for x in s.langkah:
        c = x.catatan
        steps.append({
            "no": x.langkah.no,
            "judul": x.langkah.judul or x.langkah.kegiatan,
            "kegiatan": x.langkah.kegiatan,
            "peran": x.langkah.pelaksana,
            "status": x.status,
            "oleh": {"nama": c.nama, "email": c.email} if c else None,
            "commit": c.commit if c else None,
            "waktu": _iso(c.waktu) if c else None,
            "keputusan": c.keputusan if c else None,
            "tanda_tangan": c.tanda_tangan if c else None,
            "durasi_menit_kerja": c.durasi if c else None,
            "standar_menit_kerja": x.standar,
            # Lateness of a recorded step is history; the running step's depends on "now".
            "terlambat": c.terlambat if c else None,
            "mulai": _iso(x.mulai),
            "batas_waktu": _iso(x.batas_waktu),
            "putaran": c.putaran if c else None,
        })
    late = sum(max(0, (c["durasi_menit_kerja"] or 0) - c["standar_menit_kerja"])
               for c in steps if c["status"] == "selesai")
    mulai, selesai = sop.jam_kerja
    return {
        "id": s.sop, "judul": sop.judul, "langkah": steps, "langkah_berjalan": s.berjalan,
        "selesai": sum(x["status"] == "selesai" for x in steps), "jumlah_langkah": len(steps),
        "putaran": s.putaran, "menit_terlambat": late,
        "kalender": {
            "jam_kerja": [mulai.strftime("%H:%M"), selesai.strftime("%H:%M")],
            "menit_per_hari": per_day, "zona_waktu": sop.zona_waktu,
            "negara": sop.hari_libur_negara, "kategori": list(sop.hari_libur_kategori),
            "tambah": [[d.isoformat(), n] for d, n in getattr(sop, "hari_libur_tambah", ())],
            "hapus": [d.isoformat() for d in getattr(sop, "hari_libur_hapus", ())],
        },
    }


def _ringkasan(figures) -> dict:
    """The portal's overview numbers, from the figures: capaian rata-rata is the mean of the
    indikator capaian that can be computed (docs/portal.md), serapan the total budget's."""
    from generator.figures.capaian import json_number, rata_rata

    if figures is None:
        return {"capaian_rata_rata": None, "indikator": 0, "indikator_dihitung": 0,
                "pagu": None, "realisasi_anggaran": None, "serapan": None}
    known = [i.capaian for i in figures.indikator if isinstance(i.capaian, Decimal)]
    return {"capaian_rata_rata": json_number(rata_rata(known)), "indikator": len(figures.indikator),
            "indikator_dihitung": len(known), "pagu": figures.total.pagu,
            "realisasi_anggaran": figures.total.realisasi,
            "serapan": json_number(figures.total.serapan)}


def _arsip(root: Path, git) -> list[dict]:
    """Every archive tag (`lakip-<tahun>`) with the checks that need no rebuild (sop.arsip:
    annotated, on the last step of a history without findings, signature, manifest) and the
    manifest's document hashes. A rebuild is `lakip verify --arsip`'s job, not the export's."""
    from generator.git import tags
    from generator.sop.arsip import TAG_PREFIX, manifest_path, tag_findings

    found = []
    for tag in sorted(tags(git), key=lambda t: t.name):
        year = tag.name.removeprefix(TAG_PREFIX)
        if not year.isdigit():
            continue
        try:
            findings, manifest = tag_findings(root, git, tag)
        except LakipError as e:
            findings, manifest = [], None
            problem = e.pesan
        else:
            problem = None
        stored = git.objects([f"{tag.commit}:{manifest_path(int(year))}"])[0]
        raw = stored[2] if stored and stored[1] == "blob" else b""
        found.append({
            "tahun": int(year), "tag": tag.name, "commit": tag.commit,
            "sah": not findings and manifest is not None and problem is None,
            "temuan": [t.as_json() for t in findings] + (
                [{"kode": "arsip-rusak", "commit": tag.commit, "langkah": None, "pesan": problem}]
                if problem else []),
            "manifest_sha256": hashlib.sha256(raw).hexdigest() if raw else None,
            "dokumen": dict(sorted(manifest["dokumen"].items())) if manifest else {},
        })
    return found


def dumps(data: dict) -> str:
    """The export as text: UTF-8 JSON, keys in their fixed order, two-space indent, one final
    newline; the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
