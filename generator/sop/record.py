"""Recording a step (`lakip step`): the index as a tree, loaded once (`Staged`, gathered by
`workflow.step`) -> checked -> the step commit made from exactly that tree -> HEAD moved with a
compare-and-swap. The working tree and the index are never touched, so nobody's uncommitted work
can be lost.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from generator.data import model as m
from generator.data.errors import Issue, Refused, UsageError
from generator.data.source import Source
from generator.git import Git
from generator.git.ident import Identity
from generator.git.objects import changed_paths
from generator.git.runner import parse_config_list
from generator.sop.engine import KEPUTUSAN_TANPA_PILIHAN, Status
from generator.sop.fingerprint import fingerprint
from generator.sop.progress import Progress, _require, progress, who_acts
from generator.sop.syarat import check_syarat
from generator.sop.trust import local_day


@dataclass(frozen=True)
class Recorded:
    """What `lakip step` recorded: the new commit, its subject, the files it changed besides recording the
    step, the SOP and roster it was checked against, and notes for the user."""

    commit: str
    subject: str
    files: tuple[str, ...]  # what the commit changed besides recording the step
    sop: m.Sop
    roster: m.Roster
    root: Path
    tahun: int
    when: dt.datetime
    notes: tuple[str, ...] = ()  # e.g. a signing program set by the repository and ignored

    @cached_property
    def status(self) -> Status:
        """The SOP state with the new commit (computed when asked: most callers never do)."""
        return progress(self.root, self.tahun, self.when, rev=self.commit).status


@dataclass(frozen=True)
class Staged:
    """The index about to become a step commit, read once by `workflow.step.gather_staged` (from the
    command's Snapshot): `tree` is the index written as a tree and `source` reads it; `repo` and
    `issues` are its loaded and validated files; `state` is the SOP's progress at `head`, judged at
    `ident.waktu` by the authorized SOP and roster there (DESIGN §5)."""

    git: Git
    root: Path
    head: str
    tree: str
    source: Source
    repo: m.Repo
    issues: tuple[Issue, ...]
    tahun: int
    ident: Identity
    state: Progress


def record(staged: Staged, no: int, keputusan: str, catatan: str | None = None,
           env: dict | None = None) -> Recorded:
    """Check that step `no` may be recorded now by `staged.ident`, then record it as one commit of
    the staged content (signed when the SOP requires it) and move HEAD with a compare-and-swap.

    Raises Refused (exit 1) listing every reason the step cannot be recorded, UsageError (exit 2)
    for a step the SOP does not have, DataInvalid when the staged SOP or roster cannot be read."""
    git, root, head, tree, tahun = staged.git, staged.root, staged.head, staged.tree, staged.tahun
    repo, issues, ident, state = staged.repo, staged.issues, staged.ident, staged.state
    _require(repo.sop, repo.personil, list(staged.issues))
    when = ident.waktu
    # Judged as verify will judge the new commit: by the authorized SOP and roster at its parent.
    if any(t.kode == "riwayat-terpotong" for t in state.status.temuan):
        raise Refused(state.status.temuan[0].pesan)
    sop, roster, status = state.sop, state.roster, state.status
    step = sop.find_langkah(no)
    if step is None:
        raise UsageError(f"langkah {no} tidak ada di SOP {sop.id} (langkah 1-{len(sop.langkah)})")
    day = local_day(when, sop)

    problems: list[str] = []
    if status.berjalan != no:
        problems.append(_not_due(sop, roster, status, day))
    allowed = list(step.keputusan) or [KEPUTUSAN_TANPA_PILIHAN]
    if keputusan not in allowed:
        problems.append(f"keputusan '{keputusan}' tidak sah untuk langkah {no}; pilih "
                        f"{' atau '.join(allowed)}")
    person = roster.find(ident.email)
    if person is None:
        problems.append(f"identitas git {ident.nama} <{ident.email}> tidak ada di "
                        "sop/personil.yaml (petunjuk: git config user.email <email Anda>)")
    elif step.pelaksana not in person.peran:
        problems.append(f"{person.nama} tidak memegang peran '{step.pelaksana}' "
                        f"({sop.find_peran(step.pelaksana).nama}) yang melaksanakan langkah {no}")
    elif not person.holds(step.pelaksana, day):
        problems.append(f"peran {person.nama} tidak berlaku pada {day.isoformat()}")
    changed = _changed(git, head, tree)
    rules = [f for f in changed if f.startswith("sop/")]
    if rules:
        problems.append(f"perubahan sop/ ({', '.join(rules)}) tidak boleh ikut di commit langkah: "
                        "commit-kan dulu secara terpisah, ditandatangani pengelola "
                        f"({', '.join(sop.pengelola)}) (petunjuk: git restore --staged sop/)")
    latest = max([c.waktu for c in status.riwayat] + [git.commit_time(head)])
    if when < latest:
        problems.append(f"waktu commit {when.isoformat()} lebih awal dari langkah atau commit "
                        f"sebelumnya ({latest.isoformat()}): periksa jam komputer atau "
                        "GIT_AUTHOR_DATE/GIT_COMMITTER_DATE")
    problems += check_syarat(step, keputusan, repo, issues, tahun, changed)
    sign = step.tanda_tangan
    if sign and person is not None:
        problems += _signing_problems(git, person, day, env)
    if problems:
        who = _not_due(sop, roster, status, day) if status.berjalan != no else None
        lines = [f"langkah {no} ({step.judul or step.kegiatan}) tidak dapat dicatat:"]
        lines += [f"  - {p}" for p in problems if p != who]
        if who:
            lines.insert(1, f"  - {who}")
        raise Refused("\n".join(lines))

    konten = fingerprint(staged.source, tahun)
    subject = (f"LAKIP {tahun} · Langkah {no}: {step.kegiatan.split('. ')[0]} ({keputusan})")
    body = f"\n\n{catatan.strip()}" if catatan and catatan.strip() else ""
    message = (f"{subject}{body}\n\n"
               f"SOP: {sop.id}\nSOP-Tahun: {tahun}\nSOP-Langkah: {no}\nSOP-Keputusan: {keputusan}\n"
               f"SOP-Peran: {step.pelaksana}\nSOP-Konten: {konten}\n"
               f"Signed-off-by: {ident.nama} <{ident.email}>\n")
    args = ["commit-tree", tree, "-p", head, "-F", "-"]
    notes: list[str] = []
    if sign:
        args.insert(1, "-S")
        # Only the user's own signing program runs, never one that the repository's config names.
        overrides, notes = git.signing_overrides(env)
        args = [*overrides, *args]
    new = git.text(*args, input=message.encode("utf-8"), env=env).strip()
    git.run("update-ref", "-m", f"lakip: langkah {no} ({keputusan})", "HEAD", new, head, env=env)
    return Recorded(new, subject, changed, sop, roster, root, tahun, when, tuple(notes))


def _not_due(sop: m.Sop, roster: m.Roster, status: Status, day: dt.date) -> str:
    if status.berjalan is None:
        return f"SOP {sop.id} tahun {status.tahun} sudah selesai ({len(sop.langkah)} langkah tercatat)"
    step = sop.find_langkah(status.berjalan)
    names = "; ".join(p.nama for p in who_acts(sop, roster, step.no, day)) or "belum ada personil"
    return (f"yang berjalan sekarang adalah langkah {step.no} ({step.judul or step.kegiatan}), "
            f"oleh {sop.find_peran(step.pelaksana).nama}: {names}")


def _changed(git: Git, head: str, tree: str) -> tuple[str, ...]:
    """The files `tree` changes against `head` (as `git diff-tree -r --name-only`, read through
    the git reader); a name that is not UTF-8 shows U+FFFD."""
    return tuple(p.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                 for p in changed_paths(git, head, tree))


def signing_problems(git: Git, person: m.Personil, day: dt.date, env: dict | None = None) -> list[str]:
    """What keeps `person` from signing a step on `day` with the git configuration in force (`env`
    as for `record`): no registered key, SSH signing not configured, or a signing key that is not
    theirs. Indonesian sentences; [] when signing is ready. The check `lakip step` makes."""
    return _signing_problems(git, person, day, env)


def _signing_problems(git: Git, person: m.Personil, day: dt.date, env: dict | None) -> list[str]:
    if not person.kunci_ssh:
        return [f"langkah ini wajib ditandatangani, tetapi kunci SSH {person.nama} belum terdaftar "
                "di sop/personil.yaml (kunci_ssh)"]
    # one `git config --list` instead of a `git config --get` per setting
    settings = parse_config_list(git.run("config", "--list", "-z", env=env, check=False))
    setting = settings.get("user.signingkey", "")
    if settings.get("gpg.format") != "ssh" or not setting:
        return ["penandatanganan SSH belum diatur (petunjuk: git config gpg.format ssh dan "
                "git config user.signingkey ~/.ssh/id_ed25519.pub)"]
    key = _public_key(setting)
    if key is None and not setting.startswith("key::") and not any(
            p.is_file() for p in (Path(setting).expanduser(), Path(setting + ".pub").expanduser())):
        # git would fail later with an English "Couldn't load public key" (review 1 item 9)
        return [f"berkas kunci penandatangan git (user.signingkey) {setting} tidak ditemukan atau "
                "tidak dapat dibaca"]
    if key is not None and person.key_on(m.key_fingerprint(" ".join(key)), day) is None:
        return [f"kunci penandatangan git (user.signingkey) bukan kunci {person.nama} yang "
                f"terdaftar dan berlaku pada {day.isoformat()} di sop/personil.yaml"]
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
