"""Compare a municipality's stored protected layer (ProtectedCell + CellTally) with the tallies its facts give,
without writing anything (issue 13: why an incrementally kept layer differs from a full build).

Every fact is added up in Python exactly as `protected.build_cells` does; then for every cell: n, key sum and
amounts (integers) and the days histogram must be equal, the float sums s, ss close; the published count and
stats are compared as `_released` would store them. Prints a summary by kind of difference and the first cells.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doorbraak_bench_protect \\
        nice -n 10 .venv/bin/python bench/check_layer_tallies.py [--municipality 1] [--show 20]
"""

import argparse
import datetime
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipality", type=int, default=1)
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DOORBRAAK_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from doorbraak.learning.insights import protected as p
    from doorbraak.learning.insights.protection import GridPeriod
    from doorbraak.learning.models import CaseDomainFact, CaseFact, CaseFunderFact, CellTally

    mid, t0 = args.municipality, time.perf_counter()
    with scopes_disabled():
        today = timezone.localdate()
        cut = today - datetime.timedelta(days=p.BREAKTHROUGH_DAYS)
        tallies = p.Tallies(p.theme_masks_of(mid))
        for model, fields, add in (
            (CaseFact, p.CASE_FIELDS, lambda fact: tallies.case(fact, cut)),
            (CaseFunderFact, p.FUNDER_FIELDS, tallies.funder),
            (CaseDomainFact, p.DOMAIN_FIELDS, tallies.domain),
        ):
            for fact in model.objects.filter(municipality_id=mid).values_list(*fields).iterator(chunk_size=5000):
                add(fact)
        cells, hist = tallies.by_period()
        names = ("cell__grain", "cell__period", "cell__dimension", "cell__value", "cell__measure", "cell__count")
        names += ("cell__stats", "n", "key_sum", "a1", "a2", "s", "ss", "days")
        stored = {}
        for grain, start, dim, value, measure, count, stats, *tally, days in (
            CellTally.objects.filter(cell__municipality_id=mid).values_list(*names).iterator(chunk_size=5000)
        ):
            stored[(GridPeriod(grain, start), dim, value, measure)] = (count, stats, tally, days)
    kinds, shown = Counter(), []
    for key in sorted(cells.keys() | stored.keys(), key=repr):
        full, kept = cells.get(key), stored.get(key)
        if full is None or kept is None:
            kinds["cell in one layer only"] += 1
            shown.append((key, full, kept))
            continue
        count, stats, tally, days = kept
        h = hist.get(key[:3]) if key[3] == "judged_broke" else None
        cell, _ = p._released(mid, key, full, h)
        problems = []
        if full[:4] != tally[:4]:
            problems.append("n/key sum/amounts")
        if not all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) for a, b in zip(full[4:], tally[4:], strict=True)):
            problems.append("float sums")
        if key[3] == "judged_broke" and ({str(d): c for d, c in sorted(h.items()) if c} if h else None) != days:
            problems.append("days histogram")
        if cell.count != count:
            problems.append("published count")
        if json.loads(json.dumps(cell.stats)) != stats:
            problems.append("published stats")
        for problem in problems:
            kinds[problem] += 1
        if problems and problems != ["published stats"]:
            shown.append((key, problems, full, kept))
    print(f"{len(cells):,} cells from the facts, {len(stored):,} stored, {time.perf_counter() - t0:.0f} s")
    print("differences:", dict(kinds) or "none")
    if kinds and set(kinds) == {"published stats"}:
        print("(stats only: float sums added in another order; integers and published counts all equal)")
    for row in shown[: args.show]:
        print(row)


if __name__ == "__main__":
    main()
