"""Trust (DESIGN §5 "Trust", issue 10): one test per attack, each on a real repository with real
ssh-keygen keys and real signed commits, asserting the exact finding and the DRAF/FINAL state of
status and of the document's HTML; the honest cases (key rotation, end of a Plt. period, UTC vs
WITA, a CRLF checkout) verify clean and FINAL."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest

from generator.data.errors import LakipError
from generator.data.source import FsSource
from generator.sop.progress import approval
from generator.workflow.demo import WITA, Actor, actor_env, make_key
from tests.conftest import run
from tests.office import WHEN, Office

NOW = "2026-02-13T10:00:00"


@pytest.fixture(scope="module")
def base7(tmp_path_factory: pytest.TempPathFactory, recordings) -> tuple[Path, dict[str, Actor]]:
    """One office with steps 1-7 recorded through `lakip step` (real keys, real signed commits),
    copied from the session's recordings (which record it when no test of this worker has yet);
    tests work on copies of it."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME",
                    "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "GIT_DIR", "GIT_WORK_TREE"):
            mp.delenv(var, raising=False)
        office = Office.create(tmp_path_factory.mktemp("dasar") / "kantor", recordings)
        office.run_until(7)
    return office.root, office.actors


@pytest.fixture
def office7(base7: tuple[Path, dict[str, Actor]], tmp_path: Path, git_home: Path) -> Office:
    """A private copy of the module's office at step 7 (keys copied with it)."""
    import shutil

    from generator.git import Git

    source, actors = base7
    root = tmp_path / "kantor"
    shutil.copytree(source, root, symlinks=True)
    moved = {role: Actor(a.nama, a.email, root / a.key.relative_to(source)) for role, a in actors.items()}
    return Office(root, Git(root), moved)


def findings(office: Office) -> list[tuple[str, str, int | None, str]]:
    return [(t.kode, t.commit, t.langkah, t.pesan) for t in office.status().status.temuan]


def codes(office: Office) -> list[tuple[str, int | None]]:
    return [(t.kode, t.langkah) for t in office.status().status.temuan]


def html_mark(root: Path) -> tuple[bool, tuple[str, ...]]:
    """(DRAF?, notes) of the document as `lakip build` would write it: the HTML is rendered from
    the same DocumentState, so its DRAF mark is exactly `not final`."""
    from generator.data.load import load_repo
    from generator.figures.capaian import compute
    from generator.render import document
    from generator.render.templates import environment
    from generator.workflow.snapshot import gather

    repo, _ = load_repo(root, FsSource(root))
    state = gather(root, 2025).state
    notes = state.alasan
    html = document.render(environment(root, None), "document/lakip.html",
                           document.context(repo, 2025, compute(repo, 2025), state, None))
    assert ("lk-draf" in html or ">DRAF<" in html) == state.draf or "DRAF" in html
    return state.draf, notes


def personil_text(office: Office) -> str:
    return (office.root / "sop/personil.yaml").read_text(encoding="utf-8")


def person_block(text: str, email: str) -> tuple[int, int]:
    """The span of one person's entry in personil.yaml."""
    at = text.index(f"email: {email}")
    start = text.rindex("- nama:", 0, at)
    end = text.find("- nama:", at)
    return start, end if end != -1 else len(text)


def replace_in_person(text: str, email: str, old: str, new: str) -> str:
    start, end = person_block(text, email)
    block = text[start:end]
    assert block.count(old) == 1, (old, block)
    return text[:start] + block.replace(old, new) + text[end:]


def change_roster(office: Office, text: str, when: str, by: str = "sekretaris", sign: bool = True) -> str:
    return office.commit(office.actors[by], when, "Ubah daftar personil", {"sop/personil.yaml": text},
                         sign=sign)


def pub(actor: Actor) -> str:
    return actor.key.with_name(actor.key.name + ".pub").read_text(encoding="utf-8").strip()


# ---------------------------------------------------------------- the attacks


def test_unsigned_approval_is_never_final(office7: Office) -> None:
    office = office7
    forged = office.forge(8, sign_with=False)
    kepala = office.actors["kepala-dinas"]
    assert findings(office) == [("tanpa-tanda-tangan", forged, 8,
                                 "langkah 8 wajib ditandatangani (SSH), commit ini tidak")]
    status = office.status().status
    assert status.find_langkah(8).status == "selesai" and status.final is False
    assert [t.kode for t in status.penghalang] == ["tanpa-tanda-tangan"]
    draf, notes = html_mark(office.root)
    assert draf is True
    assert notes == (f"dokumen DRAF walaupun langkah pengesahan sudah dicatat: tanpa-tanda-tangan "
                     f"(commit {forged[:10]}, langkah 8): langkah 8 wajib ditandatangani (SSH), "
                     "commit ini tidak",)
    assert kepala.email in office.run("log", "-1", "--format=%ae")
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    site = site_data(gather(office.root, 2025))
    assert site.final is False and notes[0] in site.notes


def test_rebase_root_strips_every_signature(office7: Office) -> None:
    office = office7
    office.step(8)
    env = {**actor_env(office.actors["tim-kerja"], "2026-02-12T08:00:00" + WITA),
           "GIT_CONFIG_COUNT": "0"}
    office.run("rebase", "-q", "--root", "--committer-date-is-author-date", env=env)
    status = office.status().status
    assert [(t.kode, t.langkah) for t in status.temuan] == [("tanpa-tanda-tangan", n) for n in range(1, 9)]
    assert status.final is False
    assert html_mark(office.root)[0] is True
    result = run("status", "--repo", office.root)
    assert "8/11 langkah selesai, dokumen DRAF" in result.out
    assert "Dokumen DRAF walaupun langkah pengesahan sudah dicatat, karena: tanpa-tanda-tangan" in result.out


def test_self_granted_role_is_refused_and_reported(office7: Office) -> None:
    office = office7
    stranger = office.stranger("Orang Asing", "asing@contoh.go.id")
    text = personil_text(office) + (
        "  - nama: Orang Asing\n    nip: \"199901012020011001\"\n    email: asing@contoh.go.id\n"
        f"    peran: [kepala-dinas]\n    kunci_ssh: \"{pub(stranger)}\"\n"
        "    berlaku: {mulai: 2026-01-01}\n")
    (office.root / "sop/personil.yaml").write_text(text, encoding="utf-8")
    office.run("add", "sop/personil.yaml")
    from generator.workflow.step import step as record

    with pytest.raises(LakipError) as refused:
        record(office.root, 8, "setuju", None, 2025, env=actor_env(stranger, WHEN[8] + WITA))
    assert refused.value.pesan == (
        "langkah 8 (Pemeriksaan dan penandatanganan oleh Kepala Dinas) tidak dapat dicatat:\n"
        "  - identitas git Orang Asing <asing@contoh.go.id> tidak ada di sop/personil.yaml "
        "(petunjuk: git config user.email <email Anda>)\n"
        "  - perubahan sop/ (sop/personil.yaml) tidak boleh ikut di commit langkah: commit-kan dulu "
        "secara terpisah, ditandatangani pengelola (kepala-dinas, sekretaris) (petunjuk: git restore "
        "--staged sop/)")
    # the same commit made by hand, signed with the stranger's own key
    forged = office.forge(8, by=stranger)
    root = office.status().akar.commit
    assert findings(office) == [
        ("personil-tidak-dikenal", forged, 8,
         "Orang Asing <asing@contoh.go.id> tidak ada di sop/personil.yaml"),
        ("tanda-tangan-tidak-sah", forged, 8, "tanda tangan langkah 8 tidak sah untuk asing@contoh.go.id: "
         "asing@contoh.go.id tidak ada di daftar personil yang berlaku"),
        ("perubahan-tidak-sah", forged, None, "perubahan sop/ tidak sah: commit langkah SOP tidak boleh "
         "mengubah sop/ (ubah aturan di commit tersendiri); aturan dan daftar personil dari commit "
         f"{root[:10]} tetap berlaku")]
    assert office.status().status.final is False
    assert html_mark(office.root)[0] is True


def test_roster_change_by_a_non_pengelola_stays_out_of_force(office: Office) -> None:
    jafung = office.actors["jafung"]
    text = replace_in_person(personil_text(office), jafung.email, "peran: [jafung]",
                             "peran: [jafung, kepala-dinas]")
    change = change_roster(office, text, "2026-01-27T09:00:00", by="jafung")
    forged = office.forge(1, by=jafung)
    root = office.status().akar.commit
    assert findings(office) == [
        ("peran-salah", forged, 1, f"{_nama(office, jafung)} tidak memegang peran 'kepala-dinas' yang "
                                   "melaksanakan langkah 1"),
        ("perubahan-tidak-sah", change, None,
         f"perubahan sop/ tidak sah: {_nama(office, jafung)} tidak memegang peran pengelola "
         f"(kepala-dinas, sekretaris) pada 2026-01-27; aturan dan daftar personil dari commit "
         f"{root[:10]} tetap berlaku")]


def _nama(office: Office, actor: Actor) -> str:
    return next(p.nama for p in office.status().roster if p.email == actor.email)


def test_unsigned_roster_change_by_a_pengelola_is_not_authorized(office: Office) -> None:
    jafung = office.actors["jafung"]
    text = replace_in_person(personil_text(office), jafung.email, "peran: [jafung]",
                             "peran: [jafung, kepala-dinas]")
    change = change_roster(office, text, "2026-01-27T09:00:00", sign=False)
    office.forge(1, by=jafung)
    sek = office.actors["sekretaris"]
    root = office.status().akar.commit
    assert [(k, c, n) for k, c, n, _ in findings(office)] == [
        ("peran-salah", office.run("rev-parse", "HEAD").strip(), 1), ("perubahan-tidak-sah", change, None)]
    assert findings(office)[1][3] == (
        f"perubahan sop/ tidak sah: tidak ditandatangani ({sek.nama.rstrip('.')} <{sek.email}>); aturan dan "
        f"daftar personil dari commit {root[:10]} tetap berlaku")


def test_stale_approval_from_a_side_branch_is_rantai_putus(office7: Office) -> None:
    office = office7
    office.run("branch", "lama")
    office.run("checkout", "-q", "lama")
    stale = office.step(8, when="2026-02-11T08:30:00").commit
    office.run("checkout", "-q", "main")
    note = "content/2025/reviu/langkah-8.md"
    (office.root / note).parent.mkdir(parents=True, exist_ok=True)
    (office.root / note).write_text("---\nlangkah: 8\nperan: kepala-dinas\nkeputusan: revisi\n---\n"
                                    "Perbaiki Bab III.\n", encoding="utf-8")
    office.run("add", note)
    office.step(8, "revisi", when="2026-02-11T10:00:00")
    office.step(5, when="2026-02-11T11:00:00")
    office.step(6, when="2026-02-11T13:00:00")
    seventh = office.step(7, when="2026-02-12T09:00:00").commit
    env = {**actor_env(office.actors["tim-kerja"], "2026-02-12T10:00:00" + WITA), "GIT_CONFIG_COUNT": "0"}
    office.run("merge", "-q", "--no-ff", "-m", "Gabung cabang lama", "lama", env=env)
    status = office.status().status
    assert [(t.kode, t.commit, t.langkah) for t in status.temuan] == [("rantai-putus", stale, 8)]
    assert status.temuan[0].pesan.startswith(
        "langkah 8 tidak tersambung ke rantai langkah SOP: commit langkah 8 (")
    assert status.find_langkah(8).status == "berjalan" and status.berjalan == 8
    assert status.final is False
    assert html_mark(office.root)[0] is True
    assert seventh in [c.commit for c in status.riwayat]


def test_backdated_step_is_refused_and_reported(office: Office) -> None:
    kepala = office.actors["kepala-dinas"]
    text = replace_in_person(personil_text(office), kepala.email, "sampai: null}", "sampai: 2026-02-03}")
    change_roster(office, text, "2026-01-27T09:00:00")
    office.run_until(7)
    from generator.workflow.step import step as record

    with pytest.raises(LakipError) as refused:
        record(office.root, 8, "setuju", None, 2025, env=actor_env(kepala, "2026-02-03T16:00:00" + WITA))
    assert "  - waktu commit 2026-02-03T16:00:00+08:00 lebih awal dari langkah atau commit sebelumnya " \
           "(2026-02-10T14:00:00+08:00)" in refused.value.pesan
    forged = office.forge(8, when="2026-02-03T16:00:00")
    seventh = office.status().status.find_langkah(7).catatan.commit
    assert findings(office) == [("waktu-mundur", forged, 8,
                                 f"langkah 8 bertanggal 2026-02-03 16:00, sebelum langkah sebelumnya "
                                 f"({seventh[:10]}, 2026-02-10 14:00)")]
    assert office.status().status.final is False
    assert html_mark(office.root)[0] is True


def test_hand_made_revisi_without_a_review_note(office: Office) -> None:
    office.run_until(5)
    forged = office.forge(6, trailers={"SOP-Keputusan": "revisi"})
    assert findings(office) == [("syarat-tidak-terpenuhi", forged, 6,
                                 "langkah 6 (revisi) dicatat tanpa syaratnya: keputusan 'revisi' "
                                 "memerlukan catatan reviu baru di content/2025/reviu/ (front matter "
                                 "langkah: 6, keputusan: revisi) yang ikut di commit ini (git add)")]


def test_shallow_clone_is_riwayat_terpotong(office7: Office, tmp_path: Path) -> None:
    office = office7
    office.commit(office.actors["tim-kerja"], "2026-02-10T15:00:00", "Lain",
                  {"content/2025/bukti/a.txt": "a\n"})
    clone = tmp_path / "dangkal"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{office.root}", str(clone)], check=True)
    result = run("status", "--repo", clone)
    assert result.code == 1
    assert "  riwayat-terpotong: commit " in result.out and "langkah None" not in result.out
    assert "riwayat git terpotong (shallow clone): langkah SOP tidak dapat diperiksa (petunjuk: git " \
           "fetch --unshallow; di GitHub Actions actions/checkout dengan fetch-depth: 0)" in result.out
    verify = run("verify", "--repo", clone, "--json")
    assert verify.code == 1
    import json

    assert [t["kode"] for t in json.loads(verify.out)["temuan"]] == ["riwayat-terpotong"]


def test_evil_merge_needs_its_own_signature_clean_merge_does_not(office: Office) -> None:
    sek = office.actors["sekretaris"]
    office.run("checkout", "-q", "-b", "aturan")
    text = replace_in_person(personil_text(office), office.actors["jafung"].email, "bidang: []",
                             "bidang: [sekretariat]")
    change_roster(office, text, "2026-01-27T09:00:00")
    office.run("checkout", "-q", "main")
    office.commit(office.actors["tim-kerja"], "2026-01-27T10:00:00", "Lain",
                  {"content/2025/bukti/a.txt": "a\n"})
    env = {**actor_env(office.actors["tim-kerja"], "2026-01-27T11:00:00" + WITA), "GIT_CONFIG_COUNT": "0"}
    office.run("merge", "-q", "--no-ff", "-m", "Gabung aturan", "aturan", env=env)
    assert codes(office) == []
    # an evil merge: the merge itself changes sop/ beyond both parents, unsigned
    office.run("checkout", "-q", "-b", "lain", "HEAD~1")
    office.commit(office.actors["tim-kerja"], "2026-01-28T10:00:00", "Lain 2",
                  {"content/2025/bukti/b.txt": "b\n"})
    office.run("checkout", "-q", "main")
    office.run("merge", "-q", "--no-ff", "--no-commit", "lain", env=env)
    text = personil_text(office).replace("peran: [jafung]", "peran: [jafung, kepala-dinas]", 1)
    (office.root / "sop/personil.yaml").write_text(text, encoding="utf-8")
    office.run("add", "sop/personil.yaml")
    office.run("commit", "-q", "-m", "Gabung lain", env=env)
    evil = office.run("rev-parse", "HEAD").strip()
    assert [(k, c) for k, c, _, _ in findings(office)] == [("perubahan-tidak-sah", evil)]
    assert sek.email  # the signed change on the branch stayed authorized


# ---------------------------------------------------------------- honest roster changes


def test_key_rotation_keeps_old_approvals(office: Office) -> None:
    office.run_until(1)
    kepala = office.actors["kepala-dinas"]
    new_key = office.root.parent / "kunci-baru" / "kepala"
    new_pub = make_key(new_key, kepala.email)
    old = pub(kepala)
    text = replace_in_person(personil_text(office), kepala.email, f'kunci_ssh: "{old}"',
                             f'kunci_ssh:\n      - {{kunci: "{old}", sampai: 2026-02-02}}\n'
                             f'      - {{kunci: "{new_pub}", mulai: 2026-02-03}}')
    change_roster(office, text, "2026-02-02T08:32:00")
    office.actors["kepala-dinas"] = Actor(kepala.nama, kepala.email, new_key)
    for no in range(2, 9):
        office.step(no)
    status = office.status().status
    assert status.temuan == () and status.final is True
    assert status.find_langkah(1).catatan.tanda_tangan == "sah"
    assert html_mark(office.root)[0] is False


def test_revoked_key_voids_every_signature(office: Office) -> None:
    office.run_until(1)
    kepala = office.actors["kepala-dinas"]
    old = pub(kepala)
    text = replace_in_person(personil_text(office), kepala.email, f'kunci_ssh: "{old}"',
                             f'kunci_ssh:\n      - {{kunci: "{old}", dicabut: 2026-02-05}}')
    change_roster(office, text, "2026-02-05T15:00:00")
    first = office.status().status.find_langkah(1).catatan.commit
    fp = subprocess.run(["ssh-keygen", "-lf", str(kepala.key) + ".pub"], capture_output=True, text=True,
                        check=True).stdout.split()[1]
    assert findings(office) == [("tanda-tangan-tidak-sah", first, 1,
                                 f"tanda tangan langkah 1 tidak sah untuk {kepala.email}: kunci {fp} "
                                 "dicabut sejak 2026-02-05")]


def test_end_of_a_plt_period_keeps_the_approval(office: Office) -> None:
    sek = office.actors["sekretaris"]
    text = replace_in_person(personil_text(office), sek.email, "peran: [sekretaris]",
                             "peran:\n      - sekretaris\n      - {id: kepala-dinas, mulai: 2026-02-09, "
                             "sampai: 2026-02-11, sebagai: Plt.}")
    change_roster(office, text, "2026-01-27T09:00:00")
    office.run_until(7)
    office.step(8, role="sekretaris")
    assert office.status().status.final is True
    ended = replace_in_person(text, sek.email,
                              "\n      - {id: kepala-dinas, mulai: 2026-02-09, sampai: 2026-02-11, "
                              "sebagai: Plt.}",
                              "")
    change_roster(office, ended, "2026-02-11T15:00:00")
    status = office.status().status
    assert status.temuan == () and status.final is True
    assert html_mark(office.root)[0] is False


@pytest.mark.parametrize("zone", ["UTC", "Asia/Makassar", "Asia/Jakarta"])
def test_validity_is_judged_in_the_sops_zone(office: Office, zone: str, monkeypatch) -> None:
    def make(office: Office) -> None:  # recorded once (in the process's own zone), then copied
        kepala = office.actors["kepala-dinas"]
        text = replace_in_person(personil_text(office), kepala.email, "berlaku: {mulai: 2024-01-01",
                                 "berlaku: {mulai: 2026-02-02")
        change_roster(office, text, "2026-01-27T09:00:00")
        office.step(1, when="2026-02-02T07:40:00")

    office.prepared("trust-kepala-mulai-2026-02-02", make)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert codes(office) == []
        result = run("verify", "--repo", office.root, "--tahun", "2025")
        assert result.code == 0, result.out
    finally:
        monkeypatch.undo()
        time.tzset()


def test_crlf_checkout_of_an_approved_report_is_final(office7: Office, tmp_path: Path) -> None:
    office = office7
    office.step(8)
    assert office.status().status.final is True
    clone = tmp_path / "windows"
    subprocess.run(["git", "clone", "-q", "-c", "core.autocrlf=true", str(office.root), str(clone)],
                   check=True)
    csv = clone / "content/2025/bukti/koperasi/iku-1-rekap-koperasi-aktif.csv"
    assert b"\r\n" in csv.read_bytes()
    assert subprocess.run(["git", "-C", str(clone), "status", "--porcelain"], capture_output=True,
                          text=True, check=True).stdout == ""
    final, _, notes = approval(clone, 2025, FsSource(clone))
    assert (final, notes) == (True, ())
    assert html_mark(clone) == (False, ())
    # a real edit in the CRLF checkout still makes it DRAF
    csv.write_bytes(csv.read_bytes() + b"tambahan\r\n")
    assert approval(clone, 2025, FsSource(clone))[0] is False


# ---------------------------------------------------------------- parsing that cannot crash


def test_control_characters_and_invalid_utf8_in_commits_cannot_crash(office: Office) -> None:
    from generator.git import changes, step_commits, tags

    tree = office.run("write-tree").strip()
    head = office.run("rev-parse", "HEAD").strip()
    raw = (f"tree {tree}\nparent {head}\nauthor Na\x1fma\x1e \u2028x <a@b.c> 1770000000 +0800\n"
           f"committer X <a@b.c> 1770000000 +0800\n\nSOP \xff\xfe judul\x1f\x1e\u2028\n\n"
           "SOP: lakip\nSOP-Tahun: 2025\nSOP-Langkah: 1\x1f\n").encode("utf-8", "surrogateescape")
    raw = raw.replace("\xff\xfe".encode(), b"\xff\xfe")
    oid = subprocess.run(["git", "-C", str(office.root), "hash-object", "-t", "commit", "-w",
                          "--literally", "--stdin"], input=raw, capture_output=True, check=True).stdout
    office.run("update-ref", "HEAD", oid.decode().strip())
    office.run("tag", "-a", "-m", "pesan\x1f\x1e\u2028 \x01", "lakip-2025", env={
        "GIT_COMMITTER_NAME": "T\x1fag", "GIT_COMMITTER_EMAIL": "t@x.y"})
    commits = step_commits(office.git)
    assert len(commits) == 1 and commits[0].author_name.startswith("Na\x1fma\x1e")
    assert dict(commits[0].trailers)["SOP-Langkah"] in ("1", "1\x1f")
    assert [t.name for t in tags(office.git)] == ["lakip-2025"]
    assert changes(office.git) is not None
    status = office.status().status
    assert [t.kode for t in status.temuan] == ["trailer-rusak"]


# ---------------------------------------------------------------- holidays


def test_holiday_cache_is_keyed_by_the_library_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.sop import worktime

    # this process's holiday sets start empty: another test on this worker may have computed 2031
    monkeypatch.setattr(worktime, "_LIBUR", {})
    day = dt.date(2031, 7, 7)
    worktime.seed_libur({"holidays": "0.0-lama",
                         "libur": {"ID|government,public|2031": {day.isoformat(): "X"}}})
    assert ("ID", ("government", "public"), 2031) not in worktime.libur_dikenal()
    worktime.seed_libur({"holidays": worktime.holidays_version(),
                         "libur": {"ID|government,public|2032": {"2032-07-07": "Uji"}}})
    assert worktime.libur_dikenal()[("ID", ("government", "public"), 2032)] == {dt.date(2032, 7, 7): "Uji"}


def test_hari_libur_tambah_and_hapus() -> None:
    from generator.sop.worktime import Kalender

    base = Kalender(dt.time(8), dt.time(16))
    changed = Kalender(dt.time(8), dt.time(16), tambah=((dt.date(2026, 3, 2), "Cuti SKB baru"),),
                       hapus=(dt.date(2026, 2, 16),))
    assert base.hari_kerja(dt.date(2026, 3, 2)) and not changed.hari_kerja(dt.date(2026, 3, 2))
    assert changed.libur(dt.date(2026, 3, 2)) == "Cuti SKB baru"
    assert not base.hari_kerja(dt.date(2026, 2, 16)) and changed.hari_kerja(dt.date(2026, 2, 16))


# ---------------------------------------------------------------- dated roles and keys in validate

KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFc0bnRvaEtleUthZGlzU2FtYXJpbmRhMjAyNQ"
KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFNla3JldGFyaXNTYW1hcmluZGFDb250b2gyMDI1"


def test_validate_explains_contradictory_and_overlapping_dates(sample: Path) -> None:
    from tests.conftest import position

    rel = "sop/personil.yaml"
    text = (sample / rel).read_text(encoding="utf-8")
    text = text.replace("    peran: [sekretaris]\n    bidang: []\n    kunci_ssh: null\n    berlaku: {mulai: "
                        "2025-01-01", "    peran:\n      - sekretaris\n      - {id: sekretaris, mulai: "
                        "2025-06-01}\n      - {id: kepala-dinas, mulai: 2026-03-01, sampai: 2026-02-01, "
                        "sebagai: Plt.}\n    bidang: []\n    kunci_ssh:\n      - {kunci: \"" + KEY_A
                        + "\", mulai: 2025-01-01}\n      - {kunci: \"" + KEY_B + "\", mulai: 2025-06-01}\n"
                        "    berlaku: {mulai: 2025-01-01", 1)
    (sample / rel).write_text(text, encoding="utf-8")
    overlap = position(sample, rel, "{id: sekretaris, mulai")
    first = position(sample, rel, "- sekretaris\n")
    plt = position(sample, rel, "{id: kepala-dinas")
    key_b = position(sample, rel, f'{{kunci: "{KEY_B}"')
    key_a = position(sample, rel, f'{{kunci: "{KEY_A}"')
    result = run("validate", "--repo", sample)
    nurul = "Nurul Hidayati, S.E., M.M."
    assert f"{rel}:{overlap[0]}:{overlap[1]}: galat: peran 'sekretaris' {nurul} ditulis dua kali untuk " \
           f"masa yang tumpang tindih (baris {first[0]} dan {overlap[0]}) (petunjuk: gabungkan atau " \
           "batasi dengan mulai/sampai)" in result.out.splitlines()
    assert f"{rel}:{plt[0]}:{plt[1]}: galat: peran 'kepala-dinas' {nurul} berakhir (2026-02-01) sebelum " \
           "dimulai (2026-03-01)" in result.out.splitlines()
    assert f"{rel}:{key_b[0]}:{key_b[1]}: peringatan: dua kunci SSH {nurul} berlaku bersamaan (baris " \
           f"{key_a[0]} dan {key_b[0]}) (petunjuk: saat mengganti kunci, isi 'sampai' kunci lama sehari " \
           "sebelum 'mulai' kunci baru)" in result.out.splitlines()
    assert result.code == 1


def test_old_single_string_forms_still_load(sample: Path) -> None:
    from generator.data.load import load_definitions

    rel = "sop/personil.yaml"
    text = (sample / rel).read_text(encoding="utf-8").replace("kunci_ssh: null", f'kunci_ssh: "{KEY_A}"', 1)
    (sample / rel).write_text(text, encoding="utf-8")
    _, roster, issues = load_definitions(FsSource(sample))
    assert [i for i in issues if i.is_error] == []
    first = roster.personil[0]
    assert first.kunci_ssh == KEY_A and first.peran == ("kepala-dinas",)
    assert first.holds("kepala-dinas", dt.date(2025, 5, 1)) is not None
    assert [p.email for p in roster.holders("sekretaris", dt.date(2024, 6, 1))] == [
        "bambang.setiawan@diskopukmperin.example.go.id"]


def test_a_new_office_registers_its_first_keys_then_changes_need_a_signature(tmp_path: Path,
                                                                             git_home: Path) -> None:
    from generator.git import Git
    from generator.sop.progress import progress
    from generator.workflow.demo import register_keys

    root = tmp_path / "kantor"
    assert run("init", root, "--tahun", "2026").code == 0
    git = Git(root)
    personil = root / "sop/personil.yaml"
    keys = {f"{r}@contoh.go.id": make_key(tmp_path / "kunci" / r, f"{r}@contoh.go.id")
            for r in ("tim-kerja", "jafung", "sekretaris", "kepala-dinas")}
    personil.write_text(register_keys(personil.read_text(encoding="utf-8"), keys), encoding="utf-8")
    tim = Actor("Petugas", "tim-kerja@contoh.go.id", tmp_path / "kunci" / "tim-kerja")
    sek = Actor("Sekretaris", "sekretaris@contoh.go.id", tmp_path / "kunci" / "sekretaris")
    # setup: no pengelola had a key, so the first keyed roster counts when a pengelola it names
    # signs it with the key it registers
    git.run("commit", "-S", "-qam", "Kunci SSH personil", env=actor_env(sek, "2027-01-04T09:00:00" + WITA))
    assert progress(root, 2026).status.temuan == ()
    personil.write_text(personil.read_text(encoding="utf-8") + "\n# ubah lagi\n", encoding="utf-8")
    git.run("commit", "-qam", "Ubah lagi", env=actor_env(tim, "2027-01-04T10:00:00" + WITA))
    assert [t.kode for t in progress(root, 2026).status.temuan] == ["perubahan-tidak-sah"]
