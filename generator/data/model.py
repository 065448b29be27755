"""The office's data as frozen dataclasses. No I/O here: load.py builds these, stages read them.

Every object that a cross-file rule may complain about carries the Location of its key value,
so validate.py can say `file:line:col` without touching files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.data.errors import Location

# ---------------------------------------------------------------- instansi


@dataclass(frozen=True)
class Pejabat:
    """An official as printed under a signature: nama, NIP (18 digits, shown grouped by formats.nip),
    pangkat and golongan (e.g. "Pembina Utama Muda", "IV/c"), jabatan."""

    nama: str
    nip: str
    pangkat: str
    golongan: str
    jabatan: str | None = None


@dataclass(frozen=True)
class Bidang:
    """A unit of the office from instansi.yaml (`id` as in bidang file names and CODEOWNERS), with its head
    and its duties for Bab I."""

    id: str
    nama: str
    loc: Location
    kepala: str | None = None
    tugas: str | None = None


@dataclass(frozen=True)
class Kategori:
    """One band of the capaian scale: a capaian strictly above `di_atas` (percent) gets `label`; the last
    band has None. The office may set its own scale (`skala_kategori`), else DEFAULT_SKALA."""

    label: str
    di_atas: Decimal | None  # exclusive lower bound; None for the last band


DEFAULT_SKALA = (
    Kategori("Sangat Tinggi", Decimal(90)),
    Kategori("Tinggi", Decimal(75)),
    Kategori("Sedang", Decimal(65)),
    Kategori("Rendah", Decimal(50)),
    Kategori("Sangat Rendah", None),
)


@dataclass(frozen=True)
class Pegawai:
    """Staff counts for Bab I's SDM table: (label, jumlah) in the order the file lists them."""

    golongan: tuple[tuple[str, int], ...] = ()
    pendidikan: tuple[tuple[str, int], ...] = ()
    per_tanggal: dt.date | None = None

    @property
    def jumlah(self) -> int:
        """Total staff: the sum of the golongan counts, else of the pendidikan counts."""
        return sum(n for _, n in self.golongan) or sum(n for _, n in self.pendidikan)


@dataclass(frozen=True)
class TataDokumen:
    """`instansi.yaml: dokumen`: paper `A4` or `F4` (215 x 330 mm, Permendagri 1/2023), font family
    `arial` (Arial-metric) or `bookman` (Bookman-metric), margins in cm as (atas, kanan, bawah,
    kiri); None keeps each document's default margins."""

    kertas: str = "A4"
    huruf: str = "arial"
    margin: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Instansi:
    """content/instansi.yaml: the office (Perangkat Daerah) whose LKjIP this is (PermenPANRB 53/2014 Bab
    I): identity, kepala, visi/misi, tugas and fungsi, its bidang, the capaian scale and how
    documents are laid out. `contoh` marks a fictional office (every output says CONTOH)."""

    nama: str
    pemerintah: str
    kota: str
    kepala: Pejabat
    visi: str
    misi: tuple[str, ...]
    tugas: str
    fungsi: tuple[str, ...]
    bidang: tuple[Bidang, ...]
    loc: Location
    contoh: bool = False
    singkatan: str | None = None
    alamat: str | None = None
    telepon: str | None = None
    email: str | None = None
    laman: str | None = None
    logo: str | None = None
    dasar_hukum: tuple[str, ...] = ()
    skala_kategori: tuple[Kategori, ...] = DEFAULT_SKALA
    pegawai: Pegawai | None = None
    dokumen: TataDokumen = TataDokumen()
    logo_loc: Location | None = None
    repo_url: str | None = None  # repositori.url: the repository on the office's forge
    edit_uri: str | None = None  # repositori.edit_uri: its web editor at the repository root

    def bidang_ids(self) -> set[str]:
        """The ids of the office's bidang."""
        return {b.id for b in self.bidang}


# ---------------------------------------------------------------- renstra


@dataclass(frozen=True)
class Indikator:
    """An indikator kinerja of a Renstra sasaran: `target` per year (Decimal, in `satuan`), `polaritas`
    positif (higher is better) or negatif, `rumus_capaian` "R/T" or "T/R" (DESIGN §4), the bidang
    that reports its realisasi, and optional kondisi awal (tahun, nilai) and standar nasional
    (nilai, sumber)."""

    id: str
    uraian: str
    satuan: str
    polaritas: str  # positif | negatif
    bidang: str
    target: dict[int, Decimal]
    loc: Location
    bidang_loc: Location
    sasaran: str
    rumus: str | None = None
    rumus_capaian: str = "R/T"
    sumber_data: str | None = None
    kondisi_awal: tuple[int, Decimal] | None = None
    standar_nasional: tuple[Decimal, str] | None = None


@dataclass(frozen=True)
class Sasaran:
    """A sasaran strategis of a Renstra tujuan with its indikator."""

    id: str
    uraian: str
    indikator: tuple[Indikator, ...]
    loc: Location
    tujuan: str


@dataclass(frozen=True)
class Tujuan:
    """A tujuan of the Renstra with its sasaran."""

    id: str
    uraian: str
    sasaran: tuple[Sasaran, ...]
    loc: Location


@dataclass(frozen=True)
class Renstra:
    """content/renstra/<mulai>-<selesai>.yaml: the five-year Rencana Strategis whose indikator and targets
    the yearly PK and the report compare against (Permendagri 86/2017)."""

    path: str
    mulai: int
    selesai: int
    tujuan: tuple[Tujuan, ...]
    loc: Location
    periode_loc: Location
    nomor: str | None = None
    judul: str | None = None

    @property
    def nama(self) -> str:
        """"2025-2029": the name a PK's `renstra` key uses."""
        return f"{self.mulai}-{self.selesai}"

    def covers(self, tahun: int) -> bool:
        """Whether `tahun` lies in the Renstra's periode (both ends included)."""
        return self.mulai <= tahun <= self.selesai

    def sasaran(self) -> tuple[Sasaran, ...]:
        """Every sasaran of every tujuan, in file order."""
        return tuple(s for t in self.tujuan for s in t.sasaran)

    def indikator(self) -> tuple[Indikator, ...]:
        """Every indikator of every sasaran, in file order."""
        return tuple(i for s in self.sasaran() for i in s.indikator)


# ---------------------------------------------------------------- one performance year


@dataclass(frozen=True)
class Kode:
    """A Permendagri 90/2019 code with its name, e.g. a program or a kegiatan."""

    kode: str
    nama: str
    loc: Location
    pagu: int | None = None
    sasaran: tuple[str, ...] = ()
    sasaran_loc: tuple[Location, ...] = ()


@dataclass(frozen=True)
class Nilai:
    """A number keyed by an id in a map (a PK target, a rencana aksi row)."""

    id: str
    nilai: Decimal | int
    loc: Location  # of the key


@dataclass(frozen=True)
class PerjanjianKinerja:
    """content/<tahun>/perjanjian-kinerja.yaml: the year's Perjanjian Kinerja (PermenPANRB 53/2014): the
    target of each indikator (in its satuan), the programs and kegiatan with their pagu (whole
    rupiah), and the quarterly rencana aksi (cumulative targets per quarter)."""

    path: str
    tahun: int
    tanggal: dt.date
    target: tuple[Nilai, ...]
    program: tuple[Kode, ...]
    loc: Location
    tahun_loc: Location
    target_loc: Location
    nomor: str | None = None
    renstra: str | None = None
    renstra_loc: Location | None = None
    pihak_kedua: tuple[str, str] | None = None  # (nama, jabatan)
    rencana_aksi: tuple[tuple[Nilai, dict[str, Decimal]], ...] = ()
    kegiatan: tuple[Kode, ...] = ()

    def target_of(self, indikator: str) -> Decimal | None:
        """The PK's target for indikator id `indikator`, or None when the PK names none."""
        return next((t.nilai for t in self.target if t.id == indikator), None)


@dataclass(frozen=True)
class Bukti:
    """An evidence file a realisasi cites: the path as written (relative to the year folder), whether it
    exists and stays inside the repository, and the closest existing name when it does not."""

    path: str  # as written, relative to the year folder
    loc: Location
    exists: bool
    inside_repo: bool
    saran: str | None = None  # the closest existing file, when this one does not exist


@dataclass(frozen=True)
class Realisasi:
    """What a bidang reports for one indikator: `nilai` in the indikator's satuan (Decimal; a text such as
    "1:32" for a ratio; None when not yet reported), an optional stated `capaian` (percent) for text
    values, analisis, solusi, evidence and the quarterly values."""

    indikator: str
    nilai: Decimal | int | str | None  # str for ratios such as "1:32"
    loc: Location  # of the indikator key
    nilai_loc: Location
    capaian: Decimal | None = None
    catatan: str | None = None
    analisis: str | None = None
    solusi: str | None = None
    bukti: tuple[Bukti, ...] = ()
    # quarterly realisasi (monev rencana aksi): ("tw1", value) for each quarter written, in order
    triwulan: tuple[tuple[str, Decimal | None], ...] = ()
    triwulan_loc: Location | None = None


@dataclass(frozen=True)
class Keluaran:
    """The output (keluaran) of a sub kegiatan: target and realisasi in `satuan`."""

    uraian: str
    satuan: str
    target: Decimal | int
    realisasi: Decimal | int | None = None


@dataclass(frozen=True)
class SubKegiatan:
    """A sub kegiatan of a bidang (Permendagri 90/2019 code U.BB.PP.K.KK.SSSS) with its pagu and realisasi
    in whole rupiah (realisasi None when not yet reported)."""

    kode: str
    nama: str
    pagu: int
    realisasi: int | None
    loc: Location  # of the kode value
    realisasi_loc: Location
    keluaran: Keluaran | None = None

    @property
    def program(self) -> str:
        """The program code, the first three parts of the code ("2.17.03")."""
        return ".".join(self.kode.split(".")[:3])

    @property
    def kegiatan(self) -> str:
        """The kegiatan code, the first five parts of the code ("2.17.03.2.01")."""
        return ".".join(self.kode.split(".")[:5])


@dataclass(frozen=True)
class DataBidang:
    """content/<tahun>/bidang/<bidang>.yaml: one bidang's realisasi of its indikator and its sub kegiatan
    of the year."""

    path: str
    bidang: str
    loc: Location  # of the `bidang` value
    realisasi: tuple[Realisasi, ...] = ()
    sub_kegiatan: tuple[SubKegiatan, ...] = ()


@dataclass(frozen=True)
class Narasi:
    """content/<tahun>/narasi/<bagian>.md: a Markdown chapter text of the report (`bagian` such as
    pendahuluan or penutup) with its front matter; `body_line` is the file line where the body
    starts."""

    path: str
    bagian: str
    body: str
    body_line: int
    loc: Location
    judul: str | None = None
    urutan: int = 0
    gambar: tuple = ()  # data.narasi.Gambar: the images it embeds, read and checked


@dataclass(frozen=True)
class Reviu:
    """content/<tahun>/reviu/*.md: a review note of an SOP step (front matter langkah, peran, keputusan
    such as revisi) with its Markdown body; `revisi` steps require a new one in their commit."""

    path: str
    langkah: int
    peran: str
    keputusan: str
    body: str
    loc: Location
    langkah_loc: Location
    peran_loc: Location
    keputusan_loc: Location
    tanggal: dt.date | None = None
    oleh: str | None = None
    judul: str | None = None


@dataclass(frozen=True)
class Penandatangan:
    """Who signs the surat pengantar for the Kepala Dinas (Permendagri 1/2023): `sebagai` is
    "a.n." (on behalf: the signer's own `jabatan` is printed under "a.n. Kepala ..."), "Plt."
    or "Plh." (acting: printed before the Kepala's jabatan)."""

    sebagai: str
    nama: str
    nip: str
    pangkat: str | None = None
    golongan: str | None = None
    jabatan: str | None = None


@dataclass(frozen=True)
class SuratPengantar:
    """The covering letter of pengiriman.yaml (Permendagri 1/2023 naskah dinas): nomor, tanggal, perihal
    and addressee; signed by the Kepala Dinas unless `penandatangan` says otherwise."""

    nomor: str
    tanggal: dt.date
    perihal: str
    kepada: str
    sifat: str | None = None
    lampiran: str | None = None
    di: str | None = None
    tembusan: tuple[str, ...] = ()
    penandatangan: Penandatangan | None = None  # None: the Kepala Dinas signs


@dataclass(frozen=True)
class TandaTerima:
    """The receipt of the delivered LKjIP (step 10 of the sample SOP): date, receiver and an optional
    scanned evidence file."""

    tanggal: dt.date
    penerima: str
    nomor: str | None = None
    jabatan: str | None = None
    bukti: str | None = None


@dataclass(frozen=True)
class Pengiriman:
    """content/<tahun>/pengiriman.yaml: the covering letter and the receipt of the year's delivery."""

    path: str
    surat_pengantar: SuratPengantar | None = None
    tanda_terima: TandaTerima | None = None


# The chapters a LAKIP cannot go without (PermenPANRB 53/2014's outline); step 5's
# `narasi-lengkap` requires them.
NARASI_WAJIB = ("kata-pengantar", "pendahuluan", "perencanaan-kinerja", "penutup")


@dataclass(frozen=True)
class ReviuApip:
    """content/<tahun>/reviu-apip.yaml: the Inspektorat's reviu of the LKjIP (PermenPANRB 53/2014),
    printed as the "Pernyataan Telah Direviu" page after Bab IV."""

    path: str
    nomor: str
    tanggal: dt.date
    inspektur: Pejabat
    loc: Location
    catatan: tuple[str, ...] = ()
    instansi: str | None = None  # e.g. "Inspektorat Daerah Kota Samarinda"


@dataclass(frozen=True)
class JawabanLke:
    """One self-assessment answer an office records for an LKE criterion lakip cannot know."""

    id: str  # e.g. "3.a.5"
    jawaban: str  # Y | T | a..e
    loc: Location
    bukti: str | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class Tahun:
    """Everything under content/<tahun>/; parts that failed to load are None or missing."""

    tahun: int
    path: str
    pk: PerjanjianKinerja | None
    bidang: tuple[DataBidang, ...] = ()
    narasi: tuple[Narasi, ...] = ()
    reviu: tuple[Reviu, ...] = ()
    pengiriman: Pengiriman | None = None
    reviu_apip: ReviuApip | None = None
    lke: tuple[JawabanLke, ...] = ()
    lke_path: str | None = None

    @property
    def narasi_kurang(self) -> tuple[str, ...]:
        """The required narasi chapters (`NARASI_WAJIB`) not yet written this year, in order."""
        written = {n.bagian for n in self.narasi}
        return tuple(b for b in NARASI_WAJIB if b not in written)


# ---------------------------------------------------------------- SOP and roster


@dataclass(frozen=True)
class Peran:
    """A role of the SOP (id such as "kepala-dinas") with its display name."""

    id: str
    nama: str
    loc: Location
    singkatan: str | None = None


@dataclass(frozen=True)
class Langkah:
    """One step of the SOP-AP: who (`pelaksana`, a role id) does what, with which kelengkapan, in how long
    (`waktu`, text such as "2 Hari", "1 Jam", "10 Menit", counted in working time) and with what
    output; `keputusan` maps a decision to the next step, `pengesahan` marks the paraf or signing
    step, `syarat` the checks `lakip step` makes first (DESIGN §5)."""

    no: int
    kegiatan: str
    pelaksana: str
    kelengkapan: str
    waktu: str
    output: str
    tanda_tangan: bool
    loc: Location
    pelaksana_loc: Location
    judul: str | None = None
    keterangan: str | None = None
    keputusan: dict[str, int] = field(default_factory=dict)  # decision -> next step
    keputusan_loc: dict[str, Location] = field(default_factory=dict)
    pengesahan: str | None = None  # paraf | tanda-tangan
    syarat: tuple[str, ...] = ()


def menit_kerja(mulai: dt.time, selesai: dt.time) -> int:
    """Working minutes of a working day from `mulai` to `selesai` (08:00-16:00 -> 480): the one
    definition of "1 Hari" in an SOP's `waktu` (DESIGN §5: durations are working time, "2 hari"
    is 2 × 480 working minutes). Whole minutes; jam_kerja has no seconds."""
    return (selesai.hour * 60 + selesai.minute) - (mulai.hour * 60 + mulai.minute)


@dataclass(frozen=True)
class Sop:
    """sop/lakip.yaml: the SOP-AP of the LKjIP (PermenPANRB 35/2012 layout) as data: its steps and roles,
    working hours (`jam_kerja`, in `zona_waktu`, an IANA name such as "Asia/Makassar"), the holidays
    to leave out, and which roles may change sop/."""

    path: str
    id: str
    judul: str
    nomor: str
    tanggal_pembuatan: dt.date
    tanggal_efektif: dt.date
    disahkan_oleh: dict[str, str]
    jam_kerja: tuple[dt.time, dt.time]
    zona_waktu: str
    peran: tuple[Peran, ...]
    langkah: tuple[Langkah, ...]
    loc: Location
    zona_waktu_loc: Location
    jam_kerja_loc: Location
    tanggal_revisi: dt.date | None = None
    pemerintah: str | None = None
    instansi: str | None = None
    unit: str | None = None
    dasar_hukum: tuple[str, ...] = ()
    kualifikasi_pelaksana: tuple[str, ...] = ()
    keterkaitan: tuple[str, ...] = ()
    peralatan: tuple[str, ...] = ()
    peringatan: tuple[str, ...] = ()
    pencatatan: tuple[str, ...] = ()
    hari_libur_negara: str = "ID"
    hari_libur_kategori: tuple[str, ...] = ("public", "government")
    # SKB changes the library does not know yet: (date, name) added, dates removed.
    hari_libur_tambah: tuple[tuple[dt.date, str], ...] = ()
    hari_libur_hapus: tuple[dt.date, ...] = ()
    # Roles that may change sop/ (DESIGN §5 "Trust"): their signed commits are authorized.
    pengelola: tuple[str, ...] = ("kepala-dinas", "sekretaris")
    pengelola_loc: Location | None = None
    # Trust anchors of the TTE (`tte: {akar: [PEM paths]}`, repository-relative, DESIGN §7 "TTE").
    tte_akar: tuple[str, ...] = ()
    tte_akar_loc: tuple[Location, ...] = ()

    def find_langkah(self, no: int) -> Langkah | None:
        """The step numbered `no`, or None."""
        return next((s for s in self.langkah if s.no == no), None)

    @property
    def signing_step(self) -> Langkah | None:
        """The step whose standing approval makes the document FINAL: the one with
        `pengesahan: tanda-tangan` (DESIGN §5); None when the SOP names none."""
        return next((s for s in self.langkah if s.pengesahan == "tanda-tangan"), None)

    @property
    def menit_per_hari(self) -> int:
        """Working minutes of one working day (jam_kerja), the unit of "1 Hari"."""
        return menit_kerja(*self.jam_kerja)

    def find_peran(self, role_id: str) -> Peran | None:
        """The role with id `role_id`, or None."""
        return next((r for r in self.peran if r.id == role_id), None)


@dataclass(frozen=True)
class PeranPersonil:
    """A role a person holds, for the person's whole `berlaku` or only between `mulai` and
    `sampai` (inclusive calendar dates in the SOP's zona_waktu); `sebagai` is "Plt." or "Plh." for
    an acting holder (DESIGN §3)."""

    id: str
    loc: Location
    mulai: dt.date | None = None
    sampai: dt.date | None = None
    sebagai: str | None = None

    def berlaku(self, day: dt.date) -> bool:
        """Whether the role is held on `day` (dates inclusive, open ends when None)."""
        return (self.mulai is None or self.mulai <= day) and (self.sampai is None or day <= self.sampai)


@dataclass(frozen=True)
class KunciSsh:
    """A registered SSH public key ("type base64 [comment]"), valid between `mulai` and `sampai`
    (inclusive dates, open when None); `dicabut` (revoked, the key was compromised) voids every
    signature made with it, whatever its date (DESIGN §3)."""

    kunci: str
    loc: Location
    mulai: dt.date | None = None
    sampai: dt.date | None = None
    dicabut: dt.date | None = None

    @property
    def sidik_jari(self) -> str:
        """The key's fingerprint as ssh-keygen and git's %GK print it: "SHA256:<base64, no =>"."""
        return key_fingerprint(self.kunci)

    def berlaku(self, day: dt.date) -> bool:
        """Whether the key may sign on `day`: not revoked and within its dates."""
        return (self.dicabut is None and (self.mulai is None or self.mulai <= day)
                and (self.sampai is None or day <= self.sampai))


def key_fingerprint(public_key: str) -> str:
    """SHA256 fingerprint of an OpenSSH public key line; "" when the key is not base64."""
    import base64
    import binascii
    import hashlib

    parts = public_key.split()
    try:
        blob = base64.b64decode(parts[1], validate=True) if len(parts) > 1 else b""
    except (binascii.Error, ValueError):
        return ""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


@dataclass(frozen=True)
class Personil:
    """One person of sop/personil.yaml. `peran` are the role ids the person holds at some time
    (`peran_rinci` has their dates), `kunci` the registered SSH keys with their dates."""

    nama: str
    nip: str
    email: str
    peran: tuple[str, ...]
    berlaku_mulai: dt.date
    loc: Location
    peran_loc: tuple[Location, ...] = ()
    bidang: tuple[str, ...] = ()
    bidang_loc: tuple[Location, ...] = ()
    berlaku_sampai: dt.date | None = None
    berlaku_loc: Location | None = None
    jabatan: str | None = None
    pangkat: str | None = None
    golongan: str | None = None
    peran_rinci: tuple[PeranPersonil, ...] = ()
    kunci: tuple[KunciSsh, ...] = ()
    nik: str | None = None  # Nomor Induk Kependudukan: the BSrE certificate's holder (optional)

    @property
    def kunci_ssh(self) -> str | None:
        """The person's current key (the newest one neither revoked nor ended), for signing."""
        current = [k for k in self.kunci if k.dicabut is None and k.sampai is None]
        return current[-1].kunci if current else None

    def active_on(self, day: dt.date) -> bool:
        """Whether the person is on the roster on `day` (berlaku_mulai..berlaku_sampai, inclusive)."""
        return self.berlaku_mulai <= day and (self.berlaku_sampai is None
                                             or day <= self.berlaku_sampai)

    def holds(self, role: str, day: dt.date) -> PeranPersonil | None:
        """The role entry by which the person holds `role` on `day` (within `berlaku` and the
        role's own dates), or None."""
        if not self.active_on(day):
            return None
        rinci = self.peran_rinci or tuple(PeranPersonil(r, self.loc) for r in self.peran)
        return next((r for r in rinci if r.id == role and r.berlaku(day)), None)

    def key_on(self, fingerprint: str, day: dt.date) -> KunciSsh | None:
        """The registered key with this fingerprint if it may sign on `day`, else None."""
        return next((k for k in self.kunci if k.sidik_jari == fingerprint and k.berlaku(day)), None)


@dataclass(frozen=True)
class Roster:
    """sop/personil.yaml: who holds which role on which day. The one place that answers "who is
    this e-mail" and "who holds role X on day D" (DESIGN §3, §5)."""

    personil: tuple[Personil, ...]

    def __iter__(self):
        return iter(self.personil)

    def __len__(self) -> int:
        return len(self.personil)

    def find(self, email: str) -> Personil | None:
        """The person with this e-mail (case-insensitive), or None."""
        wanted = email.lower()
        return next((p for p in self.personil if p.email.lower() == wanted), None)

    def holders(self, role: str, day: dt.date) -> list[Personil]:
        """Everyone who holds `role` on `day`, in file order."""
        return [p for p in self.personil if p.holds(role, day)]


# ---------------------------------------------------------------- the whole repository


@dataclass(frozen=True)
class Repo:
    """The whole repository as loaded: instansi, every Renstra, every year folder, the SOP and the roster;
    parts that failed to load are None or left out, and `broken` names their files."""

    root: Path
    instansi: Instansi | None
    renstra: tuple[Renstra, ...]
    tahun: tuple[Tahun, ...]
    sop: Sop | None
    personil: Roster | None
    broken: frozenset[str] = frozenset()  # files that failed to parse or match their schema

    def find_tahun(self, tahun: int) -> Tahun | None:
        """The year folder `tahun`, or None."""
        return next((t for t in self.tahun if t.tahun == tahun), None)

    def renstra_for(self, tahun: int, name: str | None = None) -> Renstra | None:
        """The Renstra named by the PK, else the one whose periode covers the year."""
        if name:
            return next((r for r in self.renstra if r.nama == name), None)
        covering = [r for r in self.renstra if r.covers(tahun)]
        return covering[0] if len(covering) == 1 else None
