"""`lakip validate` on the sample and on copies of it broken in one way each.

Each test asserts the whole printed line, `file:line:col` included. Positions come from where the
test made its edit, so the tests say which spot must be reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, edit, position, run

KOPERASI = "content/2025/bidang/koperasi.yaml"
UKM = "content/2025/bidang/ukm.yaml"
PK = "content/2025/perjanjian-kinerja.yaml"
RENSTRA = "content/renstra/2025-2029.yaml"
PERSONIL = "sop/personil.yaml"
SOP = "sop/lakip.yaml"
SYNTAX_HINT = "(petunjuk: periksa indentasi, tanda ':' dan tanda kutip di sekitar baris ini)"


def galat_lines(repo: Path) -> list[str]:
    result = run("validate", "--repo", repo)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    return [line for line in result.lines if ": galat: " in line]


def only_galat(repo: Path) -> str:
    lines = galat_lines(repo)
    assert len(lines) == 1, lines
    return lines[0]


# ---------------------------------------------------------------- the sample


def test_sample_in_the_project_is_clean() -> None:
    result = run("validate", "--repo", ROOT)
    assert (result.code, result.out) == (0, "")
    assert result.err == "Data valid: tidak ada galat atau peringatan.\n"


def test_sample_reads_like_the_contract_asks() -> None:
    from generator.data.load import load_repo

    repo, issues = load_repo(ROOT)
    assert issues == []
    assert repo.instansi.contoh is True
    assert {b.id for b in repo.instansi.bidang} >= {"sekretariat", "koperasi", "ukm", "perindustrian"}
    renstra = repo.renstra_for(2025)
    assert renstra.nama == "2025-2029"
    assert len(renstra.tujuan) >= 2 and len(renstra.sasaran()) >= 4
    assert len(renstra.indikator()) >= 8
    assert sum(i.polaritas == "negatif" for i in renstra.indikator()) >= 2
    for tahun in (2024, 2025):
        year = repo.find_tahun(tahun)
        codes = [s.kode for b in year.bidang for s in b.sub_kegiatan]
        assert len(codes) >= 15
        assert {c[:4] for c in codes} >= {"2.17", "3.31", "X.XX"}
        assert all(r.bukti for b in year.bidang for r in b.realisasi)
        assert all(r.analisis and r.solusi for b in year.bidang for r in b.realisasi)
    roles = {r for p in repo.personil for r in p.peran}
    assert roles == {r.id for r in repo.sop.peran}


def test_json_output_of_an_error(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", "    pagu: -145000000\n")
    result = run("validate", "--repo", sample, "--json")
    assert result.code == 1
    assert json.loads(result.out) == [{
        "berkas": KOPERASI, "baris": line, "kolom": 11, "tingkat": "galat",
        "kode": "nilai-negatif", "pesan": "'sub_kegiatan[1].pagu' tidak boleh negatif: ditemukan -145000000",
    }]


# ---------------------------------------------------------------- bad files


def test_yaml_syntax_error_names_where_the_block_began(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "bidang: koperasi\n", "bidang: [koperasi\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line + 1}:10: galat: sintaks YAML salah: daftar [...] tidak tertutup: "
        f"diharapkan ',' atau ']' (bagian ini dimulai di baris {line}) {SYNTAX_HINT}")


def test_bad_indentation(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: 62.40\n   analisis: x\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line + 1}:4: galat: sintaks YAML salah: struktur blok tidak tertutup dengan "
        f"benar (indentasi tidak rata?) (bagian ini dimulai di baris {line - 1}) {SYNTAX_HINT}")


def test_duplicate_key_is_refused(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: 62.40\n    nilai: 63\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line + 1}:5: galat: kunci ganda 'nilai': sudah ditulis di baris {line} "
        "(petunjuk: hapus salah satunya; YAML hanya memakai satu nilai dan yang lain hilang diam-diam)")


def test_tabs_are_refused_each_line(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "\tnilai: 62.40\n")
    second, _ = edit(sample, UKM, "    nilai: 38.87\n", "  \tnilai: 38.87\n")
    hint = "(petunjuk: YAML hanya menerima spasi untuk indentasi; ganti tab dengan spasi)"
    assert galat_lines(sample) == [
        f"{KOPERASI}:{line}:1: galat: karakter tab dipakai untuk indentasi {hint}",
        f"{UKM}:{second}:3: galat: karakter tab dipakai untuk indentasi {hint}",
    ]


def test_empty_file(sample: Path) -> None:
    (sample / KOPERASI).write_text("# belum diisi\n", encoding="utf-8")
    assert only_galat(sample) == (
        f"{KOPERASI}:1:1: galat: berkas kosong: tidak ada data YAML (petunjuk: isi berkas sesuai "
        "contoh di docs/data-reference.md, atau hapus berkasnya)")


def test_file_that_is_not_utf8(sample: Path) -> None:
    path = sample / KOPERASI
    data = path.read_bytes()
    start = data.index(b"Data Bidang")
    path.write_bytes(data.replace(b"Data Bidang", "Data Bidang caf\xe9".encode("latin-1"), 1))
    line = data.count(b"\n", 0, start) + 1
    col = start - (data.rfind(b"\n", 0, start) + 1) + len("Data Bidang caf") + 1
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:{col}: galat: berkas bukan teks UTF-8: bait 0xE9 tidak sah (petunjuk: "
        "simpan ulang berkas dengan pengodean UTF-8 (di editor: Save with Encoding > UTF-8))")


def test_aliases_are_refused_before_expansion(sample: Path) -> None:
    bomb = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    (sample / KOPERASI).write_text("l0: &l0 [lol]\n" + bomb, encoding="utf-8")
    assert only_galat(sample) == (
        f"{KOPERASI}:2:10: galat: alias YAML '*l0' tidak diizinkan (petunjuk: tulis nilainya "
        "langsung; anchor dan alias dapat dipakai untuk membengkakkan memori)")


def test_python_tags_are_refused(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: !!python/object:os.system x\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:12: galat: tag YAML 'tag:yaml.org,2002:python/object:os.system' tidak "
        "didukung (petunjuk: hapus tag '!...' dan tulis nilainya sebagai teks, angka, daftar atau "
        "pemetaan biasa)")


def test_symlink_out_of_the_repository(sample: Path, tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.yaml"
    secret.write_text("bidang: koperasi\n", encoding="utf-8")
    (sample / KOPERASI).unlink()
    (sample / KOPERASI).symlink_to(secret)
    # DESIGN §5: lakip never follows a symlink of the repository (issue 11 item 1)
    assert galat_lines(sample)[0] == (
        f"{KOPERASI}: galat: '{KOPERASI}' adalah symlink; lakip tidak mengikuti symlink di "
        "repositori (petunjuk: ganti dengan berkas atau folder biasa: salin isinya ke sini)")


# ---------------------------------------------------------------- schema


def test_wrong_type(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: [62.40]\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:12: galat: 'realisasi.IKU-1.nilai': diharapkan angka atau teks atau "
        "kosong (null), ditemukan daftar")


def test_missing_required_key(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:5: galat: kunci wajib 'nilai' tidak ada di 'realisasi.IKU-1' "
        "(petunjuk: tambahkan kunci ini; lihat docs/data-reference.md)")


def test_unknown_key_with_did_you_mean(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    analisis: >-\n      Jumlah koperasi aktif",
                   "    analisa: >-\n      Jumlah koperasi aktif")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:5: galat: kunci tidak dikenal 'analisa' di 'realisasi.IKU-1' "
        "(petunjuk: maksudnya 'analisis'?)")


def test_unknown_key_without_a_close_match_lists_the_known_ones(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "bidang: koperasi\n", "bidang: koperasi\nketerangan: x\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line + 1}:1: galat: kunci tidak dikenal 'keterangan' di 'dokumen' (petunjuk: "
        "kunci yang dikenal: bidang, realisasi, sub_kegiatan)")


def test_indonesian_number_in_realisasi(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", '    nilai: "62,40"\n')
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:12: galat: 'realisasi.IKU-1.nilai': angka ditulis sebagai teks berformat "
        "Indonesia \"62,40\"; diharapkan angka (petunjuk: tulis 62.40 tanpa tanda kutip: titik sebagai "
        "pemisah desimal, tanpa pemisah ribuan)")


def test_an_unknown_key_does_not_hide_a_number_written_as_text(sample: Path) -> None:
    first, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", '    nilai: "62,40"\n')
    second, _ = edit(sample, KOPERASI, "    analisis: >-\n      Jumlah koperasi aktif",
                     "    analisa: >-\n      Jumlah koperasi aktif")
    assert [x.split(": galat: ")[0] for x in galat_lines(sample)] == [
        f"{KOPERASI}:{first}:12", f"{KOPERASI}:{second}:5"]


def test_indonesian_thousands_in_pagu(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", '    pagu: "145.000.000"\n')
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:11: galat: 'sub_kegiatan[1].pagu': angka ditulis sebagai teks berformat "
        "Indonesia \"145.000.000\"; diharapkan bilangan bulat (petunjuk: tulis 145000000 tanpa tanda "
        "kutip: titik sebagai pemisah desimal, tanpa pemisah ribuan)")


def test_unquoted_indonesian_decimal_in_a_target(sample: Path) -> None:
    line, _ = edit(sample, PK, "  IKU-3: 38\n", "  IKU-3: 38,5\n")
    assert only_galat(sample) == (
        f"{PK}:{line}:10: galat: 'target.IKU-3': angka ditulis sebagai teks berformat Indonesia "
        "\"38,5\"; diharapkan angka (petunjuk: tulis 38.5 tanpa tanda kutip: titik sebagai pemisah "
        "desimal, tanpa pemisah ribuan)")


def test_fractional_rupiah(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", "    pagu: 145.5\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:11: galat: 'sub_kegiatan[1].pagu': diharapkan bilangan bulat, ditemukan "
        "angka pecahan 145.5 (petunjuk: rupiah ditulis sebagai bilangan bulat tanpa pemisah ribuan, "
        "misalnya 1250000000)")


def test_negative_pagu(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", "    pagu: -145000000\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:11: galat: 'sub_kegiatan[1].pagu' tidak boleh negatif: ditemukan -145000000")


def test_malformed_sub_kegiatan_code(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, '  - kode: "2.17.03.2.01.0003"', '  - kode: "2.17.3.2.01.0003"')
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:11: galat: 'sub_kegiatan[1].kode': teks \"2.17.3.2.01.0003\" tidak sesuai "
        "format; diharapkan kode sub kegiatan U.BB.PP.K.KK.SSSS menurut Permendagri 90/2019 "
        "(petunjuk: contoh: 2.17.03.2.01.0001)")


def test_malformed_program_code(sample: Path) -> None:
    line, _ = edit(sample, PK, '  - kode: "2.17.03"\n', '  - kode: "2.17.3"\n')
    lines = galat_lines(sample)
    assert lines == [
        f"{PK}:{line}:11: galat: 'program[2].kode': teks \"2.17.3\" tidak sesuai format; diharapkan "
        "kode program U.BB.PP menurut Permendagri 90/2019 (urusan X.XX untuk program penunjang) "
        "(petunjuk: contoh: 2.17.03)"]


def test_bad_date(sample: Path) -> None:
    line, _ = edit(sample, PK, "tanggal: 2025-02-03\n", "tanggal: 2025-02-30\n")
    assert only_galat(sample) == (
        f"{PK}:{line}:10: galat: 'tanggal': tanggal teks \"2025-02-30\" tidak sah; diharapkan "
        "TTTT-BB-HH (petunjuk: contoh: 2025-02-03)")


def test_unknown_enum_value(sample: Path) -> None:
    text = (sample / RENSTRA).read_text(encoding="utf-8")
    (sample / RENSTRA).write_text(text.replace("polaritas: negatif", "polaritas: negative", 1),
                                  encoding="utf-8")
    line, col = position(sample, RENSTRA, "negative")
    assert only_galat(sample) == (
        f"{RENSTRA}:{line}:{col}: galat: "
        f"'tujuan[1].sasaran[1].indikator[2].polaritas': nilai teks \"negative\" tidak dikenal; "
        "diharapkan salah satu dari: positif, negatif (petunjuk: maksudnya 'negatif'?)")


def test_yaml11_traps_stay_text(sample: Path) -> None:
    """`no` is not false and `1:30` is not 90: both stay text and are reported as such."""
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: 1:30\n")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:12: galat: nilai IKU-1 berupa teks \"1:30\" sehingga capaian tidak dapat "
        "dihitung dengan rumus (petunjuk: nyatakan 'capaian' (angka persen) dan 'catatan' cara "
        "menghitungnya)")


# ---------------------------------------------------------------- cross-file rules


def test_unknown_bidang_in_the_renstra(sample: Path) -> None:
    text = (sample / RENSTRA).read_text(encoding="utf-8")
    (sample / RENSTRA).write_text(text.replace("bidang: ukm\n", "bidang: umkm\n", 1), encoding="utf-8")
    line, col = position(sample, RENSTRA, "umkm")
    ukm_line, _ = position(sample, UKM, "  IKU-3:")
    assert galat_lines(sample) == [
        f"{UKM}:{ukm_line}:3: galat: indikator IKU-3 dilaporkan oleh bidang 'umkm' menurut Renstra, "
        "bukan 'ukm' (petunjuk: pindahkan realisasinya ke bidang/umkm.yaml)",
        f"{RENSTRA}:{line}:{col}: galat: bidang 'umkm' dari indikator IKU-3 tidak ada di "
        "content/instansi.yaml (petunjuk: maksudnya 'ukm'?)",
    ]


def test_bidang_file_must_match_its_name_and_instansi(sample: Path) -> None:
    (sample / KOPERASI).rename(sample / "content/2025/bidang/koprasi.yaml")
    rel = "content/2025/bidang/koprasi.yaml"
    edit(sample, rel, "bidang: koperasi\n", "bidang: koprasi\n")
    line, _ = position(sample, rel, "bidang: koprasi")
    lines = galat_lines(sample)
    assert f"{rel}:{line}:9: galat: bidang 'koprasi' tidak ada di content/instansi.yaml (petunjuk: " \
           "maksudnya 'koperasi'?)" in lines


def test_bidang_value_differs_from_file_name(sample: Path) -> None:
    line, _ = edit(sample, UKM, "bidang: ukm\n", "bidang: koperasi\n")
    assert (f"{UKM}:{line}:9: galat: 'bidang' bernilai 'koperasi' tetapi nama berkasnya 'ukm.yaml' "
            "(petunjuk: tulis bidang: ukm, atau ganti nama berkas)") in galat_lines(sample)


def test_unknown_indikator_in_the_pk(sample: Path) -> None:
    line, _ = edit(sample, PK, "  IKU-3: 38\n", "  IKU-33: 38\n")
    target_line, _ = position(sample, PK, "\ntarget:")
    target_line += 1
    assert galat_lines(sample) == [
        f"{PK}:{target_line}:1: galat: target tahun 2025 untuk indikator IKU-3 tidak ada di 'target' "
        "(petunjuk: tambahkan IKU-3: <angka> di bawah 'target')",
        f"{PK}:{line}:3: galat: target untuk indikator 'IKU-33' yang tidak ada di Renstra 2025-2029 "
        "(petunjuk: maksudnya 'IKU-3'?)",
    ]


def test_unknown_indikator_in_bidang_data(sample: Path) -> None:
    line, _ = edit(sample, UKM, "  IKU-3:\n", "  IKU-9:\n")
    bidang_line, _ = position(sample, UKM, "bidang: ukm")
    assert galat_lines(sample) == [
        f"{UKM}:{bidang_line}:9: galat: realisasi indikator IKU-3 (Persentase usaha mikro binaan yang "
        "meningkat omzetnya) tidak ada (petunjuk: tambahkan di bawah 'realisasi': IKU-3: {nilai: ...})",
        f"{UKM}:{line}:3: galat: indikator 'IKU-9' tidak ada di Renstra tahun ini (petunjuk: "
        "maksudnya 'IKU-8'?)",
    ]


def test_indikator_reported_by_the_wrong_bidang(sample: Path) -> None:
    text = (sample / UKM).read_text(encoding="utf-8")
    block = text[text.index("  IKU-3:"):text.index("sub_kegiatan:")]
    (sample / UKM).write_text(text.replace(block, ""), encoding="utf-8")
    koperasi = (sample / KOPERASI).read_text(encoding="utf-8")
    (sample / KOPERASI).write_text(koperasi.replace("sub_kegiatan:", block + "sub_kegiatan:", 1),
                                   encoding="utf-8")
    line, _ = position(sample, KOPERASI, "  IKU-3:")
    assert f"{KOPERASI}:{line}:3: galat: indikator IKU-3 dilaporkan oleh bidang 'ukm' menurut " \
           "Renstra, bukan 'koperasi' (petunjuk: pindahkan realisasinya ke bidang/ukm.yaml)" \
           in galat_lines(sample)


def test_missing_bidang_file_for_an_indikator(sample: Path) -> None:
    (sample / UKM).unlink()
    assert galat_lines(sample) == [
        f"{UKM}: galat: realisasi indikator IKU-3 tidak ada: berkas bidang 'ukm' untuk tahun 2025 "
        f"belum dibuat (petunjuk: buat {UKM} dengan realisasi IKU-3)",
        f"{UKM}: galat: realisasi indikator IKU-4 tidak ada: berkas bidang 'ukm' untuk tahun 2025 "
        f"belum dibuat (petunjuk: buat {UKM} dengan realisasi IKU-4)",
    ]


def test_duplicate_sub_kegiatan_code_across_files(sample: Path) -> None:
    first_line, _ = position(sample, KOPERASI, '"2.17.03.2.01.0003"')
    text = (sample / UKM).read_text(encoding="utf-8")
    kode = text[text.index('  - kode: "') + 11: text.index('"', text.index('  - kode: "') + 11)]
    line, _ = edit(sample, UKM, f'  - kode: "{kode}"', '  - kode: "2.17.03.2.01.0003"')
    assert f"{UKM}:{line}:11: galat: kode sub kegiatan '2.17.03.2.01.0003' ganda: sudah dipakai di " \
           f"{KOPERASI}:{first_line}:11" in galat_lines(sample)


def test_sub_kegiatan_program_must_be_in_the_pk(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, '  - kode: "2.17.03.2.01.0003"', '  - kode: "2.17.09.2.01.0003"')
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:11: galat: program 2.17.09 dari sub kegiatan 2.17.09.2.01.0003 tidak ada "
        f"di {PK} (petunjuk: maksudnya '2.17.08'?)")


def test_missing_evidence_file_suggests_the_closest(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "      - bukti/koperasi/iku-2-rekap-rat-koperasi.csv",
                   "      - bukti/koperasi/iku-2-rekap-rat.csv")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:9: galat: berkas bukti 'bukti/koperasi/iku-2-rekap-rat.csv' tidak ada "
        "(petunjuk: maksudnya 'bukti/koperasi/iku-2-rekap-rat-koperasi.csv'?)")


@pytest.mark.parametrize("path", ["../../../../etc/passwd", "/etc/passwd"])
def test_evidence_path_that_leaves_the_repository(sample: Path, path: str) -> None:
    line, _ = edit(sample, KOPERASI, "      - bukti/koperasi/iku-2-rekap-rat-koperasi.csv",
                   f"      - {path}")
    assert only_galat(sample) == (
        f"{KOPERASI}:{line}:9: galat: berkas bukti '{path}' berada di luar repositori (petunjuk: "
        "simpan bukti di folder bukti/ tahun ini dan tulis jalurnya relatif, misalnya "
        "bukti/koperasi/rekap.csv)")


def test_evidence_in_another_year_of_the_repository_is_fine(sample: Path) -> None:
    edit(sample, KOPERASI, "      - bukti/koperasi/iku-2-rekap-rat-koperasi.csv",
         "      - ../2024/bukti/koperasi/iku-2-rekap-rat-koperasi.csv")
    assert run("validate", "--repo", sample).code == 0


def test_pk_year_must_match_its_folder(sample: Path) -> None:
    line, _ = edit(sample, PK, "tahun: 2025\n", "tahun: 2024\n")
    assert only_galat(sample) == (
        f"{PK}:{line}:8: galat: 'tahun' 2024 tidak sama dengan folder content/2025/ "
        "(petunjuk: tulis tahun: 2025)")


def test_realisasi_above_pagu_is_a_warning_only(sample: Path) -> None:
    line, _ = position(sample, KOPERASI, "    realisasi: ", 1)
    text = (sample / KOPERASI).read_text(encoding="utf-8").splitlines(keepends=True)
    text[line - 1] = "    realisasi: 999000000\n"
    (sample / KOPERASI).write_text("".join(text), encoding="utf-8")
    result = run("validate", "--repo", sample)
    assert result.code == 0
    assert result.lines == [
        f"{KOPERASI}:{line}:16: peringatan: realisasi anggaran 2.17.03.2.01.0003 (Rp999.000.000) "
        "melebihi pagu (Rp145.000.000) (petunjuk: periksa angka realisasi atau pagu setelah "
        "perubahan APBD)"]


def test_missing_realisasi_value_is_a_warning(sample: Path) -> None:
    line, _ = edit(sample, KOPERASI, "    nilai: 62.40\n", "    nilai: null\n")
    result = run("validate", "--repo", sample)
    assert (result.code, result.lines) == (0, [
        f"{KOPERASI}:{line}:12: peringatan: realisasi IKU-1 belum tersedia (nilai: null) (petunjuk: "
        "langkah 4 memerlukan semua nilai realisasi)"])


def test_all_errors_come_at_once_sorted(sample: Path) -> None:
    a, _ = edit(sample, KOPERASI, "    pagu: 145000000\n", "    pagu: -1\n")
    b, _ = edit(sample, UKM, "bidang: ukm\n", "bidang: ukm\nbidang: ukm\n")
    c, _ = edit(sample, PK, "tahun: 2025\n", "tahun: 2024\n")
    lines = galat_lines(sample)
    assert [x.split(": galat:")[0] for x in lines] == [
        f"{KOPERASI}:{a}:11", f"{UKM}:{b + 1}:1", f"{PK}:{c}:8"]


def test_tahun_option_leaves_out_other_years(sample: Path) -> None:
    edit(sample, "content/2024/bidang/koperasi.yaml", "bidang: koperasi\n", "bidang: [koperasi\n")
    assert run("validate", "--repo", sample, "--tahun", "2025").code == 0
    assert run("validate", "--repo", sample, "--tahun", "2024").code == 1


# ---------------------------------------------------------------- SOP and roster


def test_sop_pelaksana_must_be_a_role(sample: Path) -> None:
    text = (sample / SOP).read_text(encoding="utf-8")
    (sample / SOP).write_text(text.replace("pelaksana: jafung", "pelaksana: jafungg", 1), encoding="utf-8")
    line, col = position(sample, SOP, "jafungg")
    assert only_galat(sample) == (
        f"{SOP}:{line}:{col}: galat: pelaksana 'jafungg' langkah 3 tidak ada di 'peran' "
        "(petunjuk: maksudnya 'jafung'?)")


def test_sop_decision_must_lead_to_an_existing_step(sample: Path) -> None:
    line, col = edit(sample, SOP, "revisi: 5", "revisi: 15", occurrence=1)
    assert only_galat(sample) == (
        f"{SOP}:{line}:{col + 8}: galat: keputusan 'revisi' langkah 6 menuju langkah 15 yang tidak ada")


def test_sop_time_zone_must_exist(sample: Path) -> None:
    line, _ = edit(sample, SOP, "zona_waktu: Asia/Makassar", "zona_waktu: WITA")
    assert only_galat(sample) == (
        f"{SOP}:{line}:13: galat: zona waktu 'WITA' tidak dikenal (petunjuk: WIB Asia/Jakarta, "
        "WITA Asia/Makassar, WIT Asia/Jayapura)")


def test_sop_waktu_must_be_a_duration(sample: Path) -> None:
    line, col = edit(sample, SOP, "waktu: 2 Hari", "waktu: dua hari", occurrence=1)
    assert only_galat(sample) == (
        f"{SOP}:{line}:{col + 7}: galat: 'langkah[4].waktu': teks \"dua hari\" tidak sesuai format; "
        "diharapkan lama waktu: angka lalu Menit, Jam atau Hari (petunjuk: contoh: 2 Hari)")


def test_personil_role_must_exist_in_the_sop(sample: Path) -> None:
    text = (sample / PERSONIL).read_text(encoding="utf-8")
    (sample / PERSONIL).write_text(text.replace("[sekretaris]", "[sekertaris]", 1), encoding="utf-8")
    line, col = position(sample, PERSONIL, "sekertaris")
    lines = galat_lines(sample)
    assert f"{PERSONIL}:{line}:{col}: galat: peran 'sekertaris' milik " in lines[0]
    assert lines[0].endswith(f"tidak ada di {SOP} (petunjuk: maksudnya 'sekretaris'?)")


def test_personil_nip_must_have_18_digits(sample: Path) -> None:
    text = (sample / PERSONIL).read_text(encoding="utf-8")
    start = text.index('nip: "') + 6
    nip = text[start:start + 18]
    line, col = edit(sample, PERSONIL, f'nip: "{nip}"', f'nip: "{nip[:17]}"')
    assert only_galat(sample) == (
        f"{PERSONIL}:{line}:{col + 5}: galat: 'personil[1].nip': teks \"{nip[:17]}\" tidak sesuai "
        "format; diharapkan NIP 18 angka, ditulis dalam tanda kutip tanpa spasi (petunjuk: contoh: "
        "\"197001012000031001\")")


def test_duplicate_email_in_the_roster(sample: Path) -> None:
    text = (sample / PERSONIL).read_text(encoding="utf-8")
    emails = [line.split("email:")[1].strip() for line in text.splitlines() if "email:" in line]
    line, col = edit(sample, PERSONIL, f"email: {emails[1]}", f"email: {emails[0]}")
    first, _ = position(sample, PERSONIL, f"email: {emails[0]}")
    assert only_galat(sample) == (
        f"{PERSONIL}:{line}:{col + 7}: galat: email '{emails[0]}' ganda: sudah dipakai di baris {first}")


# ---------------------------------------------------------------- the lambang (issue 15)

INSTANSI = "content/instansi.yaml"
LOGO_LINE = ("logo: content/lambang.svg  # lambang fiktif untuk contoh; kantor nyata memakai lambang "
             "daerahnya\n")


def test_a_missing_logo_is_a_warning(sample: Path) -> None:
    edit(sample, INSTANSI, LOGO_LINE, "")
    (sample / "content/lambang.svg").unlink()
    result = run("validate", "--repo", sample)
    assert result.code == 0
    assert result.out == (
        f"{INSTANSI}:3:1: peringatan: 'logo' tidak diisi: sampul laporan dan kop surat pengantar tanpa "
        "lambang (petunjuk: simpan lambang daerah (PNG, JPEG atau SVG) di repositori dan tulis "
        "jalurnya, misalnya logo: content/lambang.png)\n")


@pytest.mark.parametrize(("path", "message"), [
    ("content/lambang.png", "galat: berkas logo 'content/lambang.png' tidak ada (petunjuk: periksa "
                            "jalurnya: relatif dari akar repositori, misalnya content/lambang.png)"),
    ("content/renstra/2025-2029.yaml", "galat: logo 'content/renstra/2025-2029.yaml' bukan berkas "
                                       "PNG, JPEG atau SVG (petunjuk: simpan lambang sebagai .png, "
                                       ".jpg atau .svg)"),
    ("../../lambang.svg", "galat: logo '../../lambang.svg' berada di luar repositori (petunjuk: simpan "
                          "lambang di dalam repositori dan tulis jalurnya relatif dari akarnya, misalnya "
                          "content/lambang.png)"),
])
def test_a_logo_that_cannot_be_used_is_an_error(sample: Path, path: str, message: str) -> None:
    line, _ = edit(sample, INSTANSI, LOGO_LINE, f"logo: {path}\n")
    assert only_galat(sample) == f"{INSTANSI}:{line}:7: {message}"


def test_a_value_with_line_breaks_stays_on_its_issue_line(sample: Path) -> None:
    """A value from the data cannot start a line of its own in the report: in a CI log such a line
    could pose as another file's error or as a workflow command."""
    line, col = edit(sample, "content/2025/bidang/koperasi.yaml", "nilai: 62.40",
                     'nilai: "62,4%\\n::error file=x::disuntik\\u202e 100%"', occurrence=1)
    result = run("validate", "--repo", sample)
    assert result.code == 1
    assert result.out == (
        f"content/2025/bidang/koperasi.yaml:{line}:{col + 7}: galat: nilai IKU-1 berupa teks "
        '"62,4%\\n::error file=x::disuntik\\u202e 100%" sehingga capaian tidak dapat dihitung dengan '
        "rumus (petunjuk: nyatakan 'capaian' (angka persen) dan 'catatan' cara menghitungnya)\n")
