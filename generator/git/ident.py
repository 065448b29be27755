"""Git identities: who git says is acting (`git var GIT_AUTHOR_IDENT` / `GIT_COMMITTER_IDENT`),
read the way git itself resolves them (config, environment, GIT_*_DATE)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.git.runner import Git

_IDENT = re.compile(r"^(?P<nama>.*) <(?P<email>[^>]*)> (?P<ts>\d+) (?P<tz>[+-]\d{4})$")


@dataclass(frozen=True)
class Identity:
    nama: str
    email: str
    waktu: dt.datetime  # the moment git would stamp, in its own UTC offset


def identity(git: Git, env: dict | None = None, role: str = "AUTHOR") -> Identity | None:
    """The author (or, with role="COMMITTER", the committer) identity git would use now; None when
    git has none configured or the e-mail is empty."""
    raw = git.text("var", f"GIT_{role}_IDENT", env=env, check=False).strip()
    match = _IDENT.match(raw)
    if not match or not match["email"]:
        return None
    sign = -1 if match["tz"][0] == "-" else 1
    offset = dt.timedelta(hours=int(match["tz"][1:3]), minutes=int(match["tz"][3:5]))
    return Identity(match["nama"], match["email"],
                    dt.datetime.fromtimestamp(int(match["ts"]), dt.timezone(sign * offset)))
