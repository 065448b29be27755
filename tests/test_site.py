"""The progress website in a real browser (Debian chromium driven by Playwright), served on
127.0.0.1 from a `lakip build` of a demo repository with a complete, signed SOP history."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.workflow.build import run_build

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian chromium is not installed (CI installs it)")]
PAGES = ["index", "alur-sop", "data-bidang", "capaian", "capaian-2024", "rencana-aksi", "lke", "reviu",
         "dokumen", "arsip",
         "riwayat", "unduh/lakip-2025"]
SCREENSHOTS = ("index", "alur-sop")
XSS_NOTE = """---
langkah: 6
peran: jafung
keputusan: setuju
judul: <script>window.__xss = "judul"</script>Catatan uji
---

Isi <script>window.__xss = "catatan"</script> dan <img src="x" onerror="window.__xss = 'img'">
[tautan](javascript:window.__xss='tautan')
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo):
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    for key, value in {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                       "GIT_CONFIG_NOSYSTEM": "1"}.items():
        mp.setenv(key, value)
    root = tmp_path_factory.mktemp("situs") / "kantor"
    assert demo[1].code == 0, demo[1].err
    shutil.copytree(demo[0], root, symlinks=True)  # the session's demo, which other tests only read
    (root / "content/2025/reviu/uji-xss.md").write_text(XSS_NOTE, encoding="utf-8")
    bidang = root / "content/2025/bidang/koperasi.yaml"
    text = bidang.read_text(encoding="utf-8")
    bidang.write_text(text.replace("    analisis: >-\n      Jumlah koperasi aktif",
                                   "    analisis: >-\n      <script>window.__xss = 'analisis'</script>"
                                   " Jumlah koperasi aktif", 1), encoding="utf-8")
    out = root / "out"
    # The browser tests look at the website alone; the documents are test_document's subject.
    run_build(root, out, 2025, formats=("html", "site"))
    handler = functools.partial(QuietHandler, directory=str(out / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()
    mp.undo()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


def open_page(browser, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    return page


@dataclass
class Visit:
    """What one page of the tour showed (the tests below assert on it)."""

    status: int
    xss: object  # window.__xss after the page settled: a planted script that ran sets it
    article: str  # the text of the page's <article> ("" when it has none)
    facts: dict = field(default_factory=dict)  # what a test needs of this page in particular


@pytest.fixture(scope="module")
def tour(site, browser) -> tuple[dict[str, Visit], list[str], list[str]]:
    """Every page of the site visited once, in one page object at 1280 px, as a reader clicks
    through it: (what each page showed, the console errors, every URL requested). Loading a
    Material page costs chromium half a second to a second of CPU, so the tests that look at
    these pages (planted scripts, the home page, the flowchart, the wide screenshots) read this
    one visit instead of loading the pages again."""
    base, out = site
    page = open_page(browser)
    visits: dict[str, Visit] = {}
    for name in PAGES:
        response = page.goto(f"{base}/{name}.html")
        page.wait_for_load_state("networkidle")
        article = page.locator("article")  # the download page is a plain page without one
        visit = Visit(response.status, page.evaluate("window.__xss"),
                      article.inner_text() if article.count() else "")
        if name == "reviu":
            visit.facts["javascript_links"] = page.locator("article a[href^='javascript:']").count()
        if name == "alur-sop":
            lanes = page.locator("svg.lk-bagan g.lane")
            visit.facts.update(
                lanes=[lanes.nth(i).get_attribute("data-peran") for i in range(lanes.count())],
                steps=page.locator("svg.lk-bagan g.langkah").count(),
                decisions=page.locator("svg.lk-bagan polygon").count(),
                revisi=page.locator("svg.lk-bagan .lk-alur-revisi").count())
        if name in SCREENSHOTS:
            visit.facts["screenshot"] = screenshot(page, out, name, 1280)
        visits[name] = visit
    page.close()
    return visits, page.errors, page.requests


def screenshot(page, out: Path, name: str, width: int) -> tuple[Path, int]:
    """A full-page screenshot of the page shown, and how far it scrolls sideways (px)."""
    shot = out / f"layar-{name}-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    return shot, page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_every_page_loads_offline_without_errors(site, tour) -> None:
    base, _ = site
    visits, errors, requests = tour
    for name in PAGES:
        assert visits[name].status == 200, name
    assert errors == []
    foreign = [u for u in requests if not u.startswith(base) and not u.startswith("data:")]
    assert foreign == []


def test_search_typed_with_the_keyboard_finds_bidang_data(site, browser) -> None:
    base, _ = site
    page = open_page(browser)
    page.goto(f"{base}/index.html")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.type("Sambutan", delay=40)  # a kecamatan named in the koperasi's solusi text
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10000)
    assert "capaian" in results.first.locator("a").first.get_attribute("href")
    page.close()


def test_search_works_when_the_site_is_opened_as_files(site, browser) -> None:
    """The site copied to a file share and opened as files (file://, no server): search finds
    the same text, without a request outside the site's folder (issue 16 item 5)."""
    _, out = site
    folder = out / "site"
    page = open_page(browser)
    page.goto((folder / "data-bidang.html").as_uri())
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.keyboard.type("Sambutan", delay=40)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10000)
    href = results.first.locator("a").first.get_attribute("href")
    assert href.startswith(f"{folder.as_uri()}/capaian"), href
    assert page.errors == []
    outside = [u for u in page.requests if not u.startswith(folder.as_uri()) and not u.startswith(
        ("data:", "about:"))]
    assert outside == []
    page.close()


def test_flowchart_has_a_lane_per_role_and_every_step(tour) -> None:
    flowchart = tour[0]["alur-sop"].facts  # counted on the tour's visit of alur-sop
    assert flowchart["lanes"] == ["tim-kerja", "jafung", "sekretaris", "kepala-dinas"]
    assert flowchart["steps"] == 11
    assert flowchart["decisions"] == 3  # decisions at steps 6, 7, 8
    assert flowchart["revisi"] == 3


def test_planted_scripts_do_not_run(tour) -> None:
    visits = tour[0]  # each page loaded and settled (networkidle) on the tour
    for name in ("reviu", "capaian", "unduh/lakip-2025"):
        assert visits[name].xss is None, name
    assert "<script>window.__xss" in visits["reviu"].article  # shown as text
    assert visits["reviu"].facts["javascript_links"] == 0


def test_home_page_shows_progress_and_who_acts(tour) -> None:
    text = tour[0]["index"].article
    assert "11/11 langkah selesai" in text
    assert "Semua langkah SOP selesai." in text
    assert "Pengumpulan data bidang" in text  # the late step 4 is listed
    # the fixture changed content after step 8 without committing: the site must not say FINAL
    assert "DRAF" in text and "FINAL" not in text


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(site, browser, tour, width: int) -> None:
    base, out = site
    if width == 1280:  # the tour's page is 1280 px wide and took these
        shots = {name: tour[0][name].facts["screenshot"] for name in SCREENSHOTS}
    else:
        page = open_page(browser, width)
        shots = {}
        for name in SCREENSHOTS:
            page.goto(f"{base}/{name}.html")
            page.wait_for_load_state("networkidle")
            shots[name] = screenshot(page, out, name, width)
        page.close()
    for name, (shot, overflow) in shots.items():
        assert shot.stat().st_size > 10_000
        assert overflow <= 1, f"{name} scrolls sideways at {width}px"
