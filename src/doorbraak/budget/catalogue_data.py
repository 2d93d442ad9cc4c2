"""The default cost catalogue (kostenkengetallen) and the CPI series: read from the reviewed data file
`budget/data/catalogue.toml` and checked before anything uses them.

The file is data, reviewed like code (each price with its source and price year). This module reads it once
(`catalogue_items()`, `cpi_index()`), and refuses a broken file with one clear error that names the entry and
the field (`CatalogueFileError`): required fields, types, amount > 0 and below the plan limit, known units,
funders, source types and confidence levels, unique codes, a price year not after the CPI series, and CPI years
that follow each other without a gap.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.toml"

# field -> type; every item needs all of them and nothing else (a typo in a field name is an error, not a default)
ITEM_FIELDS: dict[str, type] = {
    "code": str,
    "name": str,
    "unit": str,
    "amount_cents": int,
    "funder": str,
    "price_year": int,
    "source_type": str,
    "confidence": str,
    "source": str,
}
_CODE = re.compile(r"^[-a-z0-9_]{1,80}$")  # CatalogueItem.code is a SlugField(max_length=80)
_NAME_MAX = 200  # CatalogueItem.name max_length
MIN_PRICE_YEAR = 2000  # older figures say too little about today's prices


class CatalogueFileError(ImproperlyConfigured):
    """The catalogue data file is broken; the message names the file, the entry and the field."""


def _choices() -> dict[str, set[str]]:
    # Imported here: the models need the app registry, and this module is imported while apps load.
    from doorbraak.core.choices import Funder

    from .models import Confidence, SourceType, Unit

    return {
        "unit": set(Unit.values),
        "funder": set(Funder.values),
        "source_type": set(SourceType.values),
        "confidence": set(Confidence.values),
    }


def _is(value, kind: type) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, kind)


def _cpi(data: dict, fail) -> dict[int, float]:
    cpi = data.get("cpi")
    if not isinstance(cpi, dict) or not isinstance(cpi.get("index"), dict) or not cpi["index"]:
        fail("[cpi.index]", "missing: give one line 'year = index' per year")
    if not isinstance(cpi.get("source"), str) or not cpi["source"].strip():
        fail("[cpi]", "field 'source' is required (where the CPI figures come from)")
    series: dict[int, float] = {}
    for key, value in cpi["index"].items():
        if not re.fullmatch(r"\d{4}", key):
            fail(f"[cpi.index] {key}", "the key must be a year (four digits)")
        if not _is(value, float) or value <= 0:
            fail(f"[cpi.index] {key}", f"the index must be a number greater than 0, got {value!r}")
        series[int(key)] = float(value)
    years = sorted(series)
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        fail("[cpi.index]", f"the years must follow each other without a gap; missing {missing}")
    return dict(sorted(series.items()))


def parse_catalogue(text: str, *, name: str = "catalogue.toml") -> tuple[list[dict], dict[int, float]]:
    """Read and check the catalogue file's text. Returns (items, CPI series {year: index})."""

    def fail(where: str, problem: str):
        raise CatalogueFileError(f"{name}, {where}: {problem}")

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueFileError(f"{name}: not valid TOML ({exc})") from exc
    unknown = set(data) - {"cpi", "item"}
    if unknown:
        fail("top level", f"unknown section(s) {sorted(unknown)}; expected [cpi] and [[item]]")
    cpi = _cpi(data, fail)
    items = data.get("item")
    if not isinstance(items, list) or not items:
        fail("[[item]]", "no items")
    choices = _choices()
    from .models import MAX_AMOUNT_CENTS as max_cents

    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        where = f"item {number}" + (f" (code {item['code']!r})" if isinstance(item.get("code"), str) else "")
        for field in ITEM_FIELDS.keys() - item.keys():
            fail(where, f"field {field!r} is required")
        for field in item.keys() - ITEM_FIELDS.keys():
            fail(where, f"unknown field {field!r} (expected {', '.join(ITEM_FIELDS)})")
        for field, kind in ITEM_FIELDS.items():
            if not _is(item[field], kind):
                expected = "a whole number" if kind is int else "text"
                fail(where, f"field {field!r} must be {expected}, got {item[field]!r}")
            if kind is str and not item[field].strip():
                fail(where, f"field {field!r} is empty")
        if not _CODE.match(item["code"]):
            fail(where, "field 'code' must be lower-case letters, digits, '-' or '_' (at most 80)")
        if item["code"] in seen:
            fail(where, f"code {item['code']!r} is used twice (also item {seen[item['code']]})")
        seen[item["code"]] = number
        if len(item["name"]) > _NAME_MAX:
            fail(where, f"field 'name' is longer than {_NAME_MAX} characters")
        if not 0 < item["amount_cents"] <= max_cents:
            amount = item["amount_cents"]
            fail(where, f"field 'amount_cents' must be greater than 0 (and at most {max_cents}), got {amount}")
        for field, known in choices.items():
            if item[field] not in known:
                fail(where, f"unknown {field} {item[field]!r}; known: {', '.join(sorted(known))}")
        # A price year after the series cannot be indexed; one before it is indexed from the series' first year
        # (calculations.cpi_factor), which three old DJI/Rekenkamer figures (2013, 2014) rely on.
        if not MIN_PRICE_YEAR <= item["price_year"] <= max(cpi):
            fail(
                where,
                f"price_year {item['price_year']} must be from {MIN_PRICE_YEAR} up to the last CPI year {max(cpi)}",
            )
    return [dict(item) for item in items], cpi


def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[list[dict], dict[int, float]]:
    return parse_catalogue(path.read_text(encoding="utf-8"), name=str(path.name))


@functools.cache
def _shipped() -> tuple[tuple[dict, ...], dict[int, float]]:
    items, cpi = load_catalogue()
    return tuple(items), cpi


def catalogue_items() -> list[dict]:
    """The default catalogue rows (fresh copies: callers may change them)."""
    return [dict(row) for row in _shipped()[0]]


def cpi_index() -> dict[int, float]:
    """The CPI series {year: index}, CBS, 2015 = 100 (a copy)."""
    return dict(_shipped()[1])


def check_catalogue_file(app_configs=None, path: Path | None = None, **kwargs) -> list:
    """A Django system check (`manage.py check`, run before the server starts): the data file must load.
    To be registered in BudgetConfig.ready(): `checks.register(catalogue_data.check_catalogue_file)`."""
    from django.core import checks

    try:
        load_catalogue(path or CATALOGUE_FILE)
    except (CatalogueFileError, OSError) as exc:
        return [checks.Error(str(exc), id="budget.E001", hint="Fix budget/data/catalogue.toml (docs/apps/budget.md).")]
    return []
