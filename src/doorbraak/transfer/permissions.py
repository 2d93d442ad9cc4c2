"""Who may bring data in and take it out (issue 17, points 5-6), as named rules `transfer.<action>`.

- Import (`transfer.import`): a breakthrough lead (Doorbraakregisseur) of the municipality. Importing opens cases
  through `cases.services.open_case`, which only case openers may do; of those, the lead carries the
  responsibility for a whole team's caseload. An administrator manages accounts, not case files, so may not.
  A file of more than TRANSFER_FOUR_EYES_ROWS rows needs a second lead (not the uploader) to confirm it.
- Case-list export (`transfer.export_list`): everyone who may use the case list (`cases.search`); the export holds
  exactly the cases the list shows them (need-to-know, the list's filters).
- Case-file export for a client's access request (AVG art. 15, `transfer.export_case_file`): the lead of the case's
  team (`cases.lead_of`). There is no privacy-officer role in core.models.Role; when one is added, add it here.
"""

from __future__ import annotations

import rules

from doorbraak.core.models import Role
from doorbraak.core.permissions import CASE_WORKERS, define, has_role, is_authenticated


@rules.predicate
def lead_of_case(user, case) -> bool:
    from doorbraak.core.permissions import allowed

    return case is not None and allowed("cases.lead_of", user, case)


@rules.predicate
def not_the_uploader(user, batch) -> bool:
    return batch is not None and getattr(batch, "uploaded_by_id", None) != getattr(user, "pk", None)


@rules.predicate
def same_municipality_as(user, obj) -> bool:
    return obj is not None and getattr(obj, "municipality_id", None) == getattr(user, "municipality_id", None)


IMPORTERS = frozenset({Role.LEAD})

RULES = {
    "transfer.view": is_authenticated & (has_role(IMPORTERS) | has_role(CASE_WORKERS)),  # the /gegevens/ page
    "transfer.import": is_authenticated & has_role(IMPORTERS),
    "transfer.see_import": is_authenticated & has_role(IMPORTERS) & same_municipality_as,  # obj: the batch
    "transfer.second_confirm": is_authenticated & has_role(IMPORTERS) & same_municipality_as & not_the_uploader,
    "transfer.export_list": is_authenticated & has_role(CASE_WORKERS),
    "transfer.export_case_file": is_authenticated & lead_of_case,  # obj: the case
}


def register() -> None:
    for name, predicate in RULES.items():
        define(name, predicate)
