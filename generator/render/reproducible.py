"""Office files (DOCX, XLSX) that are the same bytes on every run: their libraries stamp each
zip entry with the clock."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def reproducible_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The zip `data` with every entry restamped with `moment` (the document's date, from git;
    zip stores local time without a zone, from 1980, in 2-second steps) and the same file mode."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
             moment.second - moment.second % 2)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
