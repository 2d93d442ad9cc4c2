"""The rule book of documents (issue 16): `documents.<action>`. Need-to-know is the owner's own gate
(documents.owners); these rules add the role: only case workers handle case documents."""

from __future__ import annotations

from doorbraak.core.permissions import CASE_WORKERS, define, has_role

RULES = {
    "documents.upload": has_role(CASE_WORKERS),  # obj: the owner (case, platform, plan, loan, reclaim)
    "documents.download": has_role(CASE_WORKERS),  # obj: the document
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
