"""TTE (issue 13): the final PDF signed as PAdES (PKCS#12 or the BSrE esign-client) and checked:
intact, whole file, trusted chain, the signing step's signer, the approved build's bytes. A real
PKI is made in the test (tests/pki.py); the esign-client is a local HTTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
from pathlib import Path

import pytest

from generator.data.errors import Refused
from generator.render import tte
from tests.conftest import run
from tests.pki import FRASA, Esign, Pki

KADIS_EMAIL = "kadis@example.go.id"
NIK = "6472010101700001"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def small_pdf() -> bytes:
    """A two-page PDF from WeasyPrint with a blank box, like the report's signing block."""
    import weasyprint

    html = ("<html><body><h1>Laporan</h1><p style='break-after: page'>Capaian 57,20%.</p>"
            "<p>Penutup</p><div style='height: 4.5em'></div><p>Nama</p></body></html>")
    return weasyprint.HTML(string=html).render().write_pdf()


KOTAK = tte.Kotak(1, 300, 600, 540, 660)
TAMPILAN = tte.Tampilan("Kepala Uji", "Kepala Dinas", "19700101 200003 1 001", "1 Desember 2026",
                        "LKjIP 2025\nSHA-256 dokumen disetujui: abc")


def _signed(pdf: bytes, p12: Path, footer: bool = True) -> bytes:
    return tte.sign(pdf, tte.load_p12(p12.read_bytes(), FRASA.encode()), KOTAK, TAMPILAN, "Samarinda",
                    footer)


def _harapan(pki: Pki, pdf: bytes, email: str = KADIS_EMAIL, nama: str = "Kepala Uji",
             nik: str | None = None) -> tte.Harapan:
    return tte.Harapan(tuple(tte.load_pem_certificates(pki.root_pem())), nama, email, nik,
                       hashlib.sha256(pdf).hexdigest())


@pytest.fixture(scope="session")
def kadis_p12(pki: Pki) -> Path:
    return pki.signer("kadis", "Kepala Uji", KADIS_EMAIL, NIK)


@pytest.fixture(scope="session")
def signed_small(small_pdf: bytes, kadis_p12: Path) -> bytes:
    return _signed(small_pdf, kadis_p12)


# ---------------------------------------------------------------- the PDF level (fast)


def test_valid_signature_keeps_the_approved_bytes_as_first_revision(pki, small_pdf, signed_small):
    assert signed_small.startswith(small_pdf)
    hasil = tte.periksa(signed_small, _harapan(pki, small_pdf))
    assert hasil.alasan == []
    assert hasil.catatan == ["status pencabutan (OCSP/CRL) tidak diperiksa: pemeriksaan luring"]
    assert (hasil.nama, hasil.email, hasil.nik, hasil.bsre) == ("Kepala Uji", (KADIS_EMAIL,), (NIK,), True)
    assert hasil.sha256_revisi_awal == hashlib.sha256(small_pdf).hexdigest()
    assert abs(hasil.waktu - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_visible_block_and_bsre_footer_are_on_the_pages(tmp_path, signed_small):
    import subprocess

    (tmp_path / "s.pdf").write_bytes(signed_small)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    assert all(tte.FOOTER in page for page in pages if page.strip())
    assert "Ditandatangani secara elektronik oleh:" in pages[1]
    assert "NIP. 19700101 200003 1 001" in pages[1]
    assert "Ditandatangani secara elektronik" not in pages[0]


def test_no_bsre_footer_for_another_issuer(pki, small_pdf):
    other = pki.signer("bukan-bsre", "Kepala Uji", KADIS_EMAIL, bsre=False)
    signer = tte.load_p12(other.read_bytes(), FRASA.encode())
    assert not tte.is_bsre(signer.signing_cert)
    signed = tte.sign(small_pdf, signer, KOTAK, TAMPILAN, "Samarinda", footer=False)
    assert tte.FOOTER.encode() not in signed
    hasil = tte.periksa(signed, _harapan(pki, small_pdf))
    assert hasil.alasan == [] and not hasil.bsre


def test_edited_after_signing(pki, small_pdf, signed_small):
    # one byte inside the signed range (the approved document's own bytes)
    at = len(small_pdf) // 2
    edited = signed_small[:at] + bytes([signed_small[at] ^ 1]) + signed_small[at + 1:]
    hasil = tte.periksa(edited, _harapan(pki, small_pdf))
    assert ("isi berkas tidak cocok dengan tanda tangannya (berkas diubah setelah ditandatangani)"
            in hasil.alasan)


def test_update_appended_after_signing(pki, small_pdf, signed_small):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_small))
    TextStamp(writer, TextStampStyle(stamp_text="Capaian 99,00%%")).apply(0, 50, 700)
    out = io.BytesIO()
    writer.write(out)
    hasil = tte.periksa(out.getvalue(), _harapan(pki, small_pdf))
    assert hasil.alasan == ["berkas diubah setelah ditandatangani (ada revisi sesudah tanda tangan yang "
                            "tidak hanya memelihara tanda tangan)"]


def test_content_changed_in_the_signed_revision(pki, small_pdf, kadis_p12):
    """The signer's own update may add the signature and the footer, nothing a page shows."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(small_pdf))
    TextStamp(writer, TextStampStyle(stamp_text="Capaian 99,00%%")).apply(0, 50, 700)
    out = io.BytesIO()
    writer.write(out)
    signed = _signed(out.getvalue(), kadis_p12)
    hasil = tte.periksa(signed, _harapan(pki, small_pdf))
    assert hasil.alasan == ["revisi 1 mengubah objek 4 dari dokumen yang disetujui",
                            "revisi 1 mengubah isi halaman atau katalog dokumen yang disetujui"]


def test_wrong_signer(pki, small_pdf, signed_small):
    hasil = tte.periksa(signed_small, _harapan(pki, small_pdf, "sekretaris@example.go.id", "Sekretaris Uji"))
    assert hasil.alasan == [f"sertifikat milik Kepala Uji ({KADIS_EMAIL}, {NIK}), bukan penanda tangan "
                            "langkah pengesahan Sekretaris Uji <sekretaris@example.go.id>"]
    # the same person is recognized by NIK when the certificate carries no matching e-mail
    assert tte.periksa(signed_small, _harapan(pki, small_pdf, "lain@example.go.id", nik=NIK)).alasan == []


def test_untrusted_root(pki, small_pdf):
    signed = _signed(small_pdf, pki.signer("asing", "Kepala Uji", KADIS_EMAIL, untrusted=True))
    hasil = tte.periksa(signed, _harapan(pki, small_pdf))
    assert hasil.alasan == ["sertifikat penanda tangan tidak berantai ke akar tepercaya "
                            "(sop/lakip.yaml: tte.akar)"]


def test_expired_certificate(pki, small_pdf):
    signed = _signed(small_pdf, pki.signer("kedaluwarsa", "Kepala Uji", KADIS_EMAIL, expired=True))
    hasil = tte.periksa(signed, _harapan(pki, small_pdf))
    end = (pki.now - dt.timedelta(days=30)).date().isoformat()
    assert hasil.alasan == [f"sertifikat penanda tangan kedaluwarsa: berlaku sampai {end}, ditandatangani "
                            f"{dt.datetime.now(dt.UTC).date().isoformat()}"]


def test_revocation_is_checked_where_the_certificate_names_a_crl(pki, small_pdf):
    from tests.pki import CrlServer

    server = CrlServer()
    revoked = _signed(small_pdf, pki.signer("dicabut", "Kepala Uji", KADIS_EMAIL, crl=server.url))
    valid = _signed(small_pdf, pki.signer("berlaku", "Kepala Uji", KADIS_EMAIL, crl=server.url))
    daring = tte.Harapan(_harapan(pki, small_pdf).akar, "Kepala Uji", KADIS_EMAIL, None,
                         hashlib.sha256(small_pdf).hexdigest(), daring=True)
    server.data = pki.crl(["dicabut"])
    with server:
        hasil = tte.periksa(revoked, daring)
        assert (hasil.alasan, hasil.catatan) == (["sertifikat penanda tangan telah dicabut"], [])
        hasil = tte.periksa(valid, daring)
        assert (hasil.alasan, hasil.catatan) == (
            [], ["status pencabutan diperiksa lewat OCSP/CRL: tidak dicabut"])
    # the CRL service is gone (offline): valid, and the note says revocation was not checked
    hasil = tte.periksa(revoked, daring)
    assert (hasil.alasan, hasil.catatan) == ([], ["status pencabutan tidak dapat diperiksa: layanan OCSP/CRL "
                                                  "yang disebut sertifikat tidak menjawab"])


def test_not_the_approved_build(pki, small_pdf, signed_small):
    other = small_pdf.replace(b"/Producer", b"/Producer", 1) + b"\n% lain\n"
    harapan = _harapan(pki, other)
    hasil = tte.periksa(signed_small, harapan)
    assert hasil.alasan == [f"revisi yang ditandatangani bukan dokumen yang disetujui: SHA-256 revisi awal "
                            f"{hashlib.sha256(small_pdf).hexdigest()[:16]}…, build yang disetujui "
                            f"{harapan.sha256[:16]}…"]


def test_wrong_passphrase_and_not_a_pdf(kadis_p12):
    with pytest.raises(Refused) as e:
        tte.load_p12(kadis_p12.read_bytes(), b"salah")
    assert e.value.pesan == ("berkas PKCS#12 tidak dapat dibuka: frasa sandi salah atau berkas rusak; "
                             "tidak ada berkas yang ditulis")
    hasil = tte.periksa(b"bukan pdf", tte.Harapan((), "x", "x@y.z", None, None))
    assert hasil.alasan[0].startswith("berkas bukan PDF yang dapat dibaca")


# ---------------------------------------------------------------- the repository (lakip tte)

KADIS = "Drs. Ahmad Fauzan Ridwan, M.Si."
KADIS_REPO_EMAIL = "ahmad.fauzan@diskopukmperin.example.go.id"
KADIS_NIK = "6472011203700002"
ANCHOR = "sop/tte/root-ca-uji.pem"


def _with_anchor(office, pki: Pki, nik: bool = False) -> None:
    """Step 8 approved, then the Kepala Dinas (a pengelola) commits the TTE trust anchor into
    sop/ (signed, as every change of the rules must be)."""
    office.run_until(8)
    sop = (office.root / "sop" / "lakip.yaml").read_text(encoding="utf-8")
    files = {ANCHOR: pki.root_pem().decode(), "sop/lakip.yaml": sop + f"tte:\n  akar:\n    - {ANCHOR}\n"}
    if nik:
        roster = (office.root / "sop" / "personil.yaml").read_text(encoding="utf-8")
        line = f"    email: {KADIS_REPO_EMAIL}\n"
        files["sop/personil.yaml"] = roster.replace(line, line + f'    nik: "{KADIS_NIK}"\n', 1)
    office.commit(office.actors["kepala-dinas"], "2026-02-11T11:00:00", "TTE: akar kepercayaan", files,
                  sign=True)


@pytest.fixture
def ready(office, pki):
    office.prepared("tte-akar", lambda o: _with_anchor(o, pki, nik=True))
    return office


@pytest.fixture(scope="session")
def repo_p12(pki: Pki) -> Path:
    return pki.signer("kadis-repo", KADIS, KADIS_REPO_EMAIL, KADIS_NIK)


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode() + b"\n")))


def _files_containing(folder: Path, secret: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink() and secret in p.read_bytes()]


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_tte_p12_end_to_end(ready, repo_p12, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", ready.root, "--p12", repo_p12, "--frasa-stdin", "--out", out)
    assert result.code == 0, result.err
    signed = out / "lakip-2025-tte.pdf"
    assert result.out.startswith(f"PDF bertanda tangan elektronik ditulis: {signed} (oleh {KADIS}; revisi "
                                 "awal = build yang disetujui, SHA-256 ")
    # the first revision is what `lakip build` makes of HEAD
    assert run("build", "--repo", ready.root, "--format", "pdf", "--out", tmp_path / "b").code == 0
    assert signed.read_bytes().startswith((tmp_path / "b" / "lakip-2025.pdf").read_bytes())
    # the passphrase is in no output and no file (repository, output, home, caches)
    for text in (result.out, result.err):
        assert FRASA not in text
    assert _files_containing(tmp_path, FRASA.encode()) == []
    checked = run("tte", "--repo", ready.root, "--periksa", signed, "--luring")
    assert checked.code == 0, checked.out
    assert checked.out.startswith(f"TTE sah: {signed} ditandatangani oleh {KADIS} ({KADIS_REPO_EMAIL}) pada ")
    assert checked.out.rstrip().endswith(
        "revisi yang ditandatangani = build yang disetujui (build HEAD (FINAL)).")
    assert checked.err == "catatan: status pencabutan (OCSP/CRL) tidak diperiksa: pemeriksaan luring\n"
    # a PDF signed by someone else is reported with its reason
    other = tte.periksa(signed.read_bytes(), tte.Harapan(tuple(tte.load_pem_certificates(
        pki_root(ready))), "Sekretaris", "sekretaris@x.go.id", None, None))
    assert any(a.startswith("sertifikat milik ") for a in other.alasan)


def pki_root(office) -> bytes:
    return (office.root / ANCHOR).read_bytes()


def test_an_account_in_the_bsre_address_is_refused_and_never_shown(ready, monkeypatch):
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", ready.root, "--bsre", "http://esign:rahasia-server@127.0.0.1:9/",
                 "--frasa-stdin")
    assert (result.code, result.out) == (2, "")
    assert result.err == ("lakip: galat: --bsre tidak boleh memuat akun (nama pengguna atau sandi sebelum "
                          "'@'): 'http://127.0.0.1:9/'; berikan akun esign-client lewat variabel lingkungan "
                          "LAKIP_BSRE_PENGGUNA dan LAKIP_BSRE_SANDI\n")


def test_passphrase_is_never_an_argument(ready, repo_p12):
    for wrong, count in ((("--frasa", FRASA), 2), (("--frasa-stdin", FRASA), 1), ((FRASA,), 1)):
        result = run("tte", "--repo", ready.root, "--p12", repo_p12, *wrong)
        assert result.code == 2
        assert FRASA not in result.out + result.err
        assert result.err.endswith(f"lakip: galat: argumen tidak dikenal untuk tte ({count} argumen, "
                                   "isinya tidak ditampilkan); frasa sandi tidak pernah diberikan sebagai "
                                   "argumen: ketik di terminal atau gunakan --frasa-stdin\n")


def test_wrong_passphrase_writes_nothing(ready, repo_p12, tmp_path, monkeypatch):
    _stdin(monkeypatch, "salah")
    result = run("tte", "--repo", ready.root, "--p12", repo_p12, "--frasa-stdin", "--out", tmp_path / "out")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("lakip: galat: berkas PKCS#12 tidak dapat dibuka: frasa sandi salah atau berkas "
                          "rusak; tidak ada berkas yang ditulis\n")
    assert not (tmp_path / "out").exists()


def test_no_terminal_and_no_frasa_stdin(ready, repo_p12, tmp_path, monkeypatch):
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", ready.root, "--p12", repo_p12, "--out", tmp_path / "out")
    assert result.code == 2
    assert result.err == ("lakip: galat: frasa sandi ditanyakan di terminal, tetapi standard input bukan "
                          "terminal; gunakan --frasa-stdin untuk membacanya dari standard input\n")


def test_refused_before_the_signing_step(office, pki, repo_p12, tmp_path, monkeypatch):
    office.run_until(7)
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", office.root, "--p12", repo_p12, "--frasa-stdin", "--out", tmp_path / "out")
    assert result.code == 1
    assert result.err.startswith("lakip: galat: dokumen 2025 belum FINAL, TTE tidak dibuat: ")
    assert not (tmp_path / "out").exists()


def test_refused_without_trust_anchor(office, repo_p12, tmp_path, monkeypatch):
    office.run_until(8)
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", office.root, "--p12", repo_p12, "--frasa-stdin", "--out", tmp_path / "out")
    assert result.code == 1
    assert result.err == ("lakip: galat: akar kepercayaan TTE belum diatur: tambahkan di sop/lakip.yaml, "
                          "misalnya 'tte: {akar: [sop/tte/root-ca-indonesia-ds-g1.pem, "
                          "sop/tte/bsre-ca-ds-g1.pem]}' (lihat docs/tte.md)\n")


def test_someone_elses_certificate_is_refused_and_nothing_written(ready, pki, tmp_path, monkeypatch):
    sekretaris = pki.signer("sekretaris", "Bambang", "bambang.setiawan@diskopukmperin.example.go.id")
    _stdin(monkeypatch, FRASA)
    result = run("tte", "--repo", ready.root, "--p12", sekretaris, "--frasa-stdin", "--out", tmp_path / "out")
    assert result.code == 1
    assert result.err == (
        f"lakip: galat: sertifikat di {sekretaris} milik Bambang (bambang.setiawan@diskopukmperin.example."
        f"go.id), bukan penanda tangan langkah pengesahan {KADIS} <{KADIS_REPO_EMAIL}>; tidak ada berkas "
        "yang ditulis\n")
    assert not (tmp_path / "out" / "lakip-2025-tte.pdf").exists()


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_tte_through_the_bsre_esign_client(ready, repo_p12, tmp_path, monkeypatch):
    monkeypatch.setenv("LAKIP_BSRE_PENGGUNA", "esign")
    monkeypatch.setenv("LAKIP_BSRE_SANDI", "rahasia-server")
    with Esign({KADIS_NIK: repo_p12}, via_id=True) as server:
        _stdin(monkeypatch, FRASA)
        result = run("tte", "--repo", ready.root, "--bsre", server.url, "--frasa-stdin",
                     "--out", tmp_path / "out")
        assert result.code == 0, result.err
        assert server.frasa_diterima == [FRASA]
        sent = server.diterima[0]
        assert {k: sent[k] for k in ("nik", "tampilan", "image", "berkas")} == {
            "nik": KADIS_NIK, "tampilan": "visible", "image": "true", "berkas": ["file", "imageTTD"]}
        assert int(sent["page"]) > 1 and int(sent["width"]) > 200 and int(sent["height"]) > 40
        # a wrong passphrase: the esign-client's own message, nothing written
        _stdin(monkeypatch, "salah")
        refused = run("tte", "--repo", ready.root, "--bsre", server.url, "--frasa-stdin",
                      "--out", tmp_path / "out2")
        assert refused.code == 1
        assert refused.err.splitlines()[-1] == (
            "lakip: galat: esign-client menolak (HTTP 400, kode 2031): Passphrase anda salah; tidak ada "
            "berkas yang ditulis")
        assert not (tmp_path / "out2" / "lakip-2025-tte.pdf").exists()
    signed = (tmp_path / "out" / "lakip-2025-tte.pdf").read_bytes()
    assert tte.FOOTER.encode() in signed  # the BSrE footer went in before the esign-client signed
    checked = run("tte", "--repo", ready.root, "--periksa", tmp_path / "out" / "lakip-2025-tte.pdf",
                  "--luring", "--json")
    assert checked.code == 0, checked.out
    assert '"sah": true' in checked.out and '"bsre": true' in checked.out
    assert FRASA not in result.out + result.err + refused.out + refused.err
    assert _files_containing(tmp_path, FRASA.encode()) == []


def test_validate_checks_the_trust_anchor_paths(sample: Path):
    from tests.conftest import position

    sop = sample / "sop" / "lakip.yaml"
    sop.write_text(sop.read_text(encoding="utf-8") + "tte:\n  akar:\n    - sop/tte/tidak-ada.pem\n"
                   "    - content/akar.pem\n", encoding="utf-8")
    line, col = position(sample, "sop/lakip.yaml", "sop/tte/tidak-ada.pem")
    result = run("validate", "--repo", sample)
    assert result.code == 1
    assert [x for x in result.lines if "tte-akar" in x or "akar TTE" in x] == [
        f"sop/lakip.yaml:{line}:{col}: galat: berkas akar TTE 'sop/tte/tidak-ada.pem' tidak ada (petunjuk: "
        "periksa jalurnya: relatif dari akar repositori, misalnya sop/tte/bsre-ca-ds-g1.pem)",
        f"sop/lakip.yaml:{line + 1}:{col}: galat: akar TTE 'content/akar.pem' harus berkas di dalam folder "
        "sop/ (petunjuk: simpan sertifikat akar (PEM) di sop/tte/ dan tulis jalurnya, misalnya "
        "sop/tte/root-ca-indonesia-ds-g1.pem)"]


def test_site_shows_the_tte_of_the_final_document(ready, repo_p12, small_pdf, tmp_path):
    """The Dokumen page says who signed the final PDF and when, after checking it against the
    PDF that build wrote beside it; a signed PDF that does not match is shown as not valid."""
    from generator.render import site
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    dok = tmp_path / "dok"
    dok.mkdir()
    (dok / "lakip-2025.pdf").write_bytes(small_pdf)  # stands for the build of the approved content
    signed = _signed(small_pdf, repo_p12)
    (dok / "lakip-2025-tte.pdf").write_bytes(signed)

    def dokumen_page() -> str:
        pages = tmp_path / "halaman"
        site.write(site_data(gather(ready.root, 2025), dok), pages)
        return (pages / "dokumen.md").read_text(encoding="utf-8")

    page = dokumen_page()
    # the signing time as the signature states it (periksa reports it whatever else it finds)
    when = tte.periksa(signed, tte.Harapan((), "", "", None, None)).waktu.astimezone(
        dt.timezone(dt.timedelta(hours=8)))
    from generator.figures.formats import tanggal

    assert (f'<p id="tte"><span class="lk-lencana lk-selesai">TTE</span> PDF final ditandatangani secara '
            f"elektronik oleh {KADIS} ({KADIS_REPO_EMAIL}) pada {tanggal(when)} pukul "
            f"{when:%H.%M} WITA; tanda tangan utuh, sertifikat berantai ke akar tepercaya, dan isinya sama "
            "dengan dokumen yang disahkan.</p>") in page
    assert '<a href="unduh/lakip-2025-tte.pdf">Unduh PDF bertanda tangan elektronik (TTE)</a>' in page
    (dok / "lakip-2025.pdf").write_bytes(small_pdf + b"\n% dibangun ulang dari konten lain\n")
    page = dokumen_page()
    assert ('<span class="lk-lencana lk-draf">TTE tidak sah</span> PDF bertanda tangan elektronik tidak '
            "lolos pemeriksaan: revisi yang ditandatangani bukan dokumen yang disetujui") in page



@pytest.mark.slow
def test_demo_with_tte(demo, git_home):
    target, result = demo  # the session's `lakip demo --tte`, which these commands only read
    assert result.code == 0, result.err
    assert ("TTE: PDF final ditandatangani elektronik (sertifikat uji) oleh Drs. Ahmad Fauzan Ridwan, M.Si."
            in result.err)
    signed = target / "arsip" / "2025" / "lakip-2025-tte.pdf"  # stored by step 11
    assert signed.read_bytes() == (target / ".git" / "lakip-demo" / "lakip-2025-tte.pdf").read_bytes()
    checked = run("tte", "--repo", target, "--periksa", signed)
    assert checked.code == 0, checked.out
    assert checked.out.rstrip().endswith("revisi yang ditandatangani = build yang disetujui (manifest arsip "
                                         "lakip-2025).")
    assert run("verify", "--repo", target).code == 0
    # `verify --arsip` of this archive, its TTE included, passes with no finding in
    # test_archive.py::test_demo_verifies_without_harfbuzz_subset_and_with_only_dejavu (on
    # another machine's fonts, the harder case): one rebuild of the demo's year per test run.
    assert tte.FOOTER.encode() not in signed.read_bytes()  # a test certificate is not BSrE's


# ---------------------------------------------------------------- the archive (step 11, verify --arsip)

TANDA_TERIMA = """
tanda_terima:
  tanggal: 2026-02-12
  penerima: Rahmawati, S.Sos.
"""


def _archived_with_tte(office, pki: Pki, p12: Path) -> None:
    """Anchor committed after step 8, the TTE signed, steps 9 and 10, then step 11 stores it."""
    from generator.workflow.archive import archive
    from generator.workflow.demo import WITA, actor_env
    from generator.workflow.tte import tanda_tangani

    _with_anchor(office, pki, nik=True)
    signed = tanda_tangani(office.root, 2025, office.root.parent / "keluaran", frasa=FRASA.encode(),
                           p12=p12).path
    office.step(9)
    path = office.root / "content/2025/pengiriman.yaml"
    path.write_text(path.read_text(encoding="utf-8") + TANDA_TERIMA, encoding="utf-8")
    office.run("add", "content/2025/pengiriman.yaml")
    office.step(10)
    archive(office.root, 2025, "Arsip dengan TTE", tte=signed,
            env=actor_env(office.actors["tim-kerja"], "2026-02-12T09:40:00" + WITA))


@pytest.fixture
def archived_tte(office, pki, repo_p12):
    office.prepared("tte-arsip", lambda o: _archived_with_tte(o, pki, repo_p12))
    return office


@pytest.mark.slow
@pytest.mark.usefixtures("rendered_once")
def test_archive_stores_the_tte_and_verify_arsip_checks_it(archived_tte, pki, tmp_path):
    import json

    from generator.workflow.archive import check_archives
    from generator.workflow.tte import temuan_arsip

    root = archived_tte.root
    manifest = json.loads((root / "arsip/2025/manifest.json").read_text(encoding="utf-8"))
    stored = (root / "arsip/2025/lakip-2025-tte.pdf").read_bytes()
    assert manifest["tambahan"]["lakip-2025-tte.pdf"] == {"jenis": "tte",
                                                          "sha256": hashlib.sha256(stored).hexdigest()}
    assert manifest["tte"]["oleh"] == {"nama": KADIS, "email": [KADIS_REPO_EMAIL]}
    assert stored.startswith((root / "arsip/2025/lakip-2025.pdf").read_bytes())
    assert check_archives(root, rebuild=False).temuan == []
    # the site's Arsip page says who signed the stored TTE and when
    from generator.render import site
    from generator.workflow.mkdocs_plugin import site_data
    from generator.workflow.snapshot import gather

    site.write(site_data(gather(root, 2025)), tmp_path / "halaman")
    page = (tmp_path / "halaman" / "arsip.md").read_text(encoding="utf-8")
    assert ('<p id="tte-2025"><span class="lk-lencana lk-selesai">TTE</span> '
            "<code>lakip-2025-tte.pdf</code> ditandatangani secara elektronik oleh "
            f"{KADIS} ({KADIS_REPO_EMAIL}) pada ") in page
    commit = archived_root_commit(archived_tte)

    from generator.sop.progress import progress
    from generator.workflow.tte import periksa_arsip

    state = progress(root, 2025, rev=commit)

    def reasons(data: bytes) -> list[str]:
        """verify --arsip's check of a stored TTE, on `data` in its place (replacing the stored
        file itself would first be arsip-diubah or tag-dipindah: the check is exercised here)."""
        return periksa_arsip(root, commit, state, data, manifest["dokumen"]["lakip-2025.pdf"]).alasan

    assert temuan_arsip(root, "lakip-2025", commit, manifest) == []
    approved = (root / "arsip/2025/lakip-2025.pdf").read_bytes()
    at = len(approved) // 3
    edited = stored[:at] + bytes([stored[at] ^ 1]) + stored[at + 1:]
    found = reasons(edited)
    assert found[0] == "isi berkas tidak cocok dengan tanda tangannya (berkas diubah setelah ditandatangani)"
    assert found[1].startswith("revisi yang ditandatangani bukan dokumen yang disetujui: ")
    assert len(found) == 2
    sekretaris = pki.signer("sekretaris-arsip", "Bambang", "bambang.setiawan@diskopukmperin.example.go.id")
    wrong = _signed(approved, sekretaris)
    assert reasons(wrong) == ["sertifikat milik Bambang (bambang.setiawan@diskopukmperin.example.go.id), "
                              f"bukan penanda tangan langkah pengesahan {KADIS} <{KADIS_REPO_EMAIL}>"]
    untrusted = _signed(approved, pki.signer("asing-arsip", KADIS, KADIS_REPO_EMAIL, untrusted=True))
    assert reasons(untrusted) == ["sertifikat penanda tangan tidak berantai ke akar tepercaya "
                                  "(sop/lakip.yaml: tte.akar)"]
    expired = _signed(approved, pki.signer("lama-arsip", KADIS, KADIS_REPO_EMAIL, expired=True))
    assert reasons(expired)[0].startswith("sertifikat penanda tangan kedaluwarsa: berlaku sampai ")
    other = _signed(approved + b"\n% bukan build yang disetujui\n",
                    pki.signer("kadis-2", KADIS, KADIS_REPO_EMAIL))
    assert reasons(other)[0].startswith("revisi yang ditandatangani bukan dokumen yang disetujui: ")


def archived_root_commit(office) -> str:
    return office.run("rev-parse", "lakip-2025^{commit}").strip()
