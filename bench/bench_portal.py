"""Benchmark of the city portal (issue 17; details and numbers: bench/README.md, "City portal").

    python bench/bench_portal.py [--n 10 50 200] [--keep DIR] [--json]

For each N: N synthetic offices from bench/kota.py (one prepared office, copied, own data and
signed SOP history), then, each with an empty cache folder (as a fresh CI runner has):
`lakip ekspor` of single offices (median), `lakip portal --jobs 1` and `--jobs 2` (exports made
here + site), `lakip portal --ekspor` (the CI path: exports read and checked + site), and the
aggregation alone (`render.portal.aggregate` + the IKU roll-up + page contexts, in process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.kota import Kota

LAKIP = str(Path(sys.executable).parent / "lakip")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


CPU: dict[str, float] = {}  # label -> CPU seconds (user + system) of the last timed run


def timed(args: list[str], cache: Path, label: str = "") -> float:
    """Wall time of one lakip process (and its workers) with an empty cache folder; its CPU
    time goes to CPU[label] (the machine is shared: wall time depends on the others' load)."""
    import resource

    if cache.exists():
        shutil.rmtree(cache)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[label] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} gagal:\n{done.stderr}")
    return took


def make_city(folder: Path, offices: Path, n: int, kota: Kota) -> tuple[Path, float]:
    """portal.yaml of the first `n` offices in `offices` (made when missing: a larger N reuses
    the smaller N's offices); returns it and the seconds spent making offices."""
    start = time.perf_counter()
    lines = [f"judul: Kota Sintetis ({n} kantor)", "tenggat: 2026-03-31", "kantor:"]
    kota.offices([(i, offices / f"kantor-{i:03d}", None) for i in range(n)
                  if not (offices / f"kantor-{i:03d}").exists()])
    for i in range(n):
        target = offices / f"kantor-{i:03d}"
        lines.append(f"  - {{nama: Kantor Sintetis {i:03d}, id: k{i:03d}, repo: '{target}'}}")
    lines += ["iku_kota:", "  - {id: IKK-1, uraian: Persentase koperasi aktif, satuan: persen, target: 60,",
              "     aturan: rata-rata, sumber: [" +
              ", ".join(f"{{kantor: k{i:03d}, indikator: IKU-1}}" for i in range(n)) + "]}"]
    (folder / "portal.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "portal.yaml", time.perf_counter() - start


def aggregation(daftar_path: Path, ekspor: Path, repeat: int = 5) -> float:
    """Median seconds of the aggregation alone over exports already read."""
    from generator.data.daftar import load_daftar
    from generator.render.portal import Portal, aggregate, contexts, rollup
    from generator.workflow.portal import collect

    daftar, _ = load_daftar(daftar_path)
    hasil = collect(daftar, ekspor_dir=ekspor)
    now = dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = aggregate(hasil, now)
        iku = rollup(daftar.iku_kota, hasil)
        contexts(Portal(daftar, hasil, now, rows, iku))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def measure(folder: Path, offices: Path, n: int, kota: Kota) -> dict:
    daftar, generated = make_city(folder, offices, n, kota)
    log(f"N={n}: {n} kantor dibuat dalam {generated:.1f} s")
    cache = folder / "cache"
    sample = [offices / f"kantor-{i:03d}" for i in range(min(n, 5))]
    walls, cpus = [], []
    for root in sample:
        walls.append(timed([LAKIP, "ekspor", "--repo", str(root), "--out", str(folder / "satu.json")],
                           cache, "satu"))
        cpus.append(CPU["satu"])
    row = {"n": n, "buat_s": round(generated, 1), "ekspor_satu_s": round(statistics.median(walls), 2),
           "ekspor_satu_cpu_s": round(statistics.median(cpus), 2)}
    for jobs in (1, 2):
        row[f"portal_jobs{jobs}_s"] = round(timed(
            [LAKIP, "portal", "--daftar", str(daftar), "--out", str(folder / f"situs-{jobs}"),
             "--jobs", str(jobs), "--simpan-ekspor", str(folder / "ekspor")], cache, "p"), 2)
        row[f"portal_jobs{jobs}_cpu_s"] = round(CPU["p"], 2)
        log(f"N={n}: portal --jobs {jobs}: {row[f'portal_jobs{jobs}_s']} s")
    row["portal_ekspor_s"] = round(timed(
        [LAKIP, "portal", "--daftar", str(daftar), "--out", str(folder / "situs-ci"),
         "--ekspor", str(folder / "ekspor")], cache, "p"), 2)
    row["portal_ekspor_cpu_s"] = round(CPU["p"], 2)
    row["beban"] = round(os.getloadavg()[0], 1)
    row["agregasi_ms"] = round(aggregation(daftar, folder / "ekspor") * 1000, 2)
    log(f"N={n}: {row}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--keep", type=Path, default=None, help="folder to build in and keep")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-portal-"))
    base.mkdir(parents=True, exist_ok=True)
    home = base / "home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("", encoding="utf-8")
    os.environ.update({"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                       "GIT_CONFIG_NOSYSTEM": "1", "XDG_CACHE_HOME": str(base / "cache-gen")})
    try:
        shutil.rmtree(base / "kota", ignore_errors=True)  # offices already made keep their own keys
        kota = Kota.prepare(base / "kota")
        offices = base / "kantor"
        offices.mkdir(exist_ok=True)
        rows = []
        for n in args.n:
            folder = base / f"n{n}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            rows.append(measure(folder, offices, n, kota))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print("| N | ekspor 1 kantor: wall / CPU (s) | portal --jobs 1 (s) | portal --jobs 2 (s) | "
              "portal --ekspor (s) | agregasi (ms) | membuat kantor (s) | load |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['n']} | {r['ekspor_satu_s']} / {r['ekspor_satu_cpu_s']} | "
                  f"{r['portal_jobs1_s']} / {r['portal_jobs1_cpu_s']} | "
                  f"{r['portal_jobs2_s']} / {r['portal_jobs2_cpu_s']} | "
                  f"{r['portal_ekspor_s']} / {r['portal_ekspor_cpu_s']} | {r['agregasi_ms']} | "
                  f"{r['buat_s']} | {r['beban']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
