"""Tags: the archive's index (`lakip-<tahun>`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.git.log import _marker, _records, _when
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
    marker = _marker()
    fields = ["%(refname:short)", "%(*objectname)", "%(objectname)", "%(taggerdate:iso-strict)",
              "%(creatordate:iso-strict)", "%(taggername)", "%(subject)"]
    # for-each-ref spells NUL %00, git log %x00
    out = git.run("for-each-ref", "--sort=-refname", marker.format(fields).replace("%x00", "%00"),
                  f"refs/tags/{pattern}", check=False)
    found = []
    for name, peeled, oid, tagged, created, tagger, subject in _records(out, marker, len(fields)):
        when = tagged or created
        found.append(Tag(name, peeled or oid, _when(when) if when else None, tagger, subject))
    return found
