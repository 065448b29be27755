"""A test office: a real git repository of the sample, with helpers to record and forge steps."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.git import Git, GitSource
from generator.sop.fingerprint import fingerprint
from generator.sop.progress import Progress, progress
from generator.sop.record import Recorded, record
from generator.workflow.demo import WITA, Actor, actor_env, make_key, prepare

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
class Office:
    root: Path
    git: Git
    actors: dict[str, Actor]

    @classmethod
    def create(cls, root: Path) -> Office:
        git, actors, _ = prepare(root)
        return cls(root, git, actors)

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
        return record(self.root, no, keputusan or DECISION.get(no, "selesai"), note, 2025, env=env)

    def run_until(self, last: int) -> None:
        """Record steps 1..last in order, each by its pelaksana at its WHEN moment."""
        for no in range(1, last + 1):
            self.step(no)

    def status(self, now: str = "2026-02-13T10:00:00") -> Progress:
        import datetime as dt

        return progress(self.root, 2025, dt.datetime.fromisoformat(now + "+08:00"))

    def commit(self, actor: Actor, when: str, message: str, files: dict[str, str]) -> str:
        for rel, text in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.run("add", rel)
        self.run("commit", "-q", "-m", message, env=actor_env(actor, f"{when}{WITA}"))
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


def sign_off_line(actor: Actor) -> str:
    return f"{actor.nama} <{actor.email}>"


def ssh_keygen_available() -> bool:
    return subprocess.run(["ssh-keygen", "-?"], capture_output=True, check=False).returncode in (0, 1, 255)
