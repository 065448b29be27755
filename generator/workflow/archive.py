"""Step 11 and the archive (issue 12; DESIGN §2 `arsip/<tahun>/`, §5 archive findings, §7).

`lakip archive` builds the year's documents from HEAD, stores them in `arsip/<tahun>/` with the
PDF/A-3b archive copy and the tanda terima scan (`STORED`), writes `manifest.json` (their SHA-256,
the approval record and the build environment), records the last step with all of it, and tags
that commit `lakip-<tahun>` with a signed annotated tag whose message carries the manifest's hash.

`lakip verify --arsip` (`check_archives`) checks per archived year, in this order: the tag (not
moved or deleted, annotated, signed by a holder of the last step's role, on the year's last-step
commit of a history without findings); the manifest against the tag's hash and every stored file
against the manifest, in the tag and at HEAD, without rebuilding (`arsip-diubah`); then the
rebuild from the tag, compared by content (`compare.py`): a content difference is
`arsip-tidak-cocok`, a byte difference the recorded environment explains is the note
`lingkungan-berbeda`.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator import __version__
from generator.data.errors import LakipError, Refused, UsageError
from generator.git import Git, Tag, identity, tags
from generator.sop.arsip import TAG_PREFIX, arsip_folder, manifest_path, tag_findings
from generator.sop.engine import Temuan
from generator.sop.progress import Progress, open_repo
from generator.sop.record import Recorded
from generator.store import UnsafePath, digest, remove_file, store, write_file
from generator.workflow.snapshot import Snapshot, gather
from generator.workflow.step import step

REGISTER = "arsip"  # tag -> commit as first seen (per repository, in the user's cache folder)
FORMAT = 2  # manifest format: 2 stores the files; 1 (no "format" key) listed hashes only
HASH_LINE = re.compile(r"^Manifest-SHA256: ([0-9a-f]{64})$", re.M)


# ---------------------------------------------------------------- what the archive stores


@dataclass
class Bundle:
    """What the stored files of one year are made from: a snapshot read from a commit, a
    temporary folder for the builders, and the approval record (the manifest without hashes)."""

    snapshot: Snapshot
    folder: Path
    persetujuan: dict
    fonts: list[dict] = field(default_factory=list)  # the report's fonts, set by the PDF/A copy
    notes: list[str] = field(default_factory=list)
    tte: Path | None = None  # the TTE-signed PDF to store (lakip archive --tte)
    tte_record: dict | None = None  # what the manifest records of it (workflow.tte.catatan_manifest)

    @property
    def tahun(self) -> int:
        return self.snapshot.tahun

    @cached_property
    def job(self):
        from generator.workflow.outputs import Job

        return Job(self.snapshot, self.folder)


@dataclass(frozen=True)
class Stored:
    """One kind of file kept in `arsip/<tahun>/`.

    `make(bundle)` returns the kind's files (name -> bytes; {} when the year has none);
    `rebuild` says whether `verify --arsip` makes them again from the tag and compares them
    (False for files that cannot be made again, such as a TTE signature: their stored bytes are
    still checked against the manifest)."""

    jenis: str
    make: Callable[[Bundle], dict[str, bytes]]
    rebuild: bool = True


def _documents(bundle: Bundle) -> dict[str, bytes]:
    """The outputs of `lakip build` (html, pdf, docx, surat) exactly as built from the commit."""
    from generator.workflow.outputs import DOCUMENTS, run

    bundle.snapshot.require_valid()
    written = run(bundle.job, DOCUMENTS)
    bundle.notes += [n for n in bundle.job.notes if n not in bundle.notes]
    return {p.name: p.read_bytes() for p in written}


def pdfa_name(tahun: int) -> str:
    return f"lakip-{tahun}-arsip.pdf"


def figures_bytes(snapshot: Snapshot) -> bytes:
    """The year's figures as `lakip figures --json` gives them: the PDF/A copy's figures.json."""
    from generator.figures.capaian import figures_json

    return (json.dumps(figures_json(snapshot.figures()), ensure_ascii=False, indent=2) + "\n").encode()


def record_bytes(persetujuan: dict) -> bytes:
    return (json.dumps(persetujuan, ensure_ascii=False, indent=2) + "\n").encode()


def _pdfa(bundle: Bundle) -> dict[str, bytes]:
    """The PDF/A-3b archive copy of the report, tagged, with figures.json and the approval
    record (persetujuan.json) attached: the PDF an archivist keeps (DESIGN §7)."""
    from generator.render import document

    lampiran = (
        document.Lampiran("figures.json", figures_bytes(bundle.snapshot),
                          f"Angka kinerja LKjIP {bundle.tahun} (lakip figures --json)", hubungan="Data"),
        document.Lampiran("persetujuan.json", record_bytes(bundle.persetujuan),
                          "Catatan persetujuan: akar kepercayaan, commit langkah, penanda tangan, "
                          "sidik jari konten"))
    result = bundle.job.laid.arsip(lampiran)  # the layout the PDF was written from, if any
    bundle.fonts = result.fonts
    return {pdfa_name(bundle.tahun): result.data}


def _tanda_terima(bundle: Bundle) -> dict[str, bytes]:
    """The scanned tanda terima named by pengiriman.yaml (`tanda_terima.bukti`, relative to the
    year folder), read from the same commit as the documents."""
    from generator.data.source import normalize

    year = bundle.snapshot.repo.find_tahun(bundle.tahun)
    terima = year.pengiriman.tanda_terima if year and year.pengiriman else None
    if terima is None or not terima.bukti:
        return {}
    rel = normalize(f"content/{bundle.tahun}/{terima.bukti}")
    source = bundle.snapshot.source
    if not rel.startswith(f"content/{bundle.tahun}/") or not source.is_file(rel):
        bundle.notes.append(f"pindaian tanda terima '{terima.bukti}' tidak ditemukan di content/"
                            f"{bundle.tahun}/: tidak ikut diarsipkan")
        return {}
    suffix = Path(rel).suffix.lower() or ".bin"
    return {f"tanda-terima-{bundle.tahun}{suffix}": source.read(rel)}


def _tte(bundle: Bundle) -> dict[str, bytes]:
    """The TTE-signed PDF (`lakip archive --tte FILE`), stored only when it passes `lakip tte
    --periksa`'s checks against the report's PDF just built for the archive (its first revision
    must be those bytes), the trust anchors and the signing step's signer (issue 13)."""
    from generator.workflow import tte

    if bundle.tte is None:
        return {}
    approved = _sha256(bundle.job.pdf_pages[0])  # the lakip-<tahun>.pdf of this archive
    data, bundle.tte_record = tte.untuk_arsip(bundle.snapshot.root, bundle.snapshot.progress,
                                              bundle.tte, approved)
    return {tte.nama_berkas(bundle.tahun): data}


# The set of stored files, in order. The TTE-signed PDF cannot be made again: its stored bytes
# are checked against the manifest and by `workflow.tte.temuan_arsip`.
STORED: list[Stored] = [Stored("dokumen", _documents), Stored("pdfa", _pdfa),
                        Stored("tanda-terima", _tanda_terima), Stored("tte", _tte, rebuild=False)]


def make_all(bundle: Bundle, rebuilding: bool = False) -> dict[str, tuple[str, bytes]]:
    """name -> (jenis, bytes) of every stored kind (when `rebuilding`, only those that rebuild)."""
    made: dict[str, tuple[str, bytes]] = {}
    for kind in STORED:
        if rebuilding and not kind.rebuild:
            continue
        for name, data in kind.make(bundle).items():
            made[name] = (kind.jenis, data)
    return made


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- lakip archive


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
    notes: tuple[str, ...] = ()


def approval_record(state: Progress, tahun: int) -> dict:
    """The approval record: the manifest without the stored files' hashes and the environment
    (which the PDF/A copy that carries this record cannot contain)."""
    status = state.status
    return {
        "tahun": tahun, "sop": state.sop.id,
        "commit_dasar": state.head,
        # The trust root this history was verified from: later verification starts here by default.
        "akar": state.akar.commit if state.akar else None,
        "sidik_jari_konten": next(c.konten for c in reversed(status.riwayat)),
        "langkah": [{"no": c.no, "putaran": c.putaran, "keputusan": c.keputusan, "commit": c.commit,
                     "waktu": c.waktu.isoformat(), "oleh": {"nama": c.nama, "email": c.email},
                     "tanda_tangan": c.tanda_tangan} for c in status.riwayat],
    }


def is_archive_step(root: Path, no: int, tahun: int | None = None, env: dict | None = None) -> bool:
    """Whether step `no` is the SOP's last step, which `archive` records (DESIGN §7): `lakip step`
    and the desk hand it to `archive`, so that it never goes without the stored documents."""
    from generator.sop.progress import progress

    git = open_repo(root)
    ident = identity(git, env)
    sop = progress(root, tahun, ident.waktu if ident else None).sop
    return bool(sop.langkah) and no == sop.langkah[-1].no


def archive(root: Path, tahun: int | None = None, catatan: str | None = None, env: dict | None = None,
            report: Callable[[str], None] = lambda _: None, tte: Path | None = None) -> Archived:
    """Step 11: store the year's documents in `arsip/<tahun>/` with manifest.json, record the last
    step with them, tag it `lakip-<tahun>` (annotated, SSH-signed, carrying the manifest's
    SHA-256). Raises Refused when the step is not due, the document is not FINAL, something is
    staged, a file of the archive is already in the working tree, or the archivist cannot sign;
    UsageError when the tag exists. `tte` is a TTE-signed PDF to store with them (`lakip tte`):
    refused with its reasons unless it passes `lakip tte --periksa` against this archive's PDF."""
    from generator.render.document import environment

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
    _check_signer(git, state, env)

    report("membangun dokumen dari HEAD untuk arsip")
    persetujuan = approval_record(state, tahun)
    with tempfile.TemporaryDirectory(prefix="lakip-arsip-") as tmp:
        bundle = Bundle(snapshot, Path(tmp), persetujuan, tte=tte)
        made = make_all(bundle)
    folder = arsip_folder(tahun)
    in_the_way = [f"{folder}/{name}" for name in made if (root / folder / name).exists()]
    if in_the_way:
        raise Refused(f"{', '.join(in_the_way)} sudah ada di folder kerja; pindahkan atau hapus dulu "
                      "(lakip tidak menimpa berkas yang belum di-commit)")
    documents = {name: _sha256(data) for name, (jenis, data) in made.items() if jenis == "dokumen"}
    extra = {name: {"jenis": jenis, "sha256": _sha256(data)}
             for name, (jenis, data) in made.items() if jenis != "dokumen"}
    manifest = {"format": FORMAT, **persetujuan, "lakip": __version__, "dokumen": documents,
                "tambahan": extra, "lingkungan": environment(bundle.fonts)}
    if bundle.tte_record is not None:
        manifest["tte"] = bundle.tte_record  # who signed the stored TTE and when (issue 13)
    text = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    files = {f"{folder}/{name}": data for name, (_, data) in made.items()} | {rel: text}
    written: list[str] = []
    try:
        for path, data in files.items():
            write_file(root, root / path, data)  # never through a symlink the repository holds
            written.append(path)
            # Staged without git's filters: a clean filter named by the repository never runs.
            blob = git.text("hash-object", "-w", "--no-filters", "--stdin", input=data).strip()
            git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        done = step(root, last.no, next(iter(last.keputusan), "selesai"), catatan, tahun, env=env)
    except (LakipError, UnsafePath) as e:
        for path in written:  # our own files only: nothing else was staged or written
            git.run("rm", "-q", "--cached", "--ignore-unmatch", "--", path, env=env)
            remove_file(root, root / path)
        if isinstance(e, UnsafePath):
            raise Refused(e.pesan) from None
        raise
    _tag(git, tag, done, tahun, _sha256(text), env)
    register, key = _register(git)
    register[tag] = done.commit
    _save_register(key, register)
    return Archived(done, tag, True, manifest, tuple(bundle.notes))


def _check_signer(git: Git, state: Progress, env: dict | None) -> None:
    """The tag must be signed (issue 12): refuse before anything is written when the archivist
    has no key registered in the roster or no `user.signingkey`."""
    tagger = identity(git, env, "COMMITTER")
    person = state.roster.find(tagger.email) if tagger else None
    if person is None or not person.kunci_ssh:
        who = tagger.email if tagger else "identitas git tidak diketahui"
        raise Refused(f"tag arsip harus ditandatangani, tetapi {who} tidak punya kunci SSH yang "
                      "terdaftar di sop/personil.yaml")
    if not git.text("config", "--get", "user.signingkey", env=env, check=False).strip():
        raise Refused("tag arsip harus ditandatangani: atur dulu git config user.signingkey "
                      "(kunci SSH Anda yang terdaftar) dan gpg.format ssh")


def _tag(git: Git, tag: str, done: Recorded, tahun: int, manifest_sha: str, env: dict | None) -> None:
    message = (f"Arsip LAKIP {tahun}\n\nManifest: {manifest_path(tahun)}\n"
               f"Manifest-SHA256: {manifest_sha}\n")
    overrides = git.signing_overrides(env)[0]
    git.run(*overrides, "tag", "-a", "-s", "-m", message, tag, done.commit, env=env)


# ---------------------------------------------------------------- verify --arsip


@dataclass
class ArchiveReport:
    """`verify --arsip`: findings (exit 1), notes (`lingkungan-berbeda`, exit 0), tags checked."""

    temuan: list[Temuan] = field(default_factory=list)
    catatan: list[Temuan] = field(default_factory=list)
    jumlah: int = 0


def verify_archives(root: Path, report: Callable[[str], None] = lambda _: None) -> tuple[list[Temuan], int]:
    """Findings over every archived year and how many tags were checked (`check_archives`)."""
    result = check_archives(root, report)
    return result.temuan, result.jumlah


def check_archives(root: Path, report: Callable[[str], None] = lambda _: None,
                   rebuild: bool = True) -> ArchiveReport:
    """Every archived year checked (module docstring); a bad tag is a finding of its own year
    only. `rebuild=False` runs only the checks that need no rebuild."""
    from generator.workflow.tte import temuan_arsip

    git = open_repo(root)
    register, key = _register(git)
    result = ArchiveReport()
    present = [t for t in tags(git) if t.name.removeprefix(TAG_PREFIX).isdigit()]
    result.jumlah = len(present)
    names = {t.name for t in present}
    for name, commit in register.items():
        if name not in names:
            result.temuan.append(Temuan("tag-hilang", commit, None, f"tag {name} tidak ada lagi "
                                        f"(pernah menunjuk {commit[:10]})"))
    for tag in present:
        report(f"memeriksa {tag.name}")
        if register.get(tag.name, tag.commit) != tag.commit:
            result.temuan.append(Temuan("tag-dipindah", tag.commit, None,
                                        f"tag {tag.name} kini menunjuk {tag.commit[:10]}, semula "
                                        f"{register[tag.name][:10]}"))
            continue
        findings, manifest = tag_findings(root, git, tag)
        result.temuan += findings
        if manifest is None:
            continue
        result.temuan += stored_findings(git, tag, manifest, trusted_message=not findings)
        result.temuan += temuan_arsip(root, tag.name, tag.commit, manifest)  # the stored TTE
        if rebuild and not findings:
            report(f"membangun ulang {tag.name} dari tag-nya")
            found, notes = rebuild_findings(root, tag, manifest)
            result.temuan += found
            result.catatan += notes
        register.setdefault(tag.name, tag.commit)
    _save_register(key, register)
    return result


def stored_files(manifest: dict) -> dict[str, str]:
    """name -> SHA-256 of every file the manifest says `arsip/<tahun>/` holds."""
    files = dict(manifest.get("dokumen") or {})
    for name, entry in (manifest.get("tambahan") or {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("sha256"), str):
            files[name] = entry["sha256"]
    return files


def stored_findings(git: Git, tag: Tag, manifest: dict, trusted_message: bool = True) -> list[Temuan]:
    """`arsip-diubah` without rebuilding: the manifest's hash is the one the signed tag carries
    (checked only when the tag itself has no finding: `trusted_message`), every stored file in
    the tag's commit has its manifest hash, and HEAD still holds the same manifest and files (a
    later commit that edits or deletes one is found too)."""
    tahun = int(tag.name.removeprefix(TAG_PREFIX))
    found: list[Temuan] = []

    def finding(text: str) -> None:
        found.append(Temuan("arsip-diubah", tag.commit, None, f"{tag.name}: {text}"))

    raw = git.run("cat-file", "blob", f"{tag.commit}:{manifest_path(tahun)}", check=False)
    wanted = HASH_LINE.search(_tag_message(git, tag.name))
    if not trusted_message:
        pass
    elif wanted is None:
        if manifest.get("format", 1) >= FORMAT:
            finding("pesan tag tidak memuat hash manifest (Manifest-SHA256)")
    elif wanted.group(1) != _sha256(raw):
        finding(f"{manifest_path(tahun)} tidak sama dengan hash yang dicatat di tag")
    if manifest.get("format", 1) < FORMAT:
        return found  # an archive of format 1 stored no files: only the rebuild can check it
    folder = arsip_folder(tahun)
    head = git.head()
    for name, sha in sorted(stored_files(manifest).items()):
        for where, rev in ((tag.name, tag.commit), ("HEAD", head)):
            if rev is None:
                continue
            data = git.run("cat-file", "blob", f"{rev}:{folder}/{name}", check=False)
            exists = bool(git.text("cat-file", "-t", f"{rev}:{folder}/{name}", check=False).strip())
            if not exists:
                finding(f"{folder}/{name} tidak ada di {where}")
                break
            if _sha256(data) != sha:
                finding(f"{folder}/{name} di {where} tidak sama dengan hash di manifest")
                break
    # Nothing may sit beside what the manifest lists: an added file (or a symlink) in the folder
    # would be offered as archived although nobody signed it.
    listed = {*stored_files(manifest), manifest_path(tahun).rsplit("/", 1)[-1]}
    for where, rev in ((tag.name, tag.commit), ("HEAD", head)):
        if rev is None:
            continue
        out = git.run("ls-tree", "-r", "-z", "--name-only", rev, "--", f"{folder}/", check=False)
        for rel in sorted(p for p in out.decode("utf-8", "replace").split("\0") if p):
            if rel.removeprefix(f"{folder}/") not in listed:
                finding(f"{rel} di {where} tidak tercatat di manifest")
    if head and head != tag.commit:
        at_head = git.run("cat-file", "blob", f"{head}:{manifest_path(tahun)}", check=False)
        if at_head != raw:
            finding(f"{manifest_path(tahun)} di HEAD berbeda dari yang diarsipkan di tag")
    return found


def _tag_message(git: Git, name: str) -> str:
    raw = git.text("cat-file", "tag", f"refs/tags/{name}", check=False)
    body = raw.split("\n\n", 1)[1] if "\n\n" in raw else ""
    return body.split("-----BEGIN SSH SIGNATURE-----", 1)[0]


def rebuild_findings(root: Path, tag: Tag, manifest: dict) -> tuple[list[Temuan], list[Temuan]]:
    """The rebuild from the tag compared by content with the stored files (compare.py): findings
    `arsip-tidak-cocok`, and the note `lingkungan-berbeda` naming what differs from the recorded
    environment when only bytes differ."""
    from generator.render.document import environment
    from generator.workflow import compare

    tahun = int(tag.name.removeprefix(TAG_PREFIX))
    git = Git(root)
    folder = arsip_folder(tahun)
    try:
        snapshot = gather(root, tahun, ref=tag.commit)
        with tempfile.TemporaryDirectory(prefix="lakip-verifikasi-") as tmp:
            bundle = Bundle(snapshot, Path(tmp), {k: v for k, v in manifest.items()
                                                  if k in ("tahun", "sop", "commit_dasar", "akar",
                                                           "sidik_jari_konten", "langkah")})
            rebuilt = make_all(bundle, rebuilding=True)
    except LakipError as e:
        return [Temuan("arsip-tidak-cocok", tag.commit, None,
                       f"{tag.name}: tidak dapat dibangun ulang: {e.pesan}")], []
    stored_format = manifest.get("format", 1) >= FORMAT
    expected = stored_files(manifest)
    findings: list[Temuan] = []
    only_bytes: list[str] = []

    def finding(text: str) -> None:
        findings.append(Temuan("arsip-tidak-cocok", tag.commit, None, f"{tag.name}: {text}"))

    for name, sha in sorted(expected.items()):
        if name not in rebuilt:
            if not any(k.jenis == _jenis(manifest, name) and not k.rebuild for k in STORED):
                finding(f"{name} tidak dihasilkan oleh bangun ulang")
            continue
        data = rebuilt[name][1]
        if _sha256(data) == sha:
            continue
        if not stored_format:  # nothing stored to compare the content with: bytes only
            finding(f"{name} hasil bangun ulang tidak sama dengan manifest")
            continue
        stored = git.run("cat-file", "blob", f"{tag.commit}:{folder}/{name}", check=False)
        if _sha256(stored) != sha:
            continue  # already an arsip-diubah finding
        difference = compare.content(name, stored, data)
        if difference:
            finding(difference)
        else:
            only_bytes.append(name)
    if stored_format and pdfa_name(tahun) in expected:
        stored = git.run("cat-file", "blob", f"{tag.commit}:{folder}/{pdfa_name(tahun)}", check=False)
        for difference in compare.attachments(stored, {"figures.json": figures_bytes(snapshot)}):
            finding(difference)
    notes: list[Temuan] = []
    if only_bytes:
        changed = compare.environment(manifest.get("lingkungan"), environment(bundle.fonts))
        files = ", ".join(only_bytes)
        if changed:
            notes.append(Temuan("lingkungan-berbeda", tag.commit, None,
                                f"{tag.name}: {files} berbeda byte tetapi sama isinya; lingkungan "
                                f"pembuatan berbeda: {'; '.join(changed)}"))
        else:
            finding(f"{files} berbeda byte dari arsip walaupun lingkungan pembuatannya sama")
    return findings, notes


def _jenis(manifest: dict, name: str) -> str:
    entry = (manifest.get("tambahan") or {}).get(name)
    return entry.get("jenis", "") if isinstance(entry, dict) else "dokumen"


# ---------------------------------------------------------------- the site's Arsip page


def stored_archives(root: Path) -> list[dict]:
    """One entry per `lakip-<tahun>` tag, newest first, for the site's Arsip page (DESIGN §7):
    `{"tahun", "tag", "tanggal", "oleh", "commit", "terverifikasi", "temuan": [pesan],
    "berkas": [{"nama", "jenis", "sha256", "ukuran", "data"}], "langkah": [manifest steps]}`.
    The state is that of the checks that need no rebuild (tag, signature, role, history,
    manifest hash, stored files); only a verified year offers its stored files, read from the
    tag's own commit (never a rebuild, never the working tree)."""
    git = Git(root)
    if not (git.is_repo() and git.head()):
        return []
    rows = []
    for tag in tags(git):
        if not tag.name.removeprefix(TAG_PREFIX).isdigit():
            continue
        tahun = int(tag.name.removeprefix(TAG_PREFIX))
        findings, manifest = tag_findings(root, git, tag)
        if manifest is not None:
            findings += stored_findings(git, tag, manifest, trusted_message=not findings)
            if not findings:
                from generator.workflow.tte import temuan_arsip

                findings += temuan_arsip(root, tag.name, tag.commit, manifest)  # the stored TTE
        files = []
        if manifest is not None and not findings and manifest.get("format", 1) >= FORMAT:
            for name, sha in sorted(stored_files(manifest).items()):
                data = git.run("cat-file", "blob", f"{tag.commit}:{arsip_folder(tahun)}/{name}")
                files.append({"nama": name, "jenis": _jenis(manifest, name), "sha256": sha,
                              "ukuran": len(data), "data": data})
        rows.append({
            "tahun": tahun, "tag": tag.name, "tanggal": tag.date, "oleh": tag.tagger,
            "commit": tag.commit, "terverifikasi": manifest is not None and not findings,
            "temuan": [f"{t.kode}: {t.pesan}" for t in findings],
            "berkas": files, "format_lama": manifest is not None and manifest.get("format", 1) < FORMAT,
            "langkah": [_step_row(s) for s in manifest.get("langkah") or [] if isinstance(s, dict)]
            if manifest is not None and not findings else [],
            "tte": _tte_row(manifest.get("tte")) if manifest is not None and not findings else None,
        })
    return rows


def _tte_row(record) -> dict | None:
    """The manifest's record of a stored TTE (checked by temuan_arsip) for display."""
    import datetime as dt

    if not isinstance(record, dict):
        return None
    oleh = record.get("oleh") if isinstance(record.get("oleh"), dict) else {}
    try:
        when = dt.datetime.fromisoformat(str(record.get("waktu")))
    except ValueError:
        when = None
    emails = [e for e in oleh.get("email") or [] if isinstance(e, str)]
    return {"nama": oleh.get("nama"), "email": ", ".join(emails), "waktu": when,
            "berkas": record.get("berkas"), "bsre": bool(record.get("bsre"))}


def _step_row(step: dict) -> dict:
    """A manifest step for display: its time as a datetime (None when unreadable)."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(str(step.get("waktu")))
    except ValueError:
        when = None
    return {**step, "waktu": when}
