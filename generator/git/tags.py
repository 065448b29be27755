"""Tags: the archive's index (`lakip-<tahun>`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.git.log import _FS
from generator.git.runner import Git


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    date: dt.datetime | None
    tagger: str
    subject: str


def tags(git: Git, pattern: str = "lakip-*") -> list[Tag]:
    """Tags matching `pattern` (annotated or not), newest name first: the archive's index."""
    fields = ["%(refname:short)", "%(*objectname)", "%(objectname)", "%(taggerdate:iso-strict)",
              "%(creatordate:iso-strict)", "%(taggername)", "%(subject)"]
    out = git.text("for-each-ref", "--sort=-refname", f"--format={'%1f'.join(fields)}",
                   f"refs/tags/{pattern}", check=False)
    found = []
    for line in out.splitlines():
        name, peeled, oid, tagged, created, tagger, subject = line.split(_FS)
        when = tagged or created
        found.append(Tag(name, peeled or oid, dt.datetime.fromisoformat(when) if when else None,
                         tagger, subject))
    return found
