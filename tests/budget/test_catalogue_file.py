"""The default cost catalogue and the CPI series come from the reviewed data file budget/data/catalogue.toml; the
loader refuses a broken file with an error that names the entry and the field."""

import tomllib

import pytest

from doorbraak.budget import catalogue_data
from doorbraak.budget.catalogue_data import CatalogueFileError, parse_catalogue

GOOD_ITEM = """
[[item]]
code = "gp_consult"
name = "Consult huisarts, per consult"
unit = "each"
amount_cents = 3087
funder = "zvw"
price_year = 2022
source_type = "official"
confidence = "high"
source = "Kostenhandleiding 2024"
"""
CPI = """
[cpi]
source = "CBS StatLine 83131NED"
[cpi.index]
2021 = 110.35
2022 = 121.43
2023 = 126.05
"""


def test_the_shipped_file_loads_with_every_item_sourced_and_a_contiguous_cpi_series():
    items, cpi = catalogue_data.load_catalogue()
    assert len(items) == 79  # issue 12: youth GGZ (Jeugdwet) added
    assert {"gp_consult", "used_car", "uncovered_treatment"} <= {i["code"] for i in items}
    assert all(i["source"].strip() and i["price_year"] <= max(cpi) for i in items)
    assert list(cpi) == list(range(2015, max(cpi) + 1))
    assert cpi[2015] == 100.0 and cpi[2022] == 121.43
    # the accessors give copies: a caller changing a row does not change the catalogue of the next municipality
    catalogue_data.catalogue_items()[0]["amount_cents"] = 1
    assert catalogue_data.catalogue_items()[0]["amount_cents"] == items[0]["amount_cents"]


def test_a_good_minimal_file_parses():
    items, cpi = parse_catalogue(CPI + GOOD_ITEM)
    assert items == [tomllib.loads(GOOD_ITEM)["item"][0]]
    assert cpi == {2021: 110.35, 2022: 121.43, 2023: 126.05}


def _item(**changes):
    lines = []
    for line in GOOD_ITEM.strip().splitlines():
        key = line.split(" = ")[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key} = {changes.pop(key)}")
            else:
                changes.pop(key)
        else:
            lines.append(line)
    lines += [f"{k} = {v}" for k, v in changes.items()]
    return "\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CPI + _item(amount_cents=0), "item 1 (code 'gp_consult'): field 'amount_cents' must be greater than 0"),
        (CPI + _item(amount_cents=-150), "field 'amount_cents' must be greater than 0"),
        (CPI + _item(amount_cents='"30,87"'), "field 'amount_cents' must be a whole number, got '30,87'"),
        (CPI + _item(amount_cents="30.87"), "field 'amount_cents' must be a whole number, got 30.87"),
        (CPI + _item(unit='"fortnight"'), "unknown unit 'fortnight'; known: day, daypart, each, hour"),
        (CPI + _item(funder='"gemeente"'), "unknown funder 'gemeente'; known:"),
        (CPI + _item(source_type='"guess"'), "unknown source_type 'guess'"),
        (CPI + _item(confidence='"sure"'), "unknown confidence 'sure'"),
        (CPI + _item(source=None), "item 1 (code 'gp_consult'): field 'source' is required"),
        (CPI + _item(price_year=None), "field 'price_year' is required"),
        (CPI + _item(source='"  "'), "field 'source' is empty"),
        (CPI + _item(price_year=2024), "price_year 2024 must be from 2000 up to the last CPI year 2023"),
        (CPI + _item(price_year=1999), "price_year 1999 must be from 2000"),
        (CPI + _item(price_year='"2022"'), "field 'price_year' must be a whole number"),
        (CPI + _item(ammount_cents=5), "unknown field 'ammount_cents'"),
        (CPI + _item(code='"GP consult"'), "field 'code' must be lower-case letters"),
        (CPI + _item(code=None), "item 1: field 'code' is required"),
        (CPI + GOOD_ITEM + GOOD_ITEM, "item 2 (code 'gp_consult'): code 'gp_consult' is used twice (also item 1)"),
        (
            CPI.replace("2022 = 121.43\n", ""),
            "[cpi.index]: the years must follow each other without a gap; missing [2022]",
        ),
        (
            CPI.replace("2023 = 126.05", "2023 = 0") + GOOD_ITEM,
            "[cpi.index] 2023: the index must be a number greater than 0",
        ),
        (CPI.replace("2023 = 126.05", '2023 = "126"') + GOOD_ITEM, "[cpi.index] 2023: the index must be a number"),
        (CPI.replace('source = "CBS StatLine 83131NED"\n', "") + GOOD_ITEM, "[cpi]: field 'source' is required"),
        (GOOD_ITEM, "[cpi.index]: missing"),
        (CPI, "[[item]]: no items"),
        (CPI + GOOD_ITEM + "[[item]\n", "not valid TOML"),
    ],
)
def test_a_broken_entry_is_refused_with_an_error_naming_it(text, message):
    with pytest.raises(CatalogueFileError) as refused:
        parse_catalogue(text, name="catalogue.toml")
    assert str(refused.value).startswith("catalogue.toml")
    assert message in str(refused.value)


def test_the_system_check_passes_for_the_shipped_file_and_names_the_entry_of_a_broken_one(tmp_path):
    assert catalogue_data.check_catalogue_file() == []
    broken = tmp_path / "catalogue.toml"
    broken.write_text(CPI + _item(funder='"gemeente"'), encoding="utf-8")
    [error] = catalogue_data.check_catalogue_file(path=broken)
    assert error.id == "budget.E001"
    assert "item 1 (code 'gp_consult'): unknown funder 'gemeente'" in error.msg
    [missing] = catalogue_data.check_catalogue_file(path=tmp_path / "gone.toml")
    assert missing.id == "budget.E001"
