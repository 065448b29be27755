"""`lakip validate --format github|gitlab|sarif`: each error on its line of the pull request, in the
formats GitHub/Forgejo/Gitea Actions, GitLab and SARIF consumers read (issue 16, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from generator.cli import ci
from generator.data.errors import Issue, Location, galat, peringatan
from tests.conftest import edit, run

KOPERASI = "content/2025/bidang/koperasi.yaml"
SCHEMAS = Path(__file__).parent / "schemas"


def _broken(sample: Path) -> tuple[int, int]:
    """Two errors in the koperasi file: a negative pagu and a number written as Indonesian text."""
    pagu, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", "    pagu: -145000000\n")
    nilai, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", '    nilai: "62,40"\n')
    return pagu, nilai


def test_github_workflow_commands(sample: Path) -> None:
    pagu, nilai = _broken(sample)
    result = run("validate", "--repo", sample, "--format", "github")
    assert result.code == 1
    assert result.out == (
        f"::error file={KOPERASI},line={nilai},col=12,title=lakip angka-format-indonesia::"
        "'realisasi.IKU-1.nilai': angka ditulis sebagai teks berformat Indonesia \"62,40\"; "
        "diharapkan angka (petunjuk: tulis 62.40 tanpa tanda kutip: titik sebagai pemisah desimal, "
        "tanpa pemisah ribuan)\n"
        f"::error file={KOPERASI},line={pagu},col=11,title=lakip nilai-negatif::"
        "'sub_kegiatan[1].pagu' tidak boleh negatif: ditemukan -145000000\n")
    assert result.err == "2 galat, 0 peringatan\n"


def test_github_escapes_what_would_end_a_command() -> None:
    issue = Issue(Location("content/a,b:c.yaml", 3, 1), "peringatan", "x", "50% selesai\nbaris dua\r")
    whole_file = galat(Location("content/x.yaml"), "kosong", "berkas kosong")
    assert ci.github([issue, whole_file]) == (
        "::warning file=content/a%2Cb%3Ac.yaml,line=3,col=1,title=lakip x::50%25 selesai%0Abaris dua%0D\n"
        "::error file=content/x.yaml,title=lakip kosong::berkas kosong\n")


def test_gitlab_code_quality(sample: Path) -> None:
    pagu, nilai = _broken(sample)
    result = run("validate", "--repo", sample, "--format", "gitlab")
    assert result.code == 1
    report = json.loads(result.out)
    # GitLab's documented minimum (docs.gitlab.com, "Code Quality report format"): these keys, these
    # severities, a path and a begin line.
    jsonschema.validate(report, json.loads((SCHEMAS / "gitlab-code-quality.json").read_text()))
    fingerprints = [entry.pop("fingerprint") for entry in report]
    assert [len(f) for f in fingerprints] == [64, 64] and len(set(fingerprints)) == 2
    assert report == [
        {"type": "issue",
         "description": "'realisasi.IKU-1.nilai': angka ditulis sebagai teks berformat Indonesia "
                        "\"62,40\"; diharapkan angka (petunjuk: tulis 62.40 tanpa tanda kutip: titik "
                        "sebagai pemisah desimal, tanpa pemisah ribuan)",
         "check_name": "lakip/angka-format-indonesia", "categories": ["Bug Risk"], "severity": "major",
         "location": {"path": KOPERASI, "lines": {"begin": nilai},
                      "positions": {"begin": {"line": nilai, "column": 12}}}},
        {"type": "issue",
         "description": "'sub_kegiatan[1].pagu' tidak boleh negatif: ditemukan -145000000",
         "check_name": "lakip/nilai-negatif", "categories": ["Bug Risk"], "severity": "major",
         "location": {"path": KOPERASI, "lines": {"begin": pagu},
                      "positions": {"begin": {"line": pagu, "column": 11}}}},
    ]


def test_gitlab_fingerprints_are_stable_and_unique() -> None:
    same = peringatan(Location("content/a.yaml", 4, 2), "k", "sama")
    moved = peringatan(Location("content/a.yaml", 9, 2), "k", "sama")
    first = json.loads(ci.gitlab([same, moved]))
    again = json.loads(ci.gitlab([moved]))
    assert first[0]["fingerprint"] != first[1]["fingerprint"]
    # an issue that moved down keeps its id (lines above it were added)
    assert again[0]["fingerprint"] == first[0]["fingerprint"]
    assert first[0]["location"] == {"path": "content/a.yaml", "lines": {"begin": 4},
                                    "positions": {"begin": {"line": 4, "column": 2}}}
    whole = json.loads(ci.gitlab([galat(Location("content/b.yaml"), "kosong", "berkas kosong")]))
    assert whole[0]["location"] == {"path": "content/b.yaml", "lines": {"begin": 1}}


def test_sarif_validates_against_the_oasis_schema(sample: Path) -> None:
    pagu, nilai = _broken(sample)
    (sample / "content/2025/bidang/catatan lama.yaml").write_text("", encoding="utf-8")
    result = run("validate", "--repo", sample, "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
                               ).validate(log)
    run_ = log["runs"][0]
    assert (log["version"], run_["tool"]["driver"]["name"]) == ("2.1.0", "lakip")
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    located = [(r["ruleId"], rules[r["ruleIndex"]], r["level"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"].get("region")) for r in run_["results"]]
    assert (("angka-format-indonesia", "angka-format-indonesia", "error", KOPERASI,
             {"startLine": nilai, "startColumn": 12}) in located)
    assert (("nilai-negatif", "nilai-negatif", "error", KOPERASI,
             {"startLine": pagu, "startColumn": 11}) in located)
    # a file name with a space is a URI reference
    assert ("berkas-kosong", "berkas-kosong", "error", "content/2025/bidang/catatan%20lama.yaml",
            {"startLine": 1, "startColumn": 1}) in located
    whole = json.loads(ci.sarif([galat(Location("content/x.yaml"), "k", "seluruh berkas")]))
    jsonschema.Draft4Validator(schema).validate(whole)
    assert whole["runs"][0]["results"][0]["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "content/x.yaml", "uriBaseId": "%SRCROOT%"}}}]


def test_sarif_of_clean_data_is_valid_and_empty(sample: Path) -> None:
    result = run("validate", "--repo", sample, "--format", "sarif")
    assert result.code == 0
    log = json.loads(result.out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"] == [] and result.err == "0 galat, 0 peringatan\n"


def test_json_and_another_format_are_a_usage_error(sample: Path) -> None:
    result = run("validate", "--repo", sample, "--json", "--format", "github")
    assert (result.code, result.err) == (2, "lakip: galat: --json tidak boleh bersama --format github\n")
    result = run("validate", "--repo", sample, "--format", "xml")
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "lakip validate: galat: argumen --format: pilihan tidak sah: 'xml' (pilih salah satu: "
        "'teks', 'json', 'github', 'gitlab', 'sarif')")
