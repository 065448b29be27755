"""Benchmark of `lakip status` on a synthetic office history (details: bench/README.md).

    python bench/bench_status.py [--commits 20000] [--steps 500] [--keep DIR] [--json]

History 2021-01 .. 2026-02: ordinary commits of bidang staff (git fast-import) interleaved with
complete, signed SOP runs 2021-2025 recorded by generator.workflow.step.step (the path of `lakip step`).
Times raw `git log`, CLI start-up, `lakip status --json` cold and warm; counts ssh-keygen calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.data.load import load_repo
from generator.git import Git, step_commits
from generator.git.log import _STEP_FIELDS
from generator.sop.worktime import from_sop
from generator.workflow import demo
from generator.workflow.step import step as record

WITA = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2021, 1, 4)
SOP_YEARS = range(2021, 2026)  # the run for year Y takes place in January-February of Y+1
KEGIATAN = ("pendampingan", "pelatihan", "monitoring lapangan", "sosialisasi", "verifikasi data",
            "rapat koordinasi", "pembinaan")
LOOPS = {2: [(6, "revisi")], 3: [(6, "setuju"), (7, "revisi")],
         4: [(6, "setuju"), (7, "setuju"), (8, "revisi")]}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def plan(n: int) -> list[tuple[int, str]]:
    """A complete SOP run of about `n` step commits: 11 steps plus revision rounds (6, 7 or 8 sends
    the draft back to 5) of 2, 3 or 4 commits."""
    seq = [(no, "selesai") for no in range(1, 6)]
    extra, i = max(0, n - 11), 0
    while extra >= 2:
        size = extra if extra <= 4 else (4, 3, 2)[i % 3]
        if extra - size == 1:  # a remainder of 1 cannot be a round
            size -= 1
        seq += [*LOOPS[size], (5, "selesai")]
        extra, i = extra - size, i + 1
    return [*seq, (6, "setuju"), (7, "setuju"), (8, "setuju"), (9, "selesai"), (10, "selesai"),
            (11, "selesai")]


def files_under(base: Path, prefix: str) -> dict[str, bytes]:
    return {f"{prefix}/{p.relative_to(base).as_posix()}": p.read_bytes()
            for p in sorted(base.rglob("*")) if p.is_file()}


def year_folder(root: Path, tahun: int) -> dict[str, bytes]:
    """content/<tahun> as a copy of the sample's 2024 (Renstra 2021-2024) or 2025 (Renstra 2025-2029)
    folder, without its review notes, `tahun` set in the Perjanjian Kinerja."""
    src = root / "content" / ("2024" if tahun <= 2024 else "2025")
    files = {k: v for k, v in files_under(src, f"content/{tahun}").items() if "/reviu/" not in k}
    pk = f"content/{tahun}/perjanjian-kinerja.yaml"
    files[pk] = re.sub(rb"(?m)^tahun: \d{4}", b"tahun: %d" % tahun, files[pk])
    return files


def fast_import(git: Git, commits: list[tuple], root: bool = False) -> None:
    """commits: (when, nama, email, message, {path: bytes}); chained on HEAD (or a new root)."""
    out = [b"reset refs/heads/main\n"] if root else []
    for i, (when, nama, email, message, files) in enumerate(commits):
        ident = f"{nama} <{email}> {int(when.timestamp())} +0800\n".encode()
        msg = message.encode()
        out += [b"commit refs/heads/main\n", b"author " + ident, b"committer " + ident,
                b"data %d\n" % len(msg), msg, b"\n"]
        if i == 0 and not root:
            out.append(f"from {git.head()}\n".encode())
        for path, data in files.items():
            out += [f"M 100644 inline {path}\n".encode(), b"data %d\n" % len(data), data, b"\n"]
    git.run("fast-import", "--quiet", *(["--force"] if root else []), input=b"".join(out))


def build(root: Path, commits: int, steps: int, rnd: random.Random) -> dict:
    t0 = time.perf_counter()
    git, actors, _ = demo.prepare(root)
    sop = load_repo(root)[0].sop
    kal = from_sop(sop)
    personil = root / "sop" / "personil.yaml"  # every role valid from 2021 in this synthetic office
    personil.write_text(re.sub(r"mulai: 202[45]-01-01", "mulai: 2021-01-01",
                               personil.read_text(encoding="utf-8")), encoding="utf-8")
    people = yaml.safe_load(personil.read_text(encoding="utf-8"))["personil"]
    staff = {}
    for p in people:
        for b in p["bidang"]:
            staff.setdefault(b, []).append((p["nama"], p["email"]))
    base = {**files_under(root / "sop", "sop"),
            **files_under(root / "content" / "renstra", "content/renstra"),
            "content/instansi.yaml": (root / "content" / "instansi.yaml").read_bytes(),
            "content/lambang.svg": (root / "content" / "lambang.svg").read_bytes()}  # instansi's logo

    years = list(SOP_YEARS)[-max(1, min(len(SOP_YEARS), steps // 11)):]
    per_year = [steps // len(years) + (i < steps % len(years)) for i in range(len(years))][::-1]
    events = []  # (when, kind, payload)
    for tahun, n in zip(years, per_year, strict=True):
        day, slot = dt.date(tahun + 1, 1, 8), 0
        for k, (no, keputusan) in enumerate(plan(n)):
            while not kal.hari_kerja(day):
                day += dt.timedelta(days=1)
            when = dt.datetime.combine(day, dt.time((9, 11, 14)[slot], rnd.randrange(5, 55)), WITA)
            events.append((when, "step", (tahun, no, keputusan, k)))
            slot = (slot + 1) % 3
            day += dt.timedelta(days=slot == 0)
    last = max(e[0] for e in events).date()
    days = [START + dt.timedelta(days=i) for i in range((last - START).days)]
    days = [d for d in days if kal.hari_kerja(d)]
    n_ordinary = max(0, commits - 1 - sum(len(plan(n)) for n in per_year))
    for d in sorted(rnd.choices(days, k=n_ordinary)):
        when = dt.datetime.combine(d, dt.time(7, 30), WITA) + dt.timedelta(minutes=rnd.randrange(570))
        events.append((when, "ordinary", None))
    events.sort(key=lambda e: e[0])

    tim = actors["tim-kerja"]
    first = dt.datetime.combine(START, dt.time(8, 0), WITA)
    fast_import(git, [(first, tim.nama, tim.email, "Repositori LAKIP Diskopukmperin: SOP, personil, "
                       "Renstra, PK 2021\n", {**base, **year_folder(root, 2021)})], root=True)
    git.run("read-tree", "HEAD")  # record() commits the index
    present, csv, batch = {2021}, {}, []
    rounds, t_record, t_import = dict.fromkeys(years, 1), 0.0, 0.0
    for when, kind, payload in events:
        if kind == "ordinary":
            bidang = rnd.choice(sorted(staff))
            nama, email = rnd.choice(staff[bidang])
            path = f"content/{when.year}/bukti/{bidang}/rekap-kegiatan-{when:%Y-%m}.csv"
            line = f"{when:%Y-%m-%d},{rnd.choice(KEGIATAN)},{rnd.randrange(1, 40)}\n"
            csv[path] = csv.get(path, b"tanggal,kegiatan,jumlah\n") + line.encode()
            files, message = {path: csv[path]}, f"Rekap kegiatan {bidang} {when:%Y-%m}: {line.split(',')[1]}"
            if when.year not in present:
                present.add(when.year)
                files = {**year_folder(root, when.year), **files}
                message = f"Perjanjian Kinerja {when.year} dan data awal bidang"
            batch.append((when, nama, email, message + "\n", files))
            continue
        if batch:
            t = time.perf_counter()
            fast_import(git, batch)
            git.run("read-tree", "HEAD")
            t_import += time.perf_counter() - t
            batch = []
        tahun, no, keputusan, k = payload
        step = sop.find_langkah(no)
        actor = actors[step.pelaksana]
        stage = {}
        if keputusan == "revisi":
            stage[f"content/{tahun}/reviu/{when:%Y-%m-%d}-langkah-{no}-{k}.md"] = (
                f"---\nlangkah: {no}\nperan: {step.pelaksana}\nkeputusan: revisi\ntanggal: {when:%Y-%m-%d}\n"
                f"oleh: {actor.email}\njudul: Koreksi draft LAKIP {tahun} putaran {rounds[tahun]}\n---\n\n"
                f"Perbaiki analisis capaian indikator (putaran {rounds[tahun]}).\n").encode()
            rounds[tahun] += 1
        elif no == 5 and rounds[tahun] > 1:
            path = f"content/{tahun}/narasi/penutup.md"
            stage[path] = git.run("show", f"HEAD:{path}") + (
                f"\nPerbaikan putaran {rounds[tahun]}: rencana tindak lanjut diperjelas.\n").encode()
        elif no == 10:
            path = f"content/{tahun}/pengiriman.yaml"
            text = git.run("show", f"HEAD:{path}")
            if not re.search(rb"(?m)^tanda_terima:", text):
                stage[path] = text.rstrip(b"\n") + (
                    f"\ntanda_terima:\n  nomor: TT/ORG/{tahun + 1}/{k:03d}\n  tanggal: {when:%Y-%m-%d}\n"
                    "  penerima: Rahmawati, S.Sos.\n  jabatan: Bagian Organisasi Setda\n").encode()
        for path, data in stage.items():
            oid = git.text("hash-object", "-w", "--stdin", input=data).strip()
            git.run("update-index", "--add", "--cacheinfo", f"100644,{oid},{path}")
        t = time.perf_counter()
        record(root, no, keputusan, f"Langkah {no} ({keputusan}).", tahun,
               env=demo.actor_env(actor, when.isoformat()))
        t_record += time.perf_counter() - t
        if no == 11:
            log(f"  SOP {tahun}: {k + 1} step commits recorded ({t_record:.0f} s in record() so far)")
    if batch:
        fast_import(git, batch)
    git.run("reset", "-q", "--hard", "HEAD")
    git.run("clean", "-fdq")
    git.run("gc", "-q")  # small fast-imports and commit-tree leave ~20,000 loose objects; offices gc
    return {"build_s": round(time.perf_counter() - t0, 1), "record_s": round(t_record, 1),
            "fast_import_s": round(t_import, 1), "ordinary_commits": n_ordinary,
            "step_commits_per_year": {y: len(plan(n)) for y, n in zip(years, per_year, strict=True)}}


def timed(cmd: list[str], env: dict, ok=(0,)) -> tuple[float, bytes]:
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - t
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed, done.stdout


def measure(root: Path, tmp: Path, reps: int = 5) -> dict:
    git = Git(root)
    found = step_commits(git)
    tahun = max(int(dict(c.trailers)["SOP-Tahun"]) for c in found)
    real = shutil.which("ssh-keygen")
    calls = tmp / "ssh-keygen.log"
    wrapper = tmp / "bin" / "ssh-keygen"
    wrapper.parent.mkdir(exist_ok=True)
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    cache = wrapper.parent / "cache"  # lakip's caches (store.py), emptied for the cold runs
    env = {**os.environ, "PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}",
           "XDG_CACHE_HOME": str(cache)}
    beside = Path(sys.executable).with_name("lakip")  # a pyenv shim on PATH adds ~60 ms
    lakip = str(beside) if beside.is_file() else shutil.which("lakip")
    status = [lakip, "status", "--json", "--repo", str(root), "--tahun", str(tahun)]

    def n_calls() -> int:
        return len(calls.read_text().splitlines()) if calls.exists() else 0

    def median(cmd: list[str], **kw) -> float:
        return statistics.median(timed(cmd, env, **kw)[0] for _ in range(reps))

    raw = median(["git", "-C", str(root), "log", "-z", "--topo-order", "--reverse", "--grep=^SOP",
                  f"--format={'%x00'.join(_STEP_FIELDS)}", "HEAD", "--"])
    startup = median([sys.executable, "-c", "import generator.cli.main"])
    cold, cold_calls = [], []
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        before = n_calls()
        cold.append(timed(status, env)[0])
        cold_calls.append(n_calls() - before)
    before = n_calls()
    warm = median(status)
    warm_calls = n_calls() - before
    out = json.loads(timed(status, env)[1])
    verify = {}
    for y in sorted({int(dict(c.trailers)["SOP-Tahun"]) for c in found}):
        _, text = timed([lakip, "verify", "--json", "--repo", str(root), "--tahun", str(y)], env, ok=(0, 1))
        verify[y] = len(json.loads(text)["temuan"])
    _, text = timed([lakip, "validate", "--json", "--repo", str(root)], env, ok=(0, 1))
    galat = sum(1 for i in json.loads(text) if i["tingkat"] == "galat")
    result = {
        "commits": int(git.text("rev-list", "--count", "HEAD")), "step_commits": len(found),
        "tahun": tahun, "raw_git_log_s": raw, "startup_s": startup, "cold_status_s": statistics.median(cold),
        "warm_status_s": warm, "ratio_warm": warm / (raw + startup),
        "ssh_keygen_cold": statistics.median(cold_calls), "ssh_keygen_warm": warm_calls,
        "langkah_berjalan": out.get("langkah_berjalan"), "temuan_status": len(out["temuan"]),
        "temuan_verify": verify, "galat_validate": galat, "lakip": lakip, "repetitions": reps,
    }
    return result


def table(r: dict) -> str:
    rows = [("commits", r["commits"]), ("step commits", r["step_commits"]),
            ("raw git log s", f"{r['raw_git_log_s']:.3f}"), ("start-up s", f"{r['startup_s']:.3f}"),
            (f"cold status s (tahun {r['tahun']})", f"{r['cold_status_s']:.3f}"),
            ("warm status s", f"{r['warm_status_s']:.3f}"),
            ("ratio warm / (raw + start-up)", f"{r['ratio_warm']:.2f}"),
            ("ssh-keygen calls cold / warm", f"{r['ssh_keygen_cold']:g} / {r['ssh_keygen_warm']}")]
    rows.append(("verify findings per year", ", ".join(f"{y}: {n}" for y, n in r["temuan_verify"].items())))
    if "build" in r:
        b = r["build"]
        rows.append(("build s (record / fast-import)",
                     f"{b['build_s']} ({b['record_s']} / {b['fast_import_s']})"))
    width = max(len(k) for k, _ in rows)
    goal = "met" if r["ratio_warm"] <= 2 else "NOT met"
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows) + f"\ngoal ratio <= 2: {goal}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=20000, help="commits in the history (default 20000)")
    parser.add_argument("--steps", type=int, default=500, help="signed step commits (default 500)")
    parser.add_argument("--keep", type=Path,
                        help="build the repository here and keep it (reused if it exists)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lakip-bench-"))
    (tmp / "home").mkdir()
    os.environ.update(HOME=str(tmp / "home"), GIT_CONFIG_GLOBAL=str(tmp / "home" / ".gitconfig"),
                      GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    try:
        root = (args.keep or tmp / "repo").resolve()
        built = None
        if (root / ".git").is_dir():
            log(f"reusing the repository in {root}")
        else:
            log(f"building {args.commits} commits ({args.steps} step commits) in {root} ...")
            built = build(root, args.commits, args.steps, random.Random(args.seed))
            log(f"built in {built['build_s']} s")
        result = measure(root, tmp)
        if built:
            result["build"] = built
        print(json.dumps(result, indent=2) if args.json else table(result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
