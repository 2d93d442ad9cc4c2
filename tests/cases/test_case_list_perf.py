"""The case list's page-first query (issue 15) against the old query (kept here as the oracle): the same cases in
the same order, with the same main person and number of professionals, for 50 random filter combinations on a
seeded database; keyset paging forwards and back; the capped total; exact query counts."""

import datetime
import random

import pytest
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from doorbraak.cases import selectors_list
from doorbraak.cases.models import Case, Involvement, LifeDomain, Person
from doorbraak.core.fields import bsn_hash, normalise_bsn
from doorbraak.core.models import Role
from doorbraak.core.validators import is_valid_bsn
from doorbraak.platforms.models import BREAKTHROUGH_DAYS, Platform
from tests.cases.factories import CaseFactory, PersonFactory, World, involve, login, score
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"
SURNAMES = ["Jansen", "de Vries", "Yilmaz", "Bakker", "van den Berg"]
FIRST_NAMES = ["Anna", "Bram", "Fatima", "Noor", "Jansje"]
WORDS = ["wonen", "schulden", "werk", "school", "zorg"]


def old_case_list(user, *, q="", status="", domain="", team=None, stuck_weeks=None, platform=""):
    """The case list query before issue 15 (cases.selectors.case_list at 88b5898): join, annotate every visible
    row, DISTINCT. The oracle; with issue 16's platform filter as it first was (a semi-join on the overdue
    platforms' cases)."""
    main_person = Person.objects.filter(household_id=OuterRef("household_id"), relation=Person.Relation.MAIN)
    qs = (
        Case.objects.filter(pk__in=Case.objects.visible_to(user).values("pk"))
        .select_related("team")
        .annotate(
            active_involved=Count("involvements", filter=Q(involvements__ended_at__isnull=True), distinct=True),
            main_first_name=Subquery(main_person.values("first_name")[:1]),
            main_last_name=Subquery(main_person.values("last_name")[:1]),
        )
    )
    if q:
        condition = (
            Q(title__icontains=q)
            | Q(question__icontains=q)
            | Q(household__members__first_name__icontains=q)
            | Q(household__members__last_name__icontains=q)
        )
        if is_valid_bsn(normalise_bsn(q)):
            condition |= Q(household__members__bsn_hash=bsn_hash(q))
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if domain:
        qs = qs.filter(domain_scores__domain=domain)
    if team is not None:
        qs = qs.filter(team=team)
    if stuck_weeks is not None:
        qs = qs.filter(stuck_since__lte=timezone.localdate() - datetime.timedelta(weeks=stuck_weeks))
    if platform:
        cutoff = timezone.localdate() - datetime.timedelta(days=BREAKTHROUGH_DAYS)
        overdue = Platform.objects.filter(status=Platform.Status.CONVENED, convened_on__lt=cutoff)
        qs = qs.filter(pk__in=overdue.values("case_id"))
    return qs.distinct().order_by("-opened_at", "-id")


def row(case):
    return (case.pk, case.main_first_name, case.main_last_name, case.active_involved, case.team.name)


@pytest.fixture
def seeded():
    """Three teams, 90 cases with tied opening times, members with shared names, one BSN, domain scores, stuck
    dates, active and ended involvements; platforms convened up to six weeks ago, at the table or broken through
    (some cases two), around the three-week line of the "voorbij" filter."""
    rng = random.Random(15)
    w = World()
    teams = [w.team, TeamFactory(municipality=w.municipality), TeamFactory(municipality=w.municipality)]
    w.other_lead.team = teams[1]
    w.other_lead.save()
    pros = [w.pro, w.uninvolved] + [UserFactory(municipality=w.municipality, team=teams[2]) for _ in range(2)]
    now = timezone.now().replace(microsecond=0)
    stamps = [now - datetime.timedelta(days=d, seconds=s) for d in range(30) for s in (0, 1)]
    today = timezone.localdate()
    for n in range(90):
        case = CaseFactory(
            municipality=w.municipality,
            team=rng.choice(teams),
            created_by=w.lead,
            title=f"Casus {n} {rng.choice(WORDS)}",
            question=f"Ik wil hulp bij {rng.choice(WORDS)} en {rng.choice(WORDS)}.",
            status=rng.choice(Case.Status.values),
            opened_at=rng.choice(stamps),
            stuck_since=rng.choice([None, today - datetime.timedelta(weeks=rng.randint(0, 20))]),
        )
        main = case.household.members.get()
        main.first_name, main.last_name = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        main.save()
        for _ in range(rng.randint(0, 2)):
            PersonFactory(
                household=case.household,
                municipality=w.municipality,
                relation="child",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(SURNAMES),
            )
        if n == 7:
            PersonFactory(household=case.household, municipality=w.municipality, relation="partner", bsn=VALID_BSN)
        for domain in rng.sample(LifeDomain.values, rng.randint(0, 3)):
            for _ in range(rng.randint(1, 2)):  # re-scored: more rows per domain (the old join's duplicates)
                score(case, domain, rng.randint(1, 5), w.lead)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            days = rng.choice([0, 10, BREAKTHROUGH_DAYS - 1, BREAKTHROUGH_DAYS, BREAKTHROUGH_DAYS + 1, 40])
            broke = rng.random() < 0.3
            Platform.objects.create(
                municipality=w.municipality,
                case=case,
                convened_on=today - datetime.timedelta(days=days),
                convened_by=w.lead,
                first_problem="Probleem",
                status=Platform.Status.BREAKTHROUGH if broke else Platform.Status.CONVENED,
                breakthrough_on=today if broke else None,
                breakthrough="Doorbraak" if broke else "",
            )
        for pro in rng.sample(pros, rng.randint(0, 3)):
            inv = involve(case, pro)
            if rng.random() < 0.3:
                Involvement.objects.filter(pk=inv.pk).update(ended_at=timezone.now())
    w.teams = teams
    return w


def walk(user, filters, pages=4):
    """Rows of the first `pages` pages, following the next-page cursors; and the page by number for page 2."""
    out, cursor, number = [], None, 1
    for _ in range(pages):
        page = selectors_list.case_page(user, filters, after=cursor, page=number)
        out += [row(c) for c in page.object_list]
        if not page.has_next:
            break
        cursor, number = page.next_cursor, page.next_page_number
    return out


@pytest.mark.parametrize("candidate_limit", [500, 1], ids=["rare-text-candidates-first", "common-text-per-case"])
def test_first_pages_equal_the_old_query_for_50_random_filter_combinations(seeded, monkeypatch, candidate_limit):
    """Both shapes of the search (the candidates' ids first, or each walked case checked) give the old query's
    cases."""
    monkeypatch.setattr(selectors_list, "PAGE_SIZE", 7)  # several pages out of 90 cases
    monkeypatch.setattr(selectors_list, "SEARCH_CANDIDATE_LIMIT", candidate_limit)
    monkeypatch.setattr(selectors_list, "SEARCH_COUNT_CAP", 1000)  # exact totals to compare
    w = seeded
    rng = random.Random(1115)
    users = [w.lead, w.pro, w.uninvolved, w.other_lead]
    texts = ["", "", "", "", "jansen", "Vries", "wonen", "SCHULD", "casus 1", "anna", VALID_BSN, "zzz"]
    checked_non_empty = checked_platform = 0
    for _ in range(50):

        def some(values, none):
            return rng.choice(values) if rng.random() < 0.35 else none  # noqa: B023 (called right here)

        filters = {
            "q": rng.choice(texts),
            "status": some(Case.Status.values, ""),
            "domain": some(LifeDomain.values, ""),
            "team": some(w.teams, None),
            "stuck_weeks": some([0, 4, 12], None),
            "platform": some(["voorbij"], ""),
        }
        user = rng.choice(users)
        expected = [row(c) for c in old_case_list(user, **filters)[:28]]
        assert walk(user, filters) == expected, (user.username, filters)
        page = selectors_list.case_page(user, filters)
        assert page.count == old_case_list(user, **filters).count() and not page.count_capped
        by_number = selectors_list.case_page(user, filters, page=2)
        old_page = Paginator(old_case_list(user, **filters), 7).get_page(2)  # past the end: the last page
        assert [row(c) for c in by_number.object_list] == [row(c) for c in old_page.object_list]
        checked_non_empty += bool(expected)
        checked_platform += bool(expected) and bool(filters["platform"])
    assert checked_non_empty >= 20  # the combinations are not all empty
    assert checked_platform >= 5  # the "voorbij" filter is among them, with cases found


def test_previous_page_cursor_walks_back_to_the_same_pages(seeded, monkeypatch):
    monkeypatch.setattr(selectors_list, "PAGE_SIZE", 7)
    lead = seeded.lead
    pages, cursor, number = [], None, 1
    while True:
        page = selectors_list.case_page(lead, {}, after=cursor, page=number)
        pages.append(page)
        if not page.has_next:
            break
        cursor, number = page.next_cursor, page.next_page_number
    assert len(pages) >= 3
    back = pages[-1]
    for expected in reversed(pages[:-1]):
        back = selectors_list.case_page(lead, {}, before=back.previous_cursor, page=back.previous_page_number)
        assert [c.pk for c in back.object_list] == [c.pk for c in expected.object_list]
        assert back.number == expected.number
    assert not back.has_previous and back.number == 1


def test_malformed_cursor_or_page_starts_at_the_first_page(seeded):
    lead = seeded.lead
    first = [c.pk for c in selectors_list.case_page(lead, {}).object_list]
    for bad in ("x", "12-", "-3", "9" * 60, "99999999999999999999-1", "1-99999999999999999999999"):
        assert [c.pk for c in selectors_list.case_page(lead, {}, after=bad).object_list] == first
    assert [c.pk for c in selectors_list.case_page(lead, {}, page="abc").object_list] == first


def test_list_pages_through_next_links_and_caps_the_total(seeded, client, monkeypatch):
    monkeypatch.setattr(selectors_list, "PAGE_SIZE", 10)
    monkeypatch.setattr(selectors_list, "COUNT_CAP", 5)
    login(client, seeded.lead)
    expected = list(old_case_list(seeded.lead).values_list("pk", flat=True))
    seen, url = [], reverse("cases:list")
    while url:
        html = client.get(url).content.decode()
        assert "Meer dan 5 casussen" in html
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        seen += [int(part.split("/")[0]) for part in body.split('href="/casussen/')[1:]]
        nxt = html.split('rel="next" href="')
        url = reverse("cases:list") + nxt[1].split('"')[0].replace("&amp;", "&") if len(nxt) > 1 else None
    assert seen == expected


def test_exact_total_below_the_cap_and_past_the_last_page(seeded, client):
    login(client, seeded.pro)
    expected = old_case_list(seeded.pro).count()
    html = client.get(reverse("cases:list"), {"pagina": "999"}).content.decode()
    assert f"{expected} casussen" in html
    assert "Pagina 1 van 1" not in html or expected <= selectors_list.PAGE_SIZE


# Session, user, second-factor device, the page (rows and details in one query), the capped count, the
# municipality, the access-log row (savepoint, head, insert, head update, release), the evaluations due (count; the
# page query only when there are some), the filter form's teams. No session save: an active session is saved at
# most once a minute (core.services_auth.touch_session), not on every request (3 statements before, 16 in all).
QUERIES_PER_LIST_PAGE = 13


@pytest.mark.parametrize("who", ["pro", "lead"])
def test_list_query_count_is_fixed(seeded, client, django_assert_num_queries, monkeypatch, who):
    """The same fixed number of queries for the professional and the lead (whose team has most cases), on page 1
    with a filter and on page 2."""
    monkeypatch.setattr(selectors_list, "PAGE_SIZE", 3)  # a page 2 for both
    user = getattr(seeded, who)
    login(client, user)
    client.get(reverse("cases:list"))  # warm: the first request stores the session
    with django_assert_num_queries(QUERIES_PER_LIST_PAGE):
        response = client.get(reverse("cases:list"), {"status": "open"})
    assert response.status_code == 200
    with django_assert_num_queries(QUERIES_PER_LIST_PAGE):
        client.get(reverse("cases:list"), {"pagina": "2"})


def test_lead_other_team_and_other_municipality_see_nothing_of_the_team(seeded):
    stranger = UserFactory(role=Role.LEAD)
    assert selectors_list.case_page(stranger, {}).object_list == []
    other = selectors_list.case_page(seeded.other_lead, {})
    assert all(
        c.team_id == seeded.teams[1].pk
        or c.pk
        in set(
            Involvement.objects.filter(user=seeded.other_lead, ended_at__isnull=True).values_list("case_id", flat=True)
        )
        for c in other.object_list
    )


def test_search_total_has_its_own_cap(seeded, client, monkeypatch):
    monkeypatch.setattr(selectors_list, "SEARCH_COUNT_CAP", 3)
    login(client, seeded.lead)
    client.post(reverse("cases:list"), {"q": "casus"})  # every title has it
    html = client.get(reverse("cases:list")).content.decode()
    assert "Meer dan 3 casussen" in html
    client.post(reverse("cases:list"), {"q": "", "wissen": "1"})
    html = client.get(reverse("cases:list")).content.decode()
    assert "Meer dan" not in html and f"{old_case_list(seeded.lead).count()} casussen" in html
