"""TTE (tanda tangan elektronik): the final LKjIP signed as PAdES with pyHanko, and the check of a
signed PDF (DESIGN §6 `lakip tte`, §7 "TTE"; issue 13).

The signature is an incremental update of the approved build: the file's first revision is
byte for byte the PDF that `lakip build` makes from the approved commit, and everything after it
is what signing adds (the signature field with its visible block and, for a BSrE certificate, the
standard footer as annotations). `periksa` checks exactly that: the signature is intact and
covers the whole file (later updates only for signature maintenance), the signer's certificate
chains to the office's trust anchors, the certificate belongs to the expected person, the first
revision hashes to the approved build, and no revision up to the signed one touched what a page
shows (its content streams, resources or the page list).

Pure apart from pyHanko; no file or network access here (the workflow reads files and talks to
the esign-client)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

from generator.data.errors import Refused

FIELD = "TTE-LKjIP"
# The sentence BSrE asks documents signed with its certificates to carry (Perban BSSN on the
# visual of an electronic signature); printed at the foot of every page when the signer's
# certificate is issued by BSrE.
FOOTER = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
          "yang diterbitkan oleh BSrE, BSSN")
# An issuer whose distinguished name names one of these is BSrE's (its CA "BSrE CA DS G1", its
# operator "Badan Siber dan Sandi Negara").
BSRE_ISSUER = re.compile(r"BSrE|Balai Sertifikasi Elektronik|Badan Siber dan Sandi Negara", re.I)
_NIK = re.compile(r"(?<!\d)(\d{16})(?!\d)")


@dataclass(frozen=True)
class Kotak:
    """Where the visible signature goes: page index (0 = first page) and the rectangle in PDF
    points from the page's lower-left corner (x0, y0, x1, y1)."""

    halaman: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (round(self.x0), round(self.y0), round(self.x1), round(self.y1))


@dataclass(frozen=True)
class Tampilan:
    """The text of the visible signature block and the QR code's content (the verification
    reference: where and how to check this document)."""

    nama: str
    jabatan: str
    nip: str  # formatted, "19700101 200003 1 001"
    tanggal: str  # formatted, "27 November 2026"
    rujukan: str

    def teks(self) -> str:
        return (f"Ditandatangani secara elektronik oleh:\n{self.nama}\n{self.jabatan}\n"
                f"NIP. {self.nip}\n{self.tanggal}")


# ---------------------------------------------------------------- certificates


def load_p12(data: bytes, frasa: bytes):
    """A pyHanko signer from a PKCS#12 file's bytes. Raises Refused when the passphrase is wrong
    or the file is not PKCS#12 (the library cannot tell the two apart)."""
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=frasa or None)
    except (ValueError, TypeError):
        raise Refused("berkas PKCS#12 tidak dapat dibuka: frasa sandi salah atau berkas rusak; "
                      "tidak ada berkas yang ditulis") from None


def is_bsre(cert) -> bool:
    """Whether an asn1crypto certificate was issued by BSrE (its issuer names BSrE or BSSN)."""
    return bool(BSRE_ISSUER.search(cert.issuer.human_friendly))


def identitas(cert) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The e-mail addresses (subject emailAddress and SAN rfc822Name, lower case) and the NIKs
    (16 digits in the subject's serialNumber or commonName) of an asn1crypto certificate."""
    subject = cert.subject.native
    emails = []
    for key in ("email_address",):
        value = subject.get(key)
        emails += value if isinstance(value, list) else [value] if value else []
    try:
        san = cert.subject_alt_name_value
    except ValueError:
        san = None
    for name in san or ():
        if name.name == "rfc822_name":
            emails.append(name.native)
    niks = []
    for key in ("serial_number", "common_name"):
        value = subject.get(key)
        for text in value if isinstance(value, list) else [value] if value else []:
            niks += _NIK.findall(str(text))
    return (tuple(dict.fromkeys(e.strip().lower() for e in emails if e)), tuple(dict.fromkeys(niks)))


def load_pem_certificates(data: bytes):
    """Every certificate in a PEM (or a single DER) file, as asn1crypto certificates. Raises
    ValueError when there is none."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        certs = [x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
                 if kind == "CERTIFICATE"]
    else:
        certs = [x509.Certificate.load(data)]
        certs[0].native  # noqa: B018 -- parse now: a broken DER raises here, not later
    if not certs:
        raise ValueError("tidak ada sertifikat")
    return certs


# ---------------------------------------------------------------- signing


def _stamp_style():
    from pyhanko.stamp import QRStampStyle

    return QRStampStyle(stamp_text="%(teks)s", border_width=0, background=None)


def tambah_footer(writer) -> None:
    """The BSrE footer at the foot of every page, as a locked, printable FreeText annotation with
    its own appearance: the pages' content is not touched (`periksa` checks that)."""
    from pyhanko.pdf_utils import generic

    font = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding")})
    font_ref = writer.add_object(font)
    size, height = 6.5, 12.0
    for index in range(_page_count(writer)):
        page_ref, _ = writer.find_page_for_modification(index)
        page = page_ref.get_object()
        x0, y0, x1, _ = (float(v) for v in page["/MediaBox"])
        width = x1 - x0
        text_width = _helvetica_width(FOOTER, size)
        left = max(4.0, (width - text_width) / 2)
        text = FOOTER.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        stream = generic.StreamObject({
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                [generic.FloatObject(0), generic.FloatObject(0), generic.FloatObject(width),
                 generic.FloatObject(height)]),
            generic.NameObject("/Resources"): generic.DictionaryObject({
                generic.NameObject("/Font"): generic.DictionaryObject(
                    {generic.NameObject("/Helv"): font_ref})})},
            stream_data=b"BT /Helv %.1f Tf 0.3 g %.2f 3 Td (%s) Tj ET" % (size, left, text))
        rect = [x0, y0 + 10, x1, y0 + 10 + height]
        annot = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
            generic.NameObject("/Contents"): generic.TextStringObject(FOOTER),
            generic.NameObject("/DA"): generic.TextStringObject("/Helv 6.5 Tf 0.3 g"),
            # Print (4) + ReadOnly (64) + Locked (128): shown and printed, not editable
            generic.NameObject("/F"): generic.NumberObject(4 | 64 | 128),
            generic.NameObject("/P"): page_ref,
            generic.NameObject("/AP"): generic.DictionaryObject(
                {generic.NameObject("/N"): writer.add_object(stream)})})
        writer.register_annotation(page_ref, writer.add_object(annot))


def _page_count(writer) -> int:
    return int(writer.root["/Pages"]["/Count"])


def _helvetica_width(text: str, size: float) -> float:
    # Helvetica advance widths (AFM, per 1000 em) of the characters the footer uses; others 556.
    widths = {" ": 278, ",": 278, ".": 278, "B": 667, "D": 722, "E": 667, "N": 722, "S": 667,
              "r": 333, "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556,
              "h": 556, "i": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556,
              "s": 500, "t": 278, "u": 556, "y": 500}
    return sum(widths.get(c, 556) for c in text) * size / 1000


def sign(pdf: bytes, signer, kotak: Kotak, tampilan: Tampilan, lokasi: str,
         footer: bool) -> bytes:
    """`pdf` signed as PAdES (B-B, SHA-256) by `signer` (a pyHanko signer), with the visible
    block (QR code + `tampilan.teks()`) in `kotak`, in one incremental update; with `footer` the
    BSrE footer on every page in the same update. The original bytes stay the file's prefix."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if footer:
        tambah_footer(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason="Pengesahan Laporan Kinerja Instansi Pemerintah", location=lokasi, name=tampilan.nama)
    pdf_signer = signers.PdfSigner(
        meta, signer, stamp_style=_stamp_style(),
        new_field_spec=fields.SigFieldSpec(FIELD, on_page=kotak.halaman, box=kotak.box))
    out = pdf_signer.sign_pdf(writer, appearance_text_params={"url": tampilan.rujukan,
                                                              "teks": tampilan.teks()})
    return out.getvalue()


def with_footer(pdf: bytes) -> bytes:
    """`pdf` with the BSrE footer added as one incremental update (before it goes to the
    esign-client, which signs in a further update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    tambah_footer(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_png(tampilan: Tampilan, width: float, height: float) -> bytes:
    """The visible block as a PNG (QR code left, text right), for the esign-client's `imageTTD`:
    the esign-client draws the image it is given. `width`/`height` in PDF points; drawn at 4x."""
    import cairosvg
    import qrcode
    import qrcode.image.svg
    from markupsafe import escape

    qr = qrcode.make(tampilan.rujukan, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    path = qr.path.get("d") if hasattr(qr, "path") else ""
    modules = qr.width + 2 * qr.border
    side = height
    lines = tampilan.teks().split("\n")
    size = min(height / (len(lines) + 1), 7.5)
    text = "".join(f'<text x="{side + 4:.1f}" y="{(i + 1) * size * 1.2 + 1:.1f}">{escape(line)}</text>'
                   for i, line in enumerate(lines))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * 4:.0f}" height="{height * 4:.0f}" '
           f'viewBox="0 0 {width:.1f} {height:.1f}">'
           f'<g transform="scale({side / modules:.5f})"><path d="{path}" fill="#000"/></g>'
           f'<g font-family="Helvetica, Arial, sans-serif" font-size="{size:.1f}" fill="#000">{text}</g>'
           "</svg>")
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), unsafe=False)


# ---------------------------------------------------------------- checking


@dataclass
class Hasil:
    """What `periksa` found. `alasan` lists why the TTE is not valid (empty: valid); `catatan`
    what was not checked (revocation offline). The rest describes the signature for the
    report and the site."""

    alasan: list[str] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)
    nama: str | None = None  # the certificate's common name
    email: tuple[str, ...] = ()
    nik: tuple[str, ...] = ()
    penerbit: str | None = None
    bsre: bool = False
    waktu: dt.datetime | None = None  # signing time as the signer's software stated it
    sha256_revisi_awal: str | None = None

    @property
    def sah(self) -> bool:
        return not self.alasan


@dataclass(frozen=True)
class Harapan:
    """What a valid TTE of this document must show: the trust anchors (asn1crypto certificates),
    the step-8 signer (name, e-mail, NIK when the roster has it) and the approved build's SHA-256
    (None: not checked, with a note)."""

    akar: tuple
    nama: str
    email: str
    nik: str | None
    sha256: str | None
    daring: bool = False  # may fetch OCSP/CRL over the network


def periksa(pdf: bytes, harapan: Harapan, now: dt.datetime | None = None) -> Hasil:
    """Check a signed PDF against `harapan`; every failing check adds its reason (Indonesian) to
    `Hasil.alasan`. Never raises on a bad file: an unreadable PDF is a reason too."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    hasil = Hasil()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = [s for s in reader.embedded_signatures if s.sig_object.get("/Type") != "/DocTimeStamp"]
    except Exception as e:  # pyHanko raises many types on a broken file
        hasil.alasan.append(f"berkas bukan PDF yang dapat dibaca ({type(e).__name__})")
        return hasil
    if not signatures:
        hasil.alasan.append("berkas tidak memuat tanda tangan elektronik")
        return hasil
    sig = signatures[0]
    cert = sig.signer_cert
    hasil.nama = cert.subject.native.get("common_name") if cert else None
    hasil.email, hasil.nik = identitas(cert) if cert else ((), ())
    hasil.penerbit = cert.issuer.human_friendly if cert else None
    hasil.bsre = bool(cert and is_bsre(cert))
    claimed = sig.self_reported_timestamp
    hasil.waktu = claimed
    now = now or dt.datetime.now(dt.UTC)
    # Without a trusted timestamp the signing time is the signer's claim; the chain is judged at
    # that moment (a certificate that expired since still verifies an old archive), and a claim
    # in the future is itself a reason.
    moment = claimed if claimed and claimed <= now else now
    if claimed and claimed > now + dt.timedelta(minutes=5):
        hasil.alasan.append(f"waktu penandatanganan {claimed.isoformat()} ada di masa depan")
    daring = harapan.daring and cert is not None and _has_revocation_urls(cert)

    def validate(mode: str, fetch: bool):
        context = ValidationContext(trust_roots=list(harapan.akar), allow_fetching=fetch,
                                    revocation_mode=mode, moment=moment, best_signature_time=moment)
        return validate_pdf_signature(sig, context)

    revocation = "status pencabutan (OCSP/CRL) tidak diperiksa: pemeriksaan luring"
    try:
        if daring:
            # "hard-fail": every certificate that names an OCSP/CRL service is checked there; when
            # that fails for want of an answer (not a revocation), judge the rest without it
            status = validate("hard-fail", True)
            revocation = "status pencabutan diperiksa lewat OCSP/CRL: tidak dicabut"
            if not status.trusted and not status.revoked:
                soft = validate("soft-fail", False)
                if soft.trusted:
                    status = soft
                    revocation = ("status pencabutan tidak dapat diperiksa: layanan OCSP/CRL yang disebut "
                                  "sertifikat tidak menjawab")
        else:
            status = validate("soft-fail", False)
            if harapan.daring:
                revocation = "sertifikat tidak menyebut layanan OCSP/CRL: status pencabutan tidak diperiksa"
    except (SignatureValidationError, ValueError, KeyError) as e:
        hasil.alasan.append(f"tanda tangan tidak dapat divalidasi: {e}")
        return hasil
    if not status.intact:
        hasil.alasan.append("isi berkas tidak cocok dengan tanda tangannya (berkas diubah setelah "
                            "ditandatangani)")
    elif not status.valid:
        hasil.alasan.append("tanda tangan kriptografis tidak sah")
    coverage_ok = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level is not None
        and status.modification_level.name == "LTA_UPDATES")
    if status.intact and not coverage_ok:
        hasil.alasan.append("berkas diubah setelah ditandatangani (ada revisi sesudah tanda tangan "
                            "yang tidak hanya memelihara tanda tangan)")
    if status.intact and status.valid and not status.trusted:  # a broken signature says enough
        hasil.alasan.append(_trust_reason(status, cert, moment))
    if cert is not None and not _is_signer(hasil, harapan):
        owner = ", ".join((*hasil.email, *hasil.nik)) or "tanpa e-mail atau NIK"
        hasil.alasan.append(f"sertifikat milik {hasil.nama or '?'} ({owner}), bukan penanda tangan "
                            f"langkah pengesahan {harapan.nama} <{harapan.email}>")
    revision = sig.signed_revision
    hasil.sha256_revisi_awal, boundary = _first_revision(pdf, reader)
    if harapan.sha256 is None:
        hasil.catatan.append("kecocokan dengan dokumen yang disetujui tidak diperiksa (hash build "
                             "yang disetujui tidak tersedia)")
    elif hasil.sha256_revisi_awal != harapan.sha256:
        hasil.alasan.append("revisi yang ditandatangani bukan dokumen yang disetujui: SHA-256 revisi "
                            f"awal {(hasil.sha256_revisi_awal or '?')[:16]}…, build yang disetujui "
                            f"{harapan.sha256[:16]}…")
    if boundary is not None:
        hasil.alasan += _changes(reader, revision)
    if not status.revoked:
        hasil.catatan.append(revocation)
    return hasil


def _has_revocation_urls(cert) -> bool:
    try:
        return bool(cert.ocsp_urls or cert.crl_distribution_points)
    except ValueError:
        return False


def _is_signer(hasil: Hasil, harapan: Harapan) -> bool:
    return harapan.email.lower() in hasil.email or bool(harapan.nik and harapan.nik in hasil.nik)


def _trust_reason(status, cert, moment: dt.datetime) -> str:
    indic = getattr(status.trust_problem_indic, "name", "") or ""
    if status.revoked:
        return "sertifikat penanda tangan telah dicabut"
    if cert is not None:
        start, end = cert["tbs_certificate"]["validity"]["not_before"].native, \
            cert["tbs_certificate"]["validity"]["not_after"].native
        if moment > end:
            return (f"sertifikat penanda tangan kedaluwarsa: berlaku sampai {end.date().isoformat()}, "
                    f"ditandatangani {moment.date().isoformat()}")
        if moment < start:
            return (f"sertifikat penanda tangan belum berlaku saat penandatanganan: mulai "
                    f"{start.date().isoformat()}, ditandatangani {moment.date().isoformat()}")
    if "EXPIRED" in indic or "OUT_OF_BOUNDS" in indic:
        return "sertifikat penanda tangan atau penerbitnya kedaluwarsa"
    if "REVOKED" in indic:
        return "sertifikat dalam rantai telah dicabut"
    return ("sertifikat penanda tangan tidak berantai ke akar tepercaya (sop/lakip.yaml: tte.akar)"
            + (f" [{indic}]" if indic and "NO_CERTIFICATE_CHAIN" not in indic else ""))


def _first_revision(pdf: bytes, reader) -> tuple[str | None, int | None]:
    """The SHA-256 of the file's first revision (the bytes up to and including its `%%EOF` line)
    and where it ends; (None, None) when the file has a single revision."""
    try:
        if reader.xrefs.total_revisions < 2:
            return hashlib.sha256(pdf).hexdigest(), None
        start = reader.xrefs.get_startxref_for_revision(1)
    except Exception:
        return None, None
    # the first revision ends at the last %%EOF (and its line end) before the second's xref
    end = pdf.rfind(b"%%EOF", 0, start)
    if end < 0:
        return None, None
    end += 5
    while end < len(pdf) and pdf[end:end + 1] in (b"\r", b"\n") and end < start:
        end += 1
    # an update may start right after %%EOF without a line end: try the likely boundaries
    candidates = {end, pdf.rfind(b"%%EOF", 0, start) + 5}
    hashes = {c: hashlib.sha256(pdf[:c]).hexdigest() for c in candidates}
    best = max(candidates)
    return hashes[best], best


_ALLOWED_CATALOG = {"/AcroForm", "/Metadata", "/Perms", "/DSS", "/Extensions", "/Version"}


def _changes(reader, signed_revision: int) -> list[str]:
    """Reasons why a revision after the first, up to the signed one, changed what a page shows:
    an object of the first revision modified other than the catalog's form/metadata entries, a
    page's `/Annots`, the document information; an object freed; a page added or removed; a new
    annotation other than a signature widget or the BSrE footer."""
    from pyhanko.pdf_utils import generic

    found: list[str] = []
    try:
        base = reader.get_historical_resolver(0)
        base_root = base.get_object(reader.root_ref) if hasattr(reader, "root_ref") else None
        base_pages = _pages(base.root if base_root is None else base_root)
        base_ids = {p.idnum for p, _ in base_pages}
        info = reader.trailer_view.raw_get("/Info") if "/Info" in reader.trailer_view else None
        info_id = info.idnum if isinstance(info, generic.IndirectObject) else None
        for rev in range(1, signed_revision + 1):
            if reader.xrefs.refs_freed_in_revision(rev):
                found.append(f"revisi {rev} menghapus objek dari dokumen yang disetujui")
            for ref in reader.xrefs.explicit_refs_in_revision(rev):
                if reader.xrefs.get_introducing_revision(ref) > 0 or ref.idnum == info_id:
                    continue  # new in a later revision, or the document information
                old = reader.get_historical_resolver(rev - 1).get_object(ref)
                new = reader.get_historical_resolver(rev).get_object(ref)
                if ref.idnum == reader.root_ref.idnum:
                    allowed = _ALLOWED_CATALOG
                elif ref.idnum in base_ids:
                    allowed = {"/Annots"}
                elif isinstance(old, generic.StreamObject) and old.get("/Type") == "/Metadata":
                    continue
                else:
                    found.append(f"revisi {rev} mengubah objek {ref.idnum} dari dokumen yang disetujui")
                    continue
                if not all(isinstance(o, generic.DictionaryObject) for o in (old, new)):
                    found.append(f"revisi {rev} mengubah objek {ref.idnum} dari dokumen yang disetujui")
                    continue
                keys = (set(old) | set(new)) - allowed
                if any(old.raw_get(k) != new.raw_get(k) if k in old and k in new else True for k in keys):
                    found.append(f"revisi {rev} mengubah isi halaman atau katalog dokumen yang disetujui")
        signed = reader.get_historical_resolver(signed_revision)
        pages = _pages(signed.root)
        if [p.idnum for p, _ in pages] != [p.idnum for p, _ in base_pages]:
            found.append("revisi yang ditandatangani menambah atau menghapus halaman")
        old_annots = {i: {a.idnum for a in _annots(page) if isinstance(a, generic.IndirectObject)}
                      for i, (_, page) in enumerate(base_pages)}
        for index, (_, page) in enumerate(pages):
            for annot in _annots(page):
                if isinstance(annot, generic.IndirectObject) and annot.idnum in old_annots.get(index, ()):
                    continue
                value = annot.get_object()
                subtype = value.get("/Subtype")
                if subtype == "/Widget" and value.get("/FT") == "/Sig":
                    continue
                if subtype == "/FreeText" and str(value.get("/Contents", "")) == FOOTER:
                    continue
                found.append(f"revisi yang ditandatangani menambah anotasi {subtype} di halaman {index + 1}")
    except Exception as e:  # a malformed update is itself a reason, never a crash
        found.append(f"struktur revisi tidak dapat diperiksa ({type(e).__name__})")
    return list(dict.fromkeys(found))


def _pages(root) -> list:
    """(reference, page dictionary) of every page of a catalog, in order."""
    from pyhanko.pdf_utils import generic

    result = []

    def walk(node_ref, depth=0):
        node = node_ref.get_object()
        if depth > 64:
            raise ValueError("pohon halaman terlalu dalam")
        if node.get("/Type") == "/Pages":
            kids = node["/Kids"]
            for i in range(len(kids)):
                walk(kids.raw_get(i), depth + 1)
        else:
            result.append((node_ref if isinstance(node_ref, generic.IndirectObject) else None, node))

    walk(root.raw_get("/Pages"))
    return result


def _annots(page) -> list:
    """The page's annotations as written (references stay references)."""
    if "/Annots" not in page:
        return []
    annots = page["/Annots"]
    return [annots.raw_get(i) for i in range(len(annots))]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
