"""The access-log event-code registry (core/audit_codes.py) lists exactly the codes the source passes to log_access.

The source tree is read with `ast`: a code is a string literal (or both branches of a conditional, or an f-string
whose fields become `*`) that is passed as `event` to `log_access`, `Refusal` or any function of the same module
with an `event` parameter, given as `event=...`, or assigned to a variable named `event` or `*_EVENT`.
"""

import ast
import logging
from pathlib import Path

import pytest

from doorbraak.core import audit_codes
from doorbraak.core.audit_codes import EVENT_CODES, is_registered

SRC = Path(__file__).resolve().parents[2] / "src" / "doorbraak"


def _strings(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [s for value in node.values for s in _strings(value)]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)]
    return []


def codes_in_source() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def add(node, path):
        for code in _strings(node):
            found.setdefault(code, set()).add(str(path.relative_to(SRC)))

    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path.name == "audit_codes.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        takes = {"log_access": 1, "Refusal": 0}  # positional index of the event argument
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
                if "event" in names:
                    takes[fn.name] = names.index("event") - (1 if names[0] in ("self", "cls") else 0)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                if any(isinstance(t, ast.Name) and (t.id == "event" or t.id.endswith("_EVENT")) for t in node.targets):
                    add(node.value, path)
            elif isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                for keyword in node.keywords:
                    if keyword.arg == "event":
                        add(keyword.value, path)
                if name in takes and len(node.args) > takes[name]:
                    add(node.args[takes[name]], path)
    return found


def test_every_code_used_in_src_is_registered():
    used = codes_in_source()
    missing = {code: sorted(paths) for code, paths in used.items() if code not in EVENT_CODES}
    assert missing == {}, "add these access-log event codes to core/audit_codes.py EVENT_CODES"


def test_every_registered_code_is_still_used():
    assert sorted(EVENT_CODES.keys() - codes_in_source().keys()) == []


def test_the_scan_finds_the_known_kinds_of_call():
    used = codes_in_source()
    assert "case.read" in used  # log_access(request, "case.read", ...)
    assert "plan.print" in used  # budget's _log(request, case, "plan.print")
    assert {"page.read", "page.write"} <= used.keys()  # a conditional expression
    assert "admin.*.*" in used and "*.read" in used  # f-strings
    assert "security.denial_burst" in used  # DENIAL_BURST_EVENT = ...


def test_families_match_one_segment_per_star():
    assert is_registered("admin.user.read") and is_registered("theme.read")
    assert not is_registered("admin.user") and not is_registered("admin.user.read.more")
    assert not is_registered("case.delete")


@pytest.mark.django_db
def test_log_access_warns_about_an_unregistered_code(caplog):
    from doorbraak.core.audit import log_access

    with caplog.at_level(logging.WARNING, logger="doorbraak.core.audit"):
        log_access(None, "case.read", object_type="cases.case", object_id=1)
        assert not caplog.records
        log_access(None, "case.peeked", object_type="cases.case", object_id=1)
    assert [r.getMessage() for r in caplog.records] == [
        "Access-log event code case.peeked is not in core/audit_codes.py EVENT_CODES"
    ]
    assert audit_codes.EVENT_CODES["case.read"]
