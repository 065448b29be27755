"""Step 11 and the archive: `lakip archive` records the last step with a manifest of the built
documents and tags it `lakip-<tahun>`; `lakip verify --arsip` rebuilds every archived year from
its tag and checks it against the manifest, the tag and the signed history."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.data.errors import LakipError, Refused, UsageError
from generator.git import Git, identity, tags
from generator.sop.arsip import TAG_PREFIX, manifest_path, tag_findings
from generator.sop.engine import Temuan
from generator.sop.progress import open_repo, progress
from generator.sop.record import Recorded
from generator.store import UnsafePath, digest, remove_file, store, write_file
from generator.workflow.snapshot import Snapshot, gather
from generator.workflow.step import step

REGISTER = "arsip"  # tag -> commit as first seen (per repository, in the user's cache folder)


def _register(git: Git) -> tuple[dict, str]:
    """The tags of this repository as first seen here: a moved or deleted tag is a finding. Kept
    in the user's store by the repository's location, never in the repository (a register that
    came with it would say whatever its sender wanted)."""
    key = digest(REGISTER, str(git.git_dir().resolve()))
    value = store(REGISTER).get(key)
    if not (isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in value.items())):
        value = {}
    return value, key


def _save_register(key: str, register: dict) -> None:
    cache = store(REGISTER)
    cache.put(key, register)
    cache.save()


@dataclass(frozen=True)
class Archived:
    recorded: Recorded
    tag: str
    signed: bool
    manifest: dict


def archive(root: Path, tahun: int | None = None, catatan: str | None = None, env: dict | None = None,
            report: Callable[[str], None] = lambda _: None) -> Archived:
    git = open_repo(root)
    snapshot = gather(root, tahun, ref="HEAD")  # the archive is built from HEAD, never the work tree
    state = snapshot.progress
    status, sop = state.status, state.sop
    tahun = status.tahun
    last = sop.langkah[-1]
    tag = f"{TAG_PREFIX}{tahun}"
    if status.berjalan != last.no:
        due = f"langkah {status.berjalan}" if status.berjalan else "tidak ada (SOP sudah selesai)"
        raise Refused(f"arsip {tahun} belum dapat dibuat: langkah {last.no} belum berjalan, yang "
                         f"berjalan {due} (lakip status)")
    if not status.final:
        raise Refused(f"arsip {tahun} belum dapat dibuat: dokumen belum FINAL (persetujuan "
                         "pengesahan tidak berlaku atau konten berubah; lakip verify)")
    if git.text("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}", check=False).strip():
        raise UsageError(f"tag {tag} sudah ada: tahun {tahun} sudah diarsipkan")
    staged = [f for f in git.text("diff", "--cached", "--name-only", "HEAD").splitlines() if f]
    if staged:
        raise Refused("ada perubahan yang sudah di-stage (git add): " + ", ".join(staged) +
                         "; commit atau batalkan dulu, karena arsip dibangun dari HEAD")
    rel = manifest_path(tahun)
    if (root / rel).exists():
        raise Refused(f"{rel} sudah ada di folder kerja; pindahkan atau hapus dulu (lakip tidak "
                         "menimpa berkas yang belum di-commit)")

    report("membangun dokumen dari HEAD untuk manifest")
    with tempfile.TemporaryDirectory(prefix="lakip-arsip-") as tmp:
        documents = {p.name: _sha256(p) for p in _build(snapshot, Path(tmp))}
    manifest = {
        "tahun": tahun, "sop": sop.id, "lakip": __version__,
        "commit_dasar": state.head,
        # The trust root this history was verified from: later verification starts here by default.
        "akar": state.akar.commit if state.akar else None,
        "sidik_jari_konten": next(c.konten for c in reversed(status.riwayat)),
        "dokumen": documents,
        "langkah": [{"no": c.no, "putaran": c.putaran, "keputusan": c.keputusan, "commit": c.commit,
                     "waktu": c.waktu.isoformat(), "oleh": {"nama": c.nama, "email": c.email},
                     "tanda_tangan": c.tanda_tangan} for c in status.riwayat],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    try:
        write_file(root, root / rel, text)  # never through a symlink the repository holds
    except UnsafePath as e:
        raise Refused(e.pesan) from None
    # Staged without git's filters: a clean filter named by the repository's config never runs.
    blob = git.text("hash-object", "-w", "--no-filters", "--stdin", input=text.encode("utf-8")).strip()
    git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=env)
    try:
        done = step(root, last.no, next(iter(last.keputusan), "selesai"), catatan, tahun, env=env)
    except LakipError:
        git.run("reset", "-q", "--", rel, env=env)  # unstage our own file; nothing else was staged
        remove_file(root, root / rel)
        raise
    signed = _tag(git, tag, done, tahun, env)
    register, key = _register(git)
    register[tag] = done.commit
    _save_register(key, register)
    return Archived(done, tag, signed, manifest)


def _tag(git: Git, tag: str, done: Recorded, tahun: int, env: dict | None) -> bool:
    tagger = identity(git, env, "COMMITTER")
    email = tagger.email.lower() if tagger else ""
    person = next((p for p in done.roster if p.email.lower() == email), None)
    signing = bool(person and person.kunci_ssh and
                   git.text("config", "--get", "user.signingkey", env=env, check=False).strip())
    message = f"Arsip LAKIP {tahun}\n\nManifest: {manifest_path(tahun)}\n"
    overrides = git.signing_overrides(env)[0] if signing else []
    git.run(*overrides, "tag", "-a", *(["-s"] if signing else []), "-m", message, tag, done.commit, env=env)
    return signing


def _build(snapshot: Snapshot, out: Path) -> list[Path]:
    """The documents of a snapshot read from a commit (no website): what a manifest lists."""
    from generator.workflow.outputs import DOCUMENTS, Job, run

    snapshot.require_valid()
    return run(Job(snapshot, out), DOCUMENTS)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- verify --arsip


def verify_archives(root: Path, report: Callable[[str], None] = lambda _: None) -> tuple[list[Temuan], int]:
    """Findings over every archived year, and how many tags were checked. A bad tag (pointing at
    a blob, unsigned history, a broken manifest) is a finding of its own year only."""
    git = open_repo(root)
    register, key = _register(git)
    found: list[Temuan] = []
    present = [t for t in tags(git) if t.name.removeprefix(TAG_PREFIX).isdigit()]
    names = {t.name for t in present}
    for name, commit in register.items():
        if name not in names:
            found.append(Temuan("tag-hilang", commit, None, f"tag {name} tidak ada lagi (pernah menunjuk "
                                                             f"{commit[:10]})"))
    for tag in present:
        tahun = int(tag.name.removeprefix(TAG_PREFIX))
        report(f"memeriksa {tag.name}")
        if register.get(tag.name, tag.commit) != tag.commit:
            found.append(Temuan("tag-dipindah", tag.commit, None,
                                f"tag {tag.name} kini menunjuk {tag.commit[:10]}, semula "
                                f"{register[tag.name][:10]}"))
            continue
        findings, manifest = tag_findings(root, git, tag)
        found += findings
        if manifest is None:
            continue
        last = max(s.no for s in progress(root, tahun, rev=tag.commit).sop.langkah)
        documents = dict(manifest["dokumen"])
        try:
            snapshot = gather(root, tahun, ref=tag.commit)
            with tempfile.TemporaryDirectory(prefix="lakip-verifikasi-") as tmp:
                rebuilt = {p.name: _sha256(p) for p in _build(snapshot, Path(tmp))}
        except LakipError as e:
            found.append(Temuan("arsip-tidak-cocok", tag.commit, last,
                                f"{tag.name}: tidak dapat dibangun ulang: {e.pesan}"))
            continue
        for file, wanted in sorted(documents.items()):
            if rebuilt.get(file) != wanted:
                version = manifest.get("lakip")
                hint = (f" (arsip dibuat dengan lakip {version}, sekarang {__version__})"
                        if version and version != __version__ else "")
                found.append(Temuan("arsip-tidak-cocok", tag.commit, last, f"{tag.name}: {file} hasil "
                                    f"bangun ulang tidak sama dengan manifest{hint}"))
        register.setdefault(tag.name, tag.commit)
    _save_register(key, register)
    return found, len(present)
