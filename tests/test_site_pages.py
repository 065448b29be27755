"""The website's pages as lakip renders them (HTML inside the Markdown that MkDocs turns into the
site), without MkDocs or a browser: what the home page, Data Bidang and Capaian say while the
bidang data is being collected (issue 16 items 4 and 6)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.workflow import demo
from generator.workflow.demo import actor_env
from tests.conftest import edit

WITA = dt.timezone(dt.timedelta(hours=8))
MKDOCS = """site_name: LAKIP Kantor Uji
repo_url: https://git.kantor.example/perencanaan/lakip
edit_uri: _edit/main/
"""


def stopped_at_step_4(office) -> None:
    """Steps 1-3 recorded; the staff of ukm and perindustrian have not delivered (their files
    are gone from the repository), koperasi delivered a file with an error,
    sekretariat delivered everything."""
    office.run_until(3)
    office.run("rm", "-q", "content/2025/bidang/ukm.yaml", "content/2025/bidang/perindustrian.yaml")
    office.run("commit", "-q", "-m", "Data bidang UKM dan Perindustrian belum masuk",
               env=actor_env(office.actors["tim-kerja"], f"2026-02-02T13:00:00{demo.WITA}"))
    edit(office.root, "content/2025/bidang/koperasi.yaml", "nilai: 39.54", 'nilai: "39,54"')
    (office.root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")


def render_site(root: Path, out: Path, now: dt.datetime) -> dict[str, str]:
    from generator.render import site
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    written = site.write(site_data(gather(root, 2025, now=now)), out)
    return {name: (out / name).read_text(encoding="utf-8") for name in written if name.endswith(".md")}


def test_site_during_step_4_names_who_has_not_delivered(office, tmp_path: Path) -> None:
    """A repository stopped at step 4 with two bidang missing: the home page says who has not
    delivered and who has errors, marks the figures partial, warns first; Data Bidang and
    Capaian link to the forge's editor and the Excel forms."""
    stopped_at_step_4(office)
    pages = render_site(office.root, tmp_path / "halaman", dt.datetime(2026, 2, 3, 10, 0, tzinfo=WITA))
    home = pages["index.md"]
    # the invalid-data warning comes first, before the progress
    assert home.index("Data belum valid") < home.index('<div class="lk-kepala">')
    assert ('<div class="admonition warning lk-data-belum-valid"><p class="admonition-title">Data belum valid'
            '</p><p>5 galat pada data, termasuk di <a href="data-bidang.html#bidang-koperasi">Bidang '
            'Koperasi</a> (1), <a href="data-bidang.html#bidang-ukm">Bidang Usaha Kecil Menengah</a> (2), '
            '<a href="data-bidang.html#bidang-perindustrian">Bidang Perindustrian</a> (2). Dokumen tidak '
            'dapat dibangun dan langkah SOP tidak dapat dicatat sampai galat diperbaiki; lihat '
            '<a href="data-bidang.html">Data Bidang</a> atau jalankan '
            '<code>lakip validate</code>.</p></div>') in home
    assert ('<tr><th>Kelengkapan</th><td>Format Data: 1 dari 4 bidang lengkap (<a href="#data-bidang">'
            'lihat yang belum</a>)</td></tr>') in home
    assert "<p><strong>Belum menyerahkan data (2 dari 4 bidang):</strong></p>" in home
    rows = re.findall(r'<tr id="belum-[a-z]+">.*?</tr>', home)
    assert rows == [
        '<tr id="belum-ukm"><td><a href="data-bidang.html#bidang-ukm">Bidang Usaha Kecil Menengah</a>'
        '</td><td>Siti Rahmawati, S.P.</td><td>berkas <code>content/2025/bidang/ukm.yaml</code> belum ada'
        '</td></tr>',
        '<tr id="belum-perindustrian"><td><a href="data-bidang.html#bidang-perindustrian">Bidang '
        'Perindustrian</a></td><td>Yohanes Kristian Tandiarrang, S.T.</td><td>berkas '
        '<code>content/2025/bidang/perindustrian.yaml</code> belum ada</td></tr>']
    assert ('<p><strong>Data dengan galat (1 bidang):</strong></p>\n<ul class="lk-galat-bidang">\n'
            '<li><a href="data-bidang.html#bidang-koperasi">Bidang Koperasi</a>: 1 galat · Andi Muhammad '
            'Fadli, S.E.</li>\n</ul>') in home
    # the budget is what has come in so far, and says so
    assert ('<p class="admonition-title">Angka sementara</p><p>Data belum lengkap (Bidang Koperasi, '
            'Bidang Usaha Kecil Menengah, Bidang Perindustrian): capaian dan serapan di bawah '
            'hanya menghitung data yang sudah masuk dan valid.</p>'
            ) in home
    assert ('<p class="lk-kecil">Serapan anggaran · <span class="lk-lencana lk-berjalan">sementara</span>'
            ) in home

    # Data Bidang: each bidang's staff, state, messages at real positions, edit and form links
    page = pages["data-bidang.md"]
    cards = dict(re.findall(r'<div class="lk-kartu lk-bidang" id="bidang-([a-z]+)">(.*?)\n</div>', page,
                            re.S))
    assert list(cards) == ["sekretariat", "koperasi", "ukm", "perindustrian"]
    koperasi = cards["koperasi"]
    assert '<span class="lk-lencana lk-galat">1 galat</span>' in koperasi
    assert "<tr><th>Staf</th><td>Andi Muhammad Fadli, S.E.</td></tr>" in koperasi
    assert "<tr><th>Isi berkas</th><td>belum dapat dibaca: perbaiki dulu galat di bawah</td></tr>" in koperasi
    assert "Realisasi indikator" not in koperasi  # not "0 dari 2": the file is there, unreadable
    assert ('<tr><th>Berkas</th><td><code>content/2025/bidang/koperasi.yaml</code> · <a href="https://'
            'git.kantor.example/perencanaan/lakip/_edit/main/content/2025/bidang/koperasi.yaml" '
            'class="lk-sunting" rel="noopener noreferrer">sunting di forge</a></td></tr>') in koperasi
    # no form from a file lakip cannot read: its import would overwrite unknown data
    assert ("<tr><th>Formulir Excel</th><td>dapat diunduh setelah galat berkas ini diperbaiki</td></tr>"
            ) in koperasi
    line, col = _position(office.root, "content/2025/bidang/koperasi.yaml", '"39,54"')
    assert (f'<li class="lk-pesan-galat"><code>baris {line}, kolom {col}</code> galat: ') in koperasi
    assert "0:0" not in page and "baris 0" not in page
    ukm = cards["ukm"]
    assert '<span class="lk-lencana lk-menunggu">belum ada berkas</span>' in ukm
    assert "<tr><th>Staf</th><td>Siti Rahmawati, S.P.</td></tr>" in ukm
    assert "sunting di forge" not in ukm  # no file to edit yet; the form makes it
    assert '<li class="lk-pesan-galat"><code>seluruh berkas</code> galat: realisasi indikator ' in ukm
    assert ('<tr><th>Formulir Excel</th><td><a href="unduh/formulir/formulir-2025-ukm.xlsx" '
            'class="lk-formulir" download>unduh formulir</a>; isi sel kuning, lalu unggah ke '
            '<code>content/2025/formulir/ukm.xlsx</code> lewat pull request</td></tr>') in ukm
    sekretariat = cards["sekretariat"]
    assert '<span class="lk-lencana lk-selesai">lengkap</span>' in sekretariat
    assert "<tr><th>Staf</th><td>Ilham Saputra, S.Ak.; Fitriani Syahrani, A.Md.</td></tr>" in sekretariat
    # the form offered is the one `lakip format-data` writes, for a file not made yet
    from openpyxl import load_workbook

    form = load_workbook(tmp_path / "halaman/unduh/formulir/formulir-2025-ukm.xlsx")
    assert [tuple(r) for r in form["_lakip"].values] == [
        ("format", 1), ("bidang", "ukm"), ("tahun", 2025), ("berkas", "content/2025/bidang/ukm.yaml"),
        ("sha256", "tidak-ada")]
    assert not (tmp_path / "halaman/unduh/formulir/formulir-2025-koperasi.xlsx").exists()
    capaian = pages["capaian.md"]
    assert ('<a href="data-bidang.html#bidang-koperasi">koperasi</a> <a href="https://git.kantor.example/'
            'perencanaan/lakip/_edit/main/content/2025/bidang/koperasi.yaml" class="lk-sunting lk-kecil" '
            'rel="noopener noreferrer" title="sunting content/2025/bidang/koperasi.yaml di forge">sunting</a>'
            ) in capaian


def _position(root: Path, rel: str, needle: str) -> tuple[int, int]:
    from tests.conftest import position

    return position(root, rel, needle)


@pytest.mark.slow  # builds the site once (MkDocs) in a `lakip serve` process
def test_serve_prints_the_address_it_answers_on(sample: Path) -> None:
    """`lakip serve` says where it serves once it does (issue 16 item 7): the printed address
    answers with the home page; Ctrl+C ends it quietly."""
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    from tests.conftest import ROOT

    shutil.copy(ROOT / "mkdocs.yml", sample / "mkdocs.yml")
    with socket.socket() as probe:  # a free port now; lakip binds it a moment later
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # As typed in a terminal, where Ctrl+C always raises KeyboardInterrupt: a process started in
    # the background by a non-interactive shell (a CI runner's, or `pytest &`) inherits SIGINT
    # ignored, and Python then leaves it ignored, so the SIGINT below would do nothing.
    interactive = ("import runpy, signal, sys\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
                   "sys.argv[0] = 'lakip'\nrunpy.run_module('generator', run_name='__main__')\n")
    process = subprocess.Popen([sys.executable, "-c", interactive, "serve", "--repo", str(sample),
                                "--alamat", f"127.0.0.1:{port}"], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = process.stdout.readline()
        assert line == (f"Pratinjau situs di http://127.0.0.1:{port}/ (hanya menjawab alamat ini; "
                        "Ctrl+C untuk berhenti)\n")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=30) as page:
            assert page.status == 200
            assert "<h1 id=\"lakip-2025\">LAKIP 2025</h1>" in page.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()  # no server left behind by a failed run
            process.communicate()
            raise
    assert process.returncode == 0
    assert err.splitlines()[0] == f"Membangun pratinjau situs {sample} ..."
    assert "Traceback" not in err


def test_edit_links_come_only_from_plain_web_addresses(tmp_path: Path) -> None:
    from generator.workflow.mkdocs_plugin import office_edit_base

    def base(text: str) -> str | None:
        (tmp_path / "mkdocs.yml").write_text(f"site_name: Uji\n{text}", encoding="utf-8")
        return office_edit_base(tmp_path)

    assert base("repo_url: https://github.com/pemkot/lakip\nedit_uri: edit/main/\n") == (
        "https://github.com/pemkot/lakip/edit/main/")
    assert base("repo_url: https://gitlab.example.go.id/pemkot/lakip/\nedit_uri: -/edit/main\n") == (
        "https://gitlab.example.go.id/pemkot/lakip/-/edit/main/")
    assert base("repo_url: https://x.example/a\nedit_uri: https://git.example/b/_edit/main/\n") == (
        "https://git.example/b/_edit/main/")
    # without edit_uri no guess (the branch could be wrong); nothing that is not http(s)
    assert base("repo_url: https://github.com/pemkot/lakip\n") is None
    assert base("repo_url: javascript:alert(1)//\nedit_uri: edit/main/\n") is None
    assert base('repo_url: https://x.example/a"onmouseover="x\nedit_uri: edit/main/\n') is None
    assert base("repo_url: https://x.example/a\nedit_uri: javascript:alert(1)\n") is None
    assert base("repo_url: [1, 2]\nedit_uri: edit/main/\n") is None


def test_edit_links_from_instansi_when_mkdocs_yml_has_none(sample: Path) -> None:
    from generator.workflow.mkdocs_plugin import office_edit_base
    from generator.workflow.snapshot import gather
    from tests.conftest import run

    line, _ = edit(sample, "content/instansi.yaml", "contoh: true\n",
                   "contoh: true\nrepositori:\n  url: javascript:alert(1)\n  edit_uri: _edit/main/\n")
    assert run("validate", "--repo", sample).out.splitlines()[0] == (
        f"content/instansi.yaml:{line + 2}:8: galat: 'repositori.url': teks \"javascript:alert(1)\" tidak "
        "sesuai format; diharapkan pola ^https?://[^\\s\"'<>`]+$")
    edit(sample, "content/instansi.yaml", "javascript:alert(1)", "https://git.kota.example/dinas/lakip")
    snapshot = gather(sample)
    assert snapshot.errors() == []
    assert office_edit_base(sample, snapshot.repo.instansi) == (
        "https://git.kota.example/dinas/lakip/_edit/main/")
    # the office's mkdocs.yml, when it names the forge, wins
    (sample / "mkdocs.yml").write_text("repo_url: https://github.com/dinas/lakip\nedit_uri: edit/main/\n",
                                       encoding="utf-8")
    assert office_edit_base(sample, snapshot.repo.instansi) == "https://github.com/dinas/lakip/edit/main/"


def test_site_names_from_mkdocs_yml_show_as_text_never_as_markup(sample: Path, tmp_path: Path) -> None:
    """mkdocs.yml is repository data, and Material inserts site_name and copyright unescaped, in
    elements and in attributes: lakip escapes them before MkDocs sees them."""
    from tests.conftest import run

    (sample / "mkdocs.yml").write_text(
        "site_name: 'LAKIP \" onmouseover=\"alert(1)\" x=\"'\n"
        "copyright: '<script>alert(document.domain)</script><img src=x onerror=alert(2)> & Co'\n",
        encoding="utf-8")
    result = run("build", "--repo", sample, "--out", tmp_path / "out", "--format", "site")
    assert result.code == 0, result.err
    index = (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "<img src=x" not in index
    assert 'aria-label="LAKIP " onmouseover' not in index
    assert ("&lt;script&gt;alert(document.domain)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; "
            "&amp; Co") in index
    assert 'aria-label="LAKIP &#x27;' not in index  # quotes: escaped once, as &quot;
    assert "LAKIP &quot; onmouseover=&quot;alert(1)&quot; x=&quot;" in index


def test_build_replaces_only_a_site_folder_it_made(sample: Path, tmp_path: Path) -> None:
    """`out/site` that holds someone else's files is refused and left whole; lakip's own site,
    marked when it was built, is replaced by the next build."""
    from generator.store import OWNED_MARK
    from tests.conftest import run

    (sample / "mkdocs.yml").write_text("site_name: Uji\n", encoding="utf-8")
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("situs kantor yang lain", encoding="utf-8")
    result = run("build", "--repo", sample, "--out", tmp_path / "out", "--format", "site")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"lakip: galat: folder '{site}' berisi berkas lain dan bukan situs yang dibuat lakip (tidak ada "
        f"berkas {OWNED_MARK}); lakip tidak menghapusnya. Pilih folder baru atau kosong, atau kosongkan "
        "folder itu sendiri\n")
    assert [p.name for p in site.iterdir()] == ["index.html"]

    (site / "index.html").unlink()
    for _ in range(2):  # an empty folder, then lakip's own site
        result = run("build", "--repo", sample, "--out", tmp_path / "out", "--format", "site")
        assert result.code == 0, result.err
    assert (site / OWNED_MARK).is_file()
