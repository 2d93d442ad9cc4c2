"""Import files for the transfer tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

COLUMNS = [
    "extern_id",
    "huishouden",
    "relatie",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "bsn",
    "team",
    "titel",
    "hulpvraag",
    "geprobeerd",
    "wijk",
]
VALID_BSN = "111222333"  # passes the eleven-test
OTHER_BSN = "123456782"


def row(
    ext,
    household,
    team,
    *,
    relation="hoofdpersoon",
    first="Anna",
    last="Jansen",
    born="1980-04-01",
    bsn="",
    title="Schulden en woning",
    question="Wij dreigen de woning te verliezen.",
    tried="",
    area="Noord",
):
    return [ext, household, relation, first, last, born, bsn, team, title, question, tried, area]


def csv_bytes(rows, columns=COLUMNS, delimiter=",") -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, columns=COLUMNS) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_file(content: bytes, name="import.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")
