"""docs/glossary.md names only code that exists (issue 11: glossary entries named classes that did not exist)."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


def entries() -> list[tuple[str, str]]:
    """(Dutch word, code name) for every code name in the code column of every table."""
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Dutch", "---") or set(cells[0]) <= {"-"}:
            continue
        names = re.findall(r"`([^`]+)`", cells[1])
        assert names, f"glossary row without a code name: {line}"
        found += [(cells[0], name) for name in names]
    return found


def resolve(name: str):
    parts = name.split(".")
    if parts[0] == "doorbraak":
        for cut in range(len(parts) - 1, 0, -1):
            try:
                target = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attr in parts[cut:]:
                target = getattr(target, attr)
            return target
        raise ImportError(name)
    target = apps.get_model(parts[0], parts[1])
    for i, attr in enumerate(parts[2:]):
        try:
            field = target._meta.get_field(attr)
        except (FieldDoesNotExist, AttributeError):
            target = getattr(target, attr)
        else:
            assert i == len(parts[2:]) - 1, f"{name}: a field has no attributes here"
            return field
    return target


ENTRIES = entries()


def test_the_glossary_has_every_part_of_the_domain():
    dutch = " ".join(word for word, _name in ENTRIES)
    for word in (
        "gemeente",
        "huishouden",
        "casus",
        "hulpvraag",
        "casusplatform",
        "doorbraakregisseur",
        "maatwerkplan",
        "handgeld",
        "terugvordering",
        "systeembarrière",
        "leersessie",
        "initiatief",
        "actieonderzoek",
        "aanmelding",
        "ervaringsdeskundige",
        "mandaat",
        "rendement",
    ):
        assert word in dutch, word
    assert len(ENTRIES) >= 60


@pytest.mark.parametrize(("word", "name"), ENTRIES)
def test_every_code_name_exists(word, name):
    assert resolve(name) is not None


def test_the_resolver_refuses_names_that_do_not_exist():
    for missing in (
        "cases.Barrier",
        "initiatives.ActionResearch",
        "cases.Case.no_such_field",
        "doorbraak.budget.models.ScenarioKinds",
    ):
        with pytest.raises((LookupError, AttributeError, ImportError)):
            resolve(missing)
