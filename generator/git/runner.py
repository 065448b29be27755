"""The git runner: every git process lakip starts goes through `Git`.

The repository is untrusted data (DESIGN §5): its `.git/config` may name programs (core.fsmonitor,
hooks, gpg.ssh.program, a promisor remote's transport) and settings that change git's output
(log.showSignature, i18n.logOutputEncoding, trailer.separators, color). Every call therefore
carries command-line overrides, which win over every config file, and an environment that ignores
replacement objects and never fetches. Only signing (`lakip step`, `lakip archive`) runs a program
the configuration names, and then only the user's own (global) one: see `signing_overrides`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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


class Git:
    """git in the repository at `root`, with the safe overrides on every call."""

    def __init__(self, root: Path):
        self.root = root

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

    def signing_overrides(self, env: dict | None = None) -> tuple[list[str], list[str]]:
        """`-c` arguments that make a signing command (commit-tree -S, tag -s) use the signing
        programs of the user's own global configuration (default: git's), and the Indonesian
        notes for every program the repository's config sets and lakip therefore ignores."""
        args: list[str] = []
        notes: list[str] = []
        defaults = dict(SAFE_CONFIG) | {"gpg.ssh.defaultKeyCommand": ""}
        for key in _SIGNING_KEYS:
            mine = self._config(key, "--global", env)
            args += ["-c", f"{key}={mine if mine is not None else defaults[key]}"]
            theirs = self._config(key, "--local", env)
            if theirs is not None and theirs != mine:
                notes.append(f"repositori mengatur {key}={theirs}; diabaikan: lakip menandatangani "
                             f"dengan program dari konfigurasi git Anda sendiri "
                             f"({mine if mine is not None else defaults[key] or 'bawaan git'})")
        return args, notes

    def _config(self, key: str, scope: str, env: dict | None) -> str | None:
        done = subprocess.run(["git", "-C", str(self.root), "config", scope, "--get", key],
                              capture_output=True, env=_environment(env), check=False)
        value = done.stdout.decode("utf-8", "replace").strip()
        return value if done.returncode == 0 else None
