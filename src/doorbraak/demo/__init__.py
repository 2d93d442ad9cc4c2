"""Demo content of Doorbraak (manage.py load_demo, only with DEMO=1): the loaders per app and their data files.

The content is data (`demo/data/*.json`, Dutch text as it appears in the demo); the loaders next to it create the
objects through each app's services, as a user would. This package may import every app; no app imports it
(an import-linter contract). The loaders run in the order of settings.DEMO_LOADERS.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def _read(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def data(name: str, key: str) -> list:
    """The list under `key` in demo/data/<name>.json (a fresh copy each call: loaders may change what they get)."""
    return json.loads(json.dumps(_read(name)[key]))


def stories() -> list[dict]:
    """The nine story cases of product.md (demo/data/stories.json), read by the cases, platforms and budget loaders."""
    return data("stories", "stories")
