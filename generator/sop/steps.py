"""Pipelines of the SOP engine: status/verify (read) and recording a step (write one commit).

Read: HEAD's roster and SOP -> step commits (one git log) -> signatures (cached) -> content
fingerprints (cached) -> sop.evaluate. Write: the index as a tree -> load and check it -> the step
commit made from exactly that tree -> HEAD moved with a compare-and-swap. The working tree and the
index are never touched, so nobody's uncommitted work can be lost.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.data.errors import Issue, LakipError
from generator.data.load import PERSONIL_FILE, SOP_FILE, load_definitions, load_repo
from generator.data.validate import NARASI_WAJIB, validate
from generator.git.history import (
    Git,
    GitSource,
    allowed_signers,
    content_fingerprints,
    read_cache,
    signatures,
    step_commits,
    write_cache,
)
from generator.sop.engine import KEPUTUSAN_TANPA_PILIHAN, Status, evaluate
from generator.sop.fingerprint import fingerprint
from generator.sop.worktime import from_sop, libur_dikenal, seed_libur

_IDENT = re.compile(r"^(?P<nama>.*) <(?P<email>[^>]*)> (?P<ts>\d+) (?P<tz>[+-]\d{4})$")


@dataclass(frozen=True)
class Progress:
    status: Status
    sop: m.Sop
    roster: tuple[m.Personil, ...]
    head: str | None


def open_repo(root: Path) -> Git:
    git = Git(root)
    if not git.is_repo():
        raise LakipError(f"'{root}' bukan repositori git (petunjuk: lakip demo DIR membuat contoh "
                         "repositori dengan riwayat SOP; lakip init DIR membuat repositori baru)",
                         exit_code=2)
    return git


def _definitions(root: Path, source) -> tuple[m.Repo, list[Issue]]:
    repo, issues = load_repo(root, source)
    _require(repo.sop, repo.personil, issues)
    return repo, issues


def _require(sop, personil, issues: list[Issue]) -> None:
    if sop is None or personil is None:
        problems = "; ".join(i.format() for i in issues if i.is_error and i.loc.path.startswith("sop/"))
        raise LakipError(f"SOP atau daftar personil tidak dapat dibaca: {problems}")


def _newest_year(root: Path, source) -> int:
    years = [int(name) for name, is_dir in source.entries("content") if is_dir and name.isdigit()]
    if not years:
        raise LakipError("belum ada folder tahun di content/", exit_code=2)
    return max(years)


def progress(root: Path, tahun: int | None = None, now: dt.datetime | None = None,
             rev: str | None = None) -> Progress:
    """The SOP's state for `tahun` as recorded at HEAD (or at commit `rev`), judged by the SOP and
    roster of that same commit."""
    git = open_repo(root)
    head = rev or git.head()
    if head is None:
        raise LakipError("repositori belum punya commit: buat commit pertama dulu")
    source = GitSource(git, head)
    sop, personil = _cached_definitions(git, source)
    tahun = tahun or _newest_year(root, source)
    status = _evaluate(git, sop, personil, head, tahun, now)
    return Progress(status, sop, personil, head)


def _cached_definitions(git: Git, source: GitSource) -> tuple[m.Sop, tuple[m.Personil, ...]]:
    """HEAD's SOP and roster, parsed once per blob pair (status needs no content; parsing and the
    schema check cost more than the whole history walk)."""
    import pickle

    from generator import __version__

    key = f"{__version__}:{source.blobs.get(SOP_FILE)}:{source.blobs.get(PERSONIL_FILE)}"
    path = git.git_dir() / "lakip" / "definisi.pickle"
    try:
        cached = pickle.loads(path.read_bytes())
        if cached[0] == key:
            return cached[1], cached[2]
    except (OSError, pickle.UnpicklingError, EOFError, IndexError, TypeError, AttributeError):
        pass
    sop, personil, issues = load_definitions(source)
    _require(sop, personil, issues)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((key, sop, personil)))
    return sop, personil


def _evaluate(git: Git, sop: m.Sop, roster: tuple[m.Personil, ...], head: str, tahun: int,
              now: dt.datetime | None) -> Status:
    commits = [c for c in step_commits(git, head)
               if dict(c.trailers).get("SOP-Tahun", str(tahun)) == str(tahun)]
    ids = [c.id for c in commits]
    sigs = signatures(git, ids, allowed_signers(roster))
    konten = content_fingerprints(git, [*ids, head], tahun)
    seed_libur({(k.split("|")[0], tuple(k.split("|")[1].split(",")), int(k.split("|")[2])):
                {dt.date.fromisoformat(d): n for d, n in days.items()}
                for k, days in read_cache(git, "libur.json").items()})
    before = set(libur_dikenal())
    kalender = from_sop(sop)
    status = evaluate(sop, roster, tahun, commits, sigs, konten, konten[head], kalender,
                      now or dt.datetime.now(dt.UTC))
    known = libur_dikenal()
    if set(known) != before:  # new years were computed: keep them for the next run
        write_cache(git, "libur.json", {f"{n}|{','.join(c)}|{y}": {d.isoformat(): v for d, v in days.items()}
                                        for (n, c, y), days in known.items()})
    return status


def who_acts(sop: m.Sop, roster: tuple[m.Personil, ...], no: int, day: dt.date) -> list[m.Personil]:
    step = sop.step(no)
    return [p for p in roster if step.pelaksana in p.peran and p.active_on(day)]


# ---------------------------------------------------------------- recording a step


@dataclass(frozen=True)
class Recorded:
    commit: str
    subject: str
    files: tuple[str, ...]  # what the commit changed besides recording the step
    status: Status
    sop: m.Sop
    roster: tuple[m.Personil, ...]


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
    step = sop.step(no)
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
                        f"({sop.role(step.pelaksana).nama}) yang melaksanakan langkah {no}")
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
    if sign:
        args.insert(1, "-S")
    new = git.text(*args, input=message.encode("utf-8"), env=env).strip()
    git.run("update-ref", "-m", f"lakip: langkah {no} ({keputusan})", "HEAD", new, head, env=env)
    after = _evaluate(git, sop, roster, new, tahun, when)
    return Recorded(new, subject, changed, after, sop, roster)


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
    step = sop.step(status.berjalan)
    names = "; ".join(p.nama for p in who_acts(sop, roster, step.no, day)) or "belum ada personil"
    return (f"yang berjalan sekarang adalah langkah {step.no} ({step.judul or step.kegiatan}), "
            f"oleh {sop.role(step.pelaksana).nama}: {names}")


def _changed(git: Git, head: str, tree: str) -> tuple[str, ...]:
    out = git.text("diff-tree", "-r", "--name-only", "--no-commit-id", head, tree)
    return tuple(line for line in out.splitlines() if line)


def _syarat(step: m.Langkah, keputusan: str, repo: m.Repo, issues: list[Issue], tahun: int,
            changed: tuple[str, ...]) -> list[str]:
    year = repo.year(tahun)
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


def approval(root: Path, tahun: int, source, rev: str | None = None, known: Progress | None = None
             ) -> tuple[bool, dt.datetime, tuple[str, ...]]:
    """Is the content in `source` (the working tree) the approved, signed one? Returns (final,
    the document's date, notes). The date comes from git, never the clock, so rebuilding a commit
    gives identical files: the signing approval's time when final, else HEAD's commit time.
    `known` is the progress at HEAD when the caller has it already."""
    import os

    git = Git(root)
    if git.is_repo() and git.head():
        p = known if known is not None and rev is None else progress(root, tahun, rev=rev)
        head = p.head
        from generator.store import for_root

        same = fingerprint(source, tahun, for_root(root)) == content_fingerprints(git, [head], tahun)[head]
        final = p.status.final and same
        signing = next((s.no for s in p.sop.langkah if s.pengesahan == "tanda-tangan"), None)
        record = p.status.step(signing).catatan if final and signing else None
        when = record.waktu if record else dt.datetime.fromisoformat(
            git.text("log", "-1", "--format=%cI", head).strip())
        notes = () if same else ("folder kerja berisi perubahan konten yang belum di-commit: "
                                 "dokumen ditandai DRAF",)
        return final, when, notes
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return False, moment, ("bukan repositori git: dokumen ditandai DRAF dan bertanggal hari ini",)
