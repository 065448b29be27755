"""Recording a step (`lakip step`): the index as a tree -> load and check it -> the step commit made
from exactly that tree -> HEAD moved with a compare-and-swap. The working tree and the index are
never touched, so nobody's uncommitted work can be lost.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.data.errors import Issue, LakipError
from generator.data.validate import NARASI_WAJIB, validate
from generator.git import (
    Git,
    GitSource,
)
from generator.sop.engine import KEPUTUSAN_TANPA_PILIHAN, Status
from generator.sop.fingerprint import fingerprint
from generator.sop.progress import _definitions, _evaluate, _newest_year, open_repo, who_acts

_IDENT = re.compile(r"^(?P<nama>.*) <(?P<email>[^>]*)> (?P<ts>\d+) (?P<tz>[+-]\d{4})$")


@dataclass(frozen=True)
class Recorded:
    commit: str
    subject: str
    files: tuple[str, ...]  # what the commit changed besides recording the step
    status: Status
    sop: m.Sop
    roster: tuple[m.Personil, ...]
    notes: tuple[str, ...] = ()  # e.g. a signing program set by the repository and ignored


def record(root: Path, no: int, keputusan: str, catatan: str | None = None,
           tahun: int | None = None, env: dict | None = None) -> Recorded:
    """Check that step `no` may be recorded now by the current git identity, then record it as
    one commit of the staged content (signed when the SOP requires it)."""
    git = open_repo(root)
    head = git.head()
    if head is None:
        raise LakipError("repositori belum punya commit: buat commit pertama dulu")
    tree = git.text("write-tree", env=env).strip()  # the index; fails on unresolved conflicts
    snapshot = GitSource(git, tree)
    repo, issues = _definitions(root, snapshot)
    issues = issues + validate(repo)
    sop, roster = repo.sop, repo.personil
    tahun = tahun or _newest_year(root, snapshot)
    step = sop.find_langkah(no)
    if step is None:
        raise LakipError(f"langkah {no} tidak ada di SOP {sop.id} (langkah 1-{len(sop.langkah)})",
                         exit_code=2)
    ident = _ident(git, env)
    when = ident["waktu"]
    status = _evaluate(git, sop, roster, head, tahun, when)

    problems: list[str] = []
    if status.berjalan != no:
        problems.append(_not_due(sop, roster, status, when.date()))
    allowed = list(step.keputusan) or [KEPUTUSAN_TANPA_PILIHAN]
    if keputusan not in allowed:
        problems.append(f"keputusan '{keputusan}' tidak sah untuk langkah {no}; pilih "
                        f"{' atau '.join(allowed)}")
    person = next((p for p in roster if p.email.lower() == ident["email"].lower()), None)
    if person is None:
        problems.append(f"identitas git {ident['nama']} <{ident['email']}> tidak ada di "
                        "sop/personil.yaml (petunjuk: git config user.email <email Anda>)")
    elif step.pelaksana not in person.peran:
        problems.append(f"{person.nama} tidak memegang peran '{step.pelaksana}' "
                        f"({sop.find_peran(step.pelaksana).nama}) yang melaksanakan langkah {no}")
    elif not person.active_on(when.date()):
        problems.append(f"peran {person.nama} tidak berlaku pada {when.date().isoformat()}")
    changed = _changed(git, head, tree)
    problems += _syarat(step, keputusan, repo, issues, tahun, changed)
    sign = step.tanda_tangan
    if sign and person is not None:
        problems += _signing_problems(git, person, env)
    if problems:
        who = _not_due(sop, roster, status, when.date()) if status.berjalan != no else None
        lines = [f"langkah {no} ({step.judul or step.kegiatan}) tidak dapat dicatat:"]
        lines += [f"  - {p}" for p in problems if p != who]
        if who:
            lines.insert(1, f"  - {who}")
        raise LakipError("\n".join(lines))

    konten = fingerprint(snapshot, tahun)
    subject = (f"LAKIP {tahun} · Langkah {no}: {step.kegiatan.split('. ')[0]} ({keputusan})")
    body = f"\n\n{catatan.strip()}" if catatan and catatan.strip() else ""
    message = (f"{subject}{body}\n\n"
               f"SOP: {sop.id}\nSOP-Tahun: {tahun}\nSOP-Langkah: {no}\nSOP-Keputusan: {keputusan}\n"
               f"SOP-Peran: {step.pelaksana}\nSOP-Konten: {konten}\n"
               f"Signed-off-by: {ident['nama']} <{ident['email']}>\n")
    args = ["commit-tree", tree, "-p", head, "-F", "-"]
    notes: list[str] = []
    if sign:
        args.insert(1, "-S")
        # Only the user's own signing program runs, never one that the repository's config names.
        overrides, notes = git.signing_overrides(env)
        args = [*overrides, *args]
    new = git.text(*args, input=message.encode("utf-8"), env=env).strip()
    git.run("update-ref", "-m", f"lakip: langkah {no} ({keputusan})", "HEAD", new, head, env=env)
    after = _evaluate(git, sop, roster, new, tahun, when)
    return Recorded(new, subject, changed, after, sop, roster, tuple(notes))


def _ident(git: Git, env: dict | None) -> dict:
    raw = git.text("var", "GIT_AUTHOR_IDENT", env=env, check=False).strip()
    match = _IDENT.match(raw)
    if not match or not match["email"]:
        raise LakipError("identitas git belum diatur (petunjuk: git config user.name \"Nama Anda\" "
                         "dan git config user.email email@kantor.go.id)")
    sign = -1 if match["tz"][0] == "-" else 1
    offset = dt.timedelta(hours=int(match["tz"][1:3]), minutes=int(match["tz"][3:5]))
    tz = dt.timezone(sign * offset)
    return {"nama": match["nama"], "email": match["email"],
            "waktu": dt.datetime.fromtimestamp(int(match["ts"]), tz)}


def _not_due(sop: m.Sop, roster: tuple[m.Personil, ...], status: Status, day: dt.date) -> str:
    if status.berjalan is None:
        return f"SOP {sop.id} tahun {status.tahun} sudah selesai ({len(sop.langkah)} langkah tercatat)"
    step = sop.find_langkah(status.berjalan)
    names = "; ".join(p.nama for p in who_acts(sop, roster, step.no, day)) or "belum ada personil"
    return (f"yang berjalan sekarang adalah langkah {step.no} ({step.judul or step.kegiatan}), "
            f"oleh {sop.find_peran(step.pelaksana).nama}: {names}")


def _changed(git: Git, head: str, tree: str) -> tuple[str, ...]:
    out = git.text("diff-tree", "-r", "--name-only", "--no-commit-id", head, tree)
    return tuple(line for line in out.splitlines() if line)


def _syarat(step: m.Langkah, keputusan: str, repo: m.Repo, issues: list[Issue], tahun: int,
            changed: tuple[str, ...]) -> list[str]:
    year = repo.find_tahun(tahun)
    base = f"content/{tahun}/"
    errors = [i for i in issues if i.is_error and (not i.loc.path.startswith("content/2")
                                                   or i.loc.path.startswith(base))]
    problems = []
    for syarat in step.syarat:
        if syarat == "data-bidang-lengkap":
            bad = [i for i in issues if i.loc.path.startswith(base) and (
                i.is_error or i.kode == "realisasi-belum-tersedia")]
            if year is None or not year.bidang:
                problems.append(f"data bidang tahun {tahun} belum ada (content/{tahun}/bidang/)")
            for issue in bad[:10]:
                problems.append(f"data bidang belum lengkap: {issue.format()}")
        elif syarat == "validasi-bersih":
            for issue in errors[:10]:
                problems.append(f"data belum valid: {issue.format()}")
            if len(errors) > 10:
                problems.append(f"... dan {len(errors) - 10} galat lain (jalankan lakip validate)")
        elif syarat == "narasi-lengkap":
            written = {n.bagian for n in year.narasi} if year else set()
            missing = [b for b in NARASI_WAJIB if b not in written]
            if missing:
                problems.append(f"narasi belum lengkap: {', '.join(missing)} belum ditulis di "
                                f"content/{tahun}/narasi/")
        elif syarat == "catatan-reviu" and not (step.keputusan.get(keputusan, step.no + 1) > step.no):
            notes = [r for r in (year.reviu if year else ()) if r.path in changed
                     and r.langkah == step.no and r.keputusan == keputusan]
            if not notes:
                problems.append(f"keputusan '{keputusan}' memerlukan catatan reviu baru di "
                                f"content/{tahun}/reviu/ (front matter langkah: {step.no}, "
                                f"keputusan: {keputusan}) yang ikut di commit ini (git add)")
        elif syarat == "surat-pengantar" and not (year and year.pengiriman
                                                   and year.pengiriman.surat_pengantar):
            problems.append(f"surat pengantar belum diisi: content/{tahun}/pengiriman.yaml "
                            "bagian 'surat_pengantar'")
        elif syarat == "tanda-terima" and not (year and year.pengiriman
                                                and year.pengiriman.tanda_terima):
            problems.append(f"tanda terima belum diisi: content/{tahun}/pengiriman.yaml bagian "
                            "'tanda_terima'")
    return problems


def _signing_problems(git: Git, person: m.Personil, env: dict | None) -> list[str]:
    def config(key: str) -> str | None:
        out = git.text("config", "--get", key, env=env, check=False).strip()
        return out or None

    if not person.kunci_ssh:
        return [f"langkah ini wajib ditandatangani, tetapi kunci SSH {person.nama} belum terdaftar "
                "di sop/personil.yaml (kunci_ssh)"]
    if config("gpg.format") != "ssh" or not config("user.signingkey"):
        return ["penandatanganan SSH belum diatur (petunjuk: git config gpg.format ssh dan "
                "git config user.signingkey ~/.ssh/id_ed25519.pub)"]
    key = _public_key(config("user.signingkey"))
    registered = person.kunci_ssh.split()[:2]
    if key is not None and key != registered:
        return [f"kunci penandatangan git (user.signingkey) bukan kunci {person.nama} yang "
                "terdaftar di sop/personil.yaml"]
    return []


def _public_key(setting: str) -> list[str] | None:
    """The `type base64` of the configured signing key, or None when it cannot be read."""
    if setting.startswith("key::"):
        return setting[5:].split()[:2]
    path = Path(setting).expanduser()
    for candidate in (path, path.with_name(path.name + ".pub")):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith(("ssh-", "ecdsa-", "sk-")):
                return text.split()[:2]
    try:
        out = subprocess.run(["ssh-keygen", "-y", "-P", "", "-f", str(path)], capture_output=True,
                             text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.split()[:2] if out.returncode == 0 else None
