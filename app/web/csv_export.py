"""CSV downloads that are safe to open in a spreadsheet.

Cells come from articles and analysts (claim text, titles, reasons, actor names): a cell starting with
=, +, -, @, a tab or a carriage return is read by Excel, LibreOffice and Google Sheets as a formula,
which can run commands or send data elsewhere. Such a cell gets a leading apostrophe, which the
spreadsheet shows as text (OWASP's advice). Numbers pass untouched, so a negative count stays a
number. Every CSV the app serves writes through this module.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEDIA_TYPE = "text/csv; charset=utf-8"


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows are guarded cell by cell."""

    def __init__(self, buf) -> None:
        self._writer = csv.writer(buf)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])


def safe_writer(buf) -> SafeWriter:
    return SafeWriter(buf)


def stream_csv(header: Iterable[str], rows: Iterable[Iterable[Any]], chunk: int = 500) -> Iterator[str]:
    """The header, then the rows, `chunk` at a time: a large export is sent as it is read, without
    holding it all in memory, and without one hand-off to the server per row."""
    buf = io.StringIO()
    writer = safe_writer(buf)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % chunk == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]],
                 disposition: str = "attachment") -> StreamingResponse:
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"'}
    return StreamingResponse(stream_csv(header, rows), media_type=MEDIA_TYPE, headers=headers)
