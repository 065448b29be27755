"""Benchmark of `lakip build` (issue 18): cold, warm with no change and with one review note
changed, parallel against serial, for the sample office and for the large office of
bench_document.py.

    python bench/bench_build.py [--json] [--skip-large] [--before DIR]

Each office is copied into a temp folder and made a git repository with one commit. Every build
is this checkout's CLI (`python -m generator build`) as a subprocess, wall time, with its own
`XDG_CACHE_HOME`:
- cold: an empty cache folder (nothing stored yet), `--jobs` default (the cores), then again with
  `--jobs 1` (serial) in another empty cache folder; the document files of the two must be the
  same bytes;
- warm: the parallel cold build's cache, no change (median of 3), both the full build and the
  documents alone (`--format html,pdf,docx,surat`: the site is always built, see reuse.py);
- one note: a review note added to `content/<tahun>/reviu/` (not committed), full build;
- before (`--before DIR`, a checkout of older lakip code): its cold build, serial by nature,
  with `PYTHONPATH=DIR`, run right before this code's cold builds.
Progress goes to stderr; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

DOCUMENT_FILES = ("html", "pdf", "docx")
NOTE = "---\nlangkah: 7\nperan: sekretaris\nkeputusan: revisi\n---\nLengkapi analisis Bab III.\n"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def make_repo(root: Path, large: bool) -> int:
    """The office in `root` as a git repository with one commit; returns its newest year."""
    if large:
        from bench.bench_document import make_office

        make_office(root)
        tahun = 2025
    else:
        for part in ("content", "sop"):
            shutil.copytree(PROJECT / part, root / part)
        shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
        tahun = max(int(p.name) for p in (root / "content").iterdir() if p.name.isdigit())
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "commit", "-q",
        "-m", "Data awal")
    return tahun


def build(root: Path, out: Path, cache: Path, *args: str, code: Path = PROJECT) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "GIT_CEILING_DIRECTORIES": str(root.parent),
           "PYTHONPATH": str(code)}
    env.pop("LAKIP_TANPA_CACHE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--repo", str(root), "--out",
                           str(out), *args], cwd=code, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"lakip build failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return round(took, 3)


def documents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and p.suffix.lstrip(".") in DOCUMENT_FILES}


def measure(work: Path, large: bool, before: Path | None) -> dict:
    root = work / "office"
    root.mkdir()
    tahun = make_repo(root, large)
    r: dict = {"office": "large" if large else "sample", "loadavg_start": os.getloadavg()[0],
               "cpu_count": os.cpu_count()}
    if before is not None:
        log("  cold, before (older code)")
        r["before_cold_s"] = build(root, work / "out-before", work / "cache-before", code=before)
    log("  cold, serial (--jobs 1)")
    r["cold_serial_s"] = build(root, work / "out-serial", work / "cache-serial", "--jobs", "1")
    log("  cold, parallel")
    r["cold_s"] = build(root, work / "out", work / "cache")
    r["same_bytes"] = documents(work / "out") == documents(work / "out-serial")
    r["documents"] = sorted(documents(work / "out"))
    log("  warm, no change (3 runs)")
    runs = [build(root, work / "out", work / "cache") for _ in range(3)]
    r["warm_s"], r["warm_runs"] = statistics.median(runs), runs
    runs = [build(root, work / "out", work / "cache", "--format", "html,pdf,docx,surat")
            for _ in range(3)]
    r["warm_documents_s"], r["warm_documents_runs"] = statistics.median(runs), runs
    r["warm_same_bytes"] = documents(work / "out") == documents(work / "out-serial")
    log("  one review note added")
    (root / f"content/{tahun}/reviu").mkdir(exist_ok=True)
    (root / f"content/{tahun}/reviu/langkah-7.md").write_text(NOTE, encoding="utf-8")
    r["note_s"] = build(root, work / "out", work / "cache")
    r["warm_ratio"] = r["warm_s"] / r["cold_s"]
    r["warm_documents_ratio"] = r["warm_documents_s"] / r["cold_s"]
    r["parallel_ratio"] = r["cold_s"] / r["cold_serial_s"]
    if before is not None:
        r["cold_vs_before"] = r["cold_s"] / r["before_cold_s"]
    r["loadavg_end"] = os.getloadavg()[0]
    return r


ROWS = (("cold, before (older code)", "before_cold_s"), ("cold, serial (--jobs 1)", "cold_serial_s"),
        ("cold, parallel (default jobs)", "cold_s"), ("warm, no change", "warm_s"),
        ("warm, documents only", "warm_documents_s"), ("one review note added", "note_s"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--skip-large", action="store_true", help="the sample office only")
    ap.add_argument("--before", type=Path, metavar="DIR", help="a checkout of older lakip code")
    args = ap.parse_args(argv)
    results = []
    for large in (False, True)[: 1 if args.skip_large else 2]:
        work = Path(tempfile.mkdtemp(prefix="lakip-bench-build-"))
        try:
            log(f"{'large' if large else 'sample'} office in {work}")
            results.append(measure(work, large, args.before.resolve() if args.before else None))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'build (wall s)':32}" + "".join(f"{r['office']:>12}" for r in results))
    for name, key in ROWS:
        if all(key in r for r in results):
            print(f"{name:32}" + "".join(f"{r[key]:12.2f}" for r in results))
    for name, key in (("warm / cold", "warm_ratio"), ("warm documents / cold", "warm_documents_ratio"),
                      ("parallel / serial (cold)", "parallel_ratio"), ("cold / before", "cold_vs_before")):
        if all(key in r for r in results):
            print(f"{name:32}" + "".join(f"{r[key]:12.2f}" for r in results))
    print("same bytes, parallel and serial: "
          + ", ".join(f"{r['office']} {r['same_bytes']}" for r in results))
    print("load: " + ", ".join(f"{r['office']} {r['loadavg_start']:.1f} -> {r['loadavg_end']:.1f}"
                               for r in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
