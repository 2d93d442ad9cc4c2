"""Known-vulnerability check of the pinned dependencies: pip-audit over requirements-dev.txt (which includes
requirements.txt) and npm audit over package-lock.json. Run by scripts/test_all.sh (make test).

Prints one line, also written to var/test-results/dependencies.txt for the test summary:
  Afhankelijkheden: gecontroleerd, geen bekende kwetsbaarheden (pip-audit, npm audit)
  Afhankelijkheden: niet gecontroleerd (<reason>)          an advisory source could not be reached
  Afhankelijkheden: KWETSBAAR: <package version advisory>  exit code 1: the run fails
"Niet gecontroleerd" is never turned into "no vulnerabilities" (pip-audit itself prints "No known
vulnerabilities found" when it skipped every package) and never fails the run. Every call has a timeout.
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT_FILE = ROOT / "var" / "test-results" / "dependencies.txt"
TIMEOUT = int(os.environ.get("AUDIT_TIMEOUT", "300"))  # seconds per tool; pip-audit resolves in a temp venv


@dataclass
class Result:
    tool: str
    checked: bool = False
    reason: str = ""  # why not checked
    vulnerable: list[str] = field(default_factory=list)


def pip_audit_result(report: dict | None, returncode: int, output: str = "") -> Result:
    """Classify a pip-audit JSON report (None when it wrote none)."""
    result = Result("pip-audit")
    if report is None:
        last = (output.strip().splitlines() or ["geen uitvoer"])[-1][:160]
        result.reason = f"pip-audit: fout (code {returncode}): {last}"
        return result
    deps = report.get("dependencies", [])
    for dep in deps:
        for vuln in dep.get("vulns") or []:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "geen"
            result.vulnerable.append(
                f"{dep['name']} {dep.get('version', '?')} {vuln.get('id', '?')} (opgelost in: {fixes})"
            )
    skipped = [dep for dep in deps if dep.get("skip_reason")]
    if not deps:
        result.reason = "pip-audit: geen pakketten gevonden"
    elif skipped:
        result.reason = (
            f"pip-audit: adviesbron niet bereikbaar, {len(skipped)} van {len(deps)} pakketten niet gecontroleerd"
        )
    else:
        result.checked = True
    return result


def npm_audit_result(report: dict | None, returncode: int, output: str = "") -> Result:
    """Classify an `npm audit --json` report."""
    result = Result("npm audit")
    if report is None:
        last = (output.strip().splitlines() or ["geen uitvoer"])[-1][:160]
        result.reason = f"npm audit: fout (code {returncode}): {last}"
        return result
    if "error" in report or "statusCode" in report:
        status = report.get("statusCode") or report.get("error", {}).get("code") or "?"
        result.reason = f"npm audit: adviesbron weigert of is niet bereikbaar (HTTP {status})"
        return result
    for name, vuln in sorted((report.get("vulnerabilities") or {}).items()):
        result.vulnerable.append(f"{name} {vuln.get('range', '')} ({vuln.get('severity', '?')})".strip())
    total = (report.get("metadata") or {}).get("vulnerabilities", {}).get("total", 0)
    if total and not result.vulnerable:
        result.vulnerable.append(f"{total} kwetsbaarheid/kwetsbaarheden (zie npm audit)")
    if "metadata" not in report and not result.vulnerable:
        result.reason = "npm audit: onverwacht antwoord"
        return result
    result.checked = True
    return result


def summary(results: list[Result]) -> tuple[str, int]:
    """The summary line and the exit code (1 only for a known vulnerability)."""
    vulnerable = [v for r in results for v in r.vulnerable]
    if vulnerable:
        return "Afhankelijkheden: KWETSBAAR: " + "; ".join(vulnerable), 1
    if all(r.checked for r in results):
        tools = ", ".join(r.tool for r in results)
        return f"Afhankelijkheden: gecontroleerd, geen bekende kwetsbaarheden ({tools})", 0
    parts = [r.reason for r in results if not r.checked]
    parts += [f"{r.tool}: gecontroleerd, geen bekende kwetsbaarheden" for r in results if r.checked]
    return f"Afhankelijkheden: niet gecontroleerd ({'; '.join(parts)})", 0


def _run(cmd: list[str], **kwargs) -> tuple[int, str]:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, cwd=ROOT, **kwargs)  # noqa: S603
    except subprocess.TimeoutExpired:
        return -1, f"geen antwoord binnen {TIMEOUT} s"
    except OSError as exc:
        return -1, f"niet te starten ({exc.strerror})"
    return done.returncode, done.stdout + done.stderr


def run_pip_audit() -> Result:
    tool = Path(sys.executable).parent / "pip-audit"
    if not tool.exists():
        return Result("pip-audit", reason="pip-audit: niet geïnstalleerd")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pip-audit.json"
        code, output = _run(
            [
                str(tool),
                "-r",
                "requirements-dev.txt",
                "--progress-spinner",
                "off",
                "--timeout",
                "15",
                "-f",
                "json",
                "-o",
                str(out),
            ]
        )
        try:
            report = json.loads(out.read_text())
        except (OSError, ValueError):
            report = None
    return pip_audit_result(report, code, output)


def run_npm_audit() -> Result:
    code, output = _run(
        [
            "npm",
            "audit",
            "--json",
            "--package-lock-only",
            "--fetch-retries=0",
            "--fetch-timeout=20000",
            "--loglevel=silent",
        ]
    )
    try:
        report = json.loads(output[output.index("{") : output.rindex("}") + 1])
    except ValueError:
        report = None
    return npm_audit_result(report, code, output)


def main() -> int:
    results = [run_pip_audit(), run_npm_audit()]
    line, code = summary(results)
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(line + "\n")
    print(line)
    return code


if __name__ == "__main__":
    sys.exit(main())
