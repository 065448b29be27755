"""Screenshots of the progress website for the staff guide (docs/panduan.md).

Makes a demo repository (`lakip demo`) in a temporary folder, with HOME and the global git
configuration pointed at temporary paths so that nothing of the user's own git setup is read or
written, builds it (`lakip build`), serves OUT/site on 127.0.0.1 and photographs the pages with
Debian's chromium driven by Playwright (no browser download). The PNGs go to docs/gambar/.

The demo's SOP is finished, so a second repository shows a year in progress: the demo's first
commit, steps 1-3 recorded now with `lakip step` by the demo's people and keys, and the bidang
data of two bidang delivered (koperasi with an error) and two not yet; step 4 is then running.

    python scripts/screenshots.py [--out docs/gambar]

Run it again after the site templates change, then look at every image before committing them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
WIDTH, HEIGHT = 1280, 900          # desktop viewport
PHONE = {"width": 390, "height": 844}
FORGE = "https://git.samarinda.example.go.id/diskopukmperin/lakip"  # a Forgejo of the city (fictional)
NOT_DELIVERED = ("ukm", "perindustrian")  # the running year's bidang that have not delivered yet


def lakip(*args: str, env: dict[str, str]) -> None:
    """Run the lakip CLI of this checkout (same interpreter), failing loudly."""
    subprocess.run([sys.executable, "-m", "generator", *args], env=env, check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def isolated_env(tmp: Path) -> dict[str, str]:
    """The environment with a throw-away HOME and global git config, so that the user's own
    ~/.gitconfig and ~/.ssh are neither read nor written."""
    home = tmp / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("", encoding="utf-8")
    env = dict(os.environ)
    env.update({"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                "GIT_CONFIG_NOSYSTEM": "1"})
    return env


def git(repo: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


def roster(demo: Path) -> list[dict]:
    import yaml

    return yaml.safe_load((demo / "sop" / "personil.yaml").read_text(encoding="utf-8"))["personil"]


def person_env(env: dict[str, str], who: dict, key: Path | None = None) -> dict[str, str]:
    """`env` acting as person `who` of the roster, signing with `key` when given."""
    acting = {**env, "GIT_AUTHOR_NAME": who["nama"], "GIT_AUTHOR_EMAIL": who["email"],
              "GIT_COMMITTER_NAME": who["nama"], "GIT_COMMITTER_EMAIL": who["email"]}
    if key:
        acting.update({"GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_0": "gpg.format", "GIT_CONFIG_VALUE_0": "ssh",
                       "GIT_CONFIG_KEY_1": "user.signingkey", "GIT_CONFIG_VALUE_1": str(key)})
    return acting


def running_year(demo: Path, repo: Path, env: dict[str, str]) -> None:
    """A copy of the demo at its first commit with steps 1-3 recorded now by the demo's people and
    keys, the bidang data of sekretariat and koperasi (with an error) delivered by their staff,
    ukm and perindustrian not yet, and step 4 running."""
    people = roster(demo)
    subprocess.run(["git", "clone", "-q", "--no-tags", str(demo), str(repo)], env=env, check=True)
    git(repo, "reset", "-q", "--hard", git(repo, "rev-list", "--max-parents=0", "HEAD", env=env), env=env)
    steps = ((1, "kepala-dinas", "Surat Edaran Sekda tentang penyusunan LKjIP ditindaklanjuti."),
             (2, "sekretaris", "Disposisi kepada Jafung Perencana."),
             (3, "jafung", "Format data dibagikan ke semua bidang."))
    for no, role, note in steps:
        who = next(p for p in people if role in p["peran"] and not p["berlaku"].get("sampai"))
        lakip("step", str(no), "--keputusan", "selesai", "-m", note, "--repo", str(repo),
              env=person_env(env, who, demo / ".git" / "lakip-demo" / role))
    for path in sorted((demo / "content" / "2025" / "bidang").glob("*.yaml")):
        target = repo / "content" / "2025" / "bidang" / path.name
        if path.stem in NOT_DELIVERED:
            if target.exists():
                git(repo, "rm", "-q", f"content/2025/bidang/{path.name}", env=env)
                coordinator = next(p for p in people if "tim-kerja" in p["peran"])
                git(repo, "commit", "-q", "-m", f"Data bidang {path.stem} belum masuk",
                    env=person_env(env, coordinator))
            continue
        text = path.read_text(encoding="utf-8")
        if path.stem == "koperasi":  # delivered with a mistake: a decimal comma in a quoted number
            text = text.replace("nilai: 39.54", 'nilai: "39,54"', 1)
        target.write_text(text, encoding="utf-8")
        staff = next(p for p in people if not p["peran"] and path.stem in p.get("bidang", []))
        git(repo, "add", f"content/2025/bidang/{path.name}", env=env)
        git(repo, "commit", "-q", "-m", f"Data bidang {path.stem} tahun 2025", env=person_env(env, staff))
    # the office's forge, for the "sunting di forge" links of Data Bidang and Capaian
    with (repo / "mkdocs.yml").open("a", encoding="utf-8") as mkdocs:
        mkdocs.write(f"repo_url: {FORGE}\nedit_uri: _edit/main/\n")
    # the data is invalid (step 4 is not done), so only the site is built, as CI does for a PR
    lakip("build", "--repo", str(repo), "--out", str(repo / "out"), "--format", "site", env=env)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_page(browser, base: str, name: str, viewport: dict[str, int] | None = None):
    page = browser.new_page(viewport=viewport or {"width": WIDTH, "height": HEIGHT})
    page.goto(f"{base}/{name}.html")
    page.wait_for_load_state("networkidle")
    return page


def top(page, path: Path, height: int) -> None:
    """The top `height` pixels of the page (or the whole page when it is shorter)."""
    full = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    # animations="disabled": Material's tabs fade in again when the full-page shot resizes the view
    page.screenshot(path=str(path), full_page=True, animations="disabled",
                    clip={"x": 0, "y": 0, "width": width, "height": min(height, full)})


# (file, site, page, how, size): "top" keeps the top `size` pixels of the page at the viewport's
# width; "bagan" is the SOP flowchart element; "ponsel" is the top of the page on a phone.
SHOTS = (
    ("beranda.png", "selesai", "index", "top", 1100),
    ("beranda-berjalan.png", "berjalan", "index", "top", 2050),
    ("alur-sop-langkah.png", "selesai", "alur-sop", "top", 1640),
    ("alur-sop.png", "selesai", "alur-sop", "bagan", 0),
    ("data-bidang.png", "berjalan", "data-bidang", "top", 1150),
    ("capaian.png", "selesai", "capaian", "top", 1300),
    ("reviu.png", "selesai", "reviu", "top", 560),
    ("dokumen.png", "selesai", "dokumen", "top", 500),
    ("arsip.png", "selesai", "arsip", "top", 440),
    ("beranda-ponsel.png", "selesai", "index", "ponsel", 1200),
)


def shoot(sites: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for file, site, name, how, size in SHOTS:
                page = open_page(browser, sites[site], name, PHONE if how == "ponsel" else None)
                if how == "bagan":
                    # The sticky header would cover the flowchart's lane titles once scrolled to.
                    page.add_style_tag(content=".md-header, .md-tabs { display: none !important; }")
                    page.locator("svg.lk-bagan").screenshot(path=str(out / file), animations="disabled")
                else:
                    top(page, out / file, size)
                page.close()
                made.append(out / file)
        finally:
            browser.close()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gambar",
                        help="folder for the PNG files (default: docs/gambar)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"screenshots: {CHROMIUM} not found (install Debian's chromium: scripts/setup.sh)",
              file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lakip-gambar-") as name:
        tmp = Path(name)
        env = isolated_env(tmp)
        demo, running = tmp / "kantor", tmp / "kantor-berjalan"
        lakip("demo", str(demo), env=env)
        lakip("build", "--repo", str(demo), "--out", str(demo / "out"), env=env)
        running_year(demo, running, env)
        with serve(demo / "out" / "site") as selesai, serve(running / "out" / "site") as berjalan:
            made = shoot({"selesai": selesai, "berjalan": berjalan}, args.out)
    total = 0
    for path in made:
        size = path.stat().st_size
        total += size
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {size / 1024:.0f} KiB")
    print(f"total {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
