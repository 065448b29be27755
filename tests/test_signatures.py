"""Signature verification in-process (sshsig) against git's own: the same answer for every kind
of commit, and only good Ed25519 signatures decided without ssh-keygen."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.git import Git
from generator.git.signatures import Signature, signatures, split_signed, verify_here


def _git(repo: Path, *args: str, data: bytes | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True, check=True
                          ).stdout.decode().strip()


def _key(folder: Path, name: str, kind: str) -> tuple[Path, str]:
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", name, "-f", str(path)], check=True)
    return path, " ".join(path.with_suffix(".pub").read_text().split()[:2])


def _commit(repo: Path, n: int, key: Path | None, email: str = "a@x.go.id") -> str:
    (repo / "f.txt").write_text(f"{n}\n", encoding="utf-8")
    _git(repo, "add", "f.txt")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else []
    _git(repo, *sign, "-c", f"user.email={email}", "-c", "user.name=Uji", "commit", "-q",
         *(["-S"] if key else []), "-m", f"langkah {n}")
    return _git(repo, "rev-parse", "HEAD")


def _write_commit(repo: Path, raw: bytes) -> str:
    return _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", data=raw)


def _by_git(git: Git, commits: list[str], signers: str, tmp: Path) -> dict[str, Signature]:
    allowed = tmp / "allowed"
    allowed.write_text(signers, encoding="utf-8")
    out = git.text("-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "--no-walk=unsorted",
                   "--stdin", "--format=%H%x01%G?%x01%GS%x01%GK", input=("\n".join(commits) + "\n").encode())
    return {h: Signature(*rest) for h, *rest in (line.split("\x01") for line in out.splitlines())}


def test_signatures_decided_here_are_what_git_says(tmp_path: Path, git_home: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    keys = tmp_path / "keys"
    keys.mkdir()
    ed, ed_pub = _key(keys, "ed", "ed25519")
    rsa, rsa_pub = _key(keys, "rsa", "rsa")
    stranger, _ = _key(keys, "stranger", "ed25519")
    ecdsa, ecdsa_pub = _key(keys, "ecdsa", "ecdsa")
    # one key under two emails (the first line in file order is the one git names), an RSA and an
    # ECDSA key, both verified by git
    signers = "".join(f'{email} namespaces="git" {key}\n' for email, key in sorted(
        [("a@x.go.id", ed_pub), ("z@x.go.id", ed_pub), ("r@x.go.id", rsa_pub), ("e@x.go.id", ecdsa_pub)]))
    good = _commit(repo, 1, ed)
    unsigned = _commit(repo, 2, None)
    by_rsa = _commit(repo, 3, rsa, "r@x.go.id")
    by_stranger = _commit(repo, 4, stranger)
    by_ecdsa = _commit(repo, 5, ecdsa, "e@x.go.id")
    raw = _git(repo, "cat-file", "commit", good).encode() + b"\n"
    tampered = _write_commit(repo, raw.replace(b"langkah 1", b"langkah 9"))
    extra_header = _write_commit(repo, raw.replace(b"\ngpgsig ", b"\ngpgsig-sha256 x\ngpgsig ", 1))
    moved = _write_commit(repo, raw.replace(b"committer ", b"encoding UTF-8\ncommitter ", 1))
    payload, signature = split_signed(raw)
    # the same signature bytes over another namespace's message: signed with -n file
    (tmp_path / "payload").write_bytes(payload)
    subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", "file", "-f", str(ed), str(tmp_path / "payload")],
                   check=True, capture_output=True)
    other = (tmp_path / "payload.sig").read_bytes()
    header = b"gpgsig " + other.rstrip(b"\n").replace(b"\n", b"\n ") + b"\n"
    namespace = _write_commit(repo, raw.replace(b"gpgsig " + signature.rstrip(b"\n").replace(b"\n", b"\n ")
                                                 + b"\n", header))
    commits = [good, unsigned, by_rsa, by_stranger, by_ecdsa, tampered, extra_header, moved, namespace]
    git = Git(repo)

    here = verify_here(git, commits, signers)
    assert list(here) == [good]
    expected = _by_git(git, commits, signers, tmp_path)
    assert here[good] == expected[good]
    assert expected[good].status == "G" and expected[good].signer == "a@x.go.id"
    # git drops a gpgsig-sha256 header from the payload, so that commit stays good: for git to say
    assert [expected[c].status for c in commits] == ["G", "N", "G", "U", "G", "B", "G", "B", "B"]
    assert signatures(git, commits, signers) == expected


def test_split_signed_reads_the_header_as_git_does() -> None:
    raw = (b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\n"
           b"committer A <a@x> 1 +0000\ngpgsig -----BEGIN SSH SIGNATURE-----\n AAAA\n "
           b"-----END SSH SIGNATURE-----\n\npesan\ngpgsig bukan header\n")
    assert split_signed(raw) == (
        b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\n"
        b"committer A <a@x> 1 +0000\n\npesan\ngpgsig bukan header\n",
        b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n")
    assert split_signed(raw.replace(b"\n\npesan", b"\ngpgsig x\n\npesan")) is None  # two signatures
    assert split_signed(raw.replace(b"gpgsig -----", b"gpgsig-sha256 -----")) is None
    assert split_signed(raw.replace(b"gpgsig", b"mergetag")) is None  # unsigned


def test_one_config_listing_reads_what_git_config_get_reads(tmp_path: Path, git_home: Path) -> None:
    """signing_overrides and the step's signing check read a whole config file at once: each name
    gives what `git config --get` gives (last value wins, a name without value is "")."""
    from generator.git.runner import _canonical, parse_config_list

    config = tmp_path / "config"
    config.write_text('[gpg]\n\tprogram = satu\n\tprogram = dua\n'
                      '[gpg "ssh"]\n\tdefaultKeyCommand = "ssh-add -L"\n'
                      '[gpg "SSH"]\n\tprogram = besar\n[user]\n\tsigningkey\n', encoding="utf-8")
    listed = parse_config_list(subprocess.run(["git", "config", "--file", str(config), "--list", "-z"],
                                              capture_output=True, check=True).stdout)
    for key in ("gpg.program", "gpg.ssh.defaultKeyCommand", "gpg.ssh.program", "gpg.SSH.program",
                "user.signingkey"):
        got = subprocess.run(["git", "config", "--file", str(config), "--get", key], capture_output=True)
        expected = got.stdout.decode().strip() if got.returncode == 0 else None
        assert listed.get(_canonical(key)) == expected, key
