"""SSH signatures of commits, checked against an allowed-signers file generated from the roster.

The common case, a commit signed once by `git commit -S` with an Ed25519 key that the file lists
under a plain email, is verified here with the `sshsig` library (OpenSSH's SSHSIG format on
`cryptography`); every other commit (unsigned, RSA or ECDSA keys, a key the file does not list, a
signature that does not verify, an unusual commit header) goes to git, whose `%G?` runs
`ssh-keygen` twice per commit. Both answer the same (tests/test_signatures.py compares them), so
only good Ed25519 signatures are decided here and git keeps the last word on everything else.
Results are cached (store.py, the user's cache folder) by commit id and allowed-signers content;
replacement objects are ignored by the runner, so a commit id always means the same signed bytes."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
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
    """Verification results for `commits` (git's %G?, %GS, %GK for each); only commits not yet
    in the cache are verified, here when `verify_here` can decide them, else by git. The cache
    key is the commit id and the allowed-signers text (what the answer depends on)."""
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
        for cid, found in verify_here(git, missing, signers).items():
            known[cid] = [found.status, found.signer, found.key]
            cache.put(keys[cid], known[cid])
        missing = [c for c in missing if c not in known]
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


# What `git commit -S` with an Ed25519 key writes, and all that is decided here: the SSHSIG armor
# ssh-keygen prints, an `ssh-ed25519` public key blob (51 bytes: two SSH strings), the two hash
# algorithms ssh-keygen accepts, principals without the pattern characters (`,` `*` `?` `!`) or
# quotes that allowed-signers gives a meaning.
_ARMOR = re.compile(rb"-----BEGIN SSH SIGNATURE-----\n(?:[A-Za-z0-9+/]+=*\n)+-----END SSH SIGNATURE-----\n?")
_ED25519 = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"
_HASHES = (b"sha256", b"sha512")
_PLAIN_PRINCIPAL = re.compile(r"[A-Za-z0-9._%+=/@-]+")


def split_signed(raw: bytes) -> tuple[bytes, bytes] | None:
    """(payload, signature) of a raw commit object that carries exactly one `gpgsig` header and
    no other `gpgsig-*` header, as git's parse_buffer_signed_by_header (commit.c) splits it: the
    payload is the object without the header's lines, the signature the header's value with the
    continuation lines' leading space removed. None for any other commit."""
    end = raw.find(b"\n\n")
    head, message = (raw, b"") if end < 0 else (raw[:end + 1], raw[end + 1:])
    payload: list[bytes] = []
    signature: list[bytes] = []
    headers = 0
    in_signature = False
    for line in head.splitlines(keepends=True):
        if in_signature and line.startswith(b" "):
            signature.append(line[1:])
            continue
        in_signature = line.startswith(b"gpgsig ")
        if in_signature:
            headers += 1
            signature.append(line[len(b"gpgsig "):])
        elif line.startswith(b"gpgsig"):
            return None  # gpgsig-sha256: git drops it from the payload; left to git
        else:
            payload.append(line)
    if headers != 1:
        return None
    return b"".join(payload) + message, b"".join(signature)


def _listed_keys(signers: str) -> dict[bytes, list[str]] | None:
    """Public key blob -> principals, in the file's line order, of an allowed-signers text as
    `allowed_signers` writes it; None when a principal is not a plain one (left to git)."""
    listed: dict[bytes, list[str]] = {}
    for line in signers.splitlines():
        parts = line.split(" ")
        if len(parts) != 4 or parts[1] != 'namespaces="git"':
            return None
        if not _PLAIN_PRINCIPAL.fullmatch(parts[0]):
            return None
        try:
            blob = base64.b64decode(parts[3], validate=True)
        except ValueError:
            continue  # ssh-keygen skips a line whose key it cannot read
        if parts[2] == "ssh-ed25519" and len(blob) == 51 and blob.startswith(_ED25519):
            listed.setdefault(blob, []).append(parts[0])
    return listed


def verify_here(git: Git, commits: list[str], signers: str) -> dict[str, Signature]:
    """The commits among `commits` whose signature is a good Ed25519 SSHSIG over the commit by a
    key `signers` lists, with what git would say of them: ("G", the key's first principal, its
    SHA256 fingerprint). Commits not in the result are for git to verify (see module docstring).
    The commits are read through the Git's one `cat-file --batch` reader."""
    import sshsig

    listed = _listed_keys(signers)
    if not listed or not commits or any(len(c) != 40 for c in commits):
        return {}  # no Ed25519 key to match, or a SHA-256 repository (gpgsig-sha256): git decides
    found: dict[str, Signature] = {}
    for cid, obj in zip(commits, git.objects(commits), strict=True):
        if obj is None:  # missing: git says why
            continue
        raw = obj[2]
        split = split_signed(raw) if obj[1] == "commit" else None
        if split is None or not _ARMOR.fullmatch(split[1]):
            continue
        payload, armored = split
        try:
            parsed = sshsig.sshsig.SshsigSignature.from_armored(armored)
            principals = listed.get(parsed.public_key)
            if not principals or parsed.hash_algo not in _HASHES:
                continue
            sshsig.check_signature(payload, armored, namespace="git")
        except Exception:  # malformed or bad: git gives the verdict, in its own words
            continue
        fingerprint = base64.b64encode(hashlib.sha256(parsed.public_key).digest()).decode().rstrip("=")
        found[cid] = Signature("G", principals[0], f"SHA256:{fingerprint}")
    return found
