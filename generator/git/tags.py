"""Tags: the archive's index (`lakip-<tahun>`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.git.log import _decode, _when
from generator.git.runner import Git


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    date: dt.datetime | None
    tagger: str
    subject: str


def tags(git: Git, pattern: str = "lakip-*") -> list[Tag]:
    """Tags matching `pattern` (annotated or not), newest name first: the archive's index.
    Tag names and messages are anyone's text: fields are split on NUL plus a random marker."""
    import secrets

    token = secrets.token_hex(12)
    fmt, sep = f"%00{token}%00", f"\0{token}\0".encode()
    fields = ["%(refname:short)", "%(*objectname)", "%(objectname)", "%(taggerdate:iso-strict)",
              "%(creatordate:iso-strict)", "%(taggername)", "%(subject)"]
    out = git.run("for-each-ref", "--sort=-refname", f"--format={fmt}{fmt}{fmt.join(fields)}{fmt}",
                  f"refs/tags/{pattern}", check=False)
    found = []
    for chunk in out.split(sep + sep)[1:]:
        parts = chunk.split(sep)
        if len(parts) < len(fields):
            continue
        name, peeled, oid, tagged, created, tagger, subject = (_decode(p) for p in parts[:len(fields)])
        when = tagged or created
        found.append(Tag(name, peeled or oid, _when(when) if when else None, tagger, subject))
    return found
