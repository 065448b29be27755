"""Step 11 and the archive on real repositories: the manifest, the signed tag, rebuilding from
the tag with identical hashes, and tampering after the archive."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from generator.data.errors import LakipError
from generator.workflow.archive import archive, verify_archives
from generator.workflow.demo import WITA, actor_env
from tests.conftest import run
from tests.office import Office

TANDA_TERIMA = """
tanda_terima:
  tanggal: 2026-02-12
  penerima: Rahmawati, S.Sos.
"""


def until_step_10(office: Office) -> None:
    def make(office: Office) -> None:
        office.run_until(9)
        path = office.root / "content/2025/pengiriman.yaml"
        path.write_text(path.read_text(encoding="utf-8") + TANDA_TERIMA, encoding="utf-8")
        office.run("add", "content/2025/pengiriman.yaml")
        office.step(10)

    office.prepared("langkah-10", make)


def archived(office: Office) -> Path:
    """The office archived (step 11); recorded by the first test that asks, copied for the others."""
    def make(office: Office) -> None:
        until_step_10(office)
        env = actor_env(office.actors["tim-kerja"], "2026-02-12T09:40:00" + WITA)
        archive(office.root, 2025, "Arsip", env=env)

    office.prepared("arsip", make)
    return office.root


def codes(root: Path) -> list[str]:
    return sorted(t.kode for t in verify_archives(root)[0])


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_archive_records_step_11_with_a_signed_tag_and_a_manifest(office: Office) -> None:
    root = archived(office)
    status = office.status().status
    assert status.berjalan is None and status.temuan == ()
    assert status.find_langkah(11).catatan.tanda_tangan == "sah"
    tag = office.run("cat-file", "tag", "lakip-2025")
    assert "-----BEGIN SSH SIGNATURE-----" in tag
    assert office.run("rev-parse", "lakip-2025^{commit}").strip() == status.find_langkah(11).catatan.commit
    manifest = json.loads((root / "arsip/2025/manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["dokumen"]) == ["lakip-2025.docx", "lakip-2025.html", "lakip-2025.pdf",
                                           "surat-pengantar-2025.docx", "surat-pengantar-2025.pdf"]
    assert [s["no"] for s in manifest["langkah"]] == list(range(1, 11))
    assert all(s["tanda_tangan"] == "sah" for s in manifest["langkah"])
    assert manifest["sidik_jari_konten"].startswith("sha256:")
    assert office.run("status", "--porcelain") == ""  # nothing left behind in the working tree


@pytest.mark.slow
def test_rebuild_from_the_tag_gives_the_manifest_hashes(office: Office, tmp_path: Path,
                                                        request: pytest.FixtureRequest) -> None:
    root = archived(office)
    (root / "content/2025/narasi/penutup.md").write_text("---\nbagian: penutup\n---\nDiubah.\n",
                                                          encoding="utf-8")  # the working tree differs
    result = run("build", "--repo", root, "--ref", "lakip-2025", "--out", tmp_path / "ulang")
    assert result.code == 0, result.err
    manifest = json.loads((root / "arsip/2025/manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["dokumen"].items():
        assert hashlib.sha256((tmp_path / "ulang" / name).read_bytes()).hexdigest() == digest, name
    assert (root / "content/2025/narasi/penutup.md").read_text(encoding="utf-8").endswith("Diubah.\n")
    request.getfixturevalue("rendered_once")  # the real rebuild is above; verify compares the same way
    result = run("verify", "--arsip", "--repo", root)
    assert (result.code, result.out) == (0, "Tidak ada temuan: 1 arsip dibangun ulang sama persis "
                                            "dengan manifest-nya.\n")


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_moved_tag_is_a_finding(office: Office) -> None:
    root = archived(office)
    assert codes(root) == []
    office.run("tag", "-f", "-a", "-m", "pindah", "lakip-2025", "HEAD~1",
               env=actor_env(office.actors["jafung"], "2026-03-01T10:00:00" + WITA))
    result = run("verify", "--arsip", "--repo", root)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith("tag-dipindah: commit ")
    assert "tag lakip-2025 kini menunjuk" in result.out


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_rewritten_history_is_a_finding_in_a_fresh_clone(office: Office, tmp_path: Path) -> None:
    archived(office)
    clone = tmp_path / "salinan"
    subprocess.run(["git", "clone", "-q", str(office.root), str(clone)], check=True)
    env = {"GIT_COMMITTER_DATE": "2026-03-01T10:00:00+0800"}
    git = ["git", "-C", str(clone), "-c", "user.name=Penyusup", "-c", "user.email=x@contoh.go.id",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "commit", "-q", "--amend", "--no-edit"], check=True, env={**_env(), **env})
    subprocess.run([*git, "tag", "-f", "-a", "-m", "ulang", "lakip-2025", "HEAD"], check=True,
                   env={**_env(), **env})
    found = codes(clone)
    assert "tanpa-tanda-tangan" in found


def _env() -> dict:
    import os

    return dict(os.environ)


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_deleted_tag_is_a_finding(office: Office) -> None:
    root = archived(office)
    codes(root)
    office.run("tag", "-d", "lakip-2025")
    assert codes(root) == ["tag-hilang"]


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_a_rebuild_that_differs_from_the_manifest(office: Office, monkeypatch) -> None:
    root = archived(office)
    # Every PDF goes through pdf_pages (the report needs its page numbers for the DOCX TOC).
    monkeypatch.setattr("generator.render.document.pdf_pages", lambda html: (b"%PDF-1.7 lain\n", {}))
    found = verify_archives(root)[0]
    # The DOCX differs too: its table of contents carries the PDF's page numbers.
    assert [(t.kode, t.pesan) for t in found] == [
        ("arsip-tidak-cocok", "lakip-2025: lakip-2025.docx hasil bangun ulang tidak sama dengan manifest"),
        ("arsip-tidak-cocok", "lakip-2025: lakip-2025.pdf hasil bangun ulang tidak sama dengan manifest"),
        ("arsip-tidak-cocok", "lakip-2025: surat-pengantar-2025.pdf hasil bangun ulang tidak sama dengan "
                              "manifest")]


def test_archive_refuses_before_the_last_step(office: Office) -> None:
    office.run_until(5)
    with pytest.raises(LakipError) as refused:
        archive(office.root, 2025, env=actor_env(office.actors["tim-kerja"], "2026-02-10T09:00:00" + WITA))
    assert refused.value.pesan == ("arsip 2025 belum dapat dibuat: langkah 11 belum berjalan, yang "
                                   "berjalan langkah 6 (lakip status)")


@pytest.mark.usefixtures("rendered_once")
def test_archive_never_overwrites_a_file_in_the_working_tree(office: Office) -> None:
    until_step_10(office)
    mine = office.root / "arsip/2025/manifest.json"
    mine.parent.mkdir(parents=True)
    mine.write_text("catatan saya\n", encoding="utf-8")
    with pytest.raises(LakipError) as refused:
        archive(office.root, 2025, env=actor_env(office.actors["tim-kerja"], "2026-02-12T09:40:00" + WITA))
    assert refused.value.pesan == ("arsip/2025/manifest.json sudah ada di folder kerja; pindahkan atau "
                                   "hapus dulu (lakip tidak menimpa berkas yang belum di-commit)")
    assert mine.read_text(encoding="utf-8") == "catatan saya\n"
