"""SSH signatures of commits, checked by git against an allowed-signers file generated from the
roster. Results are cached by commit id and allowed-signers content, so `ssh-keygen` runs once per
commit ever."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.git.log import _FS, _RS
from generator.git.runner import Git, atomic_write, read_cache, write_cache

SIGNERS_FILE = "allowed_signers"


@dataclass(frozen=True)
class Signature:
    status: str  # git's %G?: G good, N none, B bad, U unknown validity, E cannot check, ...
    signer: str  # %GS: the principal (an email) that the allowed-signers file matched
    key: str  # %GK: the key fingerprint


def allowed_signers(people: Iterable[m.Personil]) -> str:
    """The allowed-signers file for git's SSH verification: one line per registered key,
    principal = email, validity dates from the roster."""
    lines = []
    for p in people:
        if not p.kunci_ssh:
            continue
        options = ['namespaces="git"', f'valid-after="{p.berlaku_mulai:%Y%m%d}"']
        if p.berlaku_sampai:
            options.append(f'valid-before="{p.berlaku_sampai + dt.timedelta(days=1):%Y%m%d}"')
        lines.append(f"{p.email} {','.join(options)} {p.kunci_ssh}")
    return "\n".join(lines) + "\n"


def write_signers(git: Git, signers: str) -> Path:
    """The allowed-signers file under .git/lakip/ (rewritten only when the roster changed)."""
    path = git.git_dir() / "lakip" / SIGNERS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != signers:
        atomic_write(path, signers)
    return path


def signatures(git: Git, commits: Iterable[str], signers: str) -> dict[str, Signature]:
    """Verification results for `commits`; only commits not yet in the cache reach ssh-keygen."""
    key = hashlib.sha256(signers.encode()).hexdigest()
    cache = read_cache(git, "tanda-tangan.json")
    known = cache.get(key, {})
    wanted = list(dict.fromkeys(commits))
    missing = [c for c in wanted if c not in known]
    if missing:
        signers_file = write_signers(git, signers)
        out = git.text("-c", f"gpg.ssh.allowedSignersFile={signers_file}", "log", "--no-walk=unsorted",
                       "--stdin", f"--format=%H{_FS}%G?{_FS}%GS{_FS}%GK{_RS}",
                       input="\n".join(missing).encode() + b"\n")
        for record in out.split(_RS):
            record = record.strip("\n")
            if record:
                cid, status, signer, fingerprint = record.split(_FS)
                known[cid] = [status, signer, fingerprint]
        write_cache(git, "tanda-tangan.json", {key: known})  # older rosters' results are useless
    return {c: Signature(*known[c]) for c in wanted if c in known}
