"""The national set of funders every municipality starts with (issue 12), and who pays in the end.

Each funder code (`core.choices.Funder`) is either paid from this municipality's budgets (`municipal`), by another
party (`external`: the health insurer, the Wlz care office, the school's partnership, the centre municipality, ...)
or by the household itself or its network (`own`: recorded in the plan, never paid from the hand budget). A
municipality keeps its own list (`budget.FunderSetting`, seeded with this set by `services.ensure_funders`): it can
rename a funder, switch one off, or say that it is itself the centre municipality (opvang, beschermd wonen:
then municipal)."""

from __future__ import annotations

from doorbraak.core.choices import Funder

MUNICIPAL, EXTERNAL, OWN = "municipal", "external", "own"

NATIONAL_FUNDERS: dict[str, str] = {
    Funder.WMO: MUNICIPAL,
    Funder.JEUGDWET: MUNICIPAL,
    Funder.PARTICIPATIEWET: MUNICIPAL,
    Funder.BIJZONDERE_BIJSTAND: MUNICIPAL,
    Funder.WLZ: EXTERNAL,
    Funder.ZORGKANTOOR: EXTERNAL,
    Funder.ZVW: EXTERNAL,
    Funder.INSURER: EXTERNAL,
    Funder.JUSTICE: EXTERNAL,
    Funder.HOUSING_CORPORATION: EXTERNAL,
    Funder.SCHOOL: EXTERNAL,
    Funder.OPVANG: EXTERNAL,
    Funder.BESCHERMD_WONEN: EXTERNAL,
    Funder.UWV: EXTERNAL,
    Funder.RIJK: EXTERNAL,
    Funder.HOUSEHOLD: OWN,
    Funder.OWN_NETWORK: OWN,
}
# "Anders" only with a name: it is not seeded; a municipality adds it with a name when it needs one.

DEFAULT_MUNICIPAL = frozenset(code for code, kind in NATIONAL_FUNDERS.items() if kind == MUNICIPAL)


def default_kind(code: str) -> str:
    return NATIONAL_FUNDERS.get(code, EXTERNAL)
