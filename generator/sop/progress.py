"""The SOP's progress read from git (status, verify, approval): the commit graph and the step
commits (one git log each) -> the authorized SOP and roster along history (trust.py) -> signatures
(cached) -> content fingerprints (cached) -> replayed prerequisites (cached) -> engine.evaluate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from generator.data import model as m
from generator.data.errors import DataInvalid, Issue, LakipError, Refused, UsageError
from generator.data.load import load_definitions, load_repo, newest_year
from generator.data.validate import validate
from generator.git import (
    Git,
    GitSource,
    Signature,
    allowed_signers,
    object_ids,
    signatures,
    step_commits,
)
from generator.git.log import Graph, RawCommit, graph, path_commits
from generator.git.objects import changed_paths, folder_names
from generator.sop.engine import (
    MENUNGGU,
    Chain,
    Status,
    StatusLangkah,
    Temuan,
    chain_facts,
    evaluate,
    parse_trailers,
)
from generator.sop.fingerprint import content_fingerprints, fingerprint
from generator.sop.syarat import check_syarat
from generator.sop.trust import Akar, Kepercayaan, Perubahan, authenticate, find_root, revoked_keys
from generator.sop.worktime import from_sop, libur_cache, libur_dikenal, parse_waktu, seed_libur
from generator.store import digest, store


@dataclass(frozen=True)
class Progress:
    """The SOP state of one year at one commit: `sop` and `roster` are the authorized ones in
    force at `head` (never an unauthorized change), `akar` the trust root the history was judged
    from (None for a shallow clone, which cannot be judged)."""

    status: Status
    sop: m.Sop
    roster: m.Roster
    head: str | None
    akar: Akar | None = None


def open_repo(root: Path) -> Git:
    """The git repository at `root`. Raises UsageError (exit 2) when `root` is not one."""
    git = Git(root)
    if not git.is_repo():
        raise UsageError(f"'{root}' bukan repositori git (petunjuk: lakip demo DIR membuat contoh "
                         "repositori dengan riwayat SOP; lakip init DIR membuat repositori baru)")
    return git


def _definitions(root: Path, source) -> tuple[m.Repo, list[Issue]]:
    repo, issues = load_repo(root, source)
    _require(repo.sop, repo.personil, issues)
    return repo, issues


def _require(sop, personil, issues: list[Issue]) -> None:
    if sop is None or personil is None:
        problems = "; ".join(i.format() for i in issues if i.is_error and i.loc.path.startswith("sop/"))
        raise DataInvalid(f"SOP atau daftar personil tidak dapat dibaca: {problems}")


class _Rules:
    """The SOP and roster of sop/ at a commit, parsed once per sop/ tree (DocCache keeps the
    parsed files between runs, keyed by their bytes)."""

    def __init__(self, git: Git, trees: dict[str, str | None]):
        self.git = git
        self.trees = trees
        self.parsed: dict[str | None, tuple[m.Sop, m.Roster]] = {}

    def tree(self, commit: str) -> str | None:
        if commit not in self.trees:
            self.trees[commit] = object_ids(self.git, [f"{commit}:sop"])[0]
        return self.trees[commit]

    def at(self, commit: str) -> tuple[m.Sop, m.Roster]:
        """The SOP and roster at `commit`; LakipError when they cannot be read."""
        tree = self.tree(commit)
        if tree not in self.parsed:
            sop, roster, issues = load_definitions(GitSource(self.git, commit, ("sop",)),
                                                   store("dokumen"))
            _require(sop, roster, issues)
            self.parsed[tree] = (sop, roster)
        return self.parsed[tree]


@dataclass
class _History:
    graph: Graph
    steps: list[RawCommit]
    trust: Kepercayaan
    rules: _Rules
    signatures: dict
    revoked: dict


def _history(git: Git, head: str, akar: str | None, tahun: int) -> _History:
    root = find_root(git, head, akar)
    g = graph(git, head)
    steps = step_commits(git, head)
    changes = path_commits(git, head, "sop")
    wanted = sorted({c.id for c in changes} | {p for c in changes for p in c.parents} | {root.commit})
    rules = _Rules(git, dict(zip(wanted, object_ids(git, [f"{c}:sop" for c in wanted]), strict=True)))
    # git only says which registered key made a signature: every key any version of the roster
    # ever registered goes into the allowed-signers file; the roster in force decides.
    people: list[m.Personil] = []
    for commit in dict.fromkeys([root.commit, *(c.id for c in changes)]):
        try:
            people += rules.at(commit)[1]
        except LakipError:
            continue  # a broken roster (never in force: it would fail when used)
    # Signatures of the changes of sop/ and of this year's step commits (other years are checked
    # when they are asked for: ssh-keygen runs twice per signature).
    mine = [c.id for c in steps if dict(c.trailers).get("SOP-Tahun", str(tahun)) == str(tahun)]
    sigs = signatures(git, [*(c.id for c in changes), *mine], allowed_signers(people))
    step_ids = {c.id for c in steps}
    trust = authenticate(g, root, changes, rules.trees, step_ids, sigs, rules.at)
    # A key revoked by the roster now in force voids its signatures everywhere, sop/ changes too.
    revoked = revoked_keys(rules.at(trust.berlaku.get(head, head))[1])
    if revoked:
        trust = authenticate(g, root, changes, rules.trees, step_ids, sigs, rules.at, revoked)
    return _History(g, steps, trust, rules, sigs, revoked)


def is_shallow(git: Git) -> bool:
    """Whether the repository is a shallow clone (git keeps the cut in .git/shallow)."""
    return (git.git_dir() / "shallow").is_file()


@dataclass(frozen=True)
class _Facts:
    """Everything the history says about one year at one HEAD from one trust root: a function
    of those commit ids alone, so it is kept in the `riwayat` cache (store.py) under them."""

    akar: Akar
    commits: list[RawCommit]  # the year's step commits, topological order
    berlaku: dict[str, str]  # HEAD and each step commit's parent -> its authorized sop/ commit
    tidak_sah: list[Perubahan]
    revoked: dict[str, dt.date]
    signatures: dict[str, Signature]
    chain: Chain

    def to_json(self) -> dict:
        return {"akar": [self.akar.commit, self.akar.sumber],
                "commits": [[c.id, list(c.parents), c.author_name, c.author_email,
                             c.author_date.isoformat(), c.committer_date.isoformat(), c.subject,
                             [list(t) for t in c.trailers]] for c in self.commits],
                "berlaku": self.berlaku, "tidak_sah": [[b.commit, b.pesan] for b in self.tidak_sah],
                "revoked": {k: v.isoformat() for k, v in self.revoked.items()},
                "signatures": {k: [v.status, v.signer, v.key] for k, v in self.signatures.items()},
                "chain": [list(self.chain.order), self.chain.parent_time, self.chain.off_chain,
                          {k: list(v) for k, v in self.chain.ancestors.items()}]}

    @classmethod
    def from_json(cls, data: dict) -> _Facts:
        order, parent_time, off, ancestors = data["chain"]
        return cls(Akar(*data["akar"]),
                   [RawCommit(c[0], tuple(c[1]), c[2], c[3], dt.datetime.fromisoformat(c[4]),
                              dt.datetime.fromisoformat(c[5]), c[6], tuple(tuple(t) for t in c[7]))
                    for c in data["commits"]],
                   dict(data["berlaku"]), [Perubahan(*b) for b in data["tidak_sah"]],
                   {k: dt.date.fromisoformat(v) for k, v in data["revoked"].items()},
                   {k: Signature(*v) for k, v in data["signatures"].items()},
                   Chain(tuple(order), dict(parent_time), dict(off),
                         {k: tuple(v) for k, v in ancestors.items()}))


def _facts(git: Git, head: str, akar: str | None, tahun: int) -> tuple[_Facts, _Rules]:
    """The history facts of `tahun` at `head`, from the cache when this HEAD was judged before
    (commit ids name their whole history, so the answer cannot have changed)."""
    cache = store("riwayat")
    key = digest("riwayat", head, akar or "", str(tahun))
    hit = cache.get(key)
    if isinstance(hit, dict):
        try:
            return _Facts.from_json(hit), _Rules(git, {})
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # another shape: judged again below
    history = _history(git, head, akar, tahun)
    sop = history.rules.at(history.trust.berlaku.get(head, head))[0]
    commits = [c for c in history.steps if dict(c.trailers).get("SOP-Tahun", str(tahun)) == str(tahun)]
    root = history.trust.akar.commit
    berlaku = {head: history.trust.berlaku.get(head, head)}
    for c in commits:
        parent = c.parents[0] if c.parents else root
        berlaku[parent] = history.trust.berlaku.get(parent, root)
    steps = []
    for c in commits:
        trailers, _ = parse_trailers(c, sop)
        if trailers is not None and trailers.sop == sop.id and trailers.tahun == tahun:
            steps.append((c.id, trailers.langkah))
    signing = sop.signing_step.no if sop.signing_step else None
    chain = chain_facts(history.graph, steps, signing, {b.commit for b in history.trust.tidak_sah})
    facts = _Facts(history.trust.akar, commits, berlaku, list(history.trust.tidak_sah),
                   history.revoked, {c.id: history.signatures[c.id] for c in commits
                                     if c.id in history.signatures}, chain)
    cache.put(key, facts.to_json())
    cache.save()
    return facts, history.rules


def progress(root: Path, tahun: int | None = None, now: dt.datetime | None = None,
             rev: str | None = None, akar: str | None = None, git: Git | None = None) -> Progress:
    """The SOP's state for `tahun` as recorded at HEAD (or at commit `rev`), every step commit
    judged by the authorized SOP and roster of its parent, from the trust root `akar` (a commit;
    default: trust.find_root). A shallow clone gives the single finding `riwayat-terpotong`.
    `git`: the repository `root` already opened by the caller (one reader per command)."""
    git = git or open_repo(root)
    head = rev or git.head()
    if head is None:
        raise Refused("repositori belum punya commit: buat commit pertama dulu")
    if is_shallow(git):
        return _cut(git, root, head, tahun)
    tahun = tahun or newest_year(GitSource(git, head, ("content",)))
    facts, rules = _facts(git, head, akar, tahun)
    sop, roster = rules.at(facts.berlaku[head])
    status = _evaluate(git, facts, rules, sop, head, tahun, now)
    return Progress(status, sop, roster, head, facts.akar)


def _cut(git: Git, root: Path, head: str, tahun: int | None) -> Progress:
    """A shallow clone: its history cannot be judged, so nothing is recorded and nothing is FINAL."""
    sop, roster, issues = load_definitions(GitSource(git, head, ("sop",)))
    _require(sop, roster, issues)
    tahun = tahun or newest_year(GitSource(git, head, ("content",)))
    per_day = sop.menit_per_hari
    states = tuple(StatusLangkah(s, MENUNGGU, parse_waktu(s.waktu, per_day), None, ())
                   for s in sop.langkah)
    found = Temuan("riwayat-terpotong", head, None,
                   "riwayat git terpotong (shallow clone): langkah SOP tidak dapat diperiksa "
                   "(petunjuk: git fetch --unshallow; di GitHub Actions actions/checkout dengan "
                   "fetch-depth: 0)")
    status = Status(sop.id, tahun, states, None, (found,), 1, False, (), (found,))
    return Progress(status, sop, roster, head, None)


def _evaluate(git: Git, facts: _Facts, rules: _Rules, sop: m.Sop, head: str, tahun: int,
              now: dt.datetime | None) -> Status:
    commits = facts.commits
    ids = [c.id for c in commits]
    root = facts.akar.commit
    in_force = {c.id: rules.at(facts.berlaku.get(c.parents[0] if c.parents else root, root))
                for c in commits}
    konten = content_fingerprints(git, [*ids, head], tahun)
    syarat_at = _replay_syarat(git, sop, commits, in_force, tahun)
    holidays = store("libur")
    seed_libur(holidays.get("libur"))
    before = set(libur_dikenal())
    kalender = from_sop(sop)
    extra = tuple(Temuan("perubahan-tidak-sah", b.commit, None, b.pesan) for b in facts.tidak_sah)
    status = evaluate(sop, tahun, commits, in_force, facts.signatures, konten, konten[head], kalender,
                      now or dt.datetime.now(dt.UTC), facts.chain, syarat_at, extra, facts.revoked)
    if set(libur_dikenal()) != before:  # new years were computed: keep them for the next run
        holidays.put("libur", libur_cache())
        holidays.save()
    return status


def _replay_syarat(git: Git, sop: m.Sop, commits: list[RawCommit],
                   in_force: dict[str, tuple[m.Sop, m.Roster]], tahun: int) -> dict[str, list[str]]:
    """The `syarat` each step commit did not meet on its own tree (what `lakip step` would have
    refused), cached by commit id (the store is per lakip version): a commit's tree never changes."""
    cache = store("syarat")
    result: dict[str, list[str]] = {}
    loaded: dict[tuple, tuple[m.Repo, list[Issue]]] = {}  # the same files are loaded once
    for commit in commits:
        trailers, _ = parse_trailers(commit, sop)
        if trailers is None or trailers.tahun != tahun:
            continue
        rules = in_force[commit.id][0]
        step = rules.find_langkah(trailers.langkah)
        if step is None or not step.syarat:
            continue
        key = digest("syarat", commit.id, str(trailers.langkah), trailers.keputusan, tahun.__str__(),
                     ",".join(step.syarat))
        found = cache.get(key)
        if not (isinstance(found, list) and all(isinstance(x, str) for x in found)):
            found = _syarat_of(git, commit, step, trailers.keputusan, tahun, loaded)
            cache.put(key, found)
        if found:
            result[commit.id] = found
    cache.save()
    return result


def _syarat_of(git: Git, commit: RawCommit, step: m.Langkah, keputusan: str, tahun: int,
               loaded: dict[tuple, tuple[m.Repo, list[Issue]]]) -> list[str]:
    forward = step.keputusan.get(keputusan, step.no + 1) > step.no
    needed = [x for x in step.syarat if not (x == "catatan-reviu" and forward)]
    if not needed:
        return []  # a note is only required when the draft goes back
    changed: tuple[str, ...] = ()
    if "catatan-reviu" in needed:
        parent = commit.parents[0] if commit.parents else None
        if parent:
            changed = tuple(changed_paths(git, parent, commit.id))
    # Only the review notes when nothing else is required (a revisi at steps 6-8): reading the
    # whole tree for every revision round would make a cold status read every year's data.
    if needed == ["catatan-reviu"]:
        prefixes: tuple[str, ...] = (f"content/{tahun}/reviu", "sop")
    else:  # everything but the other years' folders (shared files such as the logo included)
        names = [f"content/{name}" for name in folder_names(git, commit.id, "content")]
        prefixes = (*(n for n in names if not (n.rsplit("/", 1)[-1].isdigit()
                                             and n != f"content/{tahun}")), "sop")
    source = GitSource(git, commit.id, prefixes)
    # Step commits that do not touch the files (most of them) have the same listing: their data
    # is loaded and validated once (`loaded`, per progress() call).
    key = (prefixes, needed != ["catatan-reviu"], tuple(sorted(source.blobs.items())),
           tuple(source.links), tuple(source.bad))
    if key not in loaded:
        repo, issues = load_repo(git.root, source)
        if repo.sop is not None and repo.personil is not None and needed != ["catatan-reviu"]:
            issues = issues + validate(repo)
        loaded[key] = (repo, issues)
    repo, issues = loaded[key]
    if repo.sop is None or repo.personil is None:
        return ["SOP atau daftar personil di commit ini tidak dapat dibaca"]
    return check_syarat(replace(step, syarat=tuple(needed)), keputusan, repo, issues, tahun, changed)


def who_acts(sop: m.Sop, roster: m.Roster, no: int, day: dt.date) -> list[m.Personil]:
    """Everyone who may perform step `no` on `day` by `roster`."""
    return roster.holders(sop.find_langkah(no).pelaksana, day)


def approval(root: Path, tahun: int, source, rev: str | None = None, known: Progress | None = None,
             git: Git | None = None) -> tuple[bool, dt.datetime, tuple[str, ...]]:
    """Is the content in `source` (the working tree) the approved, signed one? Returns (final,
    the document's date, notes). The date comes from git, never the clock, so rebuilding a commit
    gives identical files: the signing approval's time when final, else HEAD's commit time.
    `known` is the progress at `rev` (default HEAD) when the caller has it already. The notes say
    why a document whose signing step is recorded is still DRAF (the finding codes). `git`: the
    repository `root` already opened by the caller."""
    import os

    # A known progress, or a commit in a repository the caller opened, is a repository with a
    # commit: git need not be asked again.
    opened = known is not None or (git is not None and rev is not None)
    git = git or Git(root)
    if opened or (git.is_repo() and git.head()):
        p = known if known is not None else progress(root, tahun, rev=rev, git=git)
        head = p.head
        same = rev is not None or _worktree_is_head(git, root, source, tahun, head)
        final = p.status.final and same
        signing = p.sop.signing_step
        record = p.status.find_langkah(signing.no).catatan if final and signing else None
        when = record.waktu if record else git.commit_time(head)
        notes = [] if same else ["folder kerja berisi perubahan konten yang belum di-commit: "
                                 "dokumen ditandai DRAF"]
        notes += draf_reasons(p)
        return final, when, tuple(notes)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return False, moment, ("bukan repositori git: dokumen ditandai DRAF dan bertanggal hari ini",)


def draf_reasons(p: Progress) -> list[str]:
    """Why the document is DRAF although the signing step is recorded, one note per finding
    that blocks it (with its code), [] otherwise."""
    s = p.status
    blocking = s.penghalang
    if not blocking and not s.final and any(t.kode == "riwayat-terpotong" for t in s.temuan):
        blocking = s.temuan
    return [f"dokumen DRAF walaupun langkah pengesahan sudah dicatat: {t.kode} (commit "
            f"{t.commit[:10]}{f', langkah {t.langkah}' if t.langkah else ''}): {t.pesan}"
            for t in blocking]


def _worktree_is_head(git: Git, root: Path, source, tahun: int, head: str) -> bool:
    """Whether the working tree holds exactly HEAD's content of the year. Files git reports
    unchanged are taken as git stores them, so a clean checkout with core.autocrlf=true (CRLF in
    the work tree) is the approved content."""
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "content",
                  check=False)
    dirty = {entry[3:].decode("utf-8", "surrogateescape") for entry in out.split(b"\0")
             if len(entry) > 3 and entry[2:3] == b" "}
    head_fp = content_fingerprints(git, [head], tahun)[head]
    if not dirty:
        return True
    stored = GitSource(git, head, ("content",))
    return fingerprint(_Overlay(source, stored, dirty), tahun) == head_fp


class _Overlay:
    """The working tree, with every file git reports unchanged read from HEAD's blobs."""

    def __init__(self, work, stored: GitSource, dirty: set[str]):
        self.work, self.stored, self.dirty = work, stored, dirty

    def is_file(self, rel: str) -> bool:
        return self.work.is_file(rel)

    def is_dir(self, rel: str) -> bool:
        return self.work.is_dir(rel)

    def entries(self, rel: str):
        return self.work.entries(rel)

    def read(self, rel: str) -> bytes:
        if rel not in self.dirty and self.stored.is_file(rel):
            return self.stored.read(rel)
        return self.work.read(rel)

    def escapes(self, rel: str) -> bool:
        return getattr(self.work, "escapes", lambda _: False)(rel)
