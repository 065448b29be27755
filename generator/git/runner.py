"""The git runner: every git process lakip starts goes through `Git`.

The repository is untrusted data (DESIGN §5): its `.git/config` may name programs (core.fsmonitor,
hooks, gpg.ssh.program, a promisor remote's transport) and settings that change git's output
(log.showSignature, i18n.logOutputEncoding, trailer.separators, color). Every call therefore
carries command-line overrides, which win over every config file, and an environment that ignores
replacement objects and never fetches. Only signing (`lakip step`, `lakip archive`) runs a program
the configuration names, and then only the user's own (global) one: see `signing_overrides`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
import threading
import weakref
from pathlib import Path
from typing import IO

from generator.data.errors import Refused

# Settings that could make git run a program, fetch, or print something other than what lakip
# asked for. `core.hooksPath=/dev/null` leaves no hook to find (reference-transaction, post-*).
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.editor", "true"),
    ("core.askPass", ""),
    ("core.sshCommand", "ssh"),
    ("core.untrackedCache", "false"),
    ("core.quotePath", "false"),
    ("credential.helper", ""),
    ("gpg.program", "gpg"),
    ("gpg.x509.program", "gpgsm"),
    ("gpg.ssh.program", "ssh-keygen"),
    ("protocol.allow", "never"),
    ("log.showSignature", "false"),
    ("log.mailmap", "false"),
    ("i18n.logOutputEncoding", "UTF-8"),
    ("trailer.separators", ":"),
    ("color.ui", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
)

_SAFE_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",  # `git replace` must not swap a step commit for another
    "GIT_NO_LAZY_FETCH": "1",  # no promisor remote is contacted (git >= 2.44; protocol.allow: older)
    "GIT_PAGER": "cat",
    "GIT_OPTIONAL_LOCKS": "0",
}
# Variables of the caller's environment that would point git somewhere else or run a program.
_DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND",
                "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_REPLACE_REF_BASE")
_SIGNING_KEYS = ("gpg.program", "gpg.x509.program", "gpg.ssh.program", "gpg.ssh.defaultKeyCommand")


def _args() -> list[str]:
    out = []
    for key, value in SAFE_CONFIG:
        out += ["-c", f"{key}={value}"]
    return out


def _environment(extra: dict | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(_SAFE_ENV)
    env.update(extra or {})
    return env


def _subcommand(args: tuple[str, ...]) -> str:
    """The git command a call runs (`commit-tree`), past the `-c key=value` options a caller puts
    first: what a failure message names."""
    rest = list(args)
    while len(rest) > 1 and rest[0] == "-c":
        rest = rest[2:]
    return rest[0] if rest else "git"


_FULL_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class _Reader:
    """One `git cat-file --batch` process that answers object reads for one `Git`, so reading
    trees and blobs costs a pipe round trip instead of a process (a git spawn costs ~5 ms of CPU
    here). A reader belongs to the process that started it: `os.fork` children (the build's
    lanes, the portal's workers) close their copies of its pipes at once (`_after_fork`) and
    start their own, so a pipe is never shared across a fork and the parent's `close` never waits
    for a child."""

    def __init__(self, command: list[str], env: dict[str, str]):
        # A file, not a pipe: git's stderr never blocks it; closed by `close`.
        self.errors: IO[bytes] | None = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.proc: subprocess.Popen | None = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=env)
        except FileNotFoundError:
            self.errors.close()
            raise Refused("program git tidak ditemukan; pasang git terlebih dahulu") from None
        self.pid = os.getpid()
        self.lock = threading.Lock()  # the desk serves requests from threads
        _READERS.add(self)

    def usable(self) -> bool:
        return self.proc is not None and self.pid == os.getpid()

    def query(self, names: list[str]) -> list[tuple[str, str, bytes] | None]:
        """(object id, type, content) of each name (`<oid>`, `<rev>:<path>`, `<rev>^{tree}`), None
        for a name git does not find. Raises Refused when the process fails."""
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        found: list[tuple[str, str, bytes] | None] = []
        with self.lock:
            # A chunk of requests fits in the pipe's buffer, so writing it never waits on our read.
            for start in range(0, len(names), 256):
                chunk = names[start:start + 256]
                try:
                    self.proc.stdin.write(b"".join(n.encode("utf-8", "surrogateescape") + b"\n"
                                                   for n in chunk))
                    self.proc.stdin.flush()
                    for _ in chunk:
                        found.append(self._answer())
                except (OSError, ValueError):
                    self.close()
                    raise Refused(f"git cat-file gagal: {self._stderr()}") from None
        return found

    def _answer(self) -> tuple[str, str, bytes] | None:
        assert self.proc is not None and self.proc.stdout
        header = self.proc.stdout.readline()
        if not header.endswith(b"\n"):
            raise ValueError("cat-file ended")
        parts = header.split()
        if len(parts) != 3:  # "<name> missing" / "<name> ambiguous"
            return None
        size = int(parts[2])
        data = self.proc.stdout.read(size + 1)
        if len(data) != size + 1:
            raise ValueError("cat-file ended")
        return parts[0].decode("ascii"), parts[1].decode("ascii"), data[:size]

    def _stderr(self) -> str:
        if self.errors is None:
            return "proses berhenti"
        try:
            self.errors.seek(0)
            return self.errors.read()[-2000:].decode("utf-8", "replace").strip() or "proses berhenti"
        except (OSError, ValueError):
            return "proses berhenti"

    def forget(self) -> None:
        """In a forked child: drop this process's copies of the pipes, never touch the process."""
        proc, self.proc = self.proc, None
        if proc is not None:
            for pipe in (proc.stdin, proc.stdout):  # nothing is buffered: each query flushes
                try:
                    if pipe is not None:
                        pipe.close()
                except (OSError, ValueError):
                    pass
            proc.returncode = 0  # not this process's child: never waited for here
        if self.errors is not None:
            self.errors.close()
            self.errors = None

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or self.pid != os.getpid():
            return
        for pipe in (proc.stdin, proc.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if self.errors is not None:
            self.errors.close()
            self.errors = None


_READERS: weakref.WeakSet[_Reader] = weakref.WeakSet()


def _after_fork() -> None:
    for reader in list(_READERS):
        reader.forget()


os.register_at_fork(after_in_child=_after_fork)


class Git:
    """git in the repository at `root`, with the safe overrides on every call.

    One `Git` serves one command: it keeps one `cat-file --batch` reader (`objects`) and the
    answers that are functions of immutable object ids alone (`commit_id` of a full id, a
    commit's time, parsed trees): never anything a ref, the index or the work tree decides."""

    def __init__(self, root: Path):
        self.root = root
        self._reader: _Reader | None = None
        self._closer: weakref.finalize | None = None
        self.trees: dict[str, list] = {}  # tree id -> its entries, objects.py (immutable)
        self._ids: dict[str, str | None] = {}  # full commit id -> itself if it is a commit
        self._times: dict[str, dt.datetime] = {}  # commit id -> its committer date

    def _command(self, args: tuple[str, ...]) -> list[str]:
        return ["git", "-C", str(self.root), *_args(), *args]

    def run(self, *args: str, input: bytes | None = None, env: dict | None = None,
            check: bool = True) -> bytes:
        """git's stdout; raises Refused with git's message when it fails and `check`."""
        try:
            done = subprocess.run(self._command(args), input=input, capture_output=True,
                                  env=_environment(env), check=False)
        except FileNotFoundError:
            raise Refused("program git tidak ditemukan; pasang git terlebih dahulu") from None
        if check and done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise Refused(f"git {_subcommand(args)} gagal: {message}")
        return done.stdout

    def call(self, *args: str, env: dict | None = None) -> tuple[int, str, str]:
        """Run git and return (exit code, stdout, stderr) whatever the outcome: for commands
        whose answer is in the exit code or on stderr (verify-tag)."""
        try:
            done = subprocess.run(self._command(args), capture_output=True, env=_environment(env),
                                  check=False)
        except FileNotFoundError:
            raise Refused("program git tidak ditemukan; pasang git terlebih dahulu") from None
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

    def commit_id(self, rev: str) -> str | None:
        """The commit `rev` names (`rev-parse --verify rev^{commit}`), None when none. The answer
        for a full object id is kept: it can only name itself."""
        if rev in self._ids:
            return self._ids[rev]
        out = self.text("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False).strip()
        if _FULL_ID.fullmatch(rev):
            self._ids[rev] = out or None
        if out:
            self._ids[out] = out  # a commit's own id names it
        return out or None

    def commit_time(self, commit: str) -> dt.datetime:
        """The committer date of `commit` (a full id) in its own offset, as `git log -1
        --format=%cI` gives it: read from the commit object; git's own answer when the object's
        date is not one Python can represent."""
        if commit not in self._times:
            self._times[commit] = _committer_date(self.objects([commit])[0]) or dt.datetime.fromisoformat(
                self.text("log", "-1", "--format=%cI", commit, "--").strip())
        return self._times[commit]

    def objects(self, names: list[str]) -> list[tuple[str, str, bytes] | None]:
        """(id, type, content) of each object name (`<oid>`, `<rev>:<path>`, `<rev>^{tree}`), None
        for a name git does not find, through this `Git`'s one `cat-file --batch` process.
        A name holding a newline is never sent (it is not an object name): None."""
        wanted = [n for n in names if "\n" not in n]
        if not wanted:
            return [None] * len(names)
        if self._reader is None or not self._reader.usable():
            self._reader = _Reader(self._command(("cat-file", "--batch")), _environment(None))
            self._closer = weakref.finalize(self, self._reader.close)
        answers = iter(self._reader.query(wanted))
        return [next(answers) if "\n" not in n else None for n in names]

    def close(self) -> None:
        """End the `cat-file` reader (also done when the `Git` is garbage or at exit)."""
        if self._closer is not None:
            self._closer()
            self._closer = self._reader = None

    def signing_overrides(self, env: dict | None = None) -> tuple[list[str], list[str]]:
        """`-c` arguments that make a signing command (commit-tree -S, tag -s) use the signing
        programs of the user's own global configuration (default: git's), and the Indonesian
        notes for every program the repository's config sets and lakip therefore ignores."""
        args: list[str] = []
        notes: list[str] = []
        defaults = dict(SAFE_CONFIG) | {"gpg.ssh.defaultKeyCommand": ""}
        own, repository = self._configs("--global", env), self._configs("--local", env)
        for key in _SIGNING_KEYS:
            mine, theirs = own.get(_canonical(key)), repository.get(_canonical(key))
            args += ["-c", f"{key}={mine if mine is not None else defaults[key]}"]
            if theirs is not None and theirs != mine:
                notes.append(f"repositori mengatur {key}={theirs}; diabaikan: lakip menandatangani "
                             f"dengan program dari konfigurasi git Anda sendiri "
                             f"({mine if mine is not None else defaults[key] or 'bawaan git'})")
        return args, notes

    def _configs(self, scope: str, env: dict | None) -> dict[str, str]:
        """Every setting of one configuration file (`--global`, `--local`) as `git config --get`
        reads it, from one `git config --list -z`: the last value of a repeated name, stripped;
        names as git prints them (`_canonical`). {} when git cannot read the file."""
        done = subprocess.run(["git", "-C", str(self.root), "config", scope, "--list", "-z"],
                              capture_output=True, env=_environment(env), check=False)
        return parse_config_list(done.stdout) if done.returncode == 0 else {}


def parse_config_list(out: bytes) -> dict[str, str]:
    """`git config --list -z` output (`name NL value NUL`, or `name NUL` for a name without a
    value) as name -> value, the last value of a repeated name winning as in `git config --get`;
    values stripped of surrounding white space."""
    found: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if entry:
            name, _, value = entry.partition(b"\n")
            found[name.decode("utf-8", "replace")] = value.decode("utf-8", "replace").strip()
    return found


def _canonical(key: str) -> str:
    """A configuration name as `git config --list` prints it: section and variable in lower case,
    a subsection as written (`gpg.ssh.defaultKeyCommand` -> `gpg.ssh.defaultkeycommand`)."""
    parts = key.split(".")
    return ".".join([parts[0].lower(), *parts[1:-1], parts[-1].lower()])


def _committer_date(found: tuple[str, str, bytes] | None) -> dt.datetime | None:
    """The committer date of a raw commit object (`committer NAME <EMAIL> SECONDS +HHMM`), None
    when it is not a plain one (git prints such dates its own way)."""
    if found is None or found[1] != "commit":
        return None
    head = found[2].split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if line.startswith(b"committer "):
            match = re.search(rb"> (\d{1,12}) ([+-])(\d\d)(\d\d)$", line)
            if not match:
                return None
            seconds, sign, hours, minutes = match.groups()
            offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == b"-" else 1)
            try:
                return dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset))
            except (OverflowError, OSError, ValueError):
                return None
    return None
