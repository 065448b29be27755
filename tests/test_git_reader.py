"""The git object reader (runner.Git.objects, objects.list_tree/changed_paths/folder_names): the
same answers as the git commands they replace, on a tree with the names a repository may hold,
and one reader per process across a fork."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.data.errors import Refused
from generator.git import Git, GitSource, object_ids, read_blobs
from generator.git.objects import changed_paths, folder_names, list_tree


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, git_home) -> Path:
    """Two commits: odd names (not UTF-8, a newline, a quote, a space), a symlink out of the
    repository, a submodule entry, a file `contents.txt` beside `content/`; the second commit
    turns the file content/2025/b.yaml into a folder and changes a file deep in content/."""
    root = tmp_path / "repo"
    (root / "content" / "2025" / "reviu").mkdir(parents=True)
    (root / "sop").mkdir()
    (root / "content" / "we ird").mkdir()
    for rel, text in {"content/a.yaml": "a\n", "content/2025/b.yaml": "b\n", "sop/sop.yaml": "s\n",
                      "content/2025/reviu/n.md": "r\n", "content/we ird/q\"uote.md": "q\n",
                      "content/new\nline.yaml": "n\n", "contents.txt": "c\n"}.items():
        (root / rel).write_text(text, encoding="utf-8")
    (root / os.fsdecode(b"content/bad\xff.yaml")).write_bytes(b"x")
    (root / "content" / "link").symlink_to("../../etc/passwd")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},content/sub")
    _git(root, "-c", "user.name=Uji", "-c", "user.email=u@x.go.id", "commit", "-q", "-m", "1")
    (root / "content" / "2025" / "b.yaml").unlink()
    (root / "content" / "2025" / "b.yaml").mkdir()
    (root / "content" / "2025" / "b.yaml" / "in.yaml").write_text("z\n", encoding="utf-8")
    (root / "content" / "2025" / "reviu" / "n.md").write_text("r2\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=Uji", "-c", "user.email=u@x.go.id", "commit", "-q", "-m", "2")
    return root


def test_tree_listing_and_changes_are_what_ls_tree_and_diff_tree_say(repo: Path) -> None:
    git = Git(repo)
    for rev in ("HEAD", "HEAD~1"):
        for prefixes in [(), ("content",), ("content", "sop"), ("content/2025/reviu", "sop"),
                         ("content/2025",), ("content/a.yaml",), ("conten",), ("content/",)]:
            listed = []
            for entry in _git(repo, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *prefixes).split(b"\0"):
                if entry:
                    meta, path = entry.split(b"\t", 1)
                    mode, _, oid = meta.split()
                    listed.append((int(mode, 8), oid.decode(), path))
            assert list_tree(git, rev, prefixes) == listed, (rev, prefixes)
    names = _git(repo, "ls-tree", "-z", "--name-only", "HEAD", "content/").split(b"\0")
    assert folder_names(git, "HEAD", "content") == [
        os.fsdecode(n).removeprefix("content/") for n in names if n]
    changed = _git(repo, "diff-tree", "-r", "-z", "--name-only", "HEAD~1", "HEAD").split(b"\0")
    assert changed_paths(git, "HEAD~1", "HEAD") == [os.fsdecode(c) for c in changed if c]
    assert changed_paths(git, "HEAD~1", "HEAD") == [
        "content/2025/b.yaml", "content/2025/b.yaml/in.yaml", "content/2025/reviu/n.md",
        "content/sub"]  # `git add -A` dropped the submodule entry (no such folder in the work tree)

    source = GitSource(git, "HEAD")
    assert source.symlinks() == ["content/link"] and source.bad_names() == ["content/bad\ufffd.yaml"]
    assert "content/sub" not in source.blobs and source.read("content/new\nline.yaml") == b"n\n"
    blob = _git(repo, "rev-parse", "HEAD:content/a.yaml").decode().strip()
    assert object_ids(git, ["HEAD:content/a.yaml", "HEAD:tidak-ada", "HEAD:content\nx"]) == [
        blob, None, None]
    with pytest.raises(Refused) as missing:
        read_blobs(git, ["0" * 40])
    assert missing.value.pesan == (f"objek git {'0' * 40} tidak ada di repositori (repositori rusak "
                                   "atau tidak lengkap; petunjuk: git fsck, atau clone ulang)")


def test_a_forked_child_reads_with_its_own_reader_and_the_parent_keeps_its_own(repo: Path) -> None:
    git = Git(repo)
    blob = object_ids(git, ["HEAD:content/a.yaml"])[0]
    parent = git._reader
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the parent's pipes are closed here, a new reader answers
        try:
            ok = read_blobs(git, [blob])[blob] == b"a\n" and git._reader is not parent
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 1) == b"1"
    os.close(read)
    os.waitpid(pid, 0)
    assert git._reader is parent and read_blobs(git, [blob])[blob] == b"a\n"
    git.close()  # returns: no child holds the parent's pipe
    assert git._reader is None and read_blobs(git, [blob])[blob] == b"a\n"
