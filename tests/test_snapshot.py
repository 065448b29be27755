"""One Snapshot per command: `lakip build` reads the SOP's history, judges the approval and computes
the figures once, for the documents and the website alike; output builders and formats."""

from __future__ import annotations

import os
import shutil
import stat
from collections import Counter
from pathlib import Path

import pytest

from generator.figures import capaian
from generator.sop import progress as sop_progress
from tests.conftest import run


def _count_calls(monkeypatch: pytest.MonkeyPatch, module, name: str, counts: Counter, key) -> None:
    original = getattr(module, name)

    def counted(*args, **kwargs):
        counts[key(*args, **kwargs)] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def _git_spy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` first on PATH that logs its arguments, one process a line, then runs the real git."""
    folder = tmp_path / "spy"
    folder.mkdir()
    log = tmp_path / "git-calls.log"
    spy = folder / "git"
    spy.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n',
                   encoding="utf-8")
    spy.chmod(spy.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_one_build_reads_the_sop_history_judges_the_approval_and_computes_figures_once(
        office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office.run_until(8)  # the signing approval stands: documents and site say FINAL
    counts: Counter = Counter()
    _count_calls(monkeypatch, sop_progress, "progress", counts, lambda *a, **k: "progress")
    _count_calls(monkeypatch, sop_progress, "approval", counts, lambda *a, **k: "approval")
    _count_calls(monkeypatch, capaian, "compute", counts, lambda repo, tahun: f"figures {tahun}")
    log = _git_spy(tmp_path, monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-baru"))  # history read, not cached

    result = run("build", "--repo", office.root, "--out", tmp_path / "out", "--format", "html,site")

    assert (result.code, result.err.count("galat")) == (0, 0), result.err
    assert result.out == (f"Dokumen LAKIP 2025 (CONTOH) ditulis:\n  {tmp_path / 'out' / 'lakip-2025.html'}\n"
                          f"  {tmp_path / 'out' / 'site'}\n")
    assert counts == {"progress": 1, "approval": 1, "figures 2024": 1, "figures 2025": 1}
    logs = [c for c in log.read_text(encoding="utf-8").splitlines() if " log " in f" {c} "]
    assert len([c for c in logs if "--grep=^SOP" in c]) == 1  # the step commits, walked once
    assert sorted(logs) == sorted(set(logs))  # no git log runs twice
    index = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    html = (tmp_path / "out" / "lakip-2025.html").read_text(encoding="utf-8")
    assert ("FINAL" in index, "DRAF" in html) == (True, False)


def test_build_format_builds_a_subset_and_names_unknown_formats(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--repo", sample, "--out", out, "--format", "html")
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["lakip-2025.html"]
    assert result.err.splitlines()[-1] == ("catatan: bukan repositori git: dokumen ditandai DRAF dan "
                                           "bertanggal hari ini")

    result = run("build", "--repo", sample, "--out", out, "--format", "html,epub,PDFX")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("lakip: galat: format tidak dikenal: 'epub', 'pdfx'; pilih satu atau lebih "
                          "dari html, pdf, docx, surat, site (dipisah koma, misalnya --format html,pdf)\n")
    result = run("build", "--repo", sample, "--out", out, "--format", ",")
    assert result.err == ("lakip: galat: format tidak dikenal: kosong; pilih satu atau lebih dari html, "
                          "pdf, docx, surat, site (dipisah koma, misalnya --format html,pdf)\n")


def test_site_alone_is_built_from_invalid_data_and_documents_are_refused(sample: Path,
                                                                        tmp_path: Path) -> None:
    shutil.copy(Path(__file__).resolve().parents[1] / "mkdocs.yml", sample / "mkdocs.yml")
    (sample / ".lakip" / "situs").mkdir(parents=True)
    path = sample / "content/2025/bidang/koperasi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pagu: ", "pagu: -", 1), encoding="utf-8")
    out = tmp_path / "out"

    site_only = run("build", "--repo", sample, "--out", out, "--format", "site")
    assert site_only.code == 0, site_only.err
    assert site_only.out == f"Dokumen LAKIP 2025 (DRAF dan CONTOH) ditulis:\n  {out / 'site'}\n"

    html = run("build", "--repo", sample, "--out", out, "--format", "html")
    assert html.code == 1
    assert html.err.startswith("… memuat dan memeriksa data\nlakip: galat: data tahun 2025 belum valid:\n"
                               "  content/2025/bidang/koperasi.yaml:")
    assert "Situs progres" not in html.err


def test_one_step_reads_the_staged_content_and_the_sop_history_once(
        office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.workflow import snapshot

    office.run_until(4)
    counts: Counter = Counter()
    _count_calls(monkeypatch, sop_progress, "progress", counts, lambda *a, **k: "progress")
    _count_calls(monkeypatch, snapshot, "load_repo", counts, lambda *a, **k: "load")
    log = _git_spy(tmp_path, monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-baru"))  # history read, not cached

    done = office.step(5)

    assert counts == {"progress": 1, "load": 1}
    calls = log.read_text(encoding="utf-8").splitlines()
    assert len([c for c in calls if " log " in f" {c} " and "--grep=^SOP" in c]) == 1
    assert len([c for c in calls if " write-tree" in f" {c}"]) == 1
    assert done.subject == ("LAKIP 2025 · Langkah 5: Menyusun LAKIP Instansi Berdasarkan data-data yang "
                            "diterima kemudian menyerahkan kepada Sekretaris untuk diperiksa (selesai)")
