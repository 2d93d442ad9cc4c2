"""CSV that a spreadsheet cannot execute (OWASP "CSV injection", issue 10 part 6).

Every CSV export of the product writes through `writer()`: a text cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text instead of
evaluating a formula such as `=HYPERLINK("http://x","y")`. Numbers (int, float, Decimal) stay numbers, and so do
texts that are plainly a number ("-12", "-0,5"): a spreadsheet reads those as a number, never as a formula.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+([.,][0-9]+)?$")


def neutralise(value):
    """The cell as it is safe to write: numbers unchanged, dangerous text prefixed with an apostrophe."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer with every cell neutralised."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)
