"""Demo data of this app (manage.py load_demo). Idempotent: seeded initiatives are matched by slug."""

from doorbraak.demo import data
from doorbraak.initiatives.services import load_seed


def load(stdout=None):
    created = load_seed(data("initiatives", "initiatives"))
    if stdout is not None:
        stdout.write(f"initiatives: {created} created")
    return created
