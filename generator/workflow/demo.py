"""`lakip demo DIR`: a repository of the sample office with a complete, signed SOP history.

Every step goes through steps.record, the code path of `lakip step`, as four fictional people with
SSH keys made here. The timeline (LAKIP 2025, written in February 2026) crosses a weekend, the cuti
bersama of Imlek, contains one revision round (step 7 sends the draft back to step 5) and one late
step (step 4 takes longer than its 2 working days).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.data.errors import DataInvalid, Refused, UsageError
from generator.git import Git
from generator.template import template_dir
from generator.workflow.step import step as record_step

TEMPLATE = template_dir()
TAHUN = 2025
WITA = "+0800"


@dataclass(frozen=True)
class Actor:
    nama: str
    email: str
    key: Path  # private key file; the .pub beside it is registered in sop/personil.yaml


def actor_env(actor: Actor, when: str) -> dict[str, str]:
    """Environment that makes git act as `actor` at `when` (ISO 8601), signing with their key."""
    return {
        "GIT_AUTHOR_NAME": actor.nama, "GIT_AUTHOR_EMAIL": actor.email, "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": actor.nama, "GIT_COMMITTER_EMAIL": actor.email,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "gpg.format", "GIT_CONFIG_VALUE_0": "ssh",
        "GIT_CONFIG_KEY_1": "user.signingkey", "GIT_CONFIG_VALUE_1": str(actor.key),
    }


def make_key(path: Path, comment: str) -> str:
    """A fresh ed25519 key pair without passphrase; returns the public key line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
                   check=True, capture_output=True)
    return path.with_name(path.name + ".pub").read_text(encoding="utf-8").strip()


def register_keys(personil_text: str, keys: dict[str, str]) -> str:
    """Write `kunci_ssh` of the people named by email, keeping the file's comments and layout."""
    lines = personil_text.splitlines(keepends=True)
    for email, key in keys.items():
        at = next(i for i, line in enumerate(lines) if re.match(rf"\s*email:\s*{re.escape(email)}\s*$", line))
        start = max(i for i in range(at + 1) if re.match(r"\s*- nama:", lines[i]))
        end = next((i for i in range(at + 1, len(lines)) if re.match(r"\s*- nama:", lines[i])), len(lines))
        for i in range(start, end):
            if re.match(r"\s*kunci_ssh:", lines[i]):
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
                lines[i] = f'{indent}kunci_ssh: "{key}"\n'
                break
        else:
            raise Refused(f"kunci_ssh untuk {email} tidak ditemukan di sop/personil.yaml")
    return "".join(lines)


def _people(target: Path) -> tuple:
    from generator.data.load import load_definitions
    from generator.data.source import FsSource

    _, roster, issues = load_definitions(FsSource(target))
    if roster is None:
        raise DataInvalid("sop/personil.yaml contoh tidak dapat dibaca: "
                         + "; ".join(i.format() for i in issues if i.is_error))
    return roster


def _holder(roster: tuple, role: str) -> tuple[str, str]:
    """(nama, email) of the first person holding `role` whose validity has no end."""
    person = next((p for p in roster if role in p.peran and p.berlaku_sampai is None), None)
    if person is None:
        raise Refused(f"tidak ada personil aktif dengan peran '{role}' di sop/personil.yaml")
    return person.nama, person.email


def prepare(target: Path, hold_bidang: bool = False) -> tuple[Git, dict[str, Actor], dict[str, bytes]]:
    """Copy the sample office to `target`, make SSH keys for one holder of each SOP role, register
    them in sop/personil.yaml and make the first commit. With `hold_bidang`, the year's bidang files
    are left out of that commit and returned, so that their staff can deliver them later."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"'{target}' sudah ada dan tidak kosong; pilih folder baru atau kosong")
    if not (TEMPLATE / "content").is_dir() or not (TEMPLATE / "sop").is_dir():
        raise Refused("contoh kantor (content/, sop/) tidak ditemukan di samping paket lakip")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATE / "content", target / "content")
    shutil.copytree(TEMPLATE / "sop", target / "sop")
    for rel in ("mkdocs.yml", ".lakip/situs/.gitignore"):  # so that `lakip build` makes the site too
        if (TEMPLATE / rel).is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(TEMPLATE / rel, target / rel)
    held: dict[str, bytes] = {}
    if hold_bidang:
        bidang_data = target / "content" / str(TAHUN) / "bidang"
        held = {p.name: p.read_bytes() for p in sorted(bidang_data.glob("*.yaml"))}
        for path in bidang_data.glob("*.yaml"):
            path.unlink()
        (bidang_data / ".gitkeep").touch()

    git = Git(target)
    git.run("init", "-q", "-b", "main")
    git.run("config", "commit.gpgsign", "false")
    git.run("config", "gpg.format", "ssh")
    keys_dir = git.git_dir() / "lakip-demo"
    personil = target / "sop" / "personil.yaml"
    text = personil.read_text(encoding="utf-8")
    roster = _people(target)
    actors: dict[str, Actor] = {}
    keys = {}
    for role in ("kepala-dinas", "sekretaris", "jafung", "tim-kerja"):
        nama, email = _holder(roster, role)
        key = keys_dir / role
        keys[email] = make_key(key, email)
        actors[role] = Actor(nama, email, key)
    personil.write_text(register_keys(text, keys), encoding="utf-8")
    git.run("add", "-A")
    git.run("commit", "-q", "-m", "Repositori LAKIP Diskopukmperin: SOP, personil, Renstra, PK 2025",
            env=actor_env(actors["tim-kerja"], f"2026-01-26T09:00:00{WITA}"))
    return git, actors, held


def create(target: Path, progress: Callable[[str], None] = lambda _: None, tte: bool = False) -> Path:
    """Make the demo repository at `target` (which must not exist or be empty). With `tte`, the
    Kepala Dinas also signs the final PDF electronically after step 8 with a test certificate
    made on the fly (`workflow.tte.sertifikat_uji`; its root is committed as the TTE trust
    anchor), and step 11 stores the signed PDF in the archive."""
    git, actors, held = prepare(target, hold_bidang=True)
    progress("contoh kantor disalin; kunci SSH dibuat untuk 4 personil")
    tim = actors["tim-kerja"]

    def step(no: int, keputusan: str, role: str, when: str, note: str | None = None) -> None:
        done = record_step(target, no, keputusan, note, TAHUN, env=actor_env(actors[role], f"{when}{WITA}"))
        progress(f"langkah {no} ({keputusan}) dicatat: {done.commit[:10]}")

    def commit_files(role_or_actor, when: str, message: str, files: dict[str, bytes | str]) -> None:
        for rel, data in files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                data = data.encode("utf-8")
            path.write_bytes(data)
            git.run("add", rel)
        actor = actors[role_or_actor] if isinstance(role_or_actor, str) else role_or_actor
        git.run("commit", "-q", "-m", message, env=actor_env(actor, f"{when}{WITA}"))

    step(1, "selesai", "kepala-dinas", "2026-02-02T08:30:00", "Surat Edaran Sekda tentang penyusunan "
         "LKjIP 2025 ditindaklanjuti.")
    step(2, "selesai", "sekretaris", "2026-02-02T08:34:00", "Disposisi kepada Jafung Perencana.")
    step(3, "selesai", "jafung", "2026-02-02T08:39:00", "Koordinasi dengan Tim Kerja: format data "
         "dibagikan ke semua bidang.")
    staff = _bidang_staff(_people(target))
    for i, (bidang, data) in enumerate(held.items()):
        who = staff.get(bidang.removesuffix(".yaml"), tim)
        commit_files(who, f"2026-02-03T{9 + 2 * i:02d}:15:00", f"Data bidang {bidang.removesuffix('.yaml')} "
                     f"tahun {TAHUN}", {f"content/{TAHUN}/bidang/{bidang}": data})
    git.run("rm", "-q", f"content/{TAHUN}/bidang/.gitkeep")
    step(4, "selesai", "tim-kerja", "2026-02-04T10:00:00", "Data semua bidang lengkap dan valid.")
    step(5, "selesai", "tim-kerja", "2026-02-10T14:00:00", "Draft LAKIP 2025 disusun.")
    step(6, "setuju", "jafung", "2026-02-12T09:00:00", "Draft sudah sesuai PermenPANRB 53/2014.")
    note = f"content/{TAHUN}/reviu/2026-02-13-langkah-7-sekretaris.md"
    (target / note).parent.mkdir(parents=True, exist_ok=True)
    (target / note).write_text(_REVIU.format(email=actors["sekretaris"].email), encoding="utf-8")
    git.run("add", note)
    step(7, "revisi", "sekretaris", "2026-02-13T11:00:00", "Perlu perbaikan analisis, lihat catatan.")
    pendahuluan = target / "content" / str(TAHUN) / "narasi" / "penutup.md"
    pendahuluan.write_text(pendahuluan.read_text(encoding="utf-8").rstrip("\n") + _PERBAIKAN,
                           encoding="utf-8")
    git.run("add", "-A", f"content/{TAHUN}/narasi")
    step(5, "selesai", "tim-kerja", "2026-02-18T10:00:00", "Perbaikan sesuai catatan Sekretaris.")
    step(6, "setuju", "jafung", "2026-02-19T09:00:00")
    step(7, "setuju", "sekretaris", "2026-02-19T14:00:00")
    step(8, "setuju", "kepala-dinas", "2026-02-20T10:00:00", "Ditandatangani.")
    signed = _tte(target, git, actors["kepala-dinas"], progress) if tte else None
    step(9, "selesai", "jafung", "2026-02-23T09:00:00", "Surat pengantar ditandatangani Kepala Dinas.")
    pengiriman = target / "content" / str(TAHUN) / "pengiriman.yaml"
    pengiriman.write_text(pengiriman.read_text(encoding="utf-8").rstrip("\n") + _TANDA_TERIMA,
                          encoding="utf-8")
    git.run("add", f"content/{TAHUN}/pengiriman.yaml")
    step(10, "selesai", "tim-kerja", "2026-02-23T09:25:00", "Diterima Bagian Organisasi Setda.")
    from generator.workflow.archive import archive

    done = archive(target, TAHUN, "LAKIP dan tanda terima diarsipkan.",
                   env=actor_env(actors["tim-kerja"], f"2026-02-23T09:29:00{WITA}"), tte=signed)
    progress(f"langkah 11 (arsip) dicatat: {done.recorded.commit[:10]}, tag {done.tag}")
    return target


def _tte(target: Path, git: Git, kadis: Actor, progress: Callable[[str], None]) -> Path:
    """The TTE of the demo: a test PKI, its root committed into sop/ by the Kepala Dinas (a
    pengelola, signed), then `lakip tte` with the PKCS#12 held in memory (its passphrase is
    random and never written). Returns the signed PDF, kept beside the demo's SSH keys."""
    from generator.workflow import tte

    root_pem, p12, frasa = tte.sertifikat_uji(kadis.nama, kadis.email)
    anchor = "sop/tte/akar-uji-lakip.pem"
    (target / anchor).parent.mkdir(parents=True, exist_ok=True)
    (target / anchor).write_bytes(root_pem)
    sop = target / "sop" / "lakip.yaml"
    sop.write_text(sop.read_text(encoding="utf-8").rstrip("\n") +
                   f"\n\n# Akar kepercayaan TTE (docs/tte.md): sertifikat uji lakip demo, BUKAN BSrE.\n"
                   f"tte:\n  akar:\n    - {anchor}\n", encoding="utf-8")
    git.run("add", anchor, "sop/lakip.yaml")
    git.run("commit", "-q", "-S", "-m", "TTE: akar kepercayaan sertifikat uji",
            env=actor_env(kadis, f"2026-02-20T11:00:00{WITA}"))
    done = tte.tanda_tangani(target, TAHUN, git.git_dir() / "lakip-demo", frasa=frasa, p12=p12)
    progress(f"TTE: PDF final ditandatangani elektronik (sertifikat uji) oleh {done.penanda.nama}")
    return done.path


def _bidang_staff(roster: tuple) -> dict[str, Actor]:
    """The first staff member (no SOP role) maintaining each bidang: they deliver its data."""
    found: dict[str, Actor] = {}
    for person in roster:
        if not person.peran:
            for bidang in person.bidang:
                found.setdefault(bidang, Actor(person.nama, person.email, Path("/dev/null")))
    return found


_REVIU = """---
langkah: 7
peran: sekretaris
keputusan: revisi
tanggal: 2026-02-13
oleh: {email}
judul: Koreksi draft LAKIP 2025 oleh Sekretaris
---

1. Bab IV Penutup belum memuat langkah perbaikan untuk indikator yang capaiannya rendah
   (jumlah IKM baru). Tambahkan rencana tindak lanjut yang konkret untuk tahun 2026.
2. Periksa kembali konsistensi istilah "LKjIP" dan "LAKIP" di seluruh dokumen.
"""

_PERBAIKAN = """

Khusus untuk pertumbuhan jumlah IKM yang capaiannya masih rendah, pada tahun 2026 Dinas akan
membuka klinik perizinan IKM di setiap kecamatan bersama DPMPTSP, memperluas fasilitasi sertifikasi
halal dan merek, serta menyusun basis data calon wirausaha industri dari alumni pelatihan.
"""

_TANDA_TERIMA = """
tanda_terima:
  nomor: TT/ORG/2026/041
  tanggal: 2026-02-23
  penerima: Rahmawati, S.Sos.
  jabatan: Pengelola Laporan Kinerja, Bagian Organisasi Setda Kota Samarinda
"""
