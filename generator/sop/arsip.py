"""Which archive tags (`lakip-<tahun>`) can be trusted: the checks that need no rebuild. The site
lists, and `lakip build` rebuilds, only archived years whose tag passes them; `lakip verify
--arsip` reports every failure as a finding and goes on with the other years (DESIGN §5, §7)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.data.errors import LakipError
from generator.git import Git, Tag, allowed_signers, signers_file
from generator.sop.engine import Temuan
from generator.sop.progress import progress

TAG_PREFIX = "lakip-"


def manifest_path(tahun: int) -> str:
    """"arsip/<tahun>/manifest.json": where step 11 records the archived documents' hashes."""
    return f"arsip/{tahun}/manifest.json"


def tag_findings(root: Path, git: Git, tag: Tag) -> tuple[list[Temuan], dict | None]:
    """Findings of one archive tag and its manifest (None when it cannot be read): the tag is
    annotated and points at a commit; the year's history at that commit verifies, with the last
    step recorded by exactly that commit; a signed tag verifies against that roster and its
    tagger; the manifest lists documents by plain file names. Never raises for a bad tag."""
    tahun = int(tag.name.removeprefix(TAG_PREFIX))
    kind = git.text("cat-file", "-t", f"refs/tags/{tag.name}", check=False).strip()
    target = git.text("cat-file", "-t", tag.commit, check=False).strip()
    if kind != "tag" or target != "commit":
        what = "bukan tag beranotasi" if kind != "tag" else f"menunjuk {target or 'objek yang tidak ada'}"
        return [Temuan("tag-tidak-sah", tag.commit, None,
                       f"tag {tag.name} {what}, bukan commit langkah terakhir")], None
    try:
        state = progress(root, tahun, rev=tag.commit)
    except LakipError as e:
        return [Temuan("tag-tidak-sah", tag.commit, None, f"{tag.name}: {e.pesan}")], None
    last = state.sop.langkah[-1].no
    found = [Temuan(t.kode, t.commit, t.langkah, f"{tag.name}: {t.pesan}") for t in state.status.temuan]
    tip = next((c for c in reversed(state.status.riwayat) if c.commit == tag.commit), None)
    if tip is None or tip.no != last:
        return [*found, Temuan("arsip-rusak", tag.commit, last,
                               f"tag {tag.name} tidak menunjuk commit langkah {last} tahun {tahun}")], None
    found += _tag_signature(git, tag.name, tag.commit, state.roster)
    raw = git.run("cat-file", "blob", f"{tag.commit}:{manifest_path(tahun)}", check=False)
    try:
        manifest = json.loads(raw.decode("utf-8"))
        documents = dict(manifest["dokumen"])
        if not all(isinstance(k, str) and isinstance(v, str) and "/" not in k and "\\" not in k
                   and k not in ("", ".", "..") for k, v in documents.items()):
            raise ValueError("nama dokumen")
    except (ValueError, KeyError, TypeError, AttributeError):
        return [*found, Temuan("arsip-rusak", tag.commit, last,
                               f"{manifest_path(tahun)} tidak ada atau rusak di {tag.name}")], None
    return found, manifest


def _tag_signature(git: Git, name: str, commit: str, roster) -> list[Temuan]:
    """A signed tag must verify against the roster's keys, signed by its own tagger."""
    raw = git.text("cat-file", "tag", f"refs/tags/{name}", check=False)
    if "-----BEGIN SSH SIGNATURE-----" not in raw:
        return []  # the archivist had no registered key: an unsigned annotated tag is allowed
    with signers_file(allowed_signers(roster)) as signers:
        code, _, stderr = git.call("-c", f"gpg.ssh.allowedSignersFile={signers}", "verify-tag", "--raw",
                                   f"refs/tags/{name}")
    tagger = git.text("for-each-ref", "--format=%(taggeremail)", f"refs/tags/{name}").strip().strip("<>")
    if code == 0 and f'Good "git" signature for {tagger} ' in stderr:
        return []
    return [Temuan("tanda-tangan-tidak-sah", commit, None,
                   f"tanda tangan tag {name} tidak sah untuk {tagger}")]


def trusted_tags(root: Path, git: Git, found: list[Tag]) -> list[tuple[Tag, dict]]:
    """The archive tags without any finding, each with its manifest: the only ones the site
    lists and `lakip build` rebuilds."""
    trusted = []
    for tag in found:
        if not tag.name.removeprefix(TAG_PREFIX).isdigit():
            continue
        findings, manifest = tag_findings(root, git, tag)
        if not findings and manifest is not None:
            trusted.append((tag, manifest))
    return trusted
