"""`lakip validate --format github|gitlab|sarif`: the issues in the formats CI systems put on the
lines of a pull request (DESIGN §6). Pure: issues in, text out.

- github: GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which
  Forgejo and Gitea Actions also read (their runners follow GitHub's syntax). Values are escaped as
  the Actions toolkit escapes them (`%`, CR, LF; in properties also `:` and `,`).
- gitlab: a GitLab Code Quality report (a JSON array of Code Climate issues: description,
  check_name, fingerprint, severity, location.path, location.lines.begin), for
  `artifacts:reports:codequality`.
- sarif: a SARIF 2.1.0 log (OASIS), one result per issue, a rule per issue code; the test suite
  validates it against the OASIS JSON schema.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from urllib.parse import quote

from generator import __version__
from generator.data.errors import Issue

FORMATS = ("teks", "json", "github", "gitlab", "sarif")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_INFO_URI = "https://pypi.org/project/lakip/"


def _message(issue: Issue) -> str:
    return issue.pesan if not issue.petunjuk else f"{issue.pesan} (petunjuk: {issue.petunjuk})"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=, title=), escaped as the Actions toolkit does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(issues: list[Issue]) -> str:
    """One workflow command per issue: `::error` for a galat, `::warning` for a peringatan, with
    `file`, and `line`/`col` when the issue has a position (a whole-file issue has none)."""
    lines = []
    for issue in issues:
        command = "error" if issue.is_error else "warning"
        props = [f"file={escape_property(issue.loc.path)}"]
        if issue.loc.line:
            props.append(f"line={issue.loc.line}")
            if issue.loc.col:
                props.append(f"col={issue.loc.col}")
        props.append(f"title={escape_property(f'lakip {issue.kode}')}")
        lines.append(f"::{command} {','.join(props)}::{escape_data(_message(issue))}")
    return "".join(f"{line}\n" for line in lines)


def _fingerprints(issues: list[Issue]) -> list[str]:
    """A stable id per issue: its file, code and message (not its line, so an issue keeps its id when
    lines above it move), plus how many identical issues came before it in the file."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for issue in issues:
        key = (issue.loc.path, issue.kode, _message(issue))
        seen[key] += 1
        raw = "\0".join((*key, str(seen[key])))
        out.append(hashlib.sha256(raw.encode("utf-8")).hexdigest())
    return out


def gitlab(issues: list[Issue]) -> str:
    """The GitLab Code Quality report (JSON array); galat is severity `major`, peringatan `minor`."""
    report = []
    for issue, fingerprint in zip(issues, _fingerprints(issues), strict=True):
        location: dict = {"path": issue.loc.path, "lines": {"begin": max(issue.loc.line, 1)}}
        if issue.loc.line and issue.loc.col:
            location["positions"] = {"begin": {"line": issue.loc.line, "column": issue.loc.col}}
        report.append({
            "type": "issue",
            "description": _message(issue),
            "check_name": f"lakip/{issue.kode}",
            "categories": ["Bug Risk"] if issue.is_error else ["Style"],
            "fingerprint": fingerprint,
            "severity": "major" if issue.is_error else "minor",
            "location": location,
        })
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def sarif(issues: list[Issue]) -> str:
    """A SARIF 2.1.0 log with one run of the tool `lakip`: a rule per issue code, one result per
    issue (level `error` for a galat, `warning` for a peringatan), located relative to the
    repository root (`uriBaseId` `%SRCROOT%`); columns count Unicode code points."""
    codes = sorted({i.kode for i in issues})
    index = {code: n for n, code in enumerate(codes)}
    results = []
    for issue, fingerprint in zip(issues, _fingerprints(issues), strict=True):
        physical: dict = {"artifactLocation": {"uri": quote(issue.loc.path), "uriBaseId": "%SRCROOT%"}}
        if issue.loc.line:
            region: dict = {"startLine": issue.loc.line}
            if issue.loc.col:
                region["startColumn"] = issue.loc.col
            physical["region"] = region
        results.append({
            "ruleId": issue.kode,
            "ruleIndex": index[issue.kode],
            "level": "error" if issue.is_error else "warning",
            "message": {"text": _message(issue)},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {"lakip/v1": fingerprint},
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lakip",
                "version": __version__,
                "informationUri": _INFO_URI,
                "rules": [{"id": code, "name": code,
                           "shortDescription": {"text": f"lakip validate: {code}"}}
                          for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
