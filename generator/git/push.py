"""`git push` of the current branch to its upstream, for the desk (`lakip meja`).

A push contacts a server, so it runs programs the other git calls never run (ssh, a credential
helper). Only the user's own (global) settings may name them, never the repository's config
(DESIGN §5): the remote's URL is read from the repository and checked to be https, http, ssh or a
local path, the transports allowed are exactly those, and `core.sshCommand`, `credential.helper`
and `core.askPass` come from the user's global configuration.
"""

from __future__ import annotations

import re
import subprocess

from generator.data.errors import Refused
from generator.git.runner import Git, _environment

_URL = re.compile(r"^(https?://|ssh://|file://|/|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:)")
_PROTOCOLS = ("https", "http", "ssh", "file")


def _global(git: Git, key: str, env: dict | None) -> list[str]:
    done = subprocess.run(["git", "-C", str(git.root), "config", "--global", "--get-all", key],
                          capture_output=True, env=_environment(env), check=False)
    return [v for v in done.stdout.decode("utf-8", "replace").splitlines() if v]


def push(git: Git, env: dict | None = None) -> str:
    """Push HEAD to the upstream branch of the current branch; returns what was pushed, as
    "origin/main (abc1234..def5678)". Raises Refused (Indonesian) when there is no branch or
    upstream, when the remote's URL is not https/http/ssh/a local path, or when git push fails."""
    branch = git.text("symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
    if not branch:
        raise Refused("HEAD tidak berada di sebuah cabang (detached HEAD): tidak ada yang dapat dikirim")
    remote = git.text("config", "--get", f"branch.{branch}.remote", check=False).strip()
    merge = git.text("config", "--get", f"branch.{branch}.merge", check=False).strip()
    if not remote or remote == "." or not merge.startswith("refs/heads/"):
        raise Refused(f"cabang {branch} belum punya upstream di server (petunjuk: minta pengelola "
                      f"repositori menjalankan git push -u origin {branch} sekali)")
    url = (git.text("config", "--get", f"remote.{remote}.pushurl", check=False).strip()
           or git.text("config", "--get", f"remote.{remote}.url", check=False).strip())
    if not _URL.match(url):
        raise Refused(f"alamat remote {remote} ({url or 'kosong'}) bukan https, ssh atau folder: "
                      "lakip tidak mengirim ke sana")
    args: list[str] = ["-c", "protocol.allow=never"]
    for name in _PROTOCOLS:
        args += ["-c", f"protocol.{name}.allow=always"]
    args += ["-c", "protocol.ext.allow=never", "-c", "push.recurseSubmodules=no"]
    ssh = _global(git, "core.sshCommand", env)
    args += ["-c", f"core.sshCommand={ssh[-1] if ssh else 'ssh'}"]
    ask = _global(git, "core.askPass", env)
    args += ["-c", f"core.askPass={ask[-1] if ask else ''}"]
    args += ["-c", "credential.helper="]
    for helper in _global(git, "credential.helper", env):
        args += ["-c", f"credential.helper={helper}"]
    before = git.text("rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{merge[11:]}",
                      check=False).strip()
    head = git.text("rev-parse", "HEAD").strip()
    # An explicit URL and refspec: nothing of remote.<name>.* (receivepack, push refspecs) applies.
    code, _, err = git.call(*args, "push", "--no-verify", "--porcelain", "--follow-tags", url,
                            f"HEAD:{merge}", env=env)
    if code != 0:
        hint = (" (petunjuk: server sudah punya commit baru; ambil dulu dengan git pull, lalu kirim lagi)"
                if "fetch first" in err or "non-fast-forward" in err else "")
        raise Refused(f"git push ke {remote} gagal: {err.strip() or 'tanpa pesan'}{hint}")
    git.run("update-ref", f"refs/remotes/{remote}/{merge[11:]}", head, env=env)
    return f"{remote}/{merge[11:]} ({before[:7] or 'baru'}..{head[:7]})"
