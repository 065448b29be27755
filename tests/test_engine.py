"""The SOP engine on real git repositories with real SSH keys: one forged history per finding
code, revision loops, merges, working time, and `lakip step` refusing what it must refuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.data.errors import LakipError
from tests.conftest import run
from tests.office import WHEN, Office

NOW = "2026-02-13T10:00:00"


def set_sop(office: Office, old: str, new: str) -> None:
    """Change sop/lakip.yaml in a commit (before any step), e.g. to drop the signature rule."""
    path = office.root / "sop" / "lakip.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    office.commit(office.actors["sekretaris"], "2026-01-27T09:00:00", "Ubah SOP",
                  {"sop/lakip.yaml": path.read_text(encoding="utf-8")}, sign=True)


def only(office: Office) -> list[tuple[str, int | None]]:
    return office.codes()


# ---------------------------------------------------------------- a clean run


def test_steps_recorded_through_lakip_step_verify_clean(office: Office) -> None:
    office.run_until(4)
    p = office.status()
    assert p.status.temuan == ()
    assert p.status.berjalan == 5
    assert [s.status for s in p.status.langkah] == ["selesai"] * 4 + ["berjalan"] + ["menunggu"] * 6
    first = p.status.find_langkah(1).catatan
    assert (first.tanda_tangan, first.email) == ("sah", office.actors["kepala-dinas"].email)
    # the roster's name, not git's copy: git drops the trailing '.' of "M.Si."
    assert first.nama == office.actors["kepala-dinas"].nama == "Drs. Ahmad Fauzan Ridwan, M.Si."
    assert office.run("log", "-1", "--format=%an", first.commit).strip().endswith("M.Si")
    # step 4 started when step 3 was completed: Mon 08:39 -> Tue 10:00 = 441 + 120 working minutes
    assert p.status.find_langkah(4).catatan.durasi == 441 + 120
    assert p.status.find_langkah(4).catatan.standar == 960
    result = run("verify", "--repo", office.root, "--tahun", "2025")
    assert result.code == 0
    assert result.out == ("Tidak ada temuan: 4 commit langkah SOP lakip tahun 2025 diperiksa "
                          "(orang, peran, urutan, tanda tangan, sidik jari konten).\n")


def test_the_commit_carries_the_trailers_of_the_contract(office: Office) -> None:
    done = office.step(1)
    message = office.run("log", "-1", "--format=%B", done.commit)
    kepala = office.actors["kepala-dinas"]
    konten = message.split("SOP-Konten: ")[1].split("\n")[0]
    assert message == (
        "LAKIP 2025 · Langkah 1: Memberikan tugas dan arahan untuk menyusun LAKIP (selesai)\n\n"
        "SOP: lakip\nSOP-Tahun: 2025\nSOP-Langkah: 1\nSOP-Keputusan: selesai\nSOP-Peran: kepala-dinas\n"
        f"SOP-Konten: {konten}\nSigned-off-by: {kepala.nama.rstrip('.')} <{kepala.email}>\n\n")
    assert len(konten) == len("sha256:") + 64
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in office.run("cat-file", "commit", done.commit)


def test_status_json_shape(office: Office) -> None:
    office.run_until(2)
    result = run("status", "--repo", office.root, "--json")
    assert result.code == 0
    import json

    data = json.loads(result.out)
    assert set(data) >= {"sop", "tahun", "langkah", "langkah_berjalan", "temuan"}
    assert (data["sop"], data["tahun"], data["langkah_berjalan"], data["temuan"]) == ("lakip", 2025, 3, [])
    step = data["langkah"][1]
    assert set(step) >= {"no", "status", "peran", "oleh", "commit", "waktu", "keputusan",
                         "tanda_tangan", "durasi_menit_kerja", "standar_menit_kerja", "terlambat"}
    assert (step["no"], step["status"], step["peran"], step["keputusan"], step["tanda_tangan"],
            step["durasi_menit_kerja"], step["standar_menit_kerja"], step["terlambat"]) == (
        2, "selesai", "sekretaris", "selesai", "sah", 4, 5, False)
    assert step["oleh"]["email"] == office.actors["sekretaris"].email
    assert data["langkah"][2]["status"] == "berjalan"


# ---------------------------------------------------------------- one finding per forged history


def test_peran_salah_role_trailer_is_not_the_pelaksana(office: Office) -> None:
    office.forge(1, trailers={"SOP-Peran": "sekretaris"})
    assert only(office) == [("peran-salah", 1)]
    assert office.status().status.temuan[0].pesan == (
        "SOP-Peran 'sekretaris' bukan pelaksana langkah 1 ('kepala-dinas')")


def test_peran_salah_person_does_not_hold_the_role(office: Office) -> None:
    office.forge(1, by=office.actors["jafung"])
    assert only(office) == [("peran-salah", 1)]
    assert office.status().status.temuan[0].pesan.endswith(
        "tidak memegang peran 'kepala-dinas' yang melaksanakan langkah 1")


def test_personil_tidak_dikenal(office: Office) -> None:
    set_sop(office, "tanda_tangan: true", "tanda_tangan: false")
    office.forge(1, by=office.stranger(), sign_with=False)
    assert only(office) == [("personil-tidak-dikenal", 1)]
    assert office.status().status.temuan[0].pesan == (
        "Orang Asing <asing@contoh.go.id> tidak ada di sop/personil.yaml")


def test_identitas_tidak_cocok_signoff_is_not_the_author(office: Office) -> None:
    sek = office.actors["sekretaris"]
    office.forge(1, signoff=f"{sek.nama} <{sek.email}>")
    assert only(office) == [("identitas-tidak-cocok", 1)]


def test_tanpa_tanda_tangan(office: Office) -> None:
    office.forge(1, sign_with=False)
    assert only(office) == [("tanpa-tanda-tangan", 1)]
    assert office.status().status.find_langkah(1).catatan.tanda_tangan == "tidak-ada"


def test_tanda_tangan_tidak_sah_with_another_persons_key(office: Office) -> None:
    office.forge(1, sign_with=office.actors["sekretaris"])
    assert only(office) == [("tanda-tangan-tidak-sah", 1)]
    sek = office.actors["sekretaris"].email
    assert office.status().status.temuan[0].pesan == (
        f"tanda tangan langkah 1 tidak sah untuk {office.actors['kepala-dinas'].email}: "
        f"ditandatangani dengan kunci milik {sek}")


def test_tanda_tangan_tidak_sah_with_an_unregistered_key(office: Office) -> None:
    kepala = office.actors["kepala-dinas"]
    stranger = office.stranger()
    office.forge(1, sign_with=type(kepala)(kepala.nama, kepala.email, stranger.key))
    assert only(office) == [("tanda-tangan-tidak-sah", 1)]


def test_di_luar_masa_berlaku(office: Office) -> None:
    set_sop(office, "tanda_tangan: true", "tanda_tangan: false")
    office.step(1)
    text = (office.root / "sop/personil.yaml").read_text(encoding="utf-8")
    block = text.split("- nama: Bambang")[1].split("- nama:")[0]
    email = block.split("email:")[1].split()[0]
    from generator.workflow.demo import Actor

    former = Actor("Bambang Setiawan Lubis", email, office.actors["sekretaris"].key)
    office.forge(2, by=former, sign_with=False)
    assert only(office) == [("di-luar-masa-berlaku", 2)]
    assert office.status().status.temuan[0].pesan == (
        "peran 'sekretaris' Bambang Setiawan Lubis, S.Sos., M.Si. tidak berlaku pada 2026-02-02 "
        "(berlaku 2024-01-01 s.d. 2024-12-31)")


def test_urutan_salah(office: Office) -> None:
    office.step(1)
    office.forge(3)
    assert only(office) == [("urutan-salah", 3)]
    assert office.status().status.berjalan == 2


def test_sidik_jari_salah_edited_fingerprint(office: Office) -> None:
    office.forge(1, trailers={"SOP-Konten": "sha256:" + "0" * 64})
    assert only(office) == [("sidik-jari-salah", 1)]


def test_konten_berubah_after_step_8(office: Office) -> None:
    office.run_until(8)
    assert office.status().status.final is True
    path = "content/2025/bidang/koperasi.yaml"
    text = (office.root / path).read_text(encoding="utf-8").replace("nilai: 62.40", "nilai: 70", 1)
    office.commit(office.actors["tim-kerja"], "2026-02-11T13:00:00", "Ubah realisasi", {path: text})
    assert only(office) == [("konten-berubah", 6), ("konten-berubah", 7), ("konten-berubah", 8)]
    assert office.status().status.final is False


def test_reformatting_keeps_approvals_valid(office: Office) -> None:
    office.run_until(8)
    path = "content/2025/bidang/koperasi.yaml"
    text = (office.root / path).read_text(encoding="utf-8")
    text = "# dirapikan\n" + text.replace("nilai: 62.40", "nilai:    62.4", 1)
    office.commit(office.actors["tim-kerja"], "2026-02-11T13:00:00", "Rapikan", {path: text})
    assert only(office) == []
    assert office.status().status.final is True


def test_review_notes_and_pengiriman_do_not_void_approvals(office: Office) -> None:
    office.run_until(8)
    office.commit(office.actors["jafung"], "2026-02-11T13:00:00", "Catatan",
                  {"content/2025/reviu/catatan.md": "---\nlangkah: 6\nperan: jafung\nkeputusan: setuju\n"
                   "---\nTidak ada koreksi.\n"})
    assert only(office) == []


@pytest.mark.parametrize(("trailers", "drop", "reason"), [
    ({"SOP-Langkah": "enam"}, (), "SOP-Langkah 'enam' bukan nomor langkah"),
    ({"SOP-Keputusan": "oke"}, (), "SOP-Keputusan 'oke' tidak sah untuk langkah 1; diharapkan selesai"),
    ({}, ("SOP-Konten",), "trailer SOP-Konten tidak ada"),
    ({"SOP-Konten": "md5:abc"}, (), "SOP-Konten bukan sha256:<64 heksadesimal>"),
])
def test_trailer_rusak(office: Office, trailers: dict, drop: tuple, reason: str) -> None:
    commit = office.forge(1, trailers=trailers, drop=drop)
    status = office.status().status
    assert [(t.kode, t.commit, t.pesan) for t in status.temuan] == [
        ("trailer-rusak", commit, f"trailer SOP rusak: {reason}")]
    assert status.berjalan == 1


# ---------------------------------------------------------------- flow


def test_revision_loop_keeps_every_round(office: Office) -> None:
    office.run_until(6)
    note = "content/2025/reviu/langkah-7.md"
    (office.root / note).parent.mkdir(parents=True, exist_ok=True)
    (office.root / note).write_text("---\nlangkah: 7\nperan: sekretaris\nkeputusan: revisi\n---\n"
                                    "Perbaiki Bab IV.\n", encoding="utf-8")
    office.run("add", note)
    office.step(7, "revisi", when="2026-02-10T14:00:00")
    p = office.status().status
    assert (p.berjalan, p.putaran) == (5, 2)
    assert [s.status for s in p.langkah[4:8]] == ["berjalan", "menunggu", "menunggu", "menunggu"]
    assert [c.keputusan for c in p.find_langkah(7).riwayat] == ["revisi"]
    office.step(5, when="2026-02-11T10:00:00")
    office.step(6, when="2026-02-11T11:00:00")
    office.step(7, when="2026-02-11T13:00:00")
    office.step(8, when="2026-02-12T08:30:00")
    p = office.status().status
    assert p.temuan == ()
    assert [c.putaran for c in p.find_langkah(5).riwayat] == [1, 2]
    assert [c.keputusan for c in p.find_langkah(7).riwayat] == ["revisi", "setuju"]
    assert p.find_langkah(7).catatan.putaran == 2 and p.final


def test_a_step_brought_in_by_a_merge_commit(office: Office) -> None:
    office.run_until(3)
    office.run("checkout", "-q", "-b", "data-bidang")
    office.step(4)
    office.run("checkout", "-q", "main")
    office.commit(office.actors["tim-kerja"], "2026-02-03T11:00:00", "Catatan lain",
                  {"content/2025/bukti/catatan.txt": "x\n"})
    env = {"GIT_AUTHOR_DATE": "2026-02-03T11:30:00+0800", "GIT_COMMITTER_DATE": "2026-02-03T11:30:00+0800",
           "GIT_AUTHOR_NAME": "Penggabung", "GIT_AUTHOR_EMAIL": "merge@contoh.go.id",
           "GIT_COMMITTER_NAME": "Penggabung", "GIT_COMMITTER_EMAIL": "merge@contoh.go.id"}
    office.run("merge", "-q", "--no-ff", "-m", "Merge data bidang", "data-bidang", env=env)
    p = office.status().status
    assert p.find_langkah(4).status == "selesai" and p.berjalan == 5
    # the merge added bukti/catatan.txt after step 4 was signed: no approval at 6-8 stands, so
    # content changes before them are fine; step 4's own fingerprint matched its own commit
    assert p.temuan == ()


def test_working_time_across_weekend_and_cuti_bersama(office: Office) -> None:
    office.run_until(4)
    # step 5 from Tue 3 Feb 10:00 to Wed 18 Feb 10:00: weekends, Mon 16 Feb cuti bersama Imlek and
    # Tue 17 Feb Imlek are not working time
    office.step(5, when="2026-02-18T10:00:00")
    catatan = office.status(now="2026-02-18T11:00:00").status.find_langkah(5).catatan
    working_days = ["03", "04", "05", "06", "09", "10", "11", "12", "13"]
    assert catatan.durasi == 360 + (len(working_days) - 1) * 480 + 120
    assert catatan.terlambat is True  # 5 hari kerja = 2400


def test_commits_outside_working_hours_count_from_the_next_working_moment(office: Office) -> None:
    office.step(1, when="2026-02-06T20:00:00")  # Friday evening
    office.step(2, when="2026-02-07T09:00:00")  # Saturday: still no working time has passed
    office.step(3, when="2026-02-09T08:03:00")  # Monday 08:03
    p = office.status().status
    assert (p.find_langkah(2).catatan.durasi, p.find_langkah(3).catatan.durasi) == (0, 3)


def test_running_step_has_deadline_and_lateness(office: Office) -> None:
    office.run_until(3)
    p = office.status(now="2026-02-05T10:00:00").status
    step4 = p.find_langkah(4)
    assert step4.status == "berjalan"
    assert step4.batas_waktu == dt.datetime.fromisoformat("2026-02-04T08:39:00+08:00")
    assert step4.berjalan_menit == 441 + 480 + 480 + 120 and step4.terlambat  # Mon..Thu 10:00


# ---------------------------------------------------------------- lakip step refuses


def step_cli(office: Office, *args: str, role: str, when: str) -> tuple[int, str]:
    from generator.workflow.demo import WITA, actor_env

    env = actor_env(office.actors[role], when + WITA)
    import os

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = run("step", *args, "--repo", office.root)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return result.code, result.out + result.err


def test_step_not_due_names_who_must_act(office: Office) -> None:
    code, text = step_cli(office, "2", "--keputusan", "selesai", role="sekretaris", when=WHEN[2])
    kepala = office.actors["kepala-dinas"].nama
    assert (code, text) == (1, (
        "lakip: galat: langkah 2 (Disposisi kepada Jafung Perencana) tidak dapat dicatat:\n"
        "  - yang berjalan sekarang adalah langkah 1 (Arahan penyusunan LAKIP), oleh Kepala Dinas: "
        f"{kepala}\n"))


def test_step_by_the_wrong_role(office: Office) -> None:
    code, text = step_cli(office, "1", "--keputusan", "selesai", role="jafung", when=WHEN[1])
    jafung = office.actors["jafung"].nama
    assert (code, text) == (1, (
        "lakip: galat: langkah 1 (Arahan penyusunan LAKIP) tidak dapat dicatat:\n"
        f"  - {jafung} tidak memegang peran 'kepala-dinas' (Kepala Dinas) yang melaksanakan langkah 1\n"))


def test_step_with_an_invalid_decision(office: Office) -> None:
    code, text = step_cli(office, "1", "--keputusan", "setuju", role="kepala-dinas", when=WHEN[1])
    assert (code, text) == (1, (
        "lakip: galat: langkah 1 (Arahan penyusunan LAKIP) tidak dapat dicatat:\n"
        "  - keputusan 'setuju' tidak sah untuk langkah 1; pilih selesai\n"))


def test_revisi_requires_a_review_note_in_the_commit(office: Office) -> None:
    office.run_until(5)
    code, text = step_cli(office, "6", "--keputusan", "revisi", role="jafung", when=WHEN[6])
    assert (code, text) == (1, (
        "lakip: galat: langkah 6 (Pemeriksaan oleh Jafung Perencana) tidak dapat dicatat:\n"
        "  - keputusan 'revisi' memerlukan catatan reviu baru di content/2025/reviu/ (front matter "
        "langkah: 6, keputusan: revisi) yang ikut di commit ini (git add)\n"))


def test_step_4_requires_complete_data(office: Office) -> None:
    office.run_until(3)
    path = "content/2025/bidang/koperasi.yaml"
    text = (office.root / path).read_text(encoding="utf-8").replace("nilai: 62.40", "nilai: null", 1)
    office.commit(office.actors["tim-kerja"], "2026-02-02T10:00:00", "Belum lengkap", {path: text})
    line = text.splitlines().index("    nilai: null") + 1
    code, out = step_cli(office, "4", "--keputusan", "selesai", role="tim-kerja", when=WHEN[4])
    assert (code, out) == (1, (
        "lakip: galat: langkah 4 (Pengumpulan data bidang) tidak dapat dicatat:\n"
        f"  - data bidang belum lengkap: {path}:{line}:12: peringatan: realisasi IKU-1 belum tersedia "
        "(nilai: null) (petunjuk: langkah 4 memerlukan semua nilai realisasi)\n"))


def test_step_without_signing_setup_is_refused(office: Office) -> None:
    from generator.workflow.demo import WITA, actor_env
    from generator.workflow.step import step as record

    env = actor_env(office.actors["kepala-dinas"], WHEN[1] + WITA)
    env["GIT_CONFIG_COUNT"] = "0"
    with pytest.raises(LakipError) as refused:
        record(office.root, 1, "selesai", None, 2025, env=env)
    assert refused.value.pesan == (
        "langkah 1 (Arahan penyusunan LAKIP) tidak dapat dicatat:\n"
        "  - penandatanganan SSH belum diatur (petunjuk: git config gpg.format ssh dan git config "
        "user.signingkey ~/.ssh/id_ed25519.pub)")


def test_step_never_touches_uncommitted_work(office: Office) -> None:
    unstaged = office.root / "content/2025/narasi/penutup.md"
    before = unstaged.read_text(encoding="utf-8") + "\nKalimat yang belum selesai ditulis"
    unstaged.write_text(before, encoding="utf-8")
    untracked = office.root / "content/2025/bukti/draf.txt"
    untracked.write_text("draf\n", encoding="utf-8")
    staged = office.root / "content/2025/bukti/notulen-arahan.txt"
    staged.write_text("Notulen arahan\n", encoding="utf-8")
    office.run("add", str(staged.relative_to(office.root)))
    done = office.step(1)
    assert done.files == ("content/2025/bukti/notulen-arahan.txt",)
    assert unstaged.read_text(encoding="utf-8") == before
    assert untracked.read_text(encoding="utf-8") == "draf\n"
    assert office.run("status", "--porcelain").splitlines() == [
        " M content/2025/narasi/penutup.md", "?? content/2025/bukti/draf.txt"]
    assert office.run("stash", "list") == ""


def test_status_outside_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run("status", "--repo", tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"lakip: galat: '{tmp_path}' bukan repositori git")


# ---------------------------------------------------------------- the demo


@pytest.mark.slow
def test_demo_is_complete_verified_and_realistic(demo, git_home: Path) -> None:
    target, result = demo
    assert result.code == 0, result.err
    assert run("verify", "--repo", target).code == 0
    from generator.sop.progress import progress

    s = progress(target).status
    assert [x.status for x in s.langkah] == ["selesai"] * 11
    assert s.final and s.putaran == 2 and s.temuan == ()
    assert [c.keputusan for c in s.find_langkah(7).riwayat] == ["revisi", "setuju"]
    late = [x.langkah.no for x in s.langkah if x.terlambat]
    assert late == [4]
    round2 = s.find_langkah(5).catatan
    assert round2.waktu.date() == dt.date(2026, 2, 18)  # after the Imlek cuti bersama
    assert all(c.tanda_tangan == "sah" for c in s.riwayat)
    text = run("status", "--repo", target).out
    assert "11/11 langkah selesai, putaran 2, dokumen FINAL" in text


MINI_SOP = """id: mini
judul: SOP percobaan
nomor: 1/2026
tanggal_pembuatan: 2026-01-02
tanggal_efektif: 2026-01-02
disahkan_oleh: {jabatan: Kepala Dinas, nama: Kepala}
jam_kerja: {mulai: "07:30", selesai: "16:00"}
zona_waktu: Asia/Jakarta
tanda_tangan: true
peran:
  - {id: jafung, nama: Penyusun}
  - {id: kepala-dinas, nama: Pimpinan}
  - {id: tim-kerja, nama: Arsiparis}
  - {id: sekretaris, nama: Tidak dipakai}
langkah:
  - {no: 1, kegiatan: Menyusun draf, pelaksana: jafung, kelengkapan: Data, waktu: 1 Jam, output: Draf}
  - no: 2
    kegiatan: Memeriksa draf
    pelaksana: kepala-dinas
    kelengkapan: Draf
    waktu: 1 Hari
    output: Persetujuan
    keputusan: {terima: 3, tolak: 1}
    pengesahan: tanda-tangan
  - {no: 3, kegiatan: Mengarsipkan, pelaksana: tim-kerja, kelengkapan: Dokumen, waktu: 10 Menit,
     output: Arsip, tanda_tangan: false}
"""


def test_any_sop_defined_as_data_works(office: Office) -> None:
    office.commit(office.actors["sekretaris"], "2026-01-27T09:00:00", "SOP lain",
                  {"sop/lakip.yaml": MINI_SOP}, sign=True)
    office.step(1, "selesai", role="jafung", when="2026-02-02T08:00:00")
    office.step(2, "tolak", role="kepala-dinas", when="2026-02-02T09:00:00")
    office.step(1, "selesai", role="jafung", when="2026-02-02T10:00:00")
    office.step(2, "terima", role="kepala-dinas", when="2026-02-02T11:00:00")
    office.forge(3, trailers={"SOP": "mini", "SOP-Keputusan": "selesai", "SOP-Peran": "tim-kerja"},
                 by=office.actors["tim-kerja"], sign_with=False, when="2026-02-02T11:10:00")
    p = office.status().status
    assert (p.sop, p.berjalan, p.putaran, p.final, p.temuan) == ("mini", None, 2, True, ())
    assert [s.standar for s in p.langkah] == [60, 510, 10]
    assert [c.keputusan for c in p.find_langkah(2).riwayat] == ["tolak", "terima"]
    # Asia/Jakarta: 08:00 WIB is 09:00 WITA; step 2 took from 10:00 to 11:00 WIB
    assert p.find_langkah(2).catatan.durasi == 60
    assert p.find_langkah(3).catatan.tanda_tangan == "tidak-ada"


def test_signature_after_the_roster_validity_is_not_valid(office: Office) -> None:
    """git honours valid-before of the allowed-signers file generated from the roster."""
    path = office.root / "sop/personil.yaml"
    text = path.read_text(encoding="utf-8")
    kepala = office.actors["kepala-dinas"]
    start = text.index(f"email: {kepala.email}")
    end = text.index("sampai: null}", start)
    text = text[:end] + "sampai: 2026-01-31}" + text[end + len("sampai: null}"):]
    office.commit(office.actors["sekretaris"], "2026-01-27T09:00:00", "Kepala pindah tugas",
                  {"sop/personil.yaml": text}, sign=True)
    office.forge(1)
    assert sorted(only(office)) == [("di-luar-masa-berlaku", 1), ("tanda-tangan-tidak-sah", 1)]


def test_the_tanda_terima_scan_does_not_void_approvals(office: Office) -> None:
    office.run_until(9)
    text = (office.root / "content/2025/pengiriman.yaml").read_text(encoding="utf-8")
    office.commit(office.actors["tim-kerja"], "2026-02-12T09:20:00", "Tanda terima", {
        "content/2025/bukti/tanda-terima.txt": "Dipindai: tanda terima Bagian Organisasi\n",
        "content/2025/pengiriman.yaml": text + "tanda_terima:\n  tanggal: 2026-02-12\n  penerima: Bagian "
                                        "Organisasi\n  bukti: bukti/tanda-terima.txt\n"})
    assert only(office) == []
    assert office.status().status.final is True
