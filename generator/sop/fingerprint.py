"""The content fingerprint that every step commit signs (DESIGN §5, trailer SOP-Konten).

SHA-256 over a canonical JSON of what the year's document is built from: content/instansi.yaml,
the Renstra files, and the year folder minus reviu/, pengiriman.yaml, lke.yaml and the tanda terima scan it
names (steps 6-10 write those without changing the report). YAML and front matter enter as parsed
values, so reformatting a file keeps an approval valid while a changed number voids it; other files
(bukti) enter by their bytes.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from generator.data.load import CONTENT
from generator.data.source import Source, normalize
from generator.data.yamlpos import decode, parse_text, split_front_matter
from generator.git import Git, GitSource, object_ids
from generator.git.objects import tree_entries
from generator.store import digest, store

PREFIX = "sha256:"
# lke.yaml is the office's LKE self-assessment, answered after the report is signed and published
_EXCLUDED = ("reviu", "pengiriman.yaml", "lke.yaml")


def inputs(source: Source, tahun: int) -> list[str]:
    """The files the fingerprint of `tahun` covers, sorted."""
    files = []
    if source.is_file(f"{CONTENT}/instansi.yaml"):
        files.append(f"{CONTENT}/instansi.yaml")
    files += [f"{CONTENT}/renstra/{name}" for name, is_dir in source.entries(f"{CONTENT}/renstra")
              if not is_dir]
    year = f"{CONTENT}/{tahun}"
    for name, is_dir in source.entries(year):
        if name in _EXCLUDED:
            continue
        files += _walk(source, f"{year}/{name}") if is_dir else [f"{year}/{name}"]
    receipt = _tanda_terima(source, year)  # the step-10 scan is not what steps 6-8 approved
    return sorted(f for f in files if f != receipt)


def _tanda_terima(source: Source, year: str) -> str | None:
    rel = f"{year}/pengiriman.yaml"
    if not source.is_file(rel):
        return None
    text, _ = decode(source.read(rel), rel)
    doc = parse_text(text, rel)[0] if text is not None else None
    value = doc.value if doc is not None else None
    bukti = value.get("tanda_terima", {}).get("bukti") if isinstance(value, dict) and isinstance(
        value.get("tanda_terima"), dict) else None
    return normalize(f"{year}/{bukti}") if isinstance(bukti, str) else None


def _walk(source: Source, folder: str) -> list[str]:
    found = []
    for name, is_dir in source.entries(folder):
        path = f"{folder}/{name}"
        found += _walk(source, path) if is_dir else [path]
    return found


def fingerprint(source: Source, tahun: int) -> str:
    """`sha256:<64 hex>` of the year's inputs in `source`. Each file's canonical form is cached
    (store.py) by its path and bytes; cached forms are plain JSON values, the same ones the
    fingerprint hashes, so a cache hit cannot change the answer."""
    cache = store("kanonik")
    canonical = {}
    for rel in inputs(source, tahun):
        data = source.read(rel)
        key = digest("kanonik", rel, data)
        value = cache.get(key)
        if value is None:
            value = json.loads(json.dumps(_canonical(rel, data), default=_number))
            cache.put(key, value)
        canonical[rel] = value
    cache.save()
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=_number)
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(rel: str, data: bytes) -> Any:
    if rel.endswith((".yaml", ".md")):
        text, _ = decode(data, rel)
        if text is not None:
            if rel.endswith(".yaml"):
                doc, _ = parse_text(text, rel)
                if doc is not None:
                    return {"yaml": doc.value}
            else:
                front, offset, body, _, _ = split_front_matter(text, rel)
                doc = parse_text(front, rel, offset)[0] if front is not None else None
                if doc is not None:
                    lines = [line.rstrip() for line in body.strip().splitlines()]
                    return {"front": doc.value, "body": "\n".join(lines)}
    return {"sha256": hashlib.sha256(data).hexdigest()}  # not parseable: exact bytes count


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def content_fingerprints(git: Git, commits: list[str], tahun: int) -> dict[str, str]:
    """The SOP-Konten fingerprint of the content at each commit.

    Cached (store.py) by a key made of the object ids the fingerprint covers, read for all commits
    with two requests to the `Git`'s reader; only content never seen before is loaded and hashed.
    """
    if not commits:
        return {}
    year = f"content/{tahun}"
    specs = [f"{c}:{p}" for c in commits for p in ("content/instansi.yaml", "content/renstra", year)]
    oids = object_ids(git, specs)
    trees = tree_entries(git, sorted({o for o in oids[2::3] if o}))
    keys = {}
    for i, commit in enumerate(commits):
        instansi, renstra, year_tree = oids[3 * i: 3 * i + 3]
        entries = [(name.decode("utf-8", "surrogateescape"), oid)
                   for _, name, oid in (trees[year_tree] if year_tree else [])]
        kept = [e for e in entries if e[0] not in _EXCLUDED]
        keys[commit] = digest("sidik-jari", json.dumps([tahun, instansi, renstra, kept, _EXCLUDED]))

    cache = store("sidik-jari")
    result = {}
    for commit in commits:
        value = cache.get(keys[commit])
        if not (isinstance(value, str) and value.startswith(PREFIX)):
            value = fingerprint(GitSource(git, commit, ("content",)), tahun)
            cache.put(keys[commit], value)
        result[commit] = value
    cache.save()
    return result
