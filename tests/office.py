"""A test office: a real git repository of the sample, with helpers to record and forge steps."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.git import Git, GitSource
from generator.sop.fingerprint import fingerprint
from generator.sop.progress import Progress, progress
from generator.sop.record import Recorded
from generator.workflow.demo import WITA, Actor, actor_env, make_key, prepare
from generator.workflow.step import step as record_step

# One valid moment per step, on working days of February 2026 (WITA).
WHEN = {1: "2026-02-02T08:30:00", 2: "2026-02-02T08:34:00", 3: "2026-02-02T08:39:00",
        4: "2026-02-03T10:00:00", 5: "2026-02-09T14:00:00", 6: "2026-02-10T09:00:00",
        7: "2026-02-10T14:00:00", 8: "2026-02-11T10:00:00", 9: "2026-02-12T09:00:00",
        10: "2026-02-12T09:25:00", 11: "2026-02-12T09:29:00"}
ROLE = {1: "kepala-dinas", 2: "sekretaris", 3: "jafung", 4: "tim-kerja", 5: "tim-kerja",
        6: "jafung", 7: "sekretaris", 8: "kepala-dinas", 9: "jafung", 10: "tim-kerja",
        11: "tim-kerja"}
DECISION = {6: "setuju", 7: "setuju", 8: "setuju"}


@dataclass
class Recordings:
    """Offices recorded once per test session, which tests copy instead of recording again.

    Making the keys and recording steps costs ssh-keygen, signing and an SOP evaluation per step;
    copying the folder (with .git/ and the keys inside it) costs a few milliseconds. `states`
    maps a name ("0" = prepared, "1".."11" = after `run_until(n)`, or a test's own name) to a
    folder holding that office."""

    folder: Path
    states: dict[str, Path] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)  # keys inside the first office's .git/
    git_files: set[tuple[str, int]] = field(default_factory=set)  # .git/ of the prepared office


@dataclass
class Office:
    root: Path
    git: Git
    actors: dict[str, Actor]
    recordings: Recordings | None = None

    @classmethod
    def create(cls, root: Path, recordings: Recordings | None = None) -> Office:
        if recordings is None or "0" not in recordings.states:
            git, actors, _ = prepare(root)
            office = cls(root, git, actors, recordings)
            if recordings is not None:
                recordings.actors = actors
                office._save("0")
                recordings.git_files = _git_files(root)
            return office
        office = cls(root, Git(root), {}, recordings)
        office._restore("0")
        return office

    # ---------------------------------------------------------------- session recordings

    def _pristine(self) -> bool:
        """True while this office is exactly the prepared one: no commit, no change, no new file
        in the work tree or in .git/ (a test may plant caches or config there)."""
        rec = self.recordings
        return (rec is not None and "0" in rec.heads
                and _git_files(self.root) == rec.git_files
                and self.run("rev-parse", "HEAD").strip() == rec.heads["0"]
                and self.run("status", "--porcelain", "--untracked-files=all", "--ignored") == "")

    def _save(self, name: str) -> None:
        assert self.recordings is not None
        target = self.recordings.folder / name
        shutil.copytree(self.root, target, symlinks=True)
        self.recordings.states[name] = target
        self.recordings.heads[name] = self.run("rev-parse", "HEAD").strip()

    def _restore(self, name: str) -> None:
        assert self.recordings is not None
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(self.recordings.states[name], self.root, symlinks=True)
        self.git = Git(self.root)
        keys = self.root / ".git" / "lakip-demo"
        self.actors = {role: Actor(a.nama, a.email, keys / a.key.name)
                       for role, a in self.recordings.actors.items()}

    def prepared(self, name: str, make: Callable[[Office], None]) -> None:
        """Bring this (still prepared) office to the state `make(office)` produces: the first
        test to ask runs `make`, later ones get a copy of its result."""
        rec = self.recordings
        if rec is None or not self._pristine():
            make(self)
            return
        if name in rec.states:
            self._restore(name)
            return
        make(self)
        self._save(name)

    def run(self, *args: str, env: dict | None = None) -> str:
        return self.git.text(*args, env=env)

    def stranger(self, name: str = "Orang Asing", email: str = "asing@contoh.go.id") -> Actor:
        key = self.root.parent / "kunci-asing" / "id"
        if not key.exists():
            make_key(key, email)
        return Actor(name, email, key)

    def step(self, no: int, keputusan: str | None = None, role: str | None = None,
             when: str | None = None, note: str | None = None) -> Recorded:
        actor = self.actors[role or ROLE[no]]
        env = actor_env(actor, f"{when or WHEN[no]}{WITA}")
        return record_step(self.root, no, keputusan or DECISION.get(no, "selesai"), note, 2025, env=env)

    def run_until(self, last: int) -> None:
        """Record steps 1..last in order, each by its pelaksana at its WHEN moment (from the
        session's recordings when this office is still the prepared one)."""
        rec = self.recordings
        if rec is None or not self._pristine():
            for no in range(1, last + 1):
                self.step(no)
            return
        have = max((n for n in range(last + 1) if str(n) in rec.states), default=0)
        if have:
            self._restore(str(have))
        for no in range(have + 1, last + 1):
            self.step(no)
            self._save(str(no))

    def status(self, now: str = "2026-02-13T10:00:00") -> Progress:
        import datetime as dt

        return progress(self.root, 2025, dt.datetime.fromisoformat(now + "+08:00"))

    def commit(self, actor: Actor, when: str, message: str, files: dict[str, str],
               sign: bool = False) -> str:
        """A plain commit of `files` by `actor`; `sign` SSH-signs it (a change of sop/ must be
        signed by a pengelola to take effect: DESIGN §5 "Trust")."""
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.run("add", rel)
        self.run("commit", "-q", *(["-S"] if sign else []), "-m", message,
                 env=actor_env(actor, f"{when}{WITA}"))
        return self.run("rev-parse", "HEAD").strip()

    def forge(self, no: int, *, by: Actor | None = None, when: str | None = None,
              sign_with: Actor | bool | None = True, trailers: dict[str, str] | None = None,
              signoff: str | None = None, drop: tuple[str, ...] = ()) -> str:
        """A hand-made step commit of the index's tree that bypasses every check of `lakip step`.
        Trailers default to correct values; override or drop some to forge a bad one."""
        actor = by or self.actors[ROLE[no]]
        tree = self.run("write-tree").strip()
        values = {"SOP": "lakip", "SOP-Tahun": "2025", "SOP-Langkah": str(no),
                  "SOP-Keputusan": DECISION.get(no, "selesai"), "SOP-Peran": ROLE[no],
                  "SOP-Konten": fingerprint(GitSource(self.git, tree), 2025)}
        values.update(trailers or {})
        lines = [f"{k}: {v}" for k, v in values.items() if k not in drop]
        lines.append(f"Signed-off-by: {signoff or f'{actor.nama} <{actor.email}>'}")
        message = f"LAKIP 2025 · Langkah {no}: buatan tangan\n\n" + "\n".join(lines) + "\n"
        signer = actor if sign_with is True else sign_with or None
        env = actor_env(actor, f"{when or WHEN[no]}{WITA}")
        args = ["commit-tree", tree, "-p", "HEAD", "-F", "-"]
        if signer:
            env["GIT_CONFIG_VALUE_1"] = str(signer.key)
            args.insert(1, "-S")
        new = self.git.text(*args, input=message.encode(), env=env).strip()
        self.run("update-ref", "HEAD", new)
        return new

    def codes(self) -> list[tuple[str, int | None]]:
        return [(t.kode, t.langkah) for t in self.status().status.temuan]


def _git_files(root: Path) -> set[tuple[str, int]]:
    """(path, size) of every file under .git/ but the index (whose stat data git refreshes)."""
    git_dir = root / ".git"
    return {(str(p.relative_to(git_dir)), p.stat().st_size) for p in git_dir.rglob("*")
            if p.is_file() and p.name != "index"}


def sign_off_line(actor: Actor) -> str:
    return f"{actor.nama} <{actor.email}>"


def ssh_keygen_available() -> bool:
    return subprocess.run(["ssh-keygen", "-?"], capture_output=True, check=False).returncode in (0, 1, 255)
