"""A whole year of a new office, end to end on a real repository: `lakip init`, keys for the
roster, data delivered through the Excel form, all eleven steps through `lakip step` (one
revision round), `lakip archive`, the rebuild from the tag, and tampering after the archive."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.git import Git
from generator.workflow.demo import WITA, Actor, actor_env, make_key, register_keys
from tests.conftest import ROOT, run

REVIU = """---
langkah: 7
peran: sekretaris
keputusan: revisi
---
Lengkapi analisis Bab III.
"""
PENGIRIMAN = """surat_pengantar:
  nomor: 000.8/001/2027
  tanggal: 2027-02-15
  perihal: Penyampaian LKjIP Tahun 2026
  kepada: Kepala Bagian Organisasi Sekretariat Daerah
"""


def as_person(actor: Actor, when: str, *args: str):
    """Run `lakip ARGS` with git acting as `actor` at `when` (as a person at their own machine)."""
    env = actor_env(actor, when + WITA)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return run(*args)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k)
            else:
                os.environ[k] = v


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")  # the rebuild itself: test_archive's rebuild test
def test_a_year_from_init_to_archive(tmp_path: Path, git_home: Path) -> None:
    root = tmp_path / "kantor"
    assert run("init", root, "--tahun", "2026").code == 0
    git = Git(root)
    actors: dict[str, Actor] = {}

    def commit(message: str, role: str, when: str) -> None:
        git.run("commit", "-q", "-S", "--allow-empty", "-m", message,
                env=actor_env(actors[role], when + WITA))

    def step(no: int, decision: str, role: str, when: str):
        return as_person(actors[role], when, "step", str(no), "--keputusan", decision, "--repo", root)

    # the office registers its people's SSH keys: a change to sop/ signed by a pengelola (the
    # Sekretaris) with a key the new roster registers, since lakip init's roster has none
    personil = root / "sop/personil.yaml"
    keys = {}
    for role in ("tim-kerja", "jafung", "sekretaris", "kepala-dinas"):
        email = f"{role}@contoh.go.id"
        keys[email] = make_key(tmp_path / "kunci" / role, email)
        actors[role] = Actor(f"Petugas {role}", email, tmp_path / "kunci" / role)
    personil.write_text(register_keys(personil.read_text(encoding="utf-8"), keys), encoding="utf-8")
    git.run("add", "sop/personil.yaml")
    commit("Kunci SSH personil", "sekretaris", "2027-01-04T09:00:00")

    # steps 1-3; step 4 is refused until the Sekretariat delivers its data through the Excel form
    for no, role, when in ((1, "kepala-dinas", "2027-01-05T08:30:00"),
                           (2, "sekretaris", "2027-01-05T09:00:00"), (3, "jafung", "2027-01-05T10:00:00")):
        assert step(no, "selesai", role, when).code == 0
    refused = step(4, "selesai", "tim-kerja", "2027-01-06T10:00:00")
    assert refused.code == 1 and "data bidang belum lengkap" in refused.err  # nilai: null
    form = tmp_path / "sekretariat.xlsx"
    assert run("format-data", "--bidang", "sekretariat", "--out", form, "--repo", root).code == 0
    book = load_workbook(form)
    book["Realisasi"]["F5"] = "87,5"  # as an Indonesian Excel user types it
    book["Realisasi"]["G5"] = "Target tercapai karena rapat evaluasi bulanan berjalan."
    book["Realisasi"]["H5"] = "Melanjutkan evaluasi bulanan."
    book.save(form)
    imported = run("impor", form, "--repo", root)
    assert imported.code == 0, imported.out + imported.err
    assert "realisasi.IKU-1.nilai" in imported.out
    # ... and the office sets its lambang (the skeleton leaves it as a TODO, a validate warning)
    (root / "content/lambang.svg").write_bytes((ROOT / "content/lambang.svg").read_bytes())
    instansi = root / "content/instansi.yaml"
    instansi.write_text(instansi.read_text(encoding="utf-8") + "logo: content/lambang.svg\n",
                        encoding="utf-8")
    git.run("add", "content")
    commit("Data Sekretariat 2026", "tim-kerja", "2027-01-07T09:00:00")
    assert run("validate", "--repo", root).out == ""

    for no, decision, role, when in ((4, "selesai", "tim-kerja", "2027-01-07T10:00:00"),
                                     (5, "selesai", "tim-kerja", "2027-01-11T10:00:00"),
                                     (6, "setuju", "jafung", "2027-01-12T10:00:00")):
        assert step(no, decision, role, when).code == 0
    (root / "content/2026/reviu/langkah-7.md").write_text(REVIU, encoding="utf-8")
    git.run("add", "content/2026/reviu/langkah-7.md")
    for no, decision, role, when in ((7, "revisi", "sekretaris", "2027-01-13T10:00:00"),
                                     (5, "selesai", "tim-kerja", "2027-01-14T10:00:00"),
                                     (6, "setuju", "jafung", "2027-01-14T14:00:00"),
                                     (7, "setuju", "sekretaris", "2027-01-15T09:00:00"),
                                     (8, "setuju", "kepala-dinas", "2027-01-15T13:00:00")):
        assert step(no, decision, role, when).code == 0
    (root / "content/2026/pengiriman.yaml").write_text(PENGIRIMAN, encoding="utf-8")
    git.run("add", "content/2026/pengiriman.yaml")
    assert step(9, "selesai", "jafung", "2027-01-18T09:00:00").code == 0
    with (root / "content/2026/pengiriman.yaml").open("a", encoding="utf-8") as f:
        f.write("tanda_terima:\n  tanggal: 2027-01-18\n  penerima: Bagian Organisasi\n")
    git.run("add", "content/2026/pengiriman.yaml")
    assert step(10, "selesai", "tim-kerja", "2027-01-18T10:00:00").code == 0
    archived = as_person(actors["tim-kerja"], "2027-01-18T10:30:00", "archive", "--repo", root)
    assert archived.code == 0, archived.err
    assert archived.out.startswith("Arsip lakip-2026 dibuat (tag ditandatangani): langkah 11 dicatat di ")

    assert run("verify", "--repo", root).code == 0
    status = json.loads(run("status", "--repo", root, "--json").out)
    assert [s["status"] for s in status["langkah"]] == ["selesai"] * 11
    assert status["putaran"] == 2 and status["final"] is True

    # rebuild from the tag: identical to the manifest
    manifest = json.loads((root / "arsip/2026/manifest.json").read_text(encoding="utf-8"))
    out = tmp_path / "ulang"
    assert run("build", "--repo", root, "--ref", "lakip-2026", "--out", out).code == 0
    for name, digest in manifest["dokumen"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    assert run("verify", "--arsip", "--repo", root).code == 0

    # tampering after the archive: the tag moved to a later commit
    commit("Lain", "tim-kerja", "2027-01-19T09:00:00")
    git.run("tag", "-f", "-a", "-m", "dipindah", "lakip-2026", "HEAD",
            env=actor_env(actors["tim-kerja"], "2027-01-19T09:05:00" + WITA))
    tampered = run("verify", "--arsip", "--repo", root)
    assert tampered.code == 1 and "tag-dipindah" in tampered.out
