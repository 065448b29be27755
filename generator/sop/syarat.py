"""The `syarat` of a step (DESIGN §5): what `lakip step` checks before recording it and `lakip
verify` re-checks on the tree of every step commit (`syarat-tidak-terpenuhi`). Pure."""

from __future__ import annotations

from generator.data import model as m
from generator.data.errors import Issue
from generator.data.load import for_year
from generator.data.model import NARASI_WAJIB
from generator.data.validate import incomplete


def check_syarat(step: m.Langkah, keputusan: str, repo: m.Repo, issues: list[Issue], tahun: int,
                 changed: tuple[str, ...]) -> list[str]:
    """The unmet prerequisites of recording `step` with `keputusan` on `repo` (loaded with
    `issues`), `changed` the files the step commit changes: Indonesian sentences, [] when met."""
    year = repo.find_tahun(tahun)
    base = f"content/{tahun}/"
    errors = [i for i in for_year(issues, tahun) if i.is_error]
    problems = []
    for syarat in step.syarat:
        if syarat == "data-bidang-lengkap":
            bad = incomplete(issues, base)
            if year is None or not year.bidang:
                problems.append(f"data bidang tahun {tahun} belum ada (content/{tahun}/bidang/)")
            for issue in bad[:10]:
                problems.append(f"data bidang belum lengkap: {issue.format()}")
        elif syarat == "validasi-bersih":
            for issue in errors[:10]:
                problems.append(f"data belum valid: {issue.format()}")
            if len(errors) > 10:
                problems.append(f"... dan {len(errors) - 10} galat lain (jalankan lakip validate)")
        elif syarat == "narasi-lengkap":
            missing = year.narasi_kurang if year else NARASI_WAJIB
            if missing:
                problems.append(f"narasi belum lengkap: {', '.join(missing)} belum ditulis di "
                                f"content/{tahun}/narasi/")
        elif syarat == "catatan-reviu" and not (step.keputusan.get(keputusan, step.no + 1) > step.no):
            notes = [r for r in (year.reviu if year else ()) if r.path in changed
                     and r.langkah == step.no and r.keputusan == keputusan]
            if not notes:
                problems.append(f"keputusan '{keputusan}' memerlukan catatan reviu baru di "
                                f"content/{tahun}/reviu/ (front matter langkah: {step.no}, "
                                f"keputusan: {keputusan}) yang ikut di commit ini (git add)")
        elif syarat == "surat-pengantar" and not (year and year.pengiriman
                                                   and year.pengiriman.surat_pengantar):
            problems.append(f"surat pengantar belum diisi: content/{tahun}/pengiriman.yaml "
                            "bagian 'surat_pengantar'")
        elif syarat == "tanda-terima" and not (year and year.pengiriman
                                                and year.pengiriman.tanda_terima):
            problems.append(f"tanda terima belum diisi: content/{tahun}/pengiriman.yaml bagian "
                            "'tanda_terima'")
    return problems
