"""Issue 10, part 7: dependency checks. A known vulnerability fails `make test`; an advisory source that cannot
be reached is reported as "niet gecontroleerd", never as "no vulnerabilities"; the committed SBOM is current.

These tests need no database (they run the same on the SQLite and the PostgreSQL pass).
"""

import json
import shutil
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packaging.utils import canonicalize_name

from scripts import audit_dependencies as audit
from scripts import sbom

ROOT = Path(__file__).resolve().parents[2]

# What this machine's registries actually answer (found 2026-12-01): pip-audit skips every package and still
# prints "No known vulnerabilities found" with exit code 0; npm audit gets 405 for the bulk advisory endpoint.
PIP_ALL_SKIPPED = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
        {"name": "segno", "skip_reason": "Dependency not found on PyPI and could not be audited: segno (1.6.6)"},
    ],
    "fixes": [],
}
NPM_405 = {
    "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
    "statusCode": 405,
    "body": "",
    "error": {"summary": "", "detail": ""},
}
PIP_CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
PIP_VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"]}]},
        {"name": "segno", "skip_reason": "not found"},
    ],
    "fixes": [],
}
NPM_CLEAN = {
    "auditReportVersion": 2,
    "vulnerabilities": {},
    "metadata": {"vulnerabilities": {"info": 0, "low": 0, "moderate": 0, "high": 0, "critical": 0, "total": 0}},
}
NPM_VULNERABLE = {
    "auditReportVersion": 2,
    "vulnerabilities": {"htmx.org": {"severity": "high", "range": "<2.0.12"}},
    "metadata": {"vulnerabilities": {"high": 1, "total": 1}},
}


def line_for(pip_report, npm_report):
    return audit.summary([audit.pip_audit_result(pip_report, 0), audit.npm_audit_result(npm_report, 1)])


def test_unreachable_sources_are_not_checked_never_no_vulnerabilities_and_never_a_failure():
    line, code = line_for(PIP_ALL_SKIPPED, NPM_405)
    assert code == 0
    assert line.startswith("Afhankelijkheden: niet gecontroleerd (")
    assert "geen bekende kwetsbaarheden" not in line
    assert "2 van 2 pakketten" in line and "HTTP 405" in line


def test_a_tool_that_fails_or_hangs_is_not_checked_either():
    line, code = audit.summary(
        [
            audit.pip_audit_result(None, -1, "geen antwoord binnen 300 s"),
            audit.npm_audit_result(None, -1, "niet te starten (No such file or directory)"),
        ]
    )
    assert code == 0 and line.startswith("Afhankelijkheden: niet gecontroleerd (")
    assert "geen antwoord binnen 300 s" in line


def test_one_source_checked_and_the_other_not_is_still_not_checked():
    line, code = line_for(PIP_CLEAN, NPM_405)
    assert code == 0 and line.startswith("Afhankelijkheden: niet gecontroleerd (npm audit:")


def test_both_checked_and_clean():
    line, code = line_for(PIP_CLEAN, NPM_CLEAN)
    assert (line, code) == ("Afhankelijkheden: gecontroleerd, geen bekende kwetsbaarheden (pip-audit, npm audit)", 0)


def test_a_known_python_vulnerability_fails_the_run_even_when_other_packages_were_skipped():
    line, code = line_for(PIP_VULNERABLE, NPM_405)
    assert code == 1 and "KWETSBAAR" in line and "django 5.2.19 PYSEC-2099-1 (opgelost in: 5.2.20)" in line


def test_a_known_npm_vulnerability_fails_the_run():
    line, code = line_for(PIP_CLEAN, NPM_VULNERABLE)
    assert code == 1 and "htmx.org <2.0.12 (high)" in line


def test_main_writes_the_summary_line_for_make_test(monkeypatch, tmp_path):
    """The wiring: the tools' real output shapes go through main() into var/test-results/dependencies.txt."""

    def fake_run(cmd, **kwargs):
        if "npm" in cmd[0]:
            return 1, json.dumps(NPM_405)
        out = Path(cmd[cmd.index("-o") + 1])
        out.write_text(json.dumps(PIP_ALL_SKIPPED))
        return 0, "No known vulnerabilities found\n"  # what pip-audit says after skipping everything

    monkeypatch.setattr(audit, "_run", fake_run)
    monkeypatch.setattr(audit, "RESULT_FILE", tmp_path / "dependencies.txt")
    assert audit.main() == 0
    written = (tmp_path / "dependencies.txt").read_text()
    assert written.startswith("Afhankelijkheden: niet gecontroleerd (") and "geen bekende" not in written


def test_test_all_prints_the_dependency_line_before_the_closing_total():
    script = (ROOT / "scripts" / "test_all.sh").read_text()
    assert "scripts/audit_dependencies.sh || status=1" in script
    assert script.index('echo "  $deps"') < script.index("junit_summary.py --total")


def _committed(name):
    return json.loads((ROOT / "sbom" / name).read_text())


@pytest.mark.database_independent  # 16–26 s of schema validation: once per make test is enough
def test_committed_sbom_is_valid_cyclonedx_with_every_pin_version_and_licence():
    for name in ("python.cdx.json", "npm.cdx.json"):
        text = (ROOT / "sbom" / name).read_text()
        assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None, name
    components = {canonicalize_name(c["name"]): c for c in _committed("python.cdx.json")["components"]}
    for req in sbom.requirements(ROOT / "requirements.txt"):
        component = components[canonicalize_name(req.name)]
        assert req.specifier.contains(component["version"]), req
        assert component["scope"] == "required" and component.get("licenses"), req
    npm = {(c.get("group", "") + "/" + c["name"]).lstrip("/"): c for c in _committed("npm.cdx.json")["components"]}
    for name, version in json.loads((ROOT / "package.json").read_text())["dependencies"].items():
        assert npm[name]["version"] == version and npm[name]["licenses"] and npm[name]["hashes"]


@pytest.mark.database_independent  # runs cyclonedx-py over the venv (16–25 s)
def test_sbom_check_passes_when_current_and_fails_when_stale(monkeypatch, tmp_path, capsys):
    fresh = sbom.generate()  # cyclonedx-py over this .venv, narrowed to the pins
    assert fresh["python.cdx.json"] == (ROOT / "sbom" / "python.cdx.json").read_text(), "run `make sbom`"
    assert fresh["npm.cdx.json"] == (ROOT / "sbom" / "npm.cdx.json").read_text(), "run `make sbom`"
    monkeypatch.setattr(sbom, "generate", lambda: fresh)
    shutil.copytree(ROOT / "sbom", tmp_path / "sbom")
    monkeypatch.setattr(sbom, "OUT", tmp_path / "sbom")
    assert sbom.main(["--check"]) == 0
    stale = (tmp_path / "sbom" / "python.cdx.json").read_text().replace('"5.2.19"', '"5.2.18"', 1)
    (tmp_path / "sbom" / "python.cdx.json").write_text(stale)
    assert sbom.main(["--check"]) == 1
    assert "make sbom" in capsys.readouterr().err
