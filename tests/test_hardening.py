"""A repository lakip did not make (issue 11, DESIGN §5 "Untrusted repository"): each kind of
attack with the concrete input of the issue plus another member of the same kind. Each test checks
the answer and that nothing outside the test's folder was run, written or deleted."""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

import pytest

from generator.workflow.demo import WITA, actor_env
from tests.conftest import ROOT, run
from tests.office import WHEN, Office


def _listing(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (symlinks as their target text)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def _program(folder: Path, sentinel: Path, name: str) -> Path:
    """An executable that records that it ran (the attack succeeded) and fails."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho \"{name} $*\" >> '{sentinel}'\nexit 1\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _verify(root: Path) -> tuple[int, object]:
    result = run("verify", "--json", "--repo", root, "--tahun", "2025")
    assert result.err == "" or result.code == 1, result.err
    return result.code, json.loads(result.out)


# ---------------------------------------------------------------- 3. the repository's git config


def test_repository_git_config_runs_no_program(office: Office, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    office.run_until(3)
    before = _verify(office.root)
    assert before == (0, {"temuan": []})
    status_before = office.status()

    sentinel = tmp_path / "DIJALANKAN"
    evil = tmp_path / "jahat"
    hooks = evil / "hooks"
    for hook in ("reference-transaction", "post-index-change", "pre-commit", "post-commit"):
        _program(hooks, sentinel, hook)
        _program(office.root / ".git" / "hooks", sentinel, hook)
    settings = {
        "core.fsmonitor": _program(evil, sentinel, "fsmonitor"),
        "core.hooksPath": hooks,
        "gpg.ssh.program": _program(evil, sentinel, "ssh-program"),
        "gpg.program": _program(evil, sentinel, "gpg"),
        "core.pager": _program(evil, sentinel, "pager"),
        "diff.external": _program(evil, sentinel, "diff"),
        # settings that change what git prints
        "log.showSignature": "true",
        "i18n.logOutputEncoding": "UTF-16",
        "trailer.separators": "=",
        "color.ui": "always",
    }
    for key, value in settings.items():
        office.run("config", key, str(value))
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")  # every signature is checked again

    assert _verify(office.root) == before
    assert office.status() == status_before
    assert run("status", "--repo", office.root, "--tahun", "2025").code == 0

    # `lakip step` signs with the user's own program (git's ssh-keygen here) and says so.
    actor = office.actors["tim-kerja"]
    for key, value in actor_env(actor, f"{WHEN[4]}{WITA}").items():
        monkeypatch.setenv(key, value)
    result = run("step", "4", "--keputusan", "selesai", "--repo", office.root, "--tahun", "2025")
    assert result.code == 0, result.err
    assert result.err == (
        f"catatan: repositori mengatur gpg.program={settings['gpg.program']}; diabaikan: lakip "
        "menandatangani dengan program dari konfigurasi git Anda sendiri (gpg)\n"
        f"catatan: repositori mengatur gpg.ssh.program={settings['gpg.ssh.program']}; diabaikan: lakip "
        "menandatangani dengan program dari konfigurasi git Anda sendiri (ssh-keygen)\n")
    after = office.status().status
    assert after.find_langkah(4).catatan.tanda_tangan == "sah"
    assert _verify(office.root) == (0, {"temuan": []})
    assert not sentinel.exists(), sentinel.read_text()


# ---------------------------------------------------------------- 4. caches


def _poison(folder: Path) -> list[Path]:
    """Every cache file made to lie: each value replaced by a wrong one of the same shape (a
    'good' signature, another fingerprint, an empty document), keeping the file's layout."""
    poisoned = []
    for path in sorted(folder.rglob("*.json")):
        mac, _, body = path.read_bytes().partition(b"\n")
        data = json.loads(body)
        for key, value in data["isi"].items():
            if isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value):
                data["isi"][key] = ["G", "kepala@contoh.go.id", "SHA256:palsu"]
            elif isinstance(value, str):
                data["isi"][key] = "sha256:" + "0" * 64
            elif isinstance(value, dict):
                data["isi"][key] = {}
            else:
                data["isi"][key] = [None, [], []]
        path.write_bytes(mac + b"\n" + json.dumps(data).encode())
        poisoned.append(path)
    return poisoned


def test_a_poisoned_cache_never_changes_an_answer(office: Office, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    office.run_until(3)
    office.forge(4, sign_with=False)  # an unsigned step: the finding must survive every cache
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("LAKIP_TANPA_CACHE", "1")
    reference = (_verify(office.root), office.status())
    assert reference[0][0] == 1
    assert [t["kode"] for t in reference[0][1]["temuan"]] == ["tanpa-tanda-tangan"]
    monkeypatch.delenv("LAKIP_TANPA_CACHE")

    assert (_verify(office.root), office.status()) == reference  # cold: the caches are filled
    files = {p.name for p in (cache / "lakip").iterdir()}
    assert files >= {"dokumen.json", "kanonik.json", "sidik-jari.json", "tanda-tangan.json"}
    # the key that signs them is elsewhere: whoever writes the cache cannot sign what it plants
    assert not [p for p in (cache / "lakip").iterdir() if p.name.startswith("kunci")]
    assert (_verify(office.root), office.status()) == reference  # warm
    assert len(_poison(cache)) == len([f for f in files if f.endswith(".json")])
    assert (_verify(office.root), office.status()) == reference  # poisoned
    for path in (cache / "lakip").glob("*.json"):
        path.write_bytes(b"\x00\xff rusak")
    assert (_verify(office.root), office.status()) == reference  # garbage


def test_no_pickle_is_ever_loaded_and_nothing_is_cached_in_the_repository(
        office: Office, tmp_path: Path) -> None:
    sentinel = tmp_path / "DIJALANKAN"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch '{sentinel}'",))

    lakip_dir = office.root / ".git" / "lakip"
    lakip_dir.mkdir()
    for name in ("dokumen.pickle", "definisi.pickle", "tanda-tangan.pickle"):
        (lakip_dir / name).write_bytes(pickle.dumps(Payload()))
    # the old JSON caches that came with a repository, claiming an unsigned commit is good
    office.run_until(2)
    forged = office.forge(3, sign_with=False)
    (lakip_dir / "tanda-tangan.json").write_text(json.dumps(
        {"x": {forged: ["G", office.actors["jafung"].email, "SHA256:x"]}}), encoding="utf-8")
    listing = _listing(office.root)

    assert [t.kode for t in office.status().status.temuan] == ["tanpa-tanda-tangan"]
    assert run("validate", "--repo", office.root).code == 0
    assert not sentinel.exists()
    assert _listing(office.root) == listing  # nothing written into the repository or .git/
    for path in (ROOT / "generator").rglob("*.py"):  # no module can load one
        text = path.read_text(encoding="utf-8")
        # nor Jinja bytecode from a file: the site keeps the theme's compiled templates in memory
        # only (mkdocs_plugin._CompiledTemplates), never through Jinja's marshal-based loaders
        for banned in ("import pickle", "marshal", "FileSystemBytecodeCache", "MemcachedBytecodeCache",
                       "bytecode_from_string", "bucket.load_bytecode(", "bytecode_to_string"):
            assert banned not in text, (path, banned)


def test_git_replace_is_ignored(office: Office) -> None:
    office.run_until(3)
    forged = office.forge(4, sign_with=False)
    assert office.codes() == [("tanpa-tanda-tangan", 4)]
    # A signed copy of the forged commit, put in its place with `git replace`.
    raw = office.run("cat-file", "commit", forged)
    message = raw.split("\n\n", 1)[1]
    tree = office.run("rev-parse", f"{forged}^{{tree}}").strip()
    parent = office.run("rev-parse", f"{forged}^").strip()
    env = actor_env(office.actors["tim-kerja"], f"{WHEN[4]}{WITA}")
    copy = office.git.text("commit-tree", "-S", tree, "-p", parent, "-F", "-", input=message.encode(),
                           env=env).strip()
    office.run("replace", forged, copy)
    assert office.run("replace", "-l").split() == [forged]
    assert office.codes() == [("tanpa-tanda-tangan", 4)]
    code, report = _verify(office.root)
    assert code == 1 and [t["commit"] for t in report["temuan"]] == [forged]


# ---------------------------------------------------------------- 1. symlinks


def test_symlinks_in_the_repository_are_reported_and_never_followed(sample: Path, tmp_path: Path) -> None:
    from generator.render.site import _replace
    from generator.store import UnsafePath
    from generator.workflow.outputs import _write

    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "authorized_keys").write_text("ssh-ed25519 AAAA asli\n", encoding="utf-8")
    (outside / "catatan.md").write_text("rahasia\n", encoding="utf-8")
    before = _listing(outside)
    (sample / "content/2025/bukti/kunci.pdf").symlink_to(outside / "authorized_keys")
    (sample / "content/2025/bukti/luar").symlink_to(outside, target_is_directory=True)
    (sample / "site_templates/document").mkdir(parents=True)
    (sample / "site_templates/document/lakip.html").symlink_to(outside / "catatan.md")

    result = run("validate", "--repo", sample)
    assert result.code == 1
    hint = "(petunjuk: ganti dengan berkas atau folder biasa: salin isinya ke sini)"
    assert [line for line in result.lines if "symlink" in line] == [
        f"{rel}: galat: '{rel}' adalah symlink; lakip tidak mengikuti symlink di repositori {hint}"
        for rel in ("content/2025/bukti/kunci.pdf", "content/2025/bukti/luar",
                    "site_templates/document/lakip.html")]

    # The output folder: a link, a file, a device are refused before any work.
    (sample / "out").symlink_to(outside, target_is_directory=True)
    (sample / "berkas").write_text("x", encoding="utf-8")
    for out, why in ((sample / "out", f"'{sample / 'out'}' adalah symlink yang tidak dibuat oleh lakip: "
                      "tidak ditulis, dihapus atau disalin melaluinya (hapus symlink itu)"),
                     (sample / "berkas", f"'{sample / 'berkas'}' bukan folder"),
                     (Path(os.devnull), f"'{os.devnull}' bukan folder")):
        result = run("build", "--repo", sample, "--out", out)
        assert (result.code, result.err) == (2, f"lakip: galat: folder keluaran --out tidak dapat dipakai: "
                                                f"{why}\n")

    # OUT/site that is a link (mkdocs would empty the folder it points at) is refused.
    from generator.cli.main import exit_code
    from generator.data.errors import LakipError
    from generator.workflow.mkdocs_plugin import build_site
    from generator.workflow.snapshot import gather

    site_out = tmp_path / "situs-keluaran"
    site_out.mkdir()
    (site_out / "site").symlink_to(outside, target_is_directory=True)
    with pytest.raises(LakipError) as refused_site:
        build_site(gather(sample), site_out / "site")
    assert (exit_code(refused_site.value), refused_site.value.pesan) == (2, (
        f"'{site_out / 'site'}' adalah symlink yang tidak dibuat oleh lakip: tidak ditulis, dihapus atau "
        "disalin melaluinya (hapus symlink itu)"))
    os.mkfifo(sample / "content/2025/bukti/pipa.csv")  # a FIFO is no file: never opened, never hangs
    for name in ("content/2025/bukti/kunci.pdf", "content/2025/bukti/luar", "site_templates"):
        path = sample / name
        path.unlink() if path.is_symlink() else __import__("shutil").rmtree(path)
    result = run("validate", "--repo", sample)
    assert (result.code, [line for line in result.lines if "galat" in line]) == (1, [
        "content/2025/bukti/pipa.csv: galat: 'content/2025/bukti/pipa.csv' bukan berkas biasa (FIFO, soket "
        "atau perangkat); diabaikan (petunjuk: ganti dengan berkas biasa)"])
    from generator.data.source import FsSource
    from generator.sop.fingerprint import fingerprint

    assert fingerprint(FsSource(sample), 2025).startswith("sha256:")  # reads every input but the FIFO

    # An output file that is a link is replaced, never written through.
    real_out = tmp_path / "keluaran"
    real_out.mkdir()
    (real_out / "lakip-2025.html").symlink_to(outside / "authorized_keys")
    (real_out / "lakip-2025.html.tmp").symlink_to(outside / "authorized_keys")
    _write(real_out / "lakip-2025.html", b"<html>")
    assert (real_out / "lakip-2025.html").read_bytes() == b"<html>"
    assert not (real_out / "lakip-2025.html").is_symlink()

    # Site pages: a page or the list of written files that is a link is replaced; a folder that is
    # a link is refused; a listed path outside the folder is never deleted.
    docs = tmp_path / "halaman"
    docs.mkdir()
    (docs / "index.md").symlink_to(outside / "authorized_keys")
    (docs / ".lakip-dibuat").write_text(f"../luar/catatan.md\n{outside / 'catatan.md'}\n", encoding="utf-8")
    _replace(docs, {"index.md": b"# Beranda\n"})
    assert (docs / "index.md").read_bytes() == b"# Beranda\n"
    (docs / "unduh").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath) as refused:
        _replace(docs, {"index.md": b"# Beranda\n", "unduh/lakip-2025.pdf": b"%PDF"})
    assert refused.value.pesan == (f"'{docs / 'unduh'}' adalah symlink yang tidak dibuat oleh lakip: "
                                   "tidak ditulis, dihapus atau disalin melaluinya (hapus symlink itu)")
    assert _listing(outside) == before


def test_impor_never_writes_through_a_symlink(sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "luar"
    outside.mkdir()
    rel = "content/2025/bidang/koperasi.yaml"
    form = tmp_path / "koperasi.xlsx"
    assert run("format-data", "--repo", sample, "--bidang", "koperasi", "--out", form).code == 0
    (outside / "koperasi.yaml").write_bytes((sample / rel).read_bytes())
    (sample / rel).unlink()
    (sample / rel).symlink_to(outside / "koperasi.yaml")
    before = _listing(outside)
    result = run("impor", "--repo", sample, form)
    assert (result.code, result.err) == (2, (
        f"lakip: galat: '{sample.resolve() / rel}' adalah symlink yang tidak dibuat oleh lakip: tidak "
        "ditulis, dihapus atau disalin melaluinya (hapus symlink itu); impor dibatalkan\n"))
    assert _listing(outside) == before


# ---------------------------------------------------------------- 5. text that validates but crashes later


KOPERASI = "content/2025/bidang/koperasi.yaml"


def test_text_and_numbers_that_would_crash_later_are_rejected(sample: Path) -> None:
    from tests.conftest import edit, position

    # solusi of IKU-1 becomes "\a x"; its old text stays as the catatan
    edit(sample, KOPERASI, "    solusi: >-\n      Menuntaskan",
         '    solusi: "\\a x"\n    catatan: >-\n      Menuntaskan')
    nilai = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: 1.0e+400\n")
    pagu = edit(sample, KOPERASI, "    pagu: 145000000\n",
                "    pagu: 12345678901234567890123456789012345678\n")
    bukti = edit(sample, KOPERASI, "      - bukti/koperasi/iku-2-rekap-rat-koperasi.csv\n",
                 '      - "bukti/koperasi/\\0.csv"\n')
    solusi = position(sample, KOPERASI, '"\\a x"')
    narasi = sample / "content/2025/narasi/penutup.md"
    narasi.write_bytes(narasi.read_bytes() + b"\nBel \x07 di sini.\n")
    bel_line = narasi.read_bytes().count(b"\n") - 1 + 1
    (sample / "content/2025/bukti").joinpath(os.fsdecode(b"laporan-\xff.pdf")).write_bytes(b"%PDF")

    result = run("validate", "--repo", sample)
    assert result.code == 1, result.err
    lines = [line for line in result.lines if "karakter" in line or "batas" in line or "UTF-8" in line]
    assert lines == [
        f"content/2025/bidang/koperasi.yaml:{nilai[0]}:12: galat: angka '1.0e+400' di luar batas: harus "
        "kurang dari 1.000.000.000.000.000 (10^15) (petunjuk: periksa jumlah angka nol; rupiah ditulis "
        "tanpa titik)",
        f"content/2025/bidang/koperasi.yaml:{solusi[0]}:{solusi[1]}: galat: teks berisi karakter U+0007 "
        "yang tidak sah (petunjuk: hapus karakter itu; biasanya terbawa saat menyalin dari dokumen lain)",
        f"content/2025/bidang/koperasi.yaml:{bukti[0]}:9: galat: teks berisi karakter U+0000 (NUL) yang "
        "tidak sah (petunjuk: hapus karakter itu; biasanya terbawa saat menyalin dari dokumen lain)",
        f"content/2025/bidang/koperasi.yaml:{pagu[0]}:11: galat: angka "
        "'12345678901234567890123456789012345678' di luar batas: harus kurang dari "
        "1.000.000.000.000.000 (10^15) (petunjuk: periksa jumlah angka nol; rupiah ditulis tanpa titik)",
        "content/2025/bukti/laporan-\ufffd.pdf: galat: nama berkas 'content/2025/bukti/laporan-\ufffd.pdf' "
        "bukan teks UTF-8; berkas ini diabaikan (petunjuk: ganti nama berkas hanya dengan huruf, angka, "
        "'-' dan '_')",
        f"content/2025/narasi/penutup.md:{bel_line}:5: galat: berkas berisi karakter U+0007 yang tidak sah "
        "di teks (petunjuk: hapus karakter itu; biasanya terbawa saat menyalin dari dokumen lain)",
    ]
    # the commands that crashed on these values now refuse them like any other invalid data
    for args in (("figures",), ("build", "--out", sample / "out"),
                 ("format-data", "--bidang", "koperasi", "--out", sample / "f.xlsx")):
        result = run(*args, "--repo", sample)
        assert result.code == 1 and "Traceback" not in result.err and "internal" not in result.err, result.err
    assert not (sample / "out").exists() and not (sample / "f.xlsx").exists()


# ---------------------------------------------------------------- 7. ordinary mistakes; crash hunt


def test_crash_hunt_every_subcommand_with_odd_arguments(sample: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No input makes lakip print a traceback or exit 3 (an internal error)."""
    file = tmp_path / "berkas.txt"
    file.write_text("bukan folder\n", encoding="utf-8")
    full = tmp_path / "penuh"
    full.mkdir()
    (full / "x").write_text("x", encoding="utf-8")
    fake_xlsx = tmp_path / "palsu.xlsx"
    fake_xlsx.write_text("bukan excel", encoding="utf-8")
    sentinel = tmp_path / "sentinel"
    sentinel.write_text("tetap\n", encoding="utf-8")
    outside_before = _listing(tmp_path.parent / "luar") if (tmp_path.parent / "luar").exists() else {}
    odd = [
        ("validate", "--repo", tmp_path / "tidak-ada"), ("validate", "--repo", file),
        ("validate", "--repo", sample, "--tahun", "0"), ("validate", "--repo", sample, "--tahun", "-1"),
        ("validate", "--repo", sample, "--tahun", "99999999999999999999999"),
        ("status", "--repo", sample), ("status", "--repo", file), ("verify", "--repo", sample),
        ("verify", "--arsip", "--repo", sample), ("verify", "--repo", sample, "--tahun", "1900"),
        ("step", "0", "--keputusan", "selesai", "--repo", sample),
        ("step", "-1", "--keputusan", "x", "--repo", sample), ("step", "99", "--repo", sample),
        ("step", "4", "--keputusan", "selesai", "-m", "catatan\x1e\x1f", "--repo", sample),
        ("figures", "--repo", sample, "--tahun", "1900"), ("figures", "--repo", sample, "--json"),
        ("lke", "--repo", sample, "--tahun", "1900"), ("lke", "--repo", file),
        ("build", "--repo", sample, "--out", os.devnull), ("build", "--repo", sample, "--out", file),
        ("build", "--repo", sample, "--ref", "tidak-ada", "--out", tmp_path / "o"),
        ("build", "--repo", sample, "--ref", "../../etc/passwd", "--out", tmp_path / "o"),
        ("build", "--repo", sample, "--tahun", "1900", "--out", tmp_path / "o"),
        ("serve", "--repo", ROOT, "--alamat", "127.0.0.1:99999"),
        ("serve", "--repo", ROOT, "--alamat", "203.0.113.7:8000"),
        ("serve", "--repo", ROOT, "--alamat", "tanpa-port"), ("serve", "--repo", ROOT, "--alamat", ":80"),
        ("init", file), ("init", full), ("demo", file), ("demo", full),
        ("archive", "--repo", sample), ("codeowners", "--repo", file), ("codeowners", "--repo", sample),
        ("format-data", "--repo", sample, "--bidang", "../../etc", "--out", tmp_path / "f.xlsx"),
        ("format-data", "--repo", sample, "--bidang", "koperasi", "--out", tmp_path / "f.txt"),
        ("format-data", "--repo", sample, "--bidang", "koperasi", "--out", Path(os.devnull) / "f.xlsx"),
        ("format-data", "--repo", sample, "--bidang", "koperasi", "--tahun", "1900",
         "--out", tmp_path / "g.xlsx"),
        ("impor", "--repo", sample, os.devnull), ("impor", "--repo", sample, tmp_path / "tidak-ada.xlsx"),
        ("impor", "--repo", sample, full), ("impor", "--repo", sample, fake_xlsx),
        ("--versi",), ("tidak-ada",), (),
    ]
    # a user whose cache folder cannot be written: every command still works, only slower
    monkeypatch.setenv("XDG_CACHE_HOME", str(file))
    for args in odd:
        result = run(*args)
        assert result.code in (0, 1, 2), (args, result.code, result.err)
        assert "Traceback" not in result.err + result.out and "galat internal" not in result.err, args
        assert result.err.strip() or result.out.strip(), args  # always says something
    assert run("validate", "--repo", sample).code == 0
    assert sentinel.read_text(encoding="utf-8") == "tetap\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["berkas.txt", "palsu.xlsx", "penuh", "repo",
                                                           "sentinel"]
    assert sorted(p.name for p in full.iterdir()) == ["x"]
    if outside_before:
        assert _listing(tmp_path.parent / "luar") == outside_before
    # the exact words for the ordinary mistakes of the issue
    assert run("serve", "--repo", ROOT, "--alamat", "127.0.0.1:99999").err == (
        "lakip: galat: alamat '127.0.0.1:99999' tidak sah: tulis HOST:PORT dengan PORT 1-65535, "
        "misalnya 127.0.0.1:8000\n")
    assert run("serve", "--repo", ROOT, "--alamat", "203.0.113.7:8000").err == (
        "lakip: galat: alamat '203.0.113.7:8000' tidak dapat dipakai di mesin ini: Cannot assign "
        "requested address\n")
    assert run("step", "4", "--keputusan", "selesai", "-m", "a\x1eb", "--repo", sample).err == (
        "lakip: galat: catatan (-m) berisi karakter kendali U+001E; hapus karakter itu\n")
    assert run("init", file).err == (f"lakip: galat: '{file}' sudah ada dan bukan folder; pilih folder "
                                     "baru atau kosong\n")
    assert run("demo", full).err == (f"lakip: galat: folder '{full}' sudah berisi berkas; pilih folder "
                                     "baru atau kosong\n")


def test_a_closed_pipe_is_no_error(sample: Path) -> None:
    """`lakip figures | head -1`: the reader leaves early; lakip ends quietly."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "generator", "figures", "--repo", str(sample)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()  # before lakip writes a byte
    err = process.stderr.read().decode()
    assert (process.wait(), err) == (0, "")


def test_serve_answers_only_its_own_host() -> None:
    from generator.workflow.mkdocs_plugin import host_guard

    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"halaman"]

    guarded = host_guard(app, "127.0.0.1", 8000)
    answers = []
    for host in ("127.0.0.1:8000", "localhost:8000", "penyerang.example:8000", "127.0.0.1:9000", ""):
        status = []
        body = guarded({"HTTP_HOST": host}, lambda s, h, status=status: status.append(s))
        answers.append((host, status[0], b"".join(body).decode()))
    denied = "Ditolak: pratinjau lakip hanya melayani http://127.0.0.1:8000/\n"
    assert answers == [("127.0.0.1:8000", "200 OK", "halaman"), ("localhost:8000", "200 OK", "halaman"),
                       ("penyerang.example:8000", "403 Forbidden", denied),
                       ("127.0.0.1:9000", "403 Forbidden", denied), ("", "403 Forbidden", denied)]


# ---------------------------------------------------------------- 2. templates and archive tags


def test_repository_templates_render_in_a_sandbox(tmp_path: Path) -> None:
    from generator.data.errors import LakipError
    from generator.render.templates import environment, render

    sentinel = tmp_path / "DIJALANKAN"
    folder = tmp_path / "kantor" / "site_templates" / "document"
    folder.mkdir(parents=True)
    # the office's own override still works, with lakip's filters
    (folder / "kop.html").write_text("Kop {{ 1250000 | rupiah }} {{ nama }}", encoding="utf-8")
    env = environment(tmp_path / "kantor")
    assert render(env, "document/kop.html", {"nama": "<b>Dinas</b>"}) == (
        "Kop Rp1.250.000 &lt;b&gt;Dinas&lt;/b&gt;")
    for attack in (f'{{{{ cycler.__init__.__globals__.os.system("touch {sentinel}") }}}}',
                   "{{ ''.__class__.__mro__[1].__subclasses__() }}"):
        (folder / "lakip.html").write_text(attack, encoding="utf-8")
        with pytest.raises(LakipError) as refused:
            render(environment(tmp_path / "kantor"), "document/lakip.html", {})
        assert refused.value.pesan.startswith("templat document/lakip.html ditolak atau gagal dirender: "
                                              "access to attribute '__"), refused.value.pesan
    assert not sentinel.exists()


def test_junk_archive_tags_are_findings_and_never_rebuilt_or_listed(office: Office) -> None:
    from generator.git import tags
    from generator.sop.arsip import trusted_tags
    from generator.workflow.archive import verify_archives

    office.run_until(2)
    head = office.run("rev-parse", "HEAD").strip()
    junk = office.commit(office.actors["tim-kerja"], "2026-02-03T10:00:00", "sampah", {
        "site_templates/document/lakip.html": "{{ cycler.__init__.__globals__.os.system('id') }}",
        "arsip/2024/manifest.json": json.dumps({"dokumen": {"lakip-2024.pdf": "0" * 64}})})
    env = actor_env(office.actors["tim-kerja"], f"2026-02-03T10:00:00{WITA}")
    office.run("tag", "-a", "-m", "Arsip LAKIP 2024", "lakip-2024", junk, env=env)
    blob = office.run("rev-parse", f"{junk}:arsip/2024/manifest.json").strip()
    office.run("tag", "lakip-2023", blob)  # a lightweight tag on a blob
    office.run("tag", "-a", "-m", "x", "lakip-2022", blob, env=env)  # an annotated one on a blob
    office.run("reset", "-q", "--hard", head)

    assert trusted_tags(office.root, office.git, tags(office.git)) == []
    found, checked = verify_archives(office.root)
    assert checked == 3
    assert [(t.kode, t.pesan) for t in found] == [
        ("arsip-rusak", "tag lakip-2024 tidak menunjuk commit langkah 11 tahun 2024"),
        ("tag-tidak-sah", "tag lakip-2023 bukan tag beranotasi, bukan commit langkah terakhir"),
        ("tag-tidak-sah", "tag lakip-2022 menunjuk blob, bukan commit langkah terakhir")]


# ---------------------------------------------------------------- 6. Excel forms


def test_excel_text_is_never_a_formula_and_impor_refuses_what_it_cannot_read(sample: Path,
                                                                              tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.conftest import edit

    edit(sample, KOPERASI, "    analisis: >-\n      Jumlah koperasi aktif naik",
         "    analisis: '=HYPERLINK(\"http://contoh.invalid\",\"klik\")'\n    catatan: >-\n"
         "      Jumlah koperasi aktif naik")
    edit(sample, KOPERASI, "    solusi: >-\n      Melanjutkan RAT",
         "    solusi: \"=cmd|' /C calc'!A0\"\n    catatan: >-\n      Melanjutkan RAT")
    form = tmp_path / "koperasi.xlsx"
    assert run("format-data", "--repo", sample, "--bidang", "koperasi", "--out", form).code == 0
    ws = load_workbook(form)["Realisasi"]
    written = {c.value: c.data_type for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith("=")}
    assert written == {'=HYPERLINK("http://contoh.invalid","klik")': "s", "=cmd|' /C calc'!A0": "s"}

    before = (sample / KOPERASI).read_bytes()
    wb = load_workbook(form)
    ws = wb["Realisasi"]
    target = next(c for row in ws.iter_rows() for c in row if c.value == 62.4)
    target.value = "=478/766*100"  # a formula saved without its value (openpyxl, scripts)
    formula = tmp_path / "rumus.xlsx"
    wb.save(formula)
    result = run("impor", "--repo", sample, formula)
    assert (result.code, result.err) == (2, (
        f"lakip: galat: formulir 'rumus.xlsx' ditolak: sel berisi rumus tanpa nilai tersimpan (buka "
        f"dan simpan ulang di Excel atau LibreOffice, atau ketik angkanya langsung): "
        f"Realisasi!{target.coordinate} (petunjuk: buat formulir baru dengan lakip format-data, isi hanya "
        "sel kuning, simpan sebagai .xlsx)\n"))

    wb = load_workbook(form)
    wb["Anggaran"].cell(1048576, 1, "jauh")
    far = tmp_path / "jauh.xlsx"
    wb.save(far)
    assert far.stat().st_size < 50_000
    result = run("impor", "--repo", sample, far)
    assert (result.code, result.err) == (2, (
        "lakip: galat: formulir 'jauh.xlsx' ditolak: lembar Anggaran berisi sel Anggaran!A1048576, jauh di "
        "luar baris 1-5000 dan kolom 1-40 formulir (petunjuk: buat formulir baru dengan lakip format-data, "
        "isi hanya sel kuning, simpan sebagai .xlsx)\n"))
    assert (sample / KOPERASI).read_bytes() == before


def test_control_characters_in_git_metadata_never_crash(office: Office) -> None:
    """Subjects, author names and tag messages are data: the separators lakip's git formats use
    (\\x1e, \\x1f, \\x1d) and line separators in them must not break status, verify or the site."""
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    office.run_until(3)
    odd = "Nama\x1eJahat\x1f\u2028\x1d"
    env = actor_env(office.actors["tim-kerja"], f"{WHEN[4]}{WITA}") | {"GIT_AUTHOR_NAME": odd}
    tree = office.run("write-tree").strip()
    message = (f"LAKIP 2025 \x1f· Langkah 4\x1e {odd}\n\nSOP: lakip\nSOP-Tahun: 2025\nSOP-Langkah: 4\n"
               f"SOP-Keputusan: selesai\x1e\nSOP-Peran: tim-kerja\nSigned-off-by: {odd} <x@contoh.go.id>\n")
    new = office.git.text("commit-tree", tree, "-p", "HEAD", "-F", "-", input=message.encode(),
                          env=env).strip()
    office.run("update-ref", "HEAD", new)
    office.commit(office.actors["tim-kerja"], WHEN[4], f"Data\x1e\x1f {odd}",
                  {"content/2025/narasi/catatan.md": "---\nbagian: lampiran\n---\nIsi.\n"})
    office.run("tag", "-a", "-m", f"Arsip\x1e\x1f {odd}", "lakip-2025", "HEAD", env=env)
    for command in ("status", "verify"):
        result = run(command, "--repo", office.root, "--tahun", "2025")
        assert result.code in (0, 1), (command, result.err)
        assert "galat internal" not in result.err, (command, result.err)
    assert site_data(gather(office.root)).tags == []  # the junk tag is not an archive


def test_a_failed_init_or_demo_leaves_nothing_half_made(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.workflow.scaffold import new_folder

    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError), new_folder(Path("relx")) as folder:  # `lakip demo relx`
        assert folder == tmp_path / "relx"  # absolute: git and key paths never depend on the cwd
        (folder / "content").mkdir()
        (folder / "content" / "instansi.yaml").write_text("nama: x\n", encoding="utf-8")
        raise RuntimeError("gagal di tengah jalan")
    assert not (tmp_path / "relx").exists()
    (tmp_path / "kosong").mkdir()
    with pytest.raises(RuntimeError), new_folder(Path("kosong")) as folder:
        (folder / "README.md").write_text("x", encoding="utf-8")
        raise RuntimeError("gagal di tengah jalan")
    assert list((tmp_path / "kosong").iterdir()) == []  # the empty folder the user gave stays, empty


# ---------------------------------------------------------------- 9. Markdown from the repository


def test_markdown_drops_protocol_relative_links_and_survives_bombs() -> None:
    import time

    from generator.render.templates import markdown_html

    html = markdown_html("[a](//penyerang.example/x) [b](/\\penyerang.example) [c](https://x.go.id) "
                         "[d](bukti/x.pdf) [e](javascript:alert(1))")
    assert str(html) == (
        '<p><a rel="noopener noreferrer">a</a> <a rel="noopener noreferrer">b</a> '
        '<a href="https://x.go.id" rel="noopener noreferrer">c</a> '
        '<a href="bukti/x.pdf" rel="noopener noreferrer">d</a> <a rel="noopener noreferrer">e</a></p>')
    start = time.monotonic()
    for bomb in ("[" * 20000 + "x", "- " * 3000 + "x", ">" * 5000 + " <script>x</script>"):
        assert "<script>" not in str(markdown_html(bomb))
    assert time.monotonic() - start < 5  # Python-Markdown alone: minutes, or RecursionError


def test_a_failing_git_command_is_named_past_its_config_options(tmp_path: Path) -> None:
    from generator.data.errors import Refused
    from generator.git import Git

    with pytest.raises(Refused) as refused:
        Git(tmp_path).run("-c", "gpg.format=ssh", "-c", "user.signingkey=/tidak/ada.pub", "log", "-1")
    assert refused.value.pesan.startswith("git log gagal: fatal: not a git repository")
