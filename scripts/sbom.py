"""CycloneDX SBOM of the project's dependencies: `sbom/python.cdx.json` and `sbom/npm.cdx.json`.

    .venv/bin/python scripts/sbom.py           # (re)write both files (make sbom)
    .venv/bin/python scripts/sbom.py --check   # exit 1 when the committed files are stale (make lint)

Python: cyclonedx-bom (`cyclonedx-py environment`) over .venv, which gives versions and the licences from the
packages' metadata, narrowed to the dependency closure of the pins in requirements.txt and
requirements-dev.txt (the shared .venv may hold more). Runtime packages get scope "required", test/tool-only
packages scope "excluded"; pip/setuptools/wheel are left out (venv tooling). npm: written here from
package-lock.json (name, version, licence, SHA-512), since @cyclonedx/cyclonedx-npm would need `npm install`
of a dev tool into node_modules. Both files are reproducible (no serial number, no timestamp), so --check
compares them as they are.
"""

import base64
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sbom"
RUNTIME = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
SPEC = "1.6"
# Installer tooling of the venv itself: its version follows `pip install --upgrade pip`, not our pins.
TOOLING = {"pip", "setuptools", "wheel"}


def requirements(path: Path) -> list[Requirement]:
    """The pinned requirements of one file, without those it includes with -r."""
    result = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            result.append(Requirement(line))
    return result


def closure(roots: list[Requirement]) -> set[str]:
    """Canonical names of the roots and everything they need (markers and extras evaluated) in this env."""
    seen: set[str] = set()
    todo = [(r.name, tuple(sorted(r.extras))) for r in roots]
    done: set[tuple] = set()
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in done:
            continue
        done.add((canonicalize_name(name), extras))
        seen.add(canonicalize_name(name))
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            envs = [{"extra": e} for e in extras] or [{"extra": ""}]
            if req.marker is None or any(req.marker.evaluate(env) for env in envs):
                todo.append((req.name, tuple(sorted(req.extras))))
    return seen


def _ref_name(ref: str) -> str:
    return canonicalize_name(ref.split("==", 1)[0])


def python_bom() -> dict:
    raw = subprocess.run(  # noqa: S603 (fixed arguments)
        [
            str(Path(sys.executable).parent / "cyclonedx-py"),
            "environment",
            sys.executable,
            "--output-reproducible",
            "--pyproject",
            str(ROOT / "pyproject.toml"),
            "--sv",
            SPEC,
            "-o",
            "-",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    bom = json.loads(raw)
    runtime_roots, dev_roots = requirements(RUNTIME), requirements(DEV)
    runtime = closure(runtime_roots)
    everything = (runtime | closure(dev_roots)) - TOOLING
    components = []
    for component in bom.get("components", []):
        name = canonicalize_name(component["name"])
        if name in everything:
            component["scope"] = "required" if name in runtime else "excluded"
            components.append(component)
    kept = {c["bom-ref"] for c in components}
    dependencies = [
        {"ref": d["ref"], "dependsOn": sorted(r for r in d.get("dependsOn", []) if r in kept)}
        for d in bom.get("dependencies", [])
        if d["ref"] in kept
    ]
    direct = {canonicalize_name(r.name) for r in runtime_roots + dev_roots}
    root_ref = bom["metadata"]["component"]["bom-ref"]
    dependencies.append({"ref": root_ref, "dependsOn": sorted(r for r in kept if _ref_name(r) in direct)})
    bom["components"] = sorted(components, key=lambda c: c["bom-ref"].lower())
    bom["dependencies"] = sorted(dependencies, key=lambda d: d["ref"].lower())
    bom.pop("serialNumber", None)
    bom["metadata"].pop("timestamp", None)
    return bom


def _npm_name(path: str) -> str:
    return path.rsplit("node_modules/", 1)[1]


def _purl(name: str, version: str) -> str:
    return f"pkg:npm/{quote(name, safe='/')}@{version}"


def npm_bom() -> dict:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    package = json.loads((ROOT / "package.json").read_text())
    packages = lock.get("packages", {})
    refs = {}
    components = []
    seen = set()
    for path, entry in sorted(packages.items()):
        if not path:
            continue
        name = entry.get("name") or _npm_name(path)
        ref = _purl(name, entry["version"])
        refs.setdefault(name, ref)
        if ref in seen:  # the same name@version installed at several nested paths: one component
            continue
        seen.add(ref)
        component = {
            "bom-ref": ref,
            "type": "library",
            "name": name.rsplit("/", 1)[-1],
            "version": entry["version"],
            "purl": ref,
            "scope": "excluded" if entry.get("dev") else "required",
        }
        if name.startswith("@"):
            component["group"] = name.split("/", 1)[0]
        if entry.get("license"):  # an SPDX expression as written in the package ("MIT", "(MIT OR CC0-1.0)")
            component["licenses"] = (
                [{"license": {"name": entry["license"]}}]
                if "SEE LICENSE" in entry["license"]
                else [{"expression": entry["license"]}]
            )
        integrity = entry.get("integrity", "")
        if integrity.startswith("sha512-"):
            component["hashes"] = [{"alg": "SHA-512", "content": base64.b64decode(integrity[7:]).hex()}]
        components.append((path, entry, component))
    dependencies = [
        {"ref": component["bom-ref"], "dependsOn": sorted(refs[d] for d in entry.get("dependencies", {}) if d in refs)}
        for _path, entry, component in components
    ]
    root_ref = f"{package['name']}@{package.get('version', '0.0.0')}"
    dependencies.append(
        {"ref": root_ref, "dependsOn": sorted(refs[d] for d in package.get("dependencies", {}) if d in refs)}
    )
    return {
        "$schema": f"http://cyclonedx.org/schema/bom-{SPEC}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC,
        "version": 1,
        "metadata": {
            "component": {
                "bom-ref": root_ref,
                "type": "application",
                "name": package["name"],
                "version": package.get("version", "0.0.0"),
                "licenses": [{"license": {"id": package["license"], "acknowledgement": "declared"}}],
            },
            "tools": {
                "components": [
                    {
                        "type": "application",
                        "name": "scripts/sbom.py",
                        "description": "package-lock.json to CycloneDX (Doorbraak)",
                    }
                ]
            },
            "properties": [{"name": "cdx:reproducible", "value": "true"}],
        },
        "components": sorted((c for _p, _e, c in components), key=lambda c: c["bom-ref"]),
        "dependencies": sorted(dependencies, key=lambda d: d["ref"]),
    }


def render(bom: dict) -> str:
    return json.dumps(bom, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    return {"python.cdx.json": render(python_bom()), "npm.cdx.json": render(npm_bom())}


def main(argv) -> int:
    files = generate()
    if argv[:1] == ["--check"]:
        stale = [name for name, text in files.items() if not (OUT / name).exists() or (OUT / name).read_text() != text]
        if stale:
            print(
                f"SBOM verouderd: sbom/{', sbom/'.join(stale)} past niet bij de geïnstalleerde pakketten of "
                "package-lock.json. Draai `make sbom` en commit het resultaat.",
                file=sys.stderr,
            )
            return 1
        print("SBOM actueel (sbom/python.cdx.json, sbom/npm.cdx.json).")
        return 0
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text)
    print(
        f"SBOM geschreven: sbom/python.cdx.json, sbom/npm.cdx.json "
        f"({len(json.loads(files['python.cdx.json'])['components'])} Python-, "
        f"{len(json.loads(files['npm.cdx.json'])['components'])} npm-pakketten)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
