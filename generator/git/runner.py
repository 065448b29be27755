"""The git runner: every git process lakip starts goes through `Git`, and the small JSON caches
under .git/lakip/ that git-derived answers are kept in."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from generator.data.errors import LakipError


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



def read_cache(git: Git, name: str) -> dict:
    """A JSON cache under .git/lakip/ ({} when absent or unreadable: caches are disposable)."""
    try:
        return json.loads((git.git_dir() / "lakip" / name).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, OSError):
        return {}


def write_cache(git: Git, name: str, data: dict) -> None:
    folder = git.git_dir() / "lakip"
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / name, json.dumps(data, separators=(",", ":"), ensure_ascii=False))


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
