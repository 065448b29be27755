"""`lakip meja`: the desk for staff who never open a terminal (issue 16, item 1). The fast tests
talk HTTP to the server; the slow one drives the whole review round trip in Debian's chromium."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from generator.workflow.demo import WITA, actor_env
from generator.workflow.meja_http import Meja
from tests.office import Office

CHROMIUM = "/usr/bin/chromium"
XSS_NOTE = """---
langkah: 6
peran: jafung
keputusan: setuju
judul: <script>window.__xss = "judul"</script>Catatan lama
---

Isi <script>window.__xss = "isi"</script> dan <img src="x" onerror="window.__xss = 'img'">
"""


def start(office: Office, role: str, when: str) -> Meja:
    """A desk for the holder of `role` at `when` (WITA), serving in a thread."""
    desk = Meja(office.root, 2025, env=actor_env(office.actors[role], f"{when}{WITA}"))
    desk.open()
    threading.Thread(target=desk.serve_forever, daemon=True).start()
    return desk


def request(desk: Meja, method: str, path: str, body: dict | None = None, cookie: str | None = None,
            host: str | None = None, origin: str | None = None, timeout: int = 60
            ) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", desk.port, timeout=timeout)
    headers = {"Host": host or f"127.0.0.1:{desk.port}"}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    response.text = response.body.decode("utf-8", "replace")  # type: ignore[attr-defined]
    conn.close()
    return response


def login(desk: Meja) -> str:
    """Use the one-time address; returns the cookie the desk set."""
    url = urlsplit(desk.url)
    response = request(desk, "GET", f"/?{url.query}")
    assert response.status == 303 and response.getheader("Location") == "/"
    cookie = response.getheader("Set-Cookie")
    assert cookie == f"meja_{desk.port}={desk.session}; Path=/; HttpOnly; SameSite=Strict"
    return cookie.split(";")[0]


def alerts(html: str) -> list[str]:
    import html as html_lib

    return [html_lib.unescape(m) for m in re.findall(r'<div class="pesan tolak" role="alert">(.*?)</div>',
                                                     html, re.S)]


def test_token_host_cookie_and_csrf_are_checked(office: Office) -> None:
    office.run_until(5)
    head = office.run("rev-parse", "HEAD").strip()
    desk = start(office, "jafung", "2026-02-10T09:00:00")
    try:
        wrong = request(desk, "GET", "/?token=salah")
        assert wrong.status == 403
        assert alerts(wrong.text) == ["Token salah atau sudah dipakai. Jalankan lakip meja lagi dan buka "
                                      "alamat baru yang dicetaknya."]
        no_cookie = request(desk, "GET", "/")
        assert no_cookie.status == 403
        assert alerts(no_cookie.text) == ["Sesi tidak dikenal. Buka alamat lengkap (dengan token) yang "
                                          "dicetak lakip meja, atau jalankan lakip meja lagi."]
        rebinding = request(desk, "GET", urlsplit(desk.url).path + "?" + urlsplit(desk.url).query,
                            host=f"penyerang.example:{desk.port}")
        assert rebinding.status == 403
        assert alerts(rebinding.text) == ["Alamat (Host) tidak dikenal: meja kerja hanya menjawab "
                                          f"http://127.0.0.1:{desk.port}/"]
        probe = request(desk, "HEAD", f"/?{urlsplit(desk.url).query}")  # review 1 item 12
        assert (probe.status, probe.getheader("Set-Cookie"), probe.text) == (200, None, "")
        cookie = login(desk)  # the token still works after the HEAD
        again = request(desk, "GET", f"/?{urlsplit(desk.url).query}")  # the token works once
        assert again.status == 403
        page = request(desk, "GET", "/", cookie=cookie)
        assert page.status == 200
        assert "script-src" not in page.getheader("Content-Security-Policy")
        assert page.getheader("Content-Security-Policy").startswith("default-src 'none'")
        assert "Menunggu Anda: langkah 6" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        decision = {"langkah": "6", "keputusan": "setuju", "catatan": "", "judul": "", "isi": ""}
        forged = request(desk, "POST", "/putuskan", {**decision, "csrf": "tebakan"}, cookie=cookie)
        assert forged.status == 403
        assert alerts(forged.text) == ["Token formulir (CSRF) salah: muat ulang halaman meja kerja lalu "
                                       "ulangi."]
        missing = request(desk, "POST", "/putuskan", decision, cookie=cookie)
        assert missing.status == 403
        other_site = request(desk, "POST", "/putuskan", {**decision, "csrf": csrf}, cookie=cookie,
                             origin="http://penyerang.example")
        assert other_site.status == 403
        assert alerts(other_site.text) == ["Formulir dari situs lain ditolak."]
        assert office.run("rev-parse", "HEAD").strip() == head  # nothing was recorded
    finally:
        desk.shutdown()


def test_a_refused_decision_changes_nothing_and_keeps_the_text(office: Office) -> None:
    office.run_until(5)
    head = office.run("rev-parse", "HEAD").strip()
    (office.root / "content/2025/catatan-pribadi.txt").write_text("belum selesai\n", encoding="utf-8")
    before = office.run("status", "--porcelain", "--untracked-files=all")
    note = {"judul": "Koreksi <b>draft</b>", "isi": "1. Perbaiki Bab III.", "catatan": ""}
    desk = start(office, "jafung", "2026-02-10T09:00:00")
    try:
        cookie = login(desk)
        # a decision step 6 does not allow, with a note: record() refuses after the note was put
        # into a copy of the index; the real index, the work tree and HEAD stay as they were
        done = request(desk, "POST", "/putuskan", {"csrf": desk.csrf, "langkah": "6",
                                                    "keputusan": "selesai", **note}, cookie=cookie)
        assert (done.status, done.getheader("Location")) == (303, "/")
        page = request(desk, "GET", "/", cookie=cookie)
        assert alerts(page.text) == [
            "langkah 6 (Pemeriksaan oleh Jafung Perencana) tidak dapat dicatat:\n"
            "  - keputusan 'selesai' tidak sah untuk langkah 6; pilih setuju atau revisi"]
        assert 'value="Koreksi &lt;b&gt;draft&lt;/b&gt;"' in page.text  # offered again, escaped
        assert ">1. Perbaiki Bab III.</textarea>" in page.text
        assert office.run("rev-parse", "HEAD").strip() == head
        assert office.run("status", "--porcelain", "--untracked-files=all") == before
        assert not list((office.root / "content/2025/reviu").glob("*langkah-6*"))
    finally:
        desk.shutdown()
    desk = start(office, "sekretaris", "2026-02-10T09:00:00")  # step 6 is not hers
    try:
        cookie = login(desk)
        page = request(desk, "GET", "/", cookie=cookie)
        assert ("<h2>Tidak ada yang menunggu Anda sekarang</h2>" in page.text
                and 'action="/putuskan"' not in page.text)
        # a stale or hand-made form: the same checks as `lakip step` refuse it
        request(desk, "POST", "/putuskan", {"csrf": desk.csrf, "langkah": "6", "keputusan": "setuju",
                                             **note}, cookie=cookie)
        [refusal] = alerts(request(desk, "GET", "/", cookie=cookie).text)
        assert refusal.splitlines()[0] == (
            "langkah 6 (Pemeriksaan oleh Jafung Perencana) tidak dapat dicatat:")
        assert "tidak memegang peran 'jafung'" in refusal
        assert office.run("rev-parse", "HEAD").strip() == head
        assert office.run("status", "--porcelain", "--untracked-files=all") == before
    finally:
        desk.shutdown()


def test_one_git_status_gives_the_files_the_branch_and_its_upstream(tmp_path: Path, git_home: Path) -> None:
    from generator.git import Git
    from generator.workflow.meja import _worktree

    repo = tmp_path / "repo"

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=A", "-c", "user.email=a@contoh.go.id", "-C", str(repo),
                        *args], check=True, capture_output=True)

    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    for name in ("lama.txt", "dua kata.txt", "bentrok.txt"):
        (repo / name).write_text(f"{name}\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "awal")
    assert _worktree(Git(repo)) == ((), (), "main", None, 0)  # no upstream
    git("mv", "lama.txt", "baru sekali.txt")  # a staged rename: the new path, its source skipped
    (repo / "dua kata.txt").write_text("diubah\n", encoding="utf-8")
    git("add", "dua kata.txt")
    (repo / "dua kata.txt").write_text("diubah lagi\n", encoding="utf-8")  # staged and unstaged
    (repo / "folder").mkdir()
    (repo / "folder" / "belum dilacak.md").write_text("x\n", encoding="utf-8")
    assert _worktree(Git(repo)) == (("baru sekali.txt", "dua kata.txt"),
                                    ("dua kata.txt", "folder/belum dilacak.md"), "main", None, 0)
    git("commit", "-q", "-am", "dua")
    remote = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git("remote", "add", "origin", str(remote))
    git("push", "-q", "-u", "origin", "main")
    git("commit", "-q", "--allow-empty", "-m", "tiga")
    git("commit", "-q", "--allow-empty", "-m", "empat")
    assert _worktree(Git(repo))[2:] == ("main", "origin/main", 2)
    git("switch", "-q", "-c", "cabang", "HEAD~2")  # a conflict: unmerged is staged and unstaged
    (repo / "bentrok.txt").write_text("dari cabang\n", encoding="utf-8")
    git("commit", "-q", "-am", "cabang")
    git("switch", "-q", "main")
    (repo / "bentrok.txt").write_text("dari main\n", encoding="utf-8")
    git("commit", "-q", "-am", "main")
    subprocess.run(["git", "-c", "user.name=A", "-c", "user.email=a@contoh.go.id", "-C", str(repo), "merge",
                    "-q", "cabang"], capture_output=True, check=False)
    assert _worktree(Git(repo)) == (("bentrok.txt",), ("bentrok.txt", "folder/belum dilacak.md"),
                                    "main", "origin/main", 3)
    git("merge", "--abort")
    # the upstream is set but this clone lacks its remote-tracking branch (a clone of an empty
    # server): none of the branch's 5 commits is known to be there, a push sends them
    git("update-ref", "-d", "refs/remotes/origin/main")
    assert _worktree(Git(repo))[2:] == ("main", "origin/main", 5)
    git("branch", "--unset-upstream")
    assert _worktree(Git(repo))[2:] == ("main", None, 0)
    git("switch", "-q", "--detach")
    assert _worktree(Git(repo))[2:] == (None, None, 0)


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian chromium is not installed (CI installs it)")
def test_review_round_trip_in_chromium(office: Office, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import run

    office.run_until(5)
    root = office.root
    office.commit(office.actors["jafung"], "2026-02-09T15:00:00", "Catatan lama",
                  {"content/2025/reviu/lama.md": XSS_NOTE})
    remote = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    office.run("remote", "add", "origin", str(remote))
    subprocess.run(["git", "-C", str(root), "push", "-q", "-u", "origin", "main"], check=True)
    # work in progress that no decision may touch
    (root / "content/2025/catatan-pribadi.txt").write_text("belum selesai\n", encoding="utf-8")
    penutup = root / "content/2025/narasi/penutup.md"
    penutup.write_text(penutup.read_text(encoding="utf-8") + "\nDraf kalimat baru.\n", encoding="utf-8")
    wip = office.run("status", "--porcelain", "--untracked-files=all")

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        # One browser page visits every desk in turn (a new context and renderer per desk cost
        # chromium about a second each): each desk's cookie is named after its port, so the
        # earlier desks' cookies open nothing at the next one.
        page = chromium.new_context().new_page()

        def desk_page(role: str, when: str) -> Meja:
            desk = start(office, role, when)
            page.goto(desk.url)
            assert page.url == f"http://127.0.0.1:{desk.port}/"
            return desk

        def decide(page, keputusan: str) -> str:
            page.get_by_role("button", name=keputusan.capitalize()).click()
            page.wait_for_load_state("load")
            return page.locator("[role=status], [role=alert]").first.inner_text()

        # 1. the jafung: sees the draft and the notes so far, writes a note and decides revisi
        desk = desk_page("jafung", "2026-02-10T09:00:00")
        assert page.locator("h2").first.inner_text() == (
            "Menunggu Anda: langkah 6, Pemeriksaan oleh Jafung Perencana")
        assert page.evaluate("window.__xss") is None
        assert page.locator("#reviu").inner_text().count("Catatan lama") == 1
        # the draft's policy is checked on the response the browser showed (not a second build)
        with page.context.expect_event("response", lambda r: r.url.endswith("/draf-lakip-2025.html")
                                       ) as shown, page.expect_popup() as popup:
            page.get_by_role("link", name="Lihat draft LAKIP 2025 (HTML)").click()
        draft = popup.value
        draft.wait_for_load_state("load")
        assert draft.locator(".tanda-atas").inner_text() == (
            "DRAF · CONTOH — dokumen belum disahkan (langkah 8 SOP)")
        assert "Bab III" in draft.content()
        draft.close()
        html = shown.value
        assert html.url == f"http://127.0.0.1:{desk.port}/draf-lakip-2025.html"
        assert html.headers["content-security-policy"].startswith("sandbox; default-src 'none';")
        # the draft's PDF: test_the_last_step_at_the_desk_is_the_archive downloads it, where the
        # archive lays out the same HTML anyway
        # revisi without a note: refused by the checks of `lakip step`, in Indonesian
        message = decide(page, "revisi")
        assert ("keputusan 'revisi' memerlukan catatan reviu baru di content/2025/reviu/ "
                "(front matter langkah: 6, keputusan: revisi)") in message
        page.fill("#judul", "Koreksi draft oleh Jafung")
        page.fill("#isi", "1. Bab III belum membahas **efisiensi** program.\n2. Lengkapi tabel IKU.")
        message = decide(page, "revisi")
        assert message.startswith("Langkah 6 (revisi) dicatat: commit ")
        note = re.search(r"catatan reviu (content/2025/reviu/\S+\.md) ikut", message)[1]
        assert note == "content/2025/reviu/2026-02-10-langkah-6-jafung.md"
        assert "efisiensi" in page.locator("#reviu").inner_text()
        assert page.locator("h2").first.inner_text() == "Tidak ada yang menunggu Anda sekarang"
        desk.shutdown()
        trailer = office.run("show", "-s", "--format=%(trailers:key=SOP-Keputusan,valueonly)", "HEAD")
        assert trailer.strip() == "revisi"
        assert office.run("show", "--name-only", "--format=", "HEAD").split() == [note]

        # 2.-5. tim-kerja step 5 again, jafung 6, sekretaris 7, kepala dinas 8: all through the page
        for role, when, no, keputusan in (("tim-kerja", "2026-02-10T14:00:00", 5, "selesai"),
                                           ("jafung", "2026-02-11T09:00:00", 6, "setuju"),
                                           ("sekretaris", "2026-02-11T13:00:00", 7, "setuju"),
                                           ("kepala-dinas", "2026-02-12T10:00:00", 8, "setuju")):
            desk = desk_page(role, when)
            assert page.locator("h2").first.inner_text().startswith(f"Menunggu Anda: langkah {no}, ")
            assert decide(page, keputusan).startswith(f"Langkah {no} ({keputusan}) dicatat: commit ")
            if no != 8:
                desk.shutdown()
        # then the kepala dinas sends it to the server
        assert "5 commit di cabang main belum ada di origin/main." in page.locator("#kirim").inner_text()
        page.get_by_role("button", name="Kirim ke origin/main (git push)").click()
        page.wait_for_load_state("load")
        assert page.locator("[role=status]").first.inner_text().startswith("Terkirim ke origin/main (")
        desk.shutdown()
        chromium.close()

    head = office.run("rev-parse", "HEAD").strip()
    assert subprocess.run(["git", "-C", str(remote), "rev-parse", "main"], capture_output=True, text=True,
                          check=True).stdout.strip() == head
    assert office.run("status", "--porcelain", "--untracked-files=all") == wip  # untouched
    status = office.status()
    assert status.status.berjalan == 9 and status.status.final is True
    assert [(c.no, c.keputusan) for c in status.status.riwayat][-5:] == [
        (6, "revisi"), (5, "selesai"), (6, "setuju"), (7, "setuju"), (8, "setuju")]
    verify = run("verify", "--repo", root)
    assert verify.code == 0, verify.out


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_the_last_step_at_the_desk_is_the_archive(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    # test_archive's office at step 10 (tanda terima and its scan): the same recording, and the
    # same documents, which rendered_once renders once in a test run (whichever test is first)
    from generator.render import document
    from tests.test_archive import until_step_10

    real_pdf_pages, layouts = document.pdf_pages, []

    def pdf_pages(html: str):
        layouts.append(1)
        return real_pdf_pages(html)

    monkeypatch.setattr(document, "pdf_pages", pdf_pages)
    until_step_10(office)
    desk = start(office, "tim-kerja", "2026-02-12T09:40:00")
    try:
        cookie = login(desk)
        page = request(desk, "GET", "/", cookie=cookie)
        assert ">Selesai dan arsipkan</button>" in page.text
        # The draft's PDF. With nothing staged, the draft at step 10 is the HTML the archive lays
        # out, so this layout is the archive's own (rendered_once): checked here, not laid out
        # again for a draft of its own.
        response = request(desk, "GET", "/draf-lakip-2025.pdf", cookie=cookie, timeout=900)
        assert response.status == 200 and response.body[:5] == b"%PDF-"
        # the same draft downloaded again: the desk serves the PDF it laid out, not a second layout
        again = request(desk, "GET", "/draf-lakip-2025.pdf", cookie=cookie, timeout=900)
        assert again.body == response.body and layouts == [1]
        # the archive builds every document: minutes on a busy machine
        request(desk, "POST", "/putuskan", {"csrf": desk.csrf, "langkah": "11", "keputusan": "selesai",
                                             "catatan": "Arsip 2025"}, cookie=cookie, timeout=900)
        page = request(desk, "GET", "/", cookie=cookie)
        assert alerts(page.text) == []
        assert re.search(r"Langkah 11 \(selesai\) dicatat: commit [0-9a-f]{10} «LAKIP 2025 · Langkah 11: "
                         r"[^»]+»; arsip dibuat dengan tag lakip-2025", page.text)
        assert "<h2>SOP tahun 2025 sudah selesai</h2>" in page.text
    finally:
        desk.shutdown()
    assert office.run("rev-parse", "lakip-2025^{commit}").strip() == office.run("rev-parse", "HEAD").strip()
    assert (office.root / "arsip/2025/manifest.json").is_file()
    # what the reviewer downloaded from the desk is what the archive stores
    assert (office.root / "arsip/2025/lakip-2025.pdf").read_bytes() == response.body
