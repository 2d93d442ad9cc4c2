"""Demo data of this app (manage.py load_demo). Idempotent: seeded initiatives are matched by slug."""

from .seed_data import INITIATIVES
from .services import load_seed


def load(stdout=None):
    created = load_seed(INITIATIVES)
    if stdout is not None:
        stdout.write(f"initiatives: {created} created")
    return created
