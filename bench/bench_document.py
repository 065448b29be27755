"""Benchmark of the document pipeline on a synthetic large office.

    python bench/bench_document.py [--keep DIR] [--json]

Writes an office of 12 bidang, 80 indikator (20 sasaran, 4 tujuan), 17 programs and 400 sub
kegiatan a year over 2021-2025 (one Renstra 2021-2025), requires `lakip validate` to pass, then
times, for 2025 and in this one process (median of 3 runs; PDF of 2 when a run takes over 20 s):
load+validate+figures, HTML (context + render), PDF (document.pdf), WeasyPrint alone on the same
HTML (default fetcher) and the PDF/baseline ratio, DOCX (write_docx); then one `lakip build` as a
subprocess for the end-to-end wall time. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import weasyprint
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.data.load import load_repo
from generator.data.validate import validate
from generator.figures.capaian import compute
from generator.render import document
from generator.render.docx import Meta, write_docx
from generator.render.templates import environment

PROJECT = Path(__file__).resolve().parents[1]
YEARS = range(2021, 2026)
SUBS_PER_YEAR = 400
SLOW_S = 20  # a PDF run longer than this: median of 2 runs instead of 3
BIDANG = {  # id: (nama, topik, program codes)
    "sekretariat": ("Sekretariat", "Administrasi Perangkat Daerah", ["X.XX.01"]),
    "koperasi": ("Bidang Kelembagaan dan Pengawasan Koperasi", "Koperasi", ["2.17.03", "2.17.04"]),
    "pemberdayaan-koperasi": ("Bidang Pemberdayaan Koperasi", "Koperasi Produktif", ["2.17.05", "2.17.06"]),
    "usaha-mikro": ("Bidang Usaha Mikro", "Usaha Mikro", ["2.17.07"]),
    "ukm": ("Bidang Usaha Kecil dan Menengah", "Usaha Kecil dan Menengah", ["2.17.08", "2.17.02"]),
    "kewirausahaan": ("Bidang Kewirausahaan", "Wirausaha Baru", ["3.30.07"]),
    "perindustrian": ("Bidang Perindustrian", "IKM Pangan", ["3.31.02"]),
    "industri-kimia": ("Bidang Industri Kimia, Sandang dan Aneka", "IKM Sandang dan Kerajinan", ["3.31.03"]),
    "sarana-industri": ("Bidang Sarana dan Prasarana Industri", "Sentra IKM", ["3.31.04"]),
    "perdagangan": ("Bidang Perdagangan Dalam Negeri", "Pasar Rakyat", ["3.30.02", "3.30.03", "3.30.04"]),
    "metrologi": ("UPT Metrologi Legal", "Alat Ukur, Takar, Timbang dan Perlengkapannya", ["3.30.06"]),
    "plut": ("UPT Pusat Layanan Usaha Terpadu", "Pelaku UMKM Binaan PLUT", ["3.30.05"]),
}
PROGRAM = {"X.XX.01": "Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
           "2.17.02": "Pelayanan Izin Usaha Simpan Pinjam", "2.17.03": "Pengawasan dan Pemeriksaan Koperasi",
           "2.17.04": "Penilaian Kesehatan KSP/USP Koperasi",
           "2.17.05": "Pendidikan dan Latihan Perkoperasian",
           "2.17.06": "Pemberdayaan dan Perlindungan Koperasi",
           "2.17.07": "Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro (UMKM)",
           "2.17.08": "Pengembangan UMKM", "3.31.02": "Perencanaan dan Pembangunan Industri",
           "3.31.03": "Pengendalian Izin Usaha Industri Kabupaten/Kota",
           "3.31.04": "Pengelolaan Sistem Informasi Industri Nasional",
           "3.30.02": "Perizinan dan Pendaftaran Perusahaan",
           "3.30.03": "Peningkatan Sarana Distribusi Perdagangan",
           "3.30.04": "Stabilisasi Harga Barang Kebutuhan Pokok dan Barang Penting",
           "3.30.05": "Pengembangan Ekspor", "3.30.06": "Standardisasi dan Perlindungan Konsumen",
           "3.30.07": "Penggunaan dan Pemasaran Produk Dalam Negeri"}
OBJEK = ["koperasi aktif", "koperasi simpan pinjam", "usaha mikro binaan", "usaha kecil binaan",
         "IKM pangan binaan", "IKM kerajinan binaan", "sentra IKM", "pasar rakyat", "wirausaha baru",
         "pelaku UMKM perempuan", "produk unggulan daerah", "alat UTTP milik pedagang", "koperasi wanita",
         "pelaku usaha ekspor pemula", "toko swalayan berizin", "pengurus koperasi"]
PREDIKAT = [("memiliki legalitas usaha lengkap", "belum memiliki legalitas usaha lengkap"),
            ("meningkat omzetnya", "mengalami penurunan omzet"),
            ("memenuhi standar mutu", "belum memenuhi standar mutu"),
            ("mengakses pembiayaan perbankan", "menunggak pinjaman dana bergulir"),
            ("memasarkan produk secara digital", "belum memiliki akses pasar tetap")]
TEMA = ["kelembagaan koperasi", "kesehatan koperasi simpan pinjam", "legalitas usaha mikro",
        "skala usaha kecil dan menengah", "mutu produk IKM pangan", "daya saing IKM kerajinan",
        "sarana sentra IKM", "kualitas pasar rakyat", "jumlah wirausaha baru", "akses pembiayaan UMKM",
        "pemasaran produk dalam negeri", "tertib ukur perdagangan", "kelancaran distribusi barang pokok",
        "stabilitas harga barang pokok", "ekspor produk UMKM", "perlindungan konsumen",
        "layanan usaha terpadu", "akuntabilitas kinerja", "kualitas pelayanan publik", "tata kelola keuangan"]
TUJUAN = ["Meningkatkan daya saing koperasi dan usaha mikro, kecil dan menengah",
          "Meningkatkan peran industri kecil dan menengah dalam perekonomian daerah",
          "Menjamin kelancaran distribusi dan perlindungan konsumen di pasar daerah",
          "Mewujudkan tata kelola perangkat daerah yang akuntabel dan berorientasi pelayanan"]
AKSI = ["Fasilitasi", "Pendampingan", "Pelatihan", "Penyusunan Data", "Koordinasi dan Sinkronisasi",
        "Monitoring dan Evaluasi", "Sosialisasi", "Pengembangan", "Penyediaan Sarana", "Pembinaan"]
KECAMATAN = ["Samarinda Ulu", "Samarinda Ilir", "Samarinda Kota", "Samarinda Utara", "Samarinda Seberang",
             "Sungai Kunjang", "Sungai Pinang", "Sambutan", "Palaran", "Loa Janan Ilir"]
SEBAB = ["pendampingan intensif oleh petugas lapangan", "keterlambatan pencairan anggaran triwulan I",
         "kenaikan harga bahan baku yang menekan margin", "kerja sama dengan perbankan dan perguruan tinggi",
         "banjir yang menghentikan kegiatan usaha dua pekan", "pemutakhiran data melalui aplikasi daring"]
SOLUSI = ["menjadwalkan kegiatan sejak triwulan I dan memantau progresnya setiap bulan",
          "memperluas layanan jemput bola ke kelurahan dengan capaian terendah",
          "menambah petugas pendamping bersertifikat dan memperbarui modul pelatihan"]


def dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), "utf-8")


def id_num(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def make_office(root: Path, seed: int = 2025) -> None:
    """The synthetic office under `root`: content/ and sop/ (copied from the sample)."""
    rnd = random.Random(seed)
    sample = yaml.safe_load((PROJECT / "content/instansi.yaml").read_text("utf-8"))
    ids = list(BIDANG)
    sample["bidang"] = [{"id": b, "nama": n, "kepala": f"Kepala {n}", "tugas": f"Melaksanakan urusan {t}."}
                        for b, (n, t, _) in BIDANG.items()]
    dump(root / "content/instansi.yaml", sample)
    if sample.get("logo"):
        shutil.copy(PROJECT / sample["logo"], root / sample["logo"])
    indikator, tujuan = [], []
    for ti, tu in enumerate(TUJUAN):
        sasaran = []
        for si in range(5):
            sid, rows = ti * 5 + si, []
            for k in range(sid * 4, sid * 4 + 4):
                neg = k % 4 == 1
                obj, pred = OBJEK[k % 16], PREDIKAT[k // 16][neg]
                base = rnd.uniform(40, 60) if neg else rnd.uniform(25, 70)
                step = -rnd.uniform(1.5, 3) if neg else rnd.uniform(1.5, 4)
                target = {y: round(base + step * (y - 2020), 2) for y in YEARS}
                ind = {"id": f"IKU-{k + 1}", "uraian": f"Persentase {obj} yang {pred}", "satuan": "persen",
                       "polaritas": "negatif" if neg else "positif",
                       "rumus": f"jumlah {obj} yang {pred} / jumlah {obj} × 100", "bidang": ids[k % 12],
                       "sumber_data": f"Rekapitulasi data {obj} {BIDANG[ids[k % 12]][0]}",
                       "kondisi_awal": {"tahun": 2020, "nilai": round(base, 2)}, "target": target}
                if k % 10 == 7:
                    ind["standar_nasional"] = {"nilai": round(base + 10, 2), "sumber": "SPM daerah"}
                rows.append(ind)
                indikator.append(ind)
            sasaran.append({"id": f"S{sid + 1}", "uraian": f"Meningkatnya {TEMA[sid]}", "indikator": rows})
        tujuan.append({"id": f"T{ti + 1}", "uraian": tu, "sasaran": sasaran})
    dump(root / "content/renstra/2021-2025.yaml", {
        "judul": f"Rencana Strategis {sample['nama']} Tahun 2021-2025",
        "periode": {"mulai": 2021, "selesai": 2025}, "tujuan": tujuan})
    sasaran_of = {i["id"]: s["id"] for t in tujuan for s in t["sasaran"] for i in s["indikator"]}
    # the programs of a bidang share the sasaran of its indikator (every sasaran gets a program)
    links = {}
    for b, (_, _, codes) in BIDANG.items():
        own = sorted({sasaran_of[i["id"]] for i in indikator if i["bidang"] == b}, key=lambda s: int(s[1:]))
        for n, code in enumerate(codes):
            links[code] = own[n::len(codes)] or own[:1]
    counts = [SUBS_PER_YEAR // 12 + (i < SUBS_PER_YEAR % 12) for i in range(12)]
    for tahun in YEARS:
        make_year(root / f"content/{tahun}", tahun, indikator, links, counts, rnd)
    shutil.copy(PROJECT / "content/2025/pengiriman.yaml", root / "content/2025/pengiriman.yaml")
    shutil.copytree(PROJECT / "sop", root / "sop")
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")  # so that `lakip build` makes the site too


def make_year(folder: Path, tahun: int, indikator: list, links: dict, counts: list, rnd) -> None:
    pk_target, aksi, program, kegiatan = {}, {}, [], []
    for n, ind in enumerate(indikator):
        pk_target[ind["id"]] = ind["target"][tahun]
        if n % 5 == 0:
            t = ind["target"][tahun]
            aksi[ind["id"]] = {f"tw{q}": round(t * q / 4, 2) for q in range(1, 5)}
    for bi, (b, (_, topik, codes)) in enumerate(BIDANG.items()):
        subs = []
        for j in range(counts[bi]):
            code = codes[j % len(codes)]
            keg = f"{code}.2.{(j // len(codes)) % 3 + 1:02d}"
            aksi_ = AKSI[(j + tahun) % len(AKSI)]
            pagu = rnd.randrange(25, 450 if bi else 900) * 1_000_000
            target = rnd.randrange(10, 200)
            subs.append({"kode": f"{keg}.{j // (3 * len(codes)) + 1:04d}",
                         "nama": f"{aksi_} {topik} di Kecamatan {KECAMATAN[j % 10]}",
                         "pagu": pagu, "realisasi": int(round(pagu * rnd.uniform(0.78, 0.995), -3)),
                         "keluaran": {"uraian": f"{topik} yang mendapat {aksi_.lower()}",
                                      "satuan": rnd.choice(["orang", "unit", "pelaku usaha", "dokumen"]),
                                      "target": target, "realisasi": max(0, target - rnd.randrange(0, 8))}})
        for code in codes:
            mine = [s for s in subs if s["kode"].startswith(code + ".")]
            program.append({"kode": code, "nama": f"Program {PROGRAM[code]}",
                            "pagu": sum(s["pagu"] for s in mine), "sasaran": links[code]})
            for k in sorted({s["kode"][: len(code) + 5] for s in mine}):
                kegiatan.append({"kode": k, "nama": f"{AKSI[int(k[-2:])]} {PROGRAM[code]}"})
        realisasi = {}
        for ind in (i for i in indikator if i["bidang"] == b):
            target = ind["target"][tahun]
            nilai = round(target * rnd.uniform(0.85, 1.12), 2)
            sebab, solusi = rnd.sample(SEBAB, 2), rnd.choice(SOLUSI)
            bukti = f"bukti/{b}/{ind['id'].lower()}-rekap-{tahun}.csv"
            (folder / bukti).parent.mkdir(parents=True, exist_ok=True)
            (folder / bukti).write_text("kecamatan,jumlah,memenuhi\n" + "".join(
                f"{k},{rnd.randrange(50, 300)},{rnd.randrange(10, 50)}\n" for k in KECAMATAN), "utf-8")
            realisasi[ind["id"]] = {
                "nilai": nilai,
                "analisis": f"Realisasi p{ind['uraian'][1:]} tahun {tahun} sebesar {id_num(nilai)} persen "
                            f"dibanding target {id_num(target)} persen. Capaian ini terutama dipengaruhi "
                            f"oleh {sebab[0]}, sedangkan di sisi lain {sebab[1]} menahan capaian di beberapa "
                            f"kecamatan, terutama {KECAMATAN[rnd.randrange(10)]} dan "
                            f"{KECAMATAN[rnd.randrange(10)]}.",
                "solusi": f"Pada tahun {tahun + 1} {BIDANG[b][0]} akan {solusi}, serta melaporkan "
                          "perkembangannya dalam rapat evaluasi kinerja triwulanan Dinas.",
                "bukti": [bukti]}
        dump(folder / f"bidang/{b}.yaml", {"bidang": b, "realisasi": realisasi, "sub_kegiatan": subs})
    dump(folder / "perjanjian-kinerja.yaml", {
        "tahun": tahun, "tanggal": dt.date(tahun, 2, 3), "nomor": f"000.8.3.2/{tahun % 100:03d}/100.14",
        "renstra": "2021-2025",
        "pihak_kedua": {"nama": "Dr. H. Rahmat Hidayatullah, S.H., M.H.", "jabatan": "Wali Kota Samarinda"},
        "target": pk_target, "rencana_aksi": aksi, "program": program, "kegiatan": kegiatan})
    shutil.copytree(PROJECT / "content/2025/narasi", folder / "narasi")
    for rel in _NARASI_FILES:  # the images the sample's narasi embeds
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT / "content/2025" / rel, folder / rel)


_NARASI_FILES = ("bukti/sekretariat/struktur-organisasi.svg",)


def timed(fn, runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(round(time.perf_counter() - start, 4))
    return statistics.median(times), times, result


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)  # progress; stdout holds only the result


def lakip(*args: str, root: Path) -> tuple[subprocess.CompletedProcess, float]:
    """The CLI of this checkout (`lakip ARGS --repo root`); no enclosing git repository (--keep
    inside this checkout) may be taken for the office's, whose DRAF state is read from git."""
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(root.parent)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "generator", *args, "--repo", str(root)], cwd=PROJECT,
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"lakip {args[0]} failed (exit {done.returncode}):\n{done.stdout[:4000]}{done.stderr}")
    return done, time.perf_counter() - start


def measure(root: Path) -> dict:
    tahun = max(YEARS)
    check, _ = lakip("validate", root=root)
    r: dict = {"tahun": tahun, "bidang": len(BIDANG), "cpu_count": os.cpu_count(),
               "loadavg_start": os.getloadavg()[0],
               "validate_peringatan": sum(": peringatan:" in x for x in check.stdout.splitlines())}

    def load():
        repo, issues = load_repo(root)
        issues += validate(repo)
        return repo, compute(repo, tahun)

    log("load+validate+figures")
    r["load_figures_s"], r["load_figures_runs"], (repo, figures) = timed(load, 3)
    r.update(indikator=len(figures.indikator), sasaran=len(figures.sasaran), program=len(figures.program),
             sub_kegiatan=sum(len(b.sub_kegiatan) for b in repo.find_tahun(tahun).bidang))
    env = environment(root)
    state = document.DocumentState(True, bool(repo.instansi.contoh),
                                   dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC), 8)
    log("HTML")
    r["html_s"], r["html_runs"], html = timed(lambda: document.render(
        env, "document/lakip.html", document.context(repo, tahun, figures, state, None)), 3)
    out = root / "out"
    out.mkdir()
    (out / f"lakip-{tahun}.html").write_text(html, "utf-8")
    r["html_bytes"] = len(html.encode("utf-8"))

    log("PDF (document.pdf) and WeasyPrint alone, alternating")
    stage = {"pdf": lambda: document.pdf(html),
             "weasyprint": lambda: weasyprint.HTML(string=html).write_pdf()}
    runs: dict[str, list[float]] = {"pdf": [], "weasyprint": []}
    weasyprint.HTML(string="<p>warm-up</p>").write_pdf()  # a first render outside the timed runs
    for i in range(3):  # alternating order, so that neither side always runs on the fuller heap
        if i == 2 and runs["pdf"][0] > SLOW_S:
            break
        for name in ("pdf", "weasyprint") if i % 2 == 0 else ("weasyprint", "pdf"):
            t, _, result = timed(stage[name], 1)
            runs[name].append(t)
            if name == "pdf":
                (out / f"lakip-{tahun}.pdf").write_bytes(result)
    for name, times in runs.items():
        r[f"{name}_s"], r[f"{name}_runs"] = statistics.median(times), times
    r["pdf_ratio"] = r["pdf_s"] / r["weasyprint_s"]
    info = subprocess.run(["pdfinfo", str(out / f"lakip-{tahun}.pdf")], capture_output=True, text=True)
    r["pdf_pages"] = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    r["pdf_bytes"] = (out / f"lakip-{tahun}.pdf").stat().st_size

    log("DOCX")
    docx = out / f"lakip-{tahun}.docx"
    meta = Meta(f"Laporan Kinerja Instansi Pemerintah Tahun {tahun}", repo.instansi.nama,
                f"LKjIP {tahun} · {repo.instansi.nama}", tuple(state.tanda), state.tanggal)
    r["docx_s"], r["docx_runs"], _ = timed(lambda: write_docx(html, docx, meta), 3)
    r["docx_bytes"] = docx.stat().st_size
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    log("lakip build (subprocess)")
    _, build_s = lakip("build", "--out", str(root / "out-build"), root=root)
    r["build_s"] = round(build_s, 4)
    if not (root / "out-build/site/index.html").is_file():
        raise SystemExit("lakip build made no site: the end-to-end row would not be end to end")
    r["build_runs"] = [r["build_s"]]
    r["loadavg_end"] = os.getloadavg()[0]
    return r


STAGES = (("load + validate + figures", "load_figures"), ("HTML (context + render)", "html"),
          ("PDF (document.pdf)", "pdf"), ("WeasyPrint alone (baseline)", "weasyprint"),
          ("DOCX (write_docx)", "docx"), ("lakip build (end to end, 1 run)", "build"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, metavar="DIR", help="build the office in DIR and keep it")
    ap.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    args = ap.parse_args(argv)
    root = (args.keep or Path(tempfile.mkdtemp(prefix="lakip-bench-doc-"))).resolve()
    if root.exists() and any(root.iterdir()) and not (root / "content/instansi.yaml").is_file():
        sys.exit(f"{root} is not empty and holds no office of an earlier run; refusing to write there")
    for old in ("content", "sop", "out", "out-build"):
        shutil.rmtree(root / old, ignore_errors=True)
    try:
        log(f"writing the synthetic office in {root}")
        make_office(root)
        r = measure(root)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(r, indent=2))
        return 0
    print(f"Synthetic office: {r['bidang']} bidang, {r['indikator']} indikator, {r['sasaran']} sasaran, "
          f"{r['program']} program, {r['sub_kegiatan']} sub kegiatan a year, 5 years; validate: 0 galat, "
          f"{r['validate_peringatan']} peringatan; {r['cpu_count']} CPU, load "
          f"{r['loadavg_start']:.1f} -> {r['loadavg_end']:.1f}")
    print(f"{'stage (year ' + str(r['tahun']) + ')':34} {'median s':>9}  runs")
    for name, key in STAGES:
        print(f"{name:34} {r[key + '_s']:9.3f}  {' '.join(f'{x:.3f}' for x in r[key + '_runs'])}")
    print(f"PDF / WeasyPrint alone: {r['pdf_ratio']:.3f}")
    print(f"PDF {r['pdf_pages']} pages, {r['pdf_bytes'] / 1024:.0f} KiB; "
          f"HTML {r['html_bytes'] / 1024:.0f} KiB; DOCX {r['docx_bytes'] / 1024:.0f} KiB; "
          f"peak RSS {r['peak_rss_mb']:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
