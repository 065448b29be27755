"""The only caller of git. Reads step commits, verifies signatures (cached), reads git trees.

Performance rules (TOOLCHAIN.md): one `git log` with a trailer format for all step commits, never a
process per commit; signature checks run `ssh-keygen` once per commit ever, since their results are
cached under .git/lakip/ by commit id and allowed-signers content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.data import model as m
from generator.data.errors import LakipError

_FS, _RS, _TS = "\x1f", "\x1e", "\x1d"
_LOG_FORMAT = _FS.join(["%H", "%P", "%an", "%ae", "%aI", "%cI", "%s",
                        "%(trailers:only,unfold,separator=%x1d)"]) + "%x1e"
SIGNERS_FILE = "allowed_signers"


@dataclass(frozen=True)
class RawCommit:
    """A commit whose message carries SOP trailers, as git printed it."""

    id: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: dt.datetime
    committer_date: dt.datetime
    subject: str
    trailers: tuple[tuple[str, str], ...]  # (key, value) in message order


@dataclass(frozen=True)
class Signature:
    status: str  # git's %G?: G good, N none, B bad, U unknown validity, E cannot check, ...
    signer: str  # %GS: the principal (an email) that the allowed-signers file matched
    key: str  # %GK: the key fingerprint


@dataclass(frozen=True)
class ChangeEntry:
    """One commit that touched content/ (for the site's Riwayat)."""

    id: str
    author_name: str
    author_email: str
    author_date: dt.datetime
    subject: str
    files: tuple[str, ...]


class Git:
    def __init__(self, root: Path):
        self.root = root

    def run(self, *args: str, input: bytes | None = None, env: dict | None = None,
            check: bool = True) -> bytes:
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        try:
            done = subprocess.run(["git", "-C", str(self.root), *args], input=input,
                                  capture_output=True, env=full_env, check=False)
        except FileNotFoundError:
            raise LakipError("program git tidak ditemukan; pasang git terlebih dahulu") from None
        if check and done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise LakipError(f"git {args[0]} gagal: {message}")
        return done.stdout

    def call(self, *args: str, env: dict | None = None) -> tuple[int, str, str]:
        """Run git and return (exit code, stdout, stderr) whatever the outcome: for commands
        whose answer is in the exit code or on stderr (verify-tag)."""
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, env=full_env,
                              check=False)
        return (done.returncode, done.stdout.decode("utf-8", "replace"),
                done.stderr.decode("utf-8", "replace"))

    def text(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).decode("utf-8", "replace")

    def is_repo(self) -> bool:
        return self.run("rev-parse", "--git-dir", check=False) != b""

    def git_dir(self) -> Path:
        plain = self.root / ".git"
        if plain.is_dir():
            return plain
        return (self.root / self.text("rev-parse", "--git-common-dir").strip()).resolve()

    def head(self) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip()
        return out.decode() or None

    def config(self, key: str) -> str | None:
        out = self.run("config", "--get", key, check=False).decode().strip()
        return out or None


# ---------------------------------------------------------------- step commits


def step_commits(git: Git, rev: str = "HEAD") -> list[RawCommit]:
    """Every commit reachable from `rev` (all parents) whose message has a line starting with
    "SOP", oldest first in topological order. One git process."""
    out = git.text("log", "--topo-order", "--reverse", "--grep=^SOP", f"--format={_LOG_FORMAT}",
                   rev, "--")
    commits = []
    for record in out.split(_RS):
        record = record.strip("\n")
        if not record:
            continue
        cid, parents, name, email, adate, cdate, subject, trailers = record.split(_FS)
        pairs = []
        for item in trailers.split(_TS):
            key, sep, value = item.partition(":")
            if sep:
                pairs.append((key.strip(), value.strip()))
        if not any(k.upper().startswith("SOP") for k, _ in pairs):
            continue  # "SOP" only in the body text, not a trailer
        commits.append(RawCommit(cid, tuple(parents.split()), name, email,
                                 dt.datetime.fromisoformat(adate), dt.datetime.fromisoformat(cdate),
                                 subject, tuple(pairs)))
    return commits


# ---------------------------------------------------------------- signatures


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
        _atomic_write(path, signers)
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


def read_cache(git: Git, name: str) -> dict:
    """A JSON cache under .git/lakip/ ({} when absent or unreadable: caches are disposable)."""
    try:
        return json.loads((git.git_dir() / "lakip" / name).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}


def write_cache(git: Git, name: str, data: dict) -> None:
    folder = git.git_dir() / "lakip"
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / name, json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ---------------------------------------------------------------- trees


class GitSource:
    """A git tree as a Source (see source.py): one `ls-tree` for the listing, one long-lived
    `cat-file --batch` for the blobs."""

    def __init__(self, git: Git, treeish: str, prefixes: tuple[str, ...] = ("content", "sop")):
        self.git = git
        self.treeish = treeish
        out = git.run("ls-tree", "-r", "-z", "--full-tree", treeish, "--", *prefixes)
        self.blobs: dict[str, str] = {}
        self.dirs: dict[str, set[tuple[str, bool]]] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, path = entry.decode("utf-8", "surrogateescape").split("\t", 1)
            mode, kind, oid = meta.split()
            if kind != "blob" or mode == "120000":  # symlinks are not followed out of git
                continue
            self.blobs[path] = oid
            parts = path.split("/")
            for i in range(len(parts)):
                parent = "/".join(parts[:i])
                self.dirs.setdefault(parent, set()).add((parts[i], i < len(parts) - 1))
        self._data: dict[str, bytes] | None = None

    def is_file(self, rel: str) -> bool:
        return rel in self.blobs

    def is_dir(self, rel: str) -> bool:
        return rel in self.dirs

    def entries(self, rel: str) -> list[tuple[str, bool]]:
        return sorted(self.dirs.get(rel, ()))

    def read(self, rel: str) -> bytes:
        oid = self.blobs.get(rel)
        if oid is None:
            raise FileNotFoundError(rel)
        if self._data is None:
            self._data = {}
        if oid not in self._data:
            # One `cat-file --batch` per top-level folder: loading sop/ alone (status) does not
            # fetch content/, and loading content/ fetches all of it at once.
            top = rel.split("/", 1)[0] + "/"
            group = sorted({o for path, o in self.blobs.items() if path.startswith(top)})
            self._data.update(read_blobs(self.git, group))
        return self._data[oid]


def read_blobs(git: Git, oids: list[str]) -> dict[str, bytes]:
    """Contents of several blobs with one `git cat-file --batch`."""
    out = git.run("cat-file", "--batch", input=("\n".join(oids) + "\n").encode())
    result: dict[str, bytes] = {}
    pos = 0
    for oid in oids:
        header_end = out.index(b"\n", pos)
        _, _, size = out[pos:header_end].split()
        start = header_end + 1
        result[oid] = out[start:start + int(size)]
        pos = start + int(size) + 1
    return result


def object_ids(git: Git, specs: list[str]) -> list[str | None]:
    """`git cat-file --batch-check` for `rev:path` specs: the object id of each, None if missing."""
    if not specs:
        return []
    out = git.text("cat-file", "--batch-check=%(objectname)", input=("\n".join(specs) + "\n").encode())
    ids = []
    for line in out.splitlines():
        ids.append(None if line.endswith(" missing") or " " in line else line.strip())
    return ids


def changes(git: Git, paths: tuple[str, ...] = ("content",), limit: int = 50) -> list[ChangeEntry]:
    """The most recent commits that touched `paths`, with the files each changed."""
    out = git.text("log", f"-n{limit}", "--name-only",
                   f"--format={_RS}%H{_FS}%an{_FS}%ae{_FS}%aI{_FS}%s", "HEAD", "--", *paths,
                   check=False)
    entries = []
    for record in out.split(_RS):
        if not record.strip():
            continue
        header, _, files = record.partition("\n")
        cid, name, email, date, subject = header.split(_FS)
        entries.append(ChangeEntry(cid, name, email, dt.datetime.fromisoformat(date), subject,
                                   tuple(f for f in files.splitlines() if f)))
    return entries


# ---------------------------------------------------------------- content fingerprints


def content_fingerprints(git: Git, commits: list[str], tahun: int) -> dict[str, str]:
    """The SOP-Konten fingerprint of the content at each commit.

    Cached under .git/lakip/ by a key made of the object ids the fingerprint covers, read for all
    commits with two git processes; only content never seen before is loaded and hashed.
    """
    from generator.sop.fingerprint import fingerprint

    if not commits:
        return {}
    year = f"content/{tahun}"
    specs = [f"{c}:{p}" for c in commits for p in ("content/instansi.yaml", "content/renstra", year)]
    oids = object_ids(git, specs)
    trees = sorted({o for o in oids[2::3] if o})
    raw_trees = read_blobs(git, trees) if trees else {}
    keys = {}
    for i, commit in enumerate(commits):
        instansi, renstra, year_tree = oids[3 * i: 3 * i + 3]
        entries = _tree_entries(raw_trees[year_tree], len(year_tree) // 2) if year_tree else []
        kept = [e for e in entries if e[0] not in ("reviu", "pengiriman.yaml")]
        keys[commit] = hashlib.sha256(json.dumps([tahun, instansi, renstra, kept]).encode()).hexdigest()

    from generator.store import for_root

    cache = read_cache(git, "sidik-jari.json")
    fresh = False
    for commit in commits:
        if keys[commit] not in cache:
            documents = for_root(git.root) if (git.root / ".git").is_dir() else None
            cache[keys[commit]] = fingerprint(GitSource(git, commit, ("content",)), tahun, documents)
            fresh = True
    if fresh:
        write_cache(git, "sidik-jari.json", cache)
    return {c: cache[keys[c]] for c in commits}


def _tree_entries(raw: bytes, width: int) -> list[tuple[str, str]]:
    """(name, object id) of a raw git tree object: `mode SP name NUL oid` entries, where the oid
    is `width` bytes (20 for SHA-1 repositories, 32 for SHA-256)."""
    entries = []
    pos = 0
    while pos < len(raw):
        nul = raw.index(b"\0", pos)
        _, name = raw[pos:nul].split(b" ", 1)
        entries.append((name.decode("utf-8", "surrogateescape"), raw[nul + 1: nul + 1 + width].hex()))
        pos = nul + 1 + width
    return entries


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    date: dt.datetime | None
    tagger: str
    subject: str


def tags(git: Git, pattern: str = "lakip-*") -> list[Tag]:
    """Tags matching `pattern` (annotated or not), newest name first: the archive's index."""
    fields = ["%(refname:short)", "%(*objectname)", "%(objectname)", "%(taggerdate:iso-strict)",
              "%(creatordate:iso-strict)", "%(taggername)", "%(subject)"]
    out = git.text("for-each-ref", "--sort=-refname", f"--format={'%1f'.join(fields)}",
                   f"refs/tags/{pattern}", check=False)
    found = []
    for line in out.splitlines():
        name, peeled, oid, tagged, created, tagger, subject = line.split(_FS)
        when = tagged or created
        found.append(Tag(name, peeled or oid, dt.datetime.fromisoformat(when) if when else None,
                         tagger, subject))
    return found
