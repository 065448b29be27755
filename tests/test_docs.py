"""The data reference documents every key of every schema, and nothing that is not one."""

from __future__ import annotations

import re

import pytest

from generator.data.schema import KINDS, load_schema
from tests.conftest import ROOT

REFERENCE = ROOT / "docs" / "data-reference.md"


def _resolve(node: dict, schema: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        for part in ref.removeprefix("#/").split("/"):
            schema = schema[part]
        return schema
    return node


def key_paths(node: dict, schema: dict, prefix: str = "") -> set[str]:
    """Dotted key paths as the reference writes them: `a.b`, `a[].b`, `a.<placeholder>.b`."""
    node = _resolve(node, schema)
    paths: set[str] = set()
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        paths.add(path)
        paths |= key_paths(sub, schema, path)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        path = f"{prefix}.<*>"
        paths.add(path)
        paths |= key_paths(extra, schema, path)
    items = node.get("items")
    if isinstance(items, dict):
        paths |= key_paths(items, schema, f"{prefix}[]")
    return paths


def documented(kind: str) -> set[str]:
    text = REFERENCE.read_text(encoding="utf-8")
    match = re.search(rf"^## `{re.escape(kind)}` — .*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/data-reference.md has no section '## `{kind}` — ...'"
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|", match.group(0), re.M)
    return {re.sub(r"<[^>]+>", "<*>", row) for row in rows}


@pytest.mark.parametrize("kind", KINDS)
def test_reference_documents_every_key_of_the_schema(kind: str) -> None:
    schema = load_schema(kind)
    expected = key_paths(schema, schema)
    rows = documented(kind)
    assert sorted(expected - rows) == [], "keys of the schema missing from the reference"
    assert sorted(rows - expected) == [], "keys in the reference that the schema does not have"


def test_key_paths_sees_nested_maps_and_lists() -> None:
    schema = load_schema("bidang")
    paths = key_paths(schema, schema)
    assert {"realisasi.<*>.nilai", "sub_kegiatan[].keluaran.target", "bidang"} <= paths
