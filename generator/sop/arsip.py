"""Which archive tags (`lakip-<tahun>`) can be trusted: the checks that need no rebuild. The site
lists, and `lakip build` rebuilds, only archived years whose tag passes them; `lakip verify
--arsip` reports every failure as a finding and goes on with the other years (DESIGN §5, §7)."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from generator.data.errors import LakipError
from generator.git import Git, Tag, allowed_signers, signers_file
from generator.sop.engine import Temuan
from generator.sop.progress import progress

TAG_PREFIX = "lakip-"


def manifest_path(tahun: int) -> str:
    """"arsip/<tahun>/manifest.json": where step 11 records the archived documents' hashes."""
    return f"arsip/{tahun}/manifest.json"


def arsip_folder(tahun: int) -> str:
    """"arsip/<tahun>": where step 11 stores the year's documents (DESIGN §2)."""
    return f"arsip/{tahun}"


def tag_findings(root: Path, git: Git, tag: Tag) -> tuple[list[Temuan], dict | None]:
    """Findings of one archive tag and its manifest (None when it cannot be read): the tag is
    annotated and points at a commit; the year's history at that commit verifies, with the last
    step recorded by exactly that commit; a signed tag verifies against that roster and its
    tagger, who holds the last step's role on the tag's date (else `tag-tidak-sah`; an unsigned
    tag too); the manifest lists files by plain names. Never raises for a bad tag."""
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
    found += _tag_signature(git, tag, state)
    raw = git.run("cat-file", "blob", f"{tag.commit}:{manifest_path(tahun)}", check=False)
    try:
        manifest = json.loads(raw.decode("utf-8"))
        documents = dict(manifest["dokumen"])
        extra = dict(manifest.get("tambahan") or {})
        if not all(isinstance(k, str) and isinstance(v, str) and "/" not in k and "\\" not in k
                   and k not in ("", ".", "..") for k, v in documents.items()) or not all(
                isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("sha256"), str)
                and "/" not in k and "\\" not in k and k not in ("", ".", "..", "manifest.json")
                for k, v in extra.items()):
            raise ValueError("nama dokumen")
    except (ValueError, KeyError, TypeError, AttributeError):
        return [*found, Temuan("arsip-rusak", tag.commit, last,
                               f"{manifest_path(tahun)} tidak ada atau rusak di {tag.name}")], None
    return found, manifest


def _tag_signature(git: Git, tag: Tag, state) -> list[Temuan]:
    """The tag must be signed by its own tagger with a key the roster at the tag's commit
    registers, and the tagger must hold the last step's role on the tag's date (the archivist):
    otherwise `tag-tidak-sah` (issue 12)."""
    name, commit = tag.name, tag.commit
    raw = git.text("cat-file", "tag", f"refs/tags/{name}", check=False)
    tagger = git.text("for-each-ref", "--format=%(taggeremail)", f"refs/tags/{name}").strip().strip("<>")
    if "-----BEGIN SSH SIGNATURE-----" not in raw:
        return [Temuan("tag-tidak-sah", commit, None, f"tag {name} tidak ditandatangani")]
    with signers_file(allowed_signers(state.roster)) as signers:
        code, _, stderr = git.call("-c", f"gpg.ssh.allowedSignersFile={signers}", "verify-tag", "--raw",
                                   f"refs/tags/{name}")
    if code != 0 or f'Good "git" signature for {tagger} ' not in stderr:
        return [Temuan("tag-tidak-sah", commit, None, f"tanda tangan tag {name} tidak sah untuk {tagger}")]
    role = state.sop.langkah[-1].pelaksana
    person = state.roster.find(tagger)
    day = tag.date.astimezone(ZoneInfo(state.sop.zona_waktu)).date() if tag.date else None
    if person is None or day is None or person.holds(role, day) is None:
        return [Temuan("tag-tidak-sah", commit, None, f"tag {name} ditandatangani {tagger}, yang tidak "
                       f"memegang peran {role} (pelaksana langkah terakhir) pada tanggal tag")]
    return []


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
