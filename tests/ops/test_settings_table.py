"""Issue 14, part 5: every setting from the environment in one generated table, kept in sync."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "settings_table.py"


def _module():
    spec = importlib.util.spec_from_file_location("settings_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_settings_md_is_in_sync_with_settings_py():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + "\nRun: python scripts/settings_table.py"


def test_the_table_lists_every_variable_the_settings_read():
    import os

    from django.conf import settings

    table = (ROOT / "docs" / "settings.md").read_text()
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "SESSIONS_IN_REDIS",
        "LOG_FORMAT",
        "FORWARDED_ALLOW_IPS",
        "ACCESS_LOG_KEYS",
        "GUNICORN_WORKERS",
        "GUNICORN_BIND",
        "EMAIL_BACKEND",
    ):
        assert f"| `{name}` |" in table
    assert os.environ.get("DOORBRAAK_ENV") == "test" and settings.SETTINGS_DOC["REDIS_URL"] in table


def test_a_new_variable_without_meaning_makes_the_check_fail(tmp_path, monkeypatch):
    module = _module()
    settings_copy = tmp_path / "settings.py"
    settings_copy.write_text(
        (ROOT / "src" / "doorbraak" / "settings.py").read_text()
        + '\nNEW_THING = os.environ.get("DOORBRAAK_NEW_THING", "42")\n'
    )
    monkeypatch.setattr(module, "SOURCES", [("Application", settings_copy), module.SOURCES[1]])
    text, missing = module.render()
    assert missing == ["DOORBRAAK_NEW_THING"]
    assert "| `DOORBRAAK_NEW_THING` | `42` | **undocumented** |" in text
    assert text != (ROOT / "docs" / "settings.md").read_text()
