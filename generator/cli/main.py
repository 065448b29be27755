"""The `lakip` command: the only place that prints and exits.

Heavy libraries (WeasyPrint, MkDocs, GitPython) are imported inside the commands that need them,
so `lakip validate` and `lakip status` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import traceback
from pathlib import Path

from generator import __version__
from generator.data.errors import DataInvalid, InternalError, LakipError, Refused, UsageError

# argparse's own messages, in Indonesian (argparse looks them up through gettext's `_`).
_ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "the following arguments are required: %s": "argumen wajib tidak ada: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak sah: %(value)r (pilih salah satu: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "expected one argument": "diharapkan satu nilai",
    "ambiguous option: %(option)s could match %(matches)s":
        "opsi ambigu: %(option)s bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
}
argparse._ = lambda text: _ARGPARSE_ID.get(text, text)  # type: ignore[attr-defined]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# The one place where an error's type becomes an exit code (DESIGN §6: 1 findings or refusal,
# 2 usage error; 3 a bug of ours).
EXIT_CODES: dict[type[LakipError], int] = {
    UsageError: EXIT_USAGE,
    DataInvalid: EXIT_FINDINGS,
    Refused: EXIT_FINDINGS,
    InternalError: EXIT_INTERNAL,
}


def exit_code(error: LakipError) -> int:
    """The exit code of `error`, by the nearest of its types in `EXIT_CODES`."""
    return next((EXIT_CODES[t] for t in type(error).__mro__ if t in EXIT_CODES), EXIT_FINDINGS)


def _repo_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", metavar="DIR", type=Path, default=None,
                        help="folder repositori lakip (bawaan: folder ini atau induknya)")


def _tahun_arg(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--tahun", metavar="TAHUN", type=int, default=None, help=help_text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lakip",
        description="LAKIP sebagai kode: data kinerja, SOP penyusunan LAKIP dalam git, "
                    "dokumen dan situs progres.",
        epilog="Keluar dengan kode 0 bila beres, 1 bila ada temuan atau galat, 2 bila perintah "
               "salah tulis.",
    )
    parser.add_argument("--version", action="version", version=f"lakip {__version__}",
                        help="tampilkan versi lakip lalu keluar")
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", title="perintah")

    def report_command(name: str, func, help_text: str, description: str, tahun_help: str) -> None:
        command = commands.add_parser(name, help=help_text, description=description)
        _repo_arg(command)
        _tahun_arg(command, tahun_help)
        command.add_argument("--json", action="store_true", help="keluaran JSON untuk skrip")
        command.set_defaults(func=func)

    newest = "tahun kinerja (bawaan: folder tahun terbaru)"
    report_command(
        "validate", _cmd_validate, "periksa semua data (YAML/Markdown) beserta aturan antarberkas",
        "Periksa berkas content/ dan sop/: sintaks, skema, dan aturan antarberkas. Semua galat "
        "dilaporkan sekaligus sebagai PATH:BARIS:KOLOM: tingkat: pesan.",
        "hanya periksa tahun ini (bawaan: semua tahun)")
    commands.choices["validate"].add_argument(
        "--format", metavar="FORMAT", default=None, choices=("teks", "json", "github", "gitlab", "sarif"),
        help="bentuk keluaran: teks (bawaan), json, github (perintah alur kerja GitHub/Forgejo/Gitea "
             "Actions: galat tampil di baris pull request), gitlab (laporan Code Quality GitLab), "
             "sarif (SARIF 2.1.0)")
    report_command(
        "status", _cmd_status, "kemajuan SOP: setiap langkah, siapa, kapan, durasi kerja vs standar",
        "Tampilkan kemajuan SOP penyusunan LAKIP menurut riwayat git: status setiap langkah, "
        "pelaksana, waktu, durasi kerja dibanding standar, tanda tangan, dan temuan pemeriksaan.",
        newest)
    report_command(
        "verify", _cmd_verify, "periksa setiap commit langkah SOP; keluar 1 bila ada temuan",
        "Audit setiap commit langkah SOP: orang, peran, urutan, tanda tangan SSH, dan sidik jari "
        "konten. Dengan --arsip: setiap tahun yang diarsipkan diperiksa tanpa bangun ulang (tag "
        "bertanda tangan, berkas arsip/TAHUN sesuai manifest), lalu dibangun ulang dari tag-nya dan "
        "dibandingkan isinya; beda byte karena lingkungan lain hanya catatan. Keluar dengan kode 1 "
        "bila ada temuan.", newest)
    commands.choices["verify"].add_argument(
        "--arsip", action="store_true",
        help="periksa semua arsip: berkas dan tag lakip-TAHUN, lalu bangun ulang dan bandingkan isinya")
    for name in ("status", "verify"):
        commands.choices[name].add_argument(
            "--akar", metavar="COMMIT",
            help="akar kepercayaan: commit yang aturan dan daftar personilnya dipercaya (bawaan: "
                 "tercatat di manifest arsip terbaru, atau commit pertama yang menambahkan "
                 "sop/personil.yaml)")

    report_command(
        "figures", _cmd_figures, "capaian, kategori, serapan dan efisiensi yang dihitung",
        "Hitung capaian setiap indikator dan sasaran, kategori (Permendagri 86/2017), serapan "
        "anggaran per program dan total, serta indeks efisiensi, dari data tahun kinerja.", newest)

    report_command(
        "lke", _cmd_lke, "penilaian mandiri LKE komponen Pelaporan Kinerja (PermenPANRB 88/2021)",
        "Nilai sendiri komponen Pelaporan Kinerja dari Lembar Kerja Evaluasi (PermenPANRB 88/2021): "
        "setiap kriteria dengan jawaban lakip (Y/T atau a-e), bukti yang dipakai (commit, berkas, "
        "angka) dan nilainya. Kriteria yang tidak dapat diketahui lakip ditandai 'isi sendiri' "
        "beserta tempat menjawabnya (content/TAHUN/lke.yaml).", newest)

    step = commands.add_parser(
        "step", help="catat satu langkah SOP sebagai commit bertanda tangan",
        description="Periksa bahwa langkah N sedang berjalan, bahwa identitas git Anda memegang "
                    "peran pelaksananya, dan bahwa kelengkapannya terpenuhi; lalu catat langkah itu "
                    "sebagai commit (ditandatangani SSH bila SOP mewajibkan) berisi perubahan yang "
                    "sudah di-stage (git add). Perubahan lain di folder kerja tidak disentuh.")
    step.add_argument("no", metavar="N", type=int, help="nomor langkah")
    step.add_argument("--keputusan", required=True, metavar="KEPUTUSAN",
                      help="selesai (langkah tanpa pilihan), setuju atau revisi (langkah 6-8)")
    step.add_argument("-m", "--catatan", metavar="CATATAN", help="catatan bebas di pesan commit")
    _repo_arg(step)
    _tahun_arg(step, newest)
    step.set_defaults(func=_cmd_step)

    build = commands.add_parser(
        "build", help="bangun dokumen LAKIP (HTML, PDF, DOCX) dan surat pengantar",
        description="Bangun dokumen LAKIP tahun kinerja dari data: OUT/lakip-TAHUN.html, .pdf, "
                    ".docx dan surat-pengantar-TAHUN.pdf/.docx. Setiap halaman bertanda DRAF "
                    "sampai langkah pengesahan SOP disetujui dan masih berlaku.")
    _repo_arg(build)
    _tahun_arg(build, newest)
    build.add_argument("--out", metavar="DIR", type=Path, default=Path("out"),
                       help="folder keluaran (bawaan: out)")
    build.add_argument("--ref", metavar="REF", default=None,
                       help="bangun dari commit atau tag ini (mis. lakip-2025) tanpa menyentuh folder kerja")
    build.add_argument("--format", metavar="FORMAT", default=None,
                       help="hanya bangun keluaran ini, dipisah koma: html, pdf, docx, surat (PDF dan "
                            "DOCX surat pengantar), site (situs progres); bawaan: semuanya")
    build.add_argument("--jobs", "-j", metavar="N", type=int, default=None,
                       help="jumlah proses yang membangun bersamaan (PDF bersamaan dengan surat dan "
                            "situs); bawaan: jumlah inti prosesor")
    build.set_defaults(func=_cmd_build)

    archive = commands.add_parser(
        "archive", help="langkah 11: arsipkan LAKIP (dokumen, manifest SHA-256, tag lakip-TAHUN)",
        description="Bangun dokumen dari HEAD dan simpan di arsip/TAHUN/ (PDF, DOCX, surat "
                    "pengantar, salinan PDF/A-3b dengan lampiran angka dan catatan persetujuan, "
                    "pindaian tanda terima) beserta manifest.json (SHA-256 setiap berkas, commit "
                    "langkah dan penandatangannya, sidik jari konten, lingkungan pembuatan), catat "
                    "langkah terakhir SOP, lalu buat tag beranotasi lakip-TAHUN yang ditandatangani "
                    "SSH dan memuat hash manifest.")
    _repo_arg(archive)
    _tahun_arg(archive, newest)
    archive.add_argument("-m", "--catatan", metavar="CATATAN", help="catatan di pesan commit")
    archive.add_argument("--tte", metavar="BERKAS.pdf", type=Path,
                         help="PDF bertanda tangan elektronik (lakip tte) yang ikut diarsipkan; diperiksa "
                              "dulu terhadap PDF arsip, akar tepercaya dan penanda tangan langkah pengesahan")
    archive.set_defaults(func=_cmd_archive)

    tte = commands.add_parser(
        "tte", allow_abbrev=False,
        help="TTE: tanda tangani PDF final (PAdES) atau periksa PDF bertanda tangan",
        description="Bangun PDF final dari HEAD (ditolak bila dokumen belum FINAL) dan tanda tangani "
                    "secara elektronik (PAdES) oleh penanda tangan langkah pengesahan: dengan berkas "
                    "PKCS#12 (--p12) atau lewat esign-client BSrE pemda (--bsre URL). Frasa sandi "
                    "ditanyakan di terminal, atau dibaca dari standard input dengan --frasa-stdin; "
                    "tidak pernah lewat argumen. Dengan --periksa: periksa PDF yang diterima (utuh, "
                    "berantai ke akar tepercaya sop/lakip.yaml tte.akar, penanda tangan yang benar, "
                    "revisi yang ditandatangani = build yang disetujui).",
        epilog="Akun esign-client (HTTP Basic), bila diminta: variabel lingkungan "
               "LAKIP_BSRE_PENGGUNA dan LAKIP_BSRE_SANDI.")
    _repo_arg(tte)
    _tahun_arg(tte, newest)
    tte.add_argument("--out", metavar="DIR", type=Path, default=Path("out"),
                     help="folder keluaran (bawaan: out); PDF ditulis sebagai lakip-TAHUN-tte.pdf")
    how = tte.add_mutually_exclusive_group(required=True)
    how.add_argument("--p12", metavar="BERKAS", type=Path, help="sertifikat dan kunci PKCS#12 (.p12/.pfx)")
    how.add_argument("--bsre", metavar="URL", help="alamat esign-client BSrE pemda, mis. http://10.0.0.5")
    how.add_argument("--periksa", metavar="BERKAS.pdf", type=Path, help="periksa PDF bertanda tangan")
    tte.add_argument("--frasa-stdin", action="store_true",
                     help="baca frasa sandi dari baris pertama standard input (untuk secret CI)")
    tte.add_argument("--nik", metavar="NIK", help="NIK penanda tangan untuk --bsre (bawaan: 'nik' di "
                                                 "sop/personil.yaml)")
    tte.add_argument("--luring", action="store_true",
                     help="--periksa tanpa jaringan: status pencabutan (OCSP/CRL) tidak diperiksa")
    tte.add_argument("--json", action="store_true", help="hasil --periksa sebagai JSON")
    tte.set_defaults(func=_cmd_tte)

    serve = commands.add_parser(
        "serve", help="pratinjau situs progres dengan muat ulang otomatis",
        description="Jalankan situs progres di komputer ini; halaman dibuat ulang setiap kali "
                    "content/, sop/ atau site_templates/ berubah.")
    _repo_arg(serve)
    serve.add_argument("--alamat", metavar="HOST:PORT", default="127.0.0.1:8000",
                       help="alamat server (bawaan: 127.0.0.1:8000)")
    serve.set_defaults(func=_cmd_serve)

    desk = commands.add_parser(
        "meja", help="meja kerja: halaman web lokal untuk mencatat langkah SOP tanpa terminal",
        description="Buka halaman web di komputer ini (127.0.0.1) untuk orang yang identitas git dan "
                    "kunci tanda tangannya diatur di sini: apa yang menunggu Anda, draft LAKIP (HTML "
                    "dan PDF), catatan reviu, formulir catatan reviu, dan tombol keputusan langkah "
                    "Anda. Keputusan dicatat lewat jalur yang sama dengan lakip step (pemeriksaan "
                    "sama, commit bertanda tangan), lalu dapat dikirim (git push). Alamatnya memuat "
                    "token sekali pakai; Ctrl+C untuk berhenti.")
    _repo_arg(desk)
    _tahun_arg(desk, newest)
    desk.add_argument("--port", metavar="PORT", type=int, default=0,
                      help="port di 127.0.0.1 (bawaan: port bebas acak)")
    desk.add_argument("--tanpa-peramban", action="store_true",
                      help="jangan buka peramban; cukup cetak alamatnya")
    desk.set_defaults(func=_cmd_meja)

    init = commands.add_parser(
        "init", help="buat repositori LAKIP baru untuk sebuah kantor",
        description="Buat repositori kantor baru di DIR: SOP, templat personil, kerangka data yang "
                    "valid dengan isian TODO, mkdocs.yml, berkas CI GitHub/Forgejo/GitLab, templat pull "
                    "request, README; lalu git init dengan commit pertama.")
    init.add_argument("dir", metavar="DIR", type=Path, help="folder baru")
    _tahun_arg(init, "tahun kinerja pertama (bawaan: tahun ini)")
    init.add_argument("--portal", action="store_true",
                      help="buat repositori portal kota (portal.yaml dan CI matriks per kantor), "
                           "bukan repositori kantor")
    init.set_defaults(func=_cmd_init)

    owners = commands.add_parser(
        "codeowners", help="teks CODEOWNERS dari sop/personil.yaml",
        description="Cetak CODEOWNERS: setiap berkas bidang ke stafnya, catatan reviu ke pemeriksa, "
                    "sop/ ke dua pemberi persetujuan terakhir. Simpan, misalnya: "
                    "lakip codeowners > .github/CODEOWNERS")
    _repo_arg(owners)
    owners.set_defaults(func=_cmd_codeowners)

    form = commands.add_parser(
        "format-data", help="formulir Excel langkah 4 untuk satu bidang",
        description="Tulis formulir Excel (Format Data, langkah 4 SOP) untuk satu bidang: indikator "
                    "dengan target (realisasi, analisis, solusi diisi) dan sub kegiatan dengan pagu "
                    "(realisasi anggaran dan keluaran diisi). Sel angka divalidasi, kepala terkunci.")
    form.add_argument("--bidang", required=True, metavar="ID", help="id bidang, misalnya koperasi")
    _tahun_arg(form, newest)
    form.add_argument("--out", required=True, metavar="FILE.xlsx", type=Path, help="berkas formulir")
    _repo_arg(form)
    form.set_defaults(func=_cmd_format_data)

    impor = commands.add_parser(
        "impor", help="masukkan formulir Excel yang sudah diisi ke YAML bidangnya",
        description="Baca formulir dari lakip format-data, tulis isiannya ke YAML bidang (komentar "
                    "dan urutan kunci tetap), lalu periksa. Ditolak bila YAML berubah sejak formulir "
                    "dibuat; galat menyebut lembar dan sel, misalnya Realisasi!F7.")
    impor.add_argument("form", metavar="FILE.xlsx", type=Path, nargs="?", help="formulir yang sudah diisi")
    impor.add_argument("--berubah-sejak", metavar="REF", default=None,
                       help="untuk CI pull request: impor setiap content/TAHUN/formulir/BIDANG.xlsx yang "
                            "ditambah atau diubah sejak cabang ini berpisah dari REF (misalnya "
                            "origin/main); bila semua berhasil, YAML bidang di-stage dan formulirnya "
                            "dihapus dari folder kerja (tetap ada di riwayat git)")
    impor.add_argument("--format", metavar="FORMAT", default="teks", choices=("teks", "github"),
                       help="bentuk galat: teks (bawaan) atau github (perintah alur kerja GitHub/Forgejo)")
    _repo_arg(impor)
    impor.set_defaults(func=_cmd_impor)

    demo = commands.add_parser(
        "demo", help="buat repositori contoh dengan riwayat SOP lengkap bertanda tangan",
        description="Buat repositori contoh kantor Samarinda di DIR: kunci SSH baru untuk empat "
                    "personil fiktif dan seluruh 11 langkah SOP tahun 2025 (termasuk satu putaran "
                    "revisi) dicatat lewat jalur yang sama dengan lakip step.")
    demo.add_argument("dir", metavar="DIR", type=Path, help="folder baru untuk repositori contoh")
    demo.add_argument("--tte", action="store_true",
                      help="Kepala Dinas juga menandatangani PDF final secara elektronik (PAdES) dengan "
                           "sertifikat uji yang dibuat saat itu (bukan BSrE); akarnya dicatat di sop/")
    demo.set_defaults(func=_cmd_demo)

    from generator.cli.portal import add_commands  # lakip ekspor, lakip portal (issue 17)

    add_commands(commands)
    return parser


def _cmd_validate(args: argparse.Namespace) -> int:
    from generator.workflow.build import find_repo, run_validate

    root = find_repo(args.repo)
    issues = run_validate(root, args.tahun)
    errors = sum(i.is_error for i in issues)
    warnings = len(issues) - errors
    form = args.format or ("json" if args.json else "teks")
    if args.json and form != "json":
        raise UsageError(f"--json tidak boleh bersama --format {form}")
    if form == "json":
        print(json.dumps([i.as_json() for i in issues], ensure_ascii=False, indent=2))
    elif form in ("github", "gitlab", "sarif"):
        from generator.cli import ci

        print(getattr(ci, form)(issues), end="")
        print(f"{errors} galat, {warnings} peringatan", file=sys.stderr)
    else:
        for issue in issues:
            print(issue.format())
        if errors or warnings:
            print(f"{errors} galat, {warnings} peringatan", file=sys.stderr)
        else:
            print("Data valid: tidak ada galat atau peringatan.", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def _cmd_status(args: argparse.Namespace) -> int:
    from generator.cli import views as report
    from generator.sop.progress import progress

    result = progress(find_repo_root(args.repo), args.tahun, akar=getattr(args, "akar", None))
    if args.json:
        print(json.dumps(report.status_json(result), ensure_ascii=False, indent=2))
    else:
        print(report.status_text(result))
    return EXIT_FINDINGS if any(t.kode == "riwayat-terpotong" for t in result.status.temuan) else EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from generator.cli import views as report
    from generator.sop.progress import progress

    if args.arsip:
        if args.akar:  # silently ignoring it would tell an auditor their root was used
            raise UsageError("--akar tidak dapat dipakai bersama --arsip: arsip diperiksa dari akar "
                             "kepercayaan yang tercatat di manifest tiap tahun (petunjuk: jalankan "
                             "lakip verify --akar <commit> untuk riwayat SOP, lalu lakip verify --arsip)")
        return _verify_archives(args)
    result = progress(find_repo_root(args.repo), args.tahun, akar=args.akar)
    found = result.status.temuan
    if args.json:  # DESIGN's shape; the trust root is in `lakip status --json` ("akar")
        print(json.dumps({"temuan": [t.as_json() for t in found]}, ensure_ascii=False, indent=2))
    else:
        print(report.verify_text(result))
        if result.akar:
            print(f"Diperiksa dari {result.akar.teks()}.", file=sys.stderr)
    return EXIT_FINDINGS if found else EXIT_OK


def _verify_archives(args: argparse.Namespace) -> int:
    from generator.workflow.archive import check_archives

    result = check_archives(find_repo_root(args.repo),
                            report=lambda line: print(f"… {line}", file=sys.stderr))
    found, checked = result.temuan, result.jumlah
    if args.json:
        print(json.dumps({"temuan": [t.as_json() for t in found],
                          "catatan": [t.as_json() for t in result.catatan]}, ensure_ascii=False, indent=2))
        return EXIT_FINDINGS if found else EXIT_OK
    for note in result.catatan:
        print(f"catatan: {note.kode}: {note.pesan}")
    if found:
        for t in found:
            print(f"{t.kode}: commit {t.commit[:10]}: {t.pesan}")
        print(f"{len(found)} temuan pada {checked} arsip.")
    else:
        print(f"Tidak ada temuan: {checked} arsip utuh dan isinya sama dengan hasil bangun ulang "
              "dari tag-nya.")
    return EXIT_FINDINGS if found else EXIT_OK


def _check_catatan(catatan: str | None) -> None:
    """-m CATATAN goes into a commit message: control characters (other than line breaks and tab)
    are refused there, as in the data files (exit 2)."""
    import re

    bad = re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ud800-\udfff\ufffe\uffff]",
                    catatan or "")
    if bad:
        raise UsageError(f"catatan (-m) berisi karakter kendali U+{ord(bad.group()):04X}; hapus karakter itu")


def _cmd_archive(args: argparse.Namespace) -> int:
    from generator.workflow.archive import archive

    _check_catatan(args.catatan)
    done = archive(find_repo_root(args.repo), args.tahun, args.catatan,
                   report=lambda line: print(f"… {line}", file=sys.stderr), tte=args.tte)
    for note in done.notes:
        print(f"catatan: {note}", file=sys.stderr)
    print(f"Arsip {done.tag} dibuat{' (tag ditandatangani)' if done.signed else ''}: "
          f"langkah {done.recorded.sop.langkah[-1].no} dicatat di {done.recorded.commit[:10]}.")
    tahun = done.manifest["tahun"]
    for name, digest in done.manifest["dokumen"].items():
        print(f"  {digest[:16]}…  arsip/{tahun}/{name}")
    for name, entry in done.manifest.get("tambahan", {}).items():
        print(f"  {entry['sha256'][:16]}…  arsip/{tahun}/{name}")
    return EXIT_OK


def _frasa(args: argparse.Namespace, prompt: str) -> bytes:
    """The passphrase, from the terminal (not echoed) or, with --frasa-stdin, the first line of
    standard input; never an argument (it would show in the process list and shell history)."""
    if args.frasa_stdin:
        line = sys.stdin.buffer.readline()
        return line.rstrip(b"\r\n")
    if not sys.stdin.isatty():
        raise UsageError("frasa sandi ditanyakan di terminal, tetapi standard input bukan terminal; "
                         "gunakan --frasa-stdin untuk membacanya dari standard input")
    import getpass

    try:
        return getpass.getpass(prompt).encode("utf-8")
    except EOFError:
        raise UsageError("frasa sandi tidak dimasukkan") from None


def _cmd_tte(args: argparse.Namespace) -> int:
    from generator.workflow import tte

    root = find_repo_root(args.repo)
    if args.periksa is not None:
        done = tte.periksa_berkas(root, args.periksa, args.tahun, daring=not args.luring)
        hasil = done.hasil
        if args.json:
            print(json.dumps({"berkas": str(args.periksa), "tahun": done.tahun, "sah": hasil.sah,
                              "penanda_tangan": {"nama": hasil.nama, "email": list(hasil.email),
                                                 "nik": list(hasil.nik), "penerbit": hasil.penerbit,
                                                 "bsre": hasil.bsre},
                              "waktu": hasil.waktu.isoformat() if hasil.waktu else None,
                              "temuan": [{"kode": "tte-tidak-sah", "pesan": a} for a in hasil.alasan],
                              "catatan": hasil.catatan, "sumber_hash": done.sumber_hash},
                             ensure_ascii=False, indent=2))
        else:
            for reason in hasil.alasan:
                print(f"tte-tidak-sah: {reason}")
            for note in hasil.catatan:
                print(f"catatan: {note}", file=sys.stderr)
            if hasil.sah:
                print(f"TTE sah: {args.periksa} ditandatangani oleh {hasil.nama} "
                      f"({', '.join(hasil.email) or '-'}) pada {hasil.waktu:%Y-%m-%d %H:%M %Z}; "
                      f"revisi yang ditandatangani = build yang disetujui ({done.sumber_hash}).")
            else:
                print(f"{len(hasil.alasan)} temuan: TTE {args.periksa} tidak sah.")
        return EXIT_OK if hasil.sah else EXIT_FINDINGS
    if args.p12 is not None and not args.p12.is_file():
        raise UsageError(f"berkas PKCS#12 '{args.p12}' tidak ada")
    frasa = _frasa(args, "Frasa sandi PKCS#12: " if args.p12 else "Passphrase TTE BSrE: ")
    user, password = os.environ.get("LAKIP_BSRE_PENGGUNA"), os.environ.get("LAKIP_BSRE_SANDI")
    done = tte.tanda_tangani(root, args.tahun, args.out, frasa=frasa, p12=args.p12, bsre=args.bsre,
                             nik=args.nik, akun=(user, password or "") if user else None,
                             report=lambda line: print(f"… {line}", file=sys.stderr))
    for note in done.hasil.catatan:
        print(f"catatan: {note}", file=sys.stderr)
    print(f"PDF bertanda tangan elektronik ditulis: {done.path} (oleh {done.penanda.nama}; revisi "
          f"awal = build yang disetujui, SHA-256 {done.sha256_disetujui[:16]}…).")
    return EXIT_OK


def _cmd_step(args: argparse.Namespace) -> int:
    from generator.cli import views as report
    from generator.workflow.archive import is_archive_step
    from generator.workflow.step import step

    _check_catatan(args.catatan)
    root = find_repo_root(args.repo)
    if is_archive_step(root, args.no, args.tahun):
        if args.keputusan not in (None, "selesai"):
            raise UsageError(f"langkah {args.no} (arsip) hanya berkeputusan 'selesai', bukan "
                             f"'{args.keputusan}'")
        print(f"catatan: langkah {args.no} adalah pengarsipan: dicatat oleh lakip archive (dokumen, "
              "manifest dan tag arsip)", file=sys.stderr)
        args.tte = None
        return _cmd_archive(args)
    done = step(root, args.no, args.keputusan, args.catatan, args.tahun)
    for note in done.notes:
        print(f"catatan: {note}", file=sys.stderr)
    print(report.recorded_text(done))
    return EXIT_OK


def _cmd_figures(args: argparse.Namespace) -> int:
    from generator.cli.views import figures_text
    from generator.figures.capaian import figures_json
    from generator.workflow.build import run_figures

    figures = run_figures(find_repo_root(args.repo), args.tahun)
    if args.json:
        print(json.dumps(figures_json(figures), ensure_ascii=False, indent=2))
    else:
        print(figures_text(figures))
    return EXIT_OK


def _cmd_lke(args: argparse.Namespace) -> int:
    from generator.cli.views import lke_text
    from generator.figures.lke import lke_json
    from generator.workflow.evaluasi import run_lke

    hasil = run_lke(find_repo_root(args.repo), args.tahun)
    if args.json:
        print(json.dumps(lke_json(hasil), ensure_ascii=False, indent=2))
    else:
        print(lke_text(hasil))
    for warning in hasil.peringatan:
        print(f"peringatan: {warning}", file=sys.stderr)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from generator.workflow.build import run_build
    from generator.workflow.outputs import default_jobs, parse_formats

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs harus bilangan bulat 1 atau lebih, bukan {args.jobs}")
    root = find_repo_root(args.repo)
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    formats = parse_formats(args.format)
    built = run_build(root, out, args.tahun,
                      progress=lambda line: print(f"… {line}", file=sys.stderr, flush=True),
                      ref=args.ref, formats=formats, jobs=args.jobs or default_jobs())
    for note in built.notes:
        print(f"catatan: {note}", file=sys.stderr)
    marks = " dan ".join(built.state.tanda) or "FINAL"
    print(f"Dokumen LAKIP {built.tahun} ({marks}) ditulis:")
    for path in built.files:
        print(f"  {path}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from generator.workflow.build import serve_site
    from generator.workflow.mkdocs_plugin import check_address

    root = find_repo_root(args.repo)
    if not (root / "mkdocs.yml").is_file():
        raise UsageError(f"mkdocs.yml tidak ada di {root}")
    host, port = check_address(args.alamat)
    shown = f"[{host}]" if ":" in host else host
    print(f"Membangun pratinjau situs {root} ...", file=sys.stderr, flush=True)

    def ready(url: str) -> None:  # after the first build, when the server listens
        print(f"Pratinjau situs di {url} (hanya menjawab alamat ini; Ctrl+C untuk berhenti)",
              flush=True)

    serve_site(root, f"{shown}:{port}", ready)
    return EXIT_OK


def _cmd_meja(args: argparse.Namespace) -> int:
    from generator.workflow.meja_http import Meja

    if not 0 <= args.port <= 65535:
        raise UsageError(f"port {args.port} tidak sah; pilih 1-65535, atau 0 untuk port bebas")
    desk = Meja(find_repo_root(args.repo), args.tahun,
                log=lambda line: print(f"… {line}", file=sys.stderr, flush=True))
    url = desk.open(args.port)
    print(f"Meja kerja LAKIP {desk.tahun} di {url}\n(alamat ini hanya untuk Anda dan hanya berlaku sekali; "
          "Ctrl+C untuk berhenti)", file=sys.stderr, flush=True)
    if not args.tanpa_peramban:
        import webbrowser

        with contextlib.suppress(Exception):  # no browser on this machine: the address is printed
            webbrowser.open(url)
    try:
        desk.serve_forever()
    finally:
        desk.shutdown()
    return EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    if args.portal:
        from generator.cli.portal import cmd_init_portal

        return cmd_init_portal(args.dir)
    from generator.git import Git
    from generator.sop.trust import find_root
    from generator.workflow.scaffold import init, new_folder

    with new_folder(args.dir) as folder:
        target = init(folder, args.tahun)
    git = Git(target)
    root = find_root(git, git.head(), None)
    print(f"Repositori LAKIP baru dibuat di {target}. Langkah berikutnya: ganti isian TODO "
          f"(grep -rn TODO {target}/content {target}/sop), lalu lakip validate --repo {target}")
    print(f"Akar kepercayaan: {root.commit} (commit pertama; tercatat di .github/workflows/lakip.yml, "
          ".forgejo/workflows/lakip.yml dan .gitlab-ci.yml sebagai lakip verify --akar). Simpan nomor "
          "ini: auditor memeriksa riwayat dari sini.")
    return EXIT_OK


def _cmd_codeowners(args: argparse.Namespace) -> int:
    import datetime as dt

    from generator.data.load import load_repo
    from generator.workflow.scaffold import codeowners

    root = find_repo_root(args.repo)
    repo, issues = load_repo(root)
    if repo.sop is None or repo.personil is None or repo.instansi is None:
        problems = "; ".join(i.format() for i in issues if i.is_error)
        raise DataInvalid(f"CODEOWNERS memerlukan sop/ dan content/instansi.yaml yang valid: {problems}")
    print(codeowners(repo.sop, repo.personil, repo.instansi.bidang, dt.date.today()), end="")
    return EXIT_OK


def _cmd_format_data(args: argparse.Namespace) -> int:
    from generator.workflow.excel import write_form

    path = write_form(find_repo_root(args.repo), args.bidang, args.tahun, args.out)
    print(f"Formulir ditulis: {path}. Isi sel berwarna kuning, lalu: lakip impor {path}")
    return EXIT_OK


def _cmd_impor(args: argparse.Namespace) -> int:
    from generator.workflow.excel import import_form

    if args.berubah_sejak is not None:
        if args.form is not None:
            raise UsageError("berikan FILE.xlsx atau --berubah-sejak REF, bukan keduanya")
        return _impor_changed(args)
    if args.form is None:
        raise UsageError("berikan FILE.xlsx yang akan diimpor (atau --berubah-sejak REF di CI)")
    result = import_form(find_repo_root(args.repo), args.form)
    if result.changed_fields:
        print(f"{len(result.changed_fields)} isian ditulis ke {result.path}:")
        for name in result.changed_fields:
            print(f"  {name}")
    else:
        print(f"Tidak ada perubahan: isian formulir sama dengan {result.path}.")
    for issue in result.issues:
        print(issue.format())
    return EXIT_FINDINGS if any(i.is_error for i in result.issues) else EXIT_OK


def _impor_changed(args: argparse.Namespace) -> int:
    from generator.cli import ci
    from generator.workflow.impor_ci import import_changed

    done = import_changed(find_repo_root(args.repo), args.berubah_sejak)
    github = args.format == "github"
    if not done.imported and not done.refused:
        print(f"Tidak ada formulir Excel (content/TAHUN/formulir/BIDANG.xlsx) yang ditambah atau diubah "
              f"sejak {args.berubah_sejak}.")
        return EXIT_OK
    for rel, pesan in done.refused:
        if github:
            print(f"::error file={ci.escape_property(rel)},title=lakip impor::{ci.escape_data(pesan)}")
        else:
            print(f"{rel}: galat: {pesan}")
    if done.refused:
        print(f"{len(done.refused)} formulir ditolak; tidak ada yang di-stage. Perbaiki sel yang disebut "
              "di formulir, lalu unggah lagi.", file=sys.stderr)
        return EXIT_FINDINGS
    for rel, yaml_rel, result in done.imported:
        print(f"{rel}: {len(result.changed_fields)} isian ditulis ke {yaml_rel}")
        for name in result.changed_fields:
            print(f"  {name}")
        if github:
            print(ci.github(result.issues), end="")
        else:
            for issue in result.issues:
                print(issue.format())
    print(f"Siap di-commit (di-stage): {', '.join(done.staged)}", file=sys.stderr)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from generator.workflow.demo import create
    from generator.workflow.scaffold import new_folder

    with new_folder(args.dir) as folder:
        target = create(folder, progress=lambda line: print(line, file=sys.stderr), tte=args.tte)
    print(f"Repositori contoh dibuat di {target}. Coba: lakip status --repo {target}")
    return EXIT_OK


def find_repo_root(repo: Path | None) -> Path:
    from generator.workflow.build import find_repo

    return find_repo(repo)



def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush into a closed pipe
    does not print a BrokenPipeError of its own."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if getattr(args, "func", None) is _cmd_tte:
            # never echoed: a passphrase typed as an argument would land in a CI log too
            parser.error(f"argumen tidak dikenal untuk tte ({len(unknown)} argumen, isinya tidak "
                         "ditampilkan); frasa sandi tidak pernah diberikan sebagai argumen: ketik di "
                         "terminal atau gunakan --frasa-stdin")
        parser.error(argparse._("unrecognized arguments: %s") % " ".join(unknown))  # type: ignore[attr-defined]
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except LakipError as e:
        print(f"lakip: galat: {e.pesan}", file=sys.stderr)
        return exit_code(e)
    except KeyboardInterrupt:
        print("lakip: dihentikan.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `lakip status | head -1`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK
    except Exception as e:  # a bug of ours: say so plainly, traceback only on request
        if os.environ.get("LAKIP_DEBUG"):
            traceback.print_exc()
        print(f"lakip: galat internal ({type(e).__name__}: {e}). Jalankan ulang dengan "
              "LAKIP_DEBUG=1 dan laporkan keluarannya kepada pengelola lakip.", file=sys.stderr)
        return EXIT_INTERNAL
