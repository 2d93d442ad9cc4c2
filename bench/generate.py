"""Deterministic synthetic data at any size: municipalities, teams, organisations, professionals,
households with members, and cases with involvements and ZRM scores.

    generate(households=10_000, seed=1)   # same seed, same data

Uses bulk_create in batches; runs inside scopes_disabled(). Later issues extend it (platforms,
plans, payments, measurements).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

FIRST = ["Anna", "Bram", "Chantal", "Daan", "Emma", "Fatima", "Gert", "Hanna", "Ivo", "Jasmijn", "Kees", "Lotte",
         "Mohamed", "Noor", "Omar", "Petra", "Rik", "Sara", "Tim", "Yara"]
LAST = ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "Yilmaz", "El Idrissi", "Kaya", "Hendriks", "Dekker", "van Leeuwen"]
AREAS = ["Noord", "Zuid", "Oost", "West", "Centrum", "Rosmalen", "Empel", "Maaspoort"]
ORG_KINDS = ["municipality", "care_provider", "welfare", "housing", "mental_health", "justice", "experience"]


def generate(*, municipalities: int = 1, teams_per_municipality: int = 5, professionals: int = 50,
             households: int = 1000, seed: int = 1, batch: int = 5000, stdout=None) -> dict:
    from doorbraak.cases.models import Case, DomainScore, Household, Involvement, LifeDomain, Person
    from doorbraak.core.models import Municipality, Organisation, Role, Team, User

    rng = random.Random(seed)
    now = timezone.now()
    domains = [d.value for d in LifeDomain]
    counts = {}
    with scopes_disabled(), transaction.atomic():
        muni_objs = Municipality.objects.bulk_create(
            [Municipality(name=f"Bench-gemeente {seed}-{i}", code=f"GM{(9000 + i) % 10000:04d}")
             for i in range(municipalities)]
        )
        teams, orgs, users = [], [], []
        for m in muni_objs:
            teams += [Team(municipality=m, name=f"Team {t}") for t in range(teams_per_municipality)]
            orgs += [Organisation(municipality=m, name=f"Organisatie {k}", kind=kind)
                     for k, kind in enumerate(ORG_KINDS)]
        Team.objects.bulk_create(teams)
        Organisation.objects.bulk_create(orgs)
        teams_by_muni = {m.pk: [t for t in teams if t.municipality_id == m.pk] for m in muni_objs}
        orgs_by_muni = {m.pk: [o for o in orgs if o.municipality_id == m.pk] for m in muni_objs}
        for m in muni_objs:
            for p in range(professionals):
                team = teams_by_muni[m.pk][p % teams_per_municipality]
                role = Role.LEAD if p < teams_per_municipality else Role.PROFESSIONAL
                users.append(User(username=f"bench-{seed}-{m.code}-{p}", first_name=rng.choice(FIRST),
                                  last_name=rng.choice(LAST), municipality=m, team=team, role=role,
                                  organisation=rng.choice(orgs_by_muni[m.pk]), password="!"))
        User.objects.bulk_create(users, batch_size=batch)
        users_by_muni = {m.pk: [u for u in users if u.municipality_id == m.pk] for m in muni_objs}
        creator_by_muni = {m.pk: users_by_muni[m.pk][0] for m in muni_objs}

        total_cases = 0
        for start in range(0, households, batch):
            size = min(batch, households - start)
            hh, people, cases, involvements, scores = [], [], [], [], []
            for _ in range(size):
                m = muni_objs[rng.randrange(municipalities)]
                hh.append(Household(municipality=m, area=rng.choice(AREAS)))
            Household.objects.bulk_create(hh)
            for h in hh:
                for r in range(rng.choice([1, 1, 2, 3, 4])):
                    people.append(Person(
                        municipality_id=h.municipality_id, household=h, first_name=rng.choice(FIRST),
                        last_name=rng.choice(LAST), relation="main" if r == 0 else rng.choice(["partner", "child"]),
                        date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(25000))))
                opened = now - dt.timedelta(days=rng.randrange(1, 1500))
                status = rng.choices(["open", "platform", "breakthrough", "follow_up", "closed"],
                                     weights=[20, 10, 15, 15, 40])[0]
                cases.append(Case(
                    municipality_id=h.municipality_id, household=h,
                    team=rng.choice(teams_by_muni[h.municipality_id]), title=f"Casus {start + len(cases) + 1}",
                    question="Synthetische hulpvraag.", status=status, opened_at=opened,
                    stuck_since=(opened - dt.timedelta(days=rng.randrange(0, 365))).date(),
                    created_by=creator_by_muni[h.municipality_id]))
            Person.objects.bulk_create(people)
            Case.objects.bulk_create(cases)
            for c in cases:
                pool = users_by_muni[c.municipality_id]
                for u in rng.sample(pool, k=min(len(pool), rng.randint(2, 5))):
                    involvements.append(Involvement(municipality_id=c.municipality_id, case=c, user=u,
                                                    organisation_id=u.organisation_id, role_in_case="betrokken"))
                for d in rng.sample(domains, k=rng.randint(2, 5)):
                    scores.append(DomainScore(municipality_id=c.municipality_id, case=c, domain=d,
                                              score=rng.randint(1, 5), scored_by=creator_by_muni[c.municipality_id],
                                              scored_on=c.opened_at.date()))
            Involvement.objects.bulk_create(involvements)
            DomainScore.objects.bulk_create(scores)
            total_cases += len(cases)
            if stdout:
                stdout.write(f"  {start + size} huishoudens\n")
        counts.update(municipalities=municipalities, users=len(users), households=households, cases=total_cases)
    return counts
