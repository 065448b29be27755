"""SSH signatures of commits, checked by git against an allowed-signers file generated from the
roster. Results are cached (store.py, the user's cache folder) by commit id and allowed-signers
content, so `ssh-keygen` runs once per commit ever; replacement objects are ignored by the runner,
so a commit id always means the same signed bytes."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.git.log import _marker, _records
from generator.git.runner import Git
from generator.store import digest, store


@dataclass(frozen=True)
class Signature:
    status: str  # git's %G?: G good, N none, B bad, U unknown validity, E cannot check, ...
    signer: str  # %GS: the principal (an email) that the allowed-signers file matched
    key: str  # %GK: the key fingerprint


def allowed_signers(people: Iterable[m.Personil]) -> str:
    """The allowed-signers file for git's SSH verification: one line per registered key (dated,
    ended or revoked alike), principal = email, without validity options.

    git only answers whether the signature is good and which registered key made it; whether that
    key and its holder could sign on the commit's date is decided by lakip from the roster in
    force, as calendar dates in the SOP's zona_waktu (ssh-keygen would read `valid-after` in the
    verifying machine's local time zone: TOOLCHAIN.md). Lines are sorted and unique, so the same
    keys give the same file (and the same signature cache) whatever the roster version."""
    lines = set()
    for p in people:
        for k in p.kunci:
            key = " ".join(k.kunci.split()[:2])
            lines.add(f'{p.email} namespaces="git" {key}')
    return "\n".join(sorted(lines)) + "\n"


@contextlib.contextmanager
def signers_file(signers: str) -> Iterator[Path]:
    """The allowed-signers text as a file in a private temporary folder, for one git call."""
    with tempfile.TemporaryDirectory(prefix="lakip-") as folder:
        path = Path(folder) / "allowed_signers"
        path.write_text(signers, encoding="utf-8")
        yield path


def signatures(git: Git, commits: Iterable[str], signers: str) -> dict[str, Signature]:
    """Verification results for `commits`; only commits not yet in the cache reach ssh-keygen.
    The cache key is the commit id and the allowed-signers text (what the answer depends on)."""
    cache = store("tanda-tangan")
    wanted = list(dict.fromkeys(commits))
    keys = {c: digest("tanda-tangan", c, signers) for c in wanted}
    known: dict[str, list[str]] = {}
    for c in wanted:
        hit = cache.get(keys[c])
        if isinstance(hit, list) and len(hit) == 3 and all(isinstance(x, str) for x in hit):
            known[c] = hit
    missing = [c for c in wanted if c not in known]
    if missing:
        marker = _marker()  # principals come from roster files: text anyone could write
        with signers_file(signers) as path:
            out = git.run("-c", f"gpg.ssh.allowedSignersFile={path}", "log", "--no-walk=unsorted",
                          "--stdin", marker.format(["%H", "%G?", "%GS", "%GK"]),
                          input="\n".join(missing).encode() + b"\n")
        for cid, status, signer, fingerprint in _records(out, marker, 4):
            known[cid] = [status, signer, fingerprint]
            if cid in keys:
                cache.put(keys[cid], known[cid])
        cache.save()
    return {c: Signature(*known[c]) for c in wanted if c in known}
