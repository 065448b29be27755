"""Benchmark of the progress website: our page generation vs MkDocs.

    python bench/bench_site.py [--json]

For the sample office and for the synthetic large office of bench_document.py (12 bidang, 80
indikator, 400 sub kegiatan a year, 5 years), each a git repository with one commit, it times
(median of 3): our page generation (gather + site_data + site.write, the work of the lakip plugin), the
whole site build as `lakip build` runs it (build_site: plugin + MkDocs), and a plain `mkdocs build`
of the same generated folder without the plugin. It reports our share of the whole and the whole
as a ratio to the plain build. Goal: our share under 30 %.
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


def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def git_repo(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@contoh.go.id",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@contoh.go.id"}
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".lakip/situs").mkdir(parents=True, exist_ok=True)
    (root / ".lakip/situs/.gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def measure(root: Path) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.render import site
    from generator.workflow.mkdocs_plugin import build_site, site_data
    from generator.workflow.snapshot import gather

    docs = root / ".lakip/situs"
    shutil.rmtree(root / ".git" / "lakip", ignore_errors=True)  # first run: no caches at all
    cold = median_time(lambda: site.write(site_data(gather(root)), docs), runs=1)
    generate = median_time(lambda: site.write(site_data(gather(root)), docs))
    whole = median_time(lambda: build_site(gather(root), root / "out-lakip"))
    plain_config = root / "mkdocs-polos.yml"
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - lakip ", "  # - lakip ")
    plain_config.write_text(text, encoding="utf-8")
    plain = median_time(lambda: build(load_config(config_file=str(plain_config),
                                                  site_dir=str(root / "out-polos"))))
    pages = len(list((root / "out-lakip").glob("*.html")))
    return {"halaman": pages, "generate_cold_s": cold, "generate_s": generate, "site_build_s": whole,
            "plain_mkdocs_s": plain, "our_share": generate / whole, "ratio_whole_to_plain": whole / plain}


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(PROJECT))
    from bench.bench_document import make_office

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    results = {}
    with tempfile.TemporaryDirectory(prefix="lakip-bench-situs-") as tmp:
        # a cache folder of its own: the first generation is cold (no form or page stored by an
        # earlier run), the medians after it are what a rebuild with unchanged data costs
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        sample = Path(tmp) / "sampel"
        shutil.copytree(PROJECT / "content", sample / "content")
        shutil.copytree(PROJECT / "sop", sample / "sop")
        git_repo(sample)
        results["sampel"] = measure(sample)
        large = Path(tmp) / "besar"
        make_office(large)
        git_repo(large)
        results["besar"] = measure(large)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'':24} {'sampel':>10} {'besar':>10}")
    for key, label in (("halaman", "pages"), ("generate_cold_s", "first generation s (cold)"),
                       ("generate_s", "our page generation s"),
                       ("site_build_s", "site build (lakip) s"), ("plain_mkdocs_s", "plain mkdocs build s"),
                       ("our_share", "our share of the whole"), ("ratio_whole_to_plain", "whole / plain")):
        a, b = results["sampel"][key], results["besar"][key]
        print(f"{label:24} {a:>10.3f} {b:>10.3f}" if isinstance(a, float) else f"{label:24} {a:>10} {b:>10}")
    worst = max(r["our_share"] for r in results.values())
    print(f"goal our share < 30%: {'met' if worst < 0.30 else 'not met'} ({worst:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
