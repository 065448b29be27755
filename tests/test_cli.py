"""The command line surface: help, version, exit codes, start-up cost, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator import __version__
from tests.conftest import ROOT, run


def test_help_is_indonesian() -> None:
    result = run("--help")
    assert result.code == 0
    assert result.out.startswith("penggunaan: lakip [-h] [--version] PERINTAH ...")
    assert "tampilkan bantuan ini lalu keluar" in result.out
    import re

    for command in ("validate", "status", "verify", "figures", "lke", "step", "build", "archive", "serve",
                    "init", "codeowners", "format-data", "impor", "demo"):
        assert re.search(rf"^    {command}\s", result.out, re.M), command
    assert re.search(r"validate\s+periksa semua data \(YAML/Markdown\) beserta aturan antarberkas",
                     result.out)


def test_version() -> None:
    result = run("--version")
    assert (result.code, result.out) == (0, f"lakip {__version__}\n")


def test_no_command_prints_help_and_exits_2() -> None:
    result = run()
    assert result.code == 2
    assert result.out.startswith("penggunaan: lakip")


def test_usage_error_is_indonesian_and_exits_2() -> None:
    result = run("validate", "--tahun", "duaribu")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "lakip validate: galat: argumen --tahun: nilai int tidak sah: 'duaribu'")


def test_unknown_year_is_a_usage_error(sample: Path) -> None:
    result = run("validate", "--repo", sample, "--tahun", "2019")
    assert result.code == 2
    assert result.err == ("lakip: galat: folder content/2019/ tidak ada; "
                          "tahun yang ada: 2024, 2025\n")


def test_not_a_lakip_repository(tmp_path: Path) -> None:
    result = run("validate", "--repo", tmp_path)
    assert result.code == 2
    assert result.err == (f"lakip: galat: '{tmp_path}' bukan repositori lakip: folder content/ "
                          "dan berkas sop/lakip.yaml tidak ditemukan\n")


def test_missing_repository_folder(tmp_path: Path) -> None:
    result = run("validate", "--repo", tmp_path / "tidak-ada")
    assert result.code == 2
    assert result.err == f"lakip: galat: folder repositori '{tmp_path / 'tidak-ada'}' tidak ada\n"


def test_internal_error_is_one_line_without_traceback(monkeypatch, sample: Path) -> None:
    def boom(*_args, **_kwargs):
        raise RuntimeError("contoh kerusakan")

    monkeypatch.setattr("generator.workflow.build.load_repo", boom)
    result = run("validate", "--repo", sample)
    assert result.code == 3
    assert result.err == (
        "lakip: galat internal (RuntimeError: contoh kerusakan). Jalankan ulang dengan "
        "LAKIP_DEBUG=1 dan laporkan keluarannya kepada pengelola lakip.\n")
    assert "Traceback" not in result.err


def test_validate_starts_without_heavy_libraries() -> None:
    code = ("import sys; from generator.cli.main import main; rc = main(['validate', '--repo', "
            f"{str(ROOT)!r}]); heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('weasyprint', 'mkdocs', 'docx', 'git', 'playwright')); print(heavy); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "[]"


def test_console_script_runs_on_the_project(tmp_path: Path) -> None:
    lakip = Path(sys.executable).with_name("lakip")
    done = subprocess.run([str(lakip), "validate", "--json"], cwd=ROOT / "content",
                          capture_output=True, text=True, check=False)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])
    assert done.stderr == ""  # JSON mode prints only JSON


def test_verify_arsip_refuses_akar_instead_of_ignoring_it(sample: Path) -> None:
    result = run("verify", "--repo", sample, "--arsip", "--akar", "zzz")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "lakip: galat: --akar tidak dapat dipakai bersama --arsip: arsip diperiksa dari akar kepercayaan "
        "yang tercatat di manifest tiap tahun (petunjuk: jalankan lakip verify --akar <commit> untuk "
        "riwayat SOP, lalu lakip verify --arsip)\n")
