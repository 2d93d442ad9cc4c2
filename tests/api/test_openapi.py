"""The OpenAPI contract (issue 17 point 3): committed and not stale, served as JSON and YAML with the same content,
linted by Spectral with our NL API Design Rules ruleset, and every nlgov: rule mirrored here so a failure names it."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from doorbraak.api.management.commands.write_openapi import generated
from doorbraak.api.schema import SCHEMA_FILE

ROOT = Path(settings.BASE_DIR)
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "src" / "doorbraak" / "api" / "spectral.yaml"
DOC = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
METHODS = {"get", "put", "post", "delete", "patch", "options", "head"}
OPERATIONS = [
    (path, method, op) for path, ops in DOC["paths"].items() for method, op in ops.items() if method in METHODS
]


def test_committed_schema_is_not_stale():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated(), (
        "src/doorbraak/api/openapi.yaml is stale: run `DOORBRAAK_ENV=test .venv/bin/python manage.py write_openapi`"
    )


@pytest.mark.django_db
def test_served_json_and_yaml_are_the_same_document_for_anyone_from_anywhere(client):
    as_json = client.get("/api/v1/openapi.json", headers={"Origin": "https://elders.example"})
    as_yaml = client.get("/api/v1/openapi.yaml")
    assert as_json.status_code == as_yaml.status_code == 200
    assert as_json["Access-Control-Allow-Origin"] == "*"  # ADR-02
    assert as_json["API-Version"] == DOC["info"]["version"]
    assert json.loads(as_json.content) == yaml.safe_load(as_yaml.content) == DOC


def test_changelog_has_an_entry_for_the_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## API {re.escape(DOC['info']['version'])}\b", changelog, re.M), "CHANGELOG.md: ## API x.y.z"


def test_operation_count_is_what_the_docs_say():
    """docs/api.md names the number of operations; keep it true."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert f"{len(OPERATIONS)} operaties" in text


@pytest.mark.skipif(not SPECTRAL.exists(), reason="node_modules/.bin/spectral is absent (run npm ci to lint with it)")
def test_spectral_finds_no_errors_and_no_warnings():
    result = subprocess.run(
        [str(SPECTRAL), "lint", str(SCHEMA_FILE), "--ruleset", str(RULESET), "--fail-severity=warn"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        check=False,
        env={"PATH": f"{Path(shutil.which('node') or '/usr/bin/node').parent}:/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No results with a severity of 'warn' or higher found" in result.stdout


# --- pytest mirrors of the ruleset's nlgov: rules (same ids, same regular expressions) -------------------------

SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
KEBAB = r"^(\/|(\/_[a-z0-9]+|\/(([a-z0-9\-]+|{[^}]+})(\/([a-z0-9\-\.]+|{[^}]+}))*)(\/_[a-z]+)?)\/?)$"
CAMEL = r"^\$?[a-z][a-z\d]*([A-Z][a-z\d]*)*$"
DATE_NAME = re.compile(r"((\w+D)|(_[dD]))((ate)|(atum))")


def _resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].split("/")
        node = DOC[name[1]][name[2]][name[3]]
    return node


def _responses(pattern):
    for path, method, op in OPERATIONS:
        for code, response in op["responses"].items():
            if re.match(pattern, code):
                yield f"{method.upper()} {path} {code}", response


def _properties(node, seen=None):
    """Every (name, schema) under a `properties` anywhere in the document."""
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            if isinstance(value, dict):
                yield name, value
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def rule_openapi_root_exists():
    assert DOC.get("openapi")


def rule_openapi3():
    assert re.match(r"^3(.\d+){1,2}$", DOC["openapi"])


def rule_paths_no_trailing_slash():
    assert [p for p in DOC["paths"] if re.match(r".+\/$", p)] == []


def rule_missing_header():
    assert [where for where, r in _responses(r"^(2|3)\d\d$") if not r.get("headers")] == []


def rule_missing_version_header():
    assert [where for where, r in _responses(r"^(2|3)\d\d$") if "API-Version" not in r.get("headers", {})] == []


def rule_include_major_version_in_uri():
    assert DOC["servers"] and all(re.search(r"\/v[\d+]", s["url"]) for s in DOC["servers"])
    assert all(re.search(r"/v\d+$", s["url"]) for s in DOC["servers"])  # ADR-03: the major version only


def rule_semver():
    assert re.match(SEMVER, DOC["info"]["version"])


def rule_info_contact_fields_exist():
    assert {"name", "url", "email"} <= set(DOC["info"]["contact"])


def rule_http_methods():
    allowed = METHODS | {"parameters", "summary", "description", "servers"}
    assert [(p, k) for p, ops in DOC["paths"].items() for k in ops if k not in allowed] == []


def rule_paths_kebab_case():
    paths = [p for p in DOC["paths"] if not re.search(r"\/openapi\.(json|yaml)$", p)]
    assert [p for p in paths if not re.match(KEBAB, p)] == []


def rule_query_keys_camel_case():
    keys = [prm["name"] for _p, _m, op in OPERATIONS for prm in op.get("parameters", []) if prm["in"] == "query"]
    assert keys and [k for k in keys if not re.match(CAMEL, k)] == []


def rule_schema_camel_case():
    assert [n for n in DOC["components"]["schemas"] if not re.match(r"^[A-Z][a-zA-Z0-9]*$", n)] == []


def rule_servers_use_https():
    assert [s["url"] for s in DOC["servers"] if s["url"].startswith("http://")] == []


def rule_use_problem_schema():
    bad = [where for where, r in _responses(r"^(4|5)\d\d$") if "application/problem+json" not in r.get("content", {})]
    assert bad == []


def rule_problem_schema_members():
    for where, response in _responses(r"^(4|5)\d\d$"):
        schema = _resolve(response["content"]["application/problem+json"]["schema"])
        assert {"status", "title", "detail"} <= set(schema["properties"]), where


def rule_problem_invalid_input():
    wanted = [
        f"{m} {p}"
        for p, m, op in OPERATIONS
        if m in ("put", "post", "patch") or (m in ("get", "delete") and op.get("parameters"))
    ]
    missing = [f"{m} {p}" for p, m, op in OPERATIONS if f"{m} {p}" in wanted and "400" not in op["responses"]]
    assert wanted and missing == []


def rule_date_time_ensure_timezone():
    assert [n for n, s in _properties(DOC) if s.get("format") == "date-time-local"] == []


def rule_specify_format_for_date_and_time():
    dates = [(n, s) for n, s in _properties(DOC) if n in ("date", "datum") or DATE_NAME.search(n)]
    assert dates and [n for n, s in dates if "format" not in s and "allOf" not in s] == []


def rule_use_date_instead_of_datetime():
    dates = [(n, s) for n, s in _properties(DOC) if n in ("date", "datum") or DATE_NAME.search(n)]
    assert [n for n, s in dates if s.get("format") == "date-time"] == []


def rule_no_bsn_in_uri():
    names = [
        prm["name"] for _p, _m, op in OPERATIONS for prm in op.get("parameters", []) if prm["in"] in ("path", "query")
    ]
    assert [n for n in names if re.search("bsn|burgerservicenummer", n, re.I)] == []


RULES = {
    name.removeprefix("rule_").replace("_", "-"): fn for name, fn in dict(globals()).items() if name.startswith("rule_")
}


def test_every_nlgov_rule_of_the_ruleset_has_a_mirror():
    ruleset = yaml.safe_load(RULESET.read_text(encoding="utf-8"))
    ids = sorted(r.removeprefix("nlgov:") for r in ruleset["rules"] if r.startswith("nlgov:"))
    assert ids == sorted(RULES)


@pytest.mark.parametrize("rule", sorted(RULES), ids=[f"nlgov:{r}" for r in sorted(RULES)])
def test_adr_rule(rule):
    RULES[rule]()


def test_every_datetime_is_utc_and_every_date_a_date():
    """ADR-12: the serializers say date-time only for instants (responded in UTC); dates are `format: date`."""
    formats = {s.get("format") for _n, s in _properties(DOC)}
    assert {"date", "date-time"} <= formats
