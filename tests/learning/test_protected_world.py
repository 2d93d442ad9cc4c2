"""A synthetic municipality for the protected-layer tests (issue 13): facts written directly (the layer reads only
the facts), with planted small groups. No tests here; imported by test_attack_protected.py."""

from __future__ import annotations

import datetime
import random

from doorbraak.cases.models import LifeDomain
from doorbraak.core.choices import Funder
from doorbraak.learning.insights import facts, protected, protection
from doorbraak.learning.models import (
    CaseDomainFact,
    CaseFact,
    CaseFunderFact,
    FactRefresh,
    RecordKey,
    Theme,
    ThemeBlocker,
)
from doorbraak.platforms.models import BlockerTag, SolutionKind
from tests.factories import MunicipalityFactory, TeamFactory

TODAY = datetime.date(2026, 12, 1)
MONTHS = [datetime.date(2025 + (i // 12), i % 12 + 1, 1) for i in range(22)]  # 2025-01 .. 2026-10
JUNE, JULY = datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)


class SyntheticWorld:
    """~640 cases over 22 months; planted: July 2025 has 9 cases (June 15), team "Klein" has 4 cases (all in
    July 2025), area "Oost" 3 cases, and every month has a few cases with rare attributes."""

    def __init__(self, seed: int = 13):
        rng = random.Random(seed)
        self.municipality = MunicipalityFactory()
        m = self.municipality
        self.teams = [TeamFactory(municipality=m, name=n) for n in ("Noord-team", "Zuid-team", "Klein")]
        big, other, small = self.teams
        themes = [Theme.objects.create(municipality=m, name=n) for n in ("Regels", "Geld")]
        codes = list(BlockerTag.values)
        for i, code in enumerate(codes[:4]):
            ThemeBlocker.objects.create(municipality=m, theme=themes[i % 2], code=code)
        case_rows, funder_rows, domain_rows, keys = [], [], [], []
        n = 0
        for month in MONTHS:
            count = {JUNE: 15, JULY: 5}.get(month, rng.randint(24, 36))
            plan = [(rng.choice([big, other]), rng.choice(["Noord", "Zuid", "Zuid", ""])) for _ in range(count)]
            if month == JULY:
                plan += [(small, "Noord")] * 4  # planted: team Klein = 4 cases, July = 9 cases
            if month in (datetime.date(2025, 3, 1), datetime.date(2026, 2, 1), datetime.date(2026, 9, 1)):
                plan.append((big, "Oost"))  # planted: area Oost = 3 cases over the whole period
            for team, area in plan:
                n += 1
                pseudonym = f"synthetic{m.pk}-{n}"
                key = rng.randrange(protection.KEY_RANGE)
                keys.append(RecordKey(municipality=m, pseudonym=pseudonym, key=key))
                opened = month + datetime.timedelta(days=rng.randint(0, 27))
                platform = rng.random() < 0.7
                convened = opened + datetime.timedelta(days=2) if platform else None
                days = rng.randint(3, 45) if platform and rng.random() < 0.7 else None
                broke = convened + datetime.timedelta(days=days) if days is not None else None
                spend = rng.choice([0, 0, 0, 120_000, 800_000, 3_000_000]) if platform else 0
                kind = rng.choice(SolutionKind.values) if broke else ""
                zrm = round(rng.uniform(-1, 2), 2) if rng.random() < 0.6 else None
                case_rows.append(
                    CaseFact(
                        municipality=m,
                        pseudonym=pseudonym,
                        opened_month=month,
                        status=rng.choice(["open", "closed", "closed"]),
                        convened_on=convened,
                        breakthrough_month=broke.replace(day=1) if broke else None,
                        days_to_breakthrough=days,
                        client_present=rng.random() < 0.5,
                        expert_present=rng.random() < 0.3,
                        organisations=rng.randint(1, 6) if platform else 0,
                        domains=rng.randint(0, 5),
                        solution_kind=kind,
                        budget_band=facts.budget_band(spend),
                        spend_cents=spend,
                        blockers=sum(1 << i for i in range(len(codes)) if platform and rng.random() < 0.15),
                        funders=sum(1 << i for i in range(len(Funder.values)) if rng.random() < 0.2),
                        zrm_change=zrm,
                        record_key=key,
                        team_id=team.pk,
                        area=area,
                        problem_domains=sum(1 << i for i in range(len(LifeDomain.values)) if rng.random() < 0.15),
                    )
                )
                if spend:
                    funder = rng.choice(Funder.values[:4])
                    funder_rows.append(
                        CaseFunderFact(
                            municipality=m,
                            pseudonym=pseudonym,
                            opened_month=month,
                            funder=funder,
                            spend_cents=spend,
                            projected_return_cents=spend // 2,
                            projected_to_date_cents=spend // 4 if rng.random() < 0.5 else None,
                            realised_return_cents=spend // 5 if rng.random() < 0.5 else None,
                        )
                    )
                for domain in rng.sample(LifeDomain.values, rng.randint(0, 2)):
                    first = rng.randint(1, 4)
                    domain_rows.append(
                        CaseDomainFact(
                            municipality=m,
                            pseudonym=pseudonym,
                            opened_month=month,
                            domain=domain,
                            first_score=first,
                            last_score=min(5, first + rng.randint(-1, 2)),
                        )
                    )
        RecordKey.objects.bulk_create(keys, batch_size=2000)
        CaseFact.objects.bulk_create(case_rows, batch_size=2000)
        CaseFunderFact.objects.bulk_create(funder_rows, batch_size=2000)
        CaseDomainFact.objects.bulk_create(domain_rows, batch_size=2000)
        self.trace: dict = {}
        self.released = protected.build_cells(m.pk, today=TODAY, trace=self.trace)
        FactRefresh.objects.create(municipality=m, cases=n, as_of=TODAY, schema=facts.FACTS_SCHEMA)
        self.cases = n

    def members(self) -> dict[tuple, frozenset]:
        """Every released cell (grain, period, dimension, value, measure) -> the pseudonyms it counts."""
        out: dict[tuple, set] = {}
        for (month, dim, value, measure), pseudonyms in self.trace.items():
            for cell in protection.cells_of_month(month):
                out.setdefault((cell.grain, cell.start, dim, value, measure), set()).update(pseudonyms)
        return {k: frozenset(v) for k, v in out.items()}
