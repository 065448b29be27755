"""The city-scale commands (issue 17): `lakip ekspor` (one office's public summary) and `lakip
portal` (the city's site over every office's export). Registered by cli/main.py; like it, the
only place that prints."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.data.errors import DataInvalid, UsageError


def add_commands(commands) -> None:
    """Add `ekspor` and `portal` to the subparsers `commands` of `lakip`."""
    ekspor = commands.add_parser(
        "ekspor", help="ringkasan publik kantor (JSON) untuk portal kota",
        description="Tulis ringkasan publik kantor sebagai JSON (skema docs/ekspor.schema.json): "
                    "instansi, status SOP, hasil verifikasi beserta akar kepercayaan, FINAL/DRAF, "
                    "capaian dan anggaran, arsip per tahun dengan hash manifest, versi lakip. Dibaca "
                    "dari commit (bawaan HEAD), bukan folder kerja: commit yang sama memberi berkas "
                    "yang sama persis.")
    ekspor.add_argument("--repo", metavar="DIR", type=Path, default=None,
                        help="repositori git kantor (bawaan: folder ini atau induknya)")
    ekspor.add_argument("--tahun", metavar="TAHUN", type=int, default=None,
                        help="tahun kinerja (bawaan: folder tahun terbaru)")
    ekspor.add_argument("--ref", metavar="REF", default=None,
                        help="cabang, tag atau commit yang diekspor (bawaan: HEAD)")
    ekspor.add_argument("--akar", metavar="COMMIT", default=None,
                        help="akar kepercayaan untuk verifikasi (seperti lakip verify --akar)")
    ekspor.add_argument("--out", metavar="FILE.json", type=Path, required=True,
                        help="berkas JSON yang ditulis; '-' untuk keluaran standar")
    ekspor.set_defaults(func=_cmd_ekspor)

    portal = commands.add_parser(
        "portal", help="situs portal kota dari repositori semua perangkat daerah",
        description="Baca daftar kantor (portal.yaml), buat ekspor setiap kantor (paralel, --jobs "
                    "proses) atau pakai ekspor yang sudah dibuat CI (--ekspor DIR), lalu bangun satu "
                    "situs statis: tabel semua kantor, halaman per kantor, hitung mundur tenggat, "
                    "temuan, arsip. Kantor yang repositorinya tidak terbaca tetap dicantumkan "
                    "beserta alasannya.")
    portal.add_argument("--daftar", metavar="portal.yaml", type=Path, required=True,
                        help="daftar kantor (lihat docs/portal.md)")
    portal.add_argument("--out", metavar="DIR", type=Path, default=None,
                        help="folder situs portal (wajib kecuali dengan --simpan-ekspor saja)")
    portal.add_argument("--jobs", metavar="N", type=int, default=1,
                        help="jumlah proses paralel untuk ekspor (bawaan: 1)")
    portal.add_argument("--ekspor", metavar="DIR", type=Path, default=None,
                        help="pakai ekspor yang sudah ada di DIR (ID.json per kantor; jalur CI)")
    portal.add_argument("--simpan-ekspor", metavar="DIR", type=Path, default=None,
                        help="simpan juga ekspor setiap kantor sebagai DIR/ID.json")
    portal.add_argument("--pada", metavar="WAKTU", default=None,
                        help="nilai keterlambatan dan hitung mundur pada waktu ini (ISO, misalnya "
                             "2026-02-20T10:00; tanpa zona: zona_waktu portal.yaml), bukan sekarang")
    portal.add_argument("--ci", metavar="DIR", type=Path, default=None,
                        help="tulis ulang berkas CI (GitHub Actions dan GitLab, satu job matriks per "
                             "kantor) di repositori portal DIR dari daftar kantor, tanpa membangun")
    portal.set_defaults(func=_cmd_portal)


def _cmd_ekspor(args: argparse.Namespace) -> int:
    from generator.cli.main import find_repo_root
    from generator.workflow.ekspor import dumps, export

    root = _git_root(args.repo) if args.repo is not None else find_repo_root(None)
    text = dumps(export(root, args.tahun, args.ref, args.akar or None))
    if str(args.out) == "-":
        sys.stdout.write(text)
        return 0
    from generator.workflow.portal import write_json

    path = write_json(args.out, text)
    print(f"Ekspor ditulis: {path}")
    return 0


def _git_root(repo: Path) -> Path:
    """--repo of `lakip ekspor`: any git repository (a bare clone too), since the export reads
    a commit, never the working tree."""
    root = repo.resolve()
    if not root.is_dir():
        raise UsageError(f"folder repositori '{repo}' tidak ada")
    return root


def _cmd_portal(args: argparse.Namespace) -> int:
    from generator.data.daftar import load_daftar
    from generator.workflow.portal import build_portal, collect, save_exports

    if args.jobs < 1:
        raise UsageError(f"--jobs harus paling sedikit 1, ditemukan {args.jobs}")
    if args.out is None and args.simpan_ekspor is None and args.ci is None:
        raise UsageError("sebutkan --out DIR (folder situs), --simpan-ekspor DIR atau --ci DIR")
    daftar, issues = load_daftar(args.daftar)
    for issue in issues:
        print(issue.format())
    if daftar is None:
        raise DataInvalid(f"{args.daftar}: {sum(i.is_error for i in issues)} galat; portal tidak dibangun")
    moment = _moment(args.pada, daftar.zona_waktu)  # a malformed --pada fails before any export
    if args.ci is not None:
        from generator.workflow.portal_ci import write_ci

        for path in write_ci(daftar, args.ci.resolve()):
            print(f"Berkas CI ditulis: {path}")
        if args.out is None and args.simpan_ekspor is None:
            return 0

    def report(line: str) -> None:
        print(f"… {line}", file=sys.stderr, flush=True)

    hasil = collect(daftar, jobs=args.jobs, ekspor_dir=args.ekspor, report=report)
    if args.simpan_ekspor is not None:
        save_exports(hasil, args.simpan_ekspor)
    unreadable = [h for h in hasil if h.ekspor is None]
    for h in unreadable:
        print(f"peringatan: {h.kantor.id}: {h.alasan}", file=sys.stderr)
    if args.out is not None:
        site = build_portal(daftar, hasil, args.out, moment)
        print(f"Portal {len(hasil)} kantor ({len(unreadable)} tidak terbaca) ditulis ke {site} "
              f"(buka {site / 'index.html'})")
    return 0


def _moment(text: str | None, zona: str):
    """--pada as an aware datetime (None: now). Raises UsageError for a malformed time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--pada '{text}' bukan waktu ISO; contoh: 2026-02-20T10:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zona))


def cmd_init_portal(target: Path) -> int:
    """`lakip init --portal DIR`: a new portal repository."""
    from generator.workflow.portal_ci import GITHUB, GITLAB, init_portal
    from generator.workflow.scaffold import new_folder

    with new_folder(target) as folder:
        done = init_portal(folder)
    print(f"Repositori portal dibuat di {done}: isi daftar kantor di portal.yaml, lalu tulis ulang "
          f"{GITHUB} dan {GITLAB} dengan: lakip portal --daftar {done / 'portal.yaml'} --ci {done}")
    return 0
