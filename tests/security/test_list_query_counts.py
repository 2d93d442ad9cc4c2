"""Issue 11 point 6: every list page runs an exact, fixed number of queries. Each case renders the page once to
warm per-process caches, counts the queries of a second request on a small data set, adds several more rows of
what the list shows, and counts again: both counts must equal the number below (no query per row)."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.budget.models import CatalogueItem
from doorbraak.core import services_admin
from doorbraak.core.audit import log_access
from doorbraak.core.models import Role
from doorbraak.initiatives.models import Moderation
from doorbraak.learning.models import LearningSession, PolicyProposal, Story, Theme, ThemeBlocker
from tests.budget.factories import World as BudgetWorld
from tests.cases.factories import CaseFactory, World, involve, login
from tests.factories import UserFactory
from tests.initiatives.factories import CommentFactory, InitiativeFactory, SubmissionFactory
from tests.learning.test_precedents import story_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
MORE = 5


def story(case, status, title, by):
    return Story.objects.create(
        municipality=case.municipality,
        case=case,
        title=title,
        text="Een moeder van in de veertig zocht een huis.",
        period="voorjaar 2025",
        status=status,
        approved_by=by,
        published_by=by if status == Story.Status.PUBLISHED else None,
    )


# Each page: setup(client) -> (url, add_more); add_more() adds MORE rows the list shows and returns a text of the
# last one, which the page must then show.


def case_list(actor):
    def setup(client):
        w = World()
        user = getattr(w, actor)

        def add_more():
            for _ in range(MORE):
                case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
                involve(case, w.pro)
                involve(case, w.uninvolved, role="betrokkene")
            return case.title

        login(client, user)
        return reverse("cases:list"), add_more

    return setup


def budget_overview(actor):
    def setup(client):
        w = BudgetWorld()
        w.fund()
        w.train_pass_plan()

        def add_more():
            for i in range(MORE):
                w.train_pass_plan(w.case(title=f"Plan {i}"))
                w.fund(amount_cents=1_000_00, year=TODAY.year - 1 - i)
            return f"Plan {MORE - 1}"

        login(client, getattr(w, actor))
        return reverse("budget:overview"), add_more

    return setup


def catalogue(client):
    w = BudgetWorld()

    def add_more():
        for i in range(MORE):
            CatalogueItem.objects.create(
                municipality=w.municipality,
                code=f"extra-{i}",
                name=f"Extra post {i}",
                unit="hour",
                amount_cents=10_000 + i,
                funder="wmo",
                source="Eigen tarief",
                source_type="contract",
                confidence="high",
                price_year=TODAY.year - i,
            )
        return f"Extra post {MORE - 1}"

    login(client, w.approver)
    return reverse("budget:catalogue"), add_more


def stories(client):
    w = World()
    story(w.case, Story.Status.APPROVED, "Eerste verhaal", w.lead)

    def add_more():
        for i in range(MORE):
            case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
            story(case, Story.Status.PUBLISHED if i % 2 else Story.Status.APPROVED, f"Verhaal {i}", w.lead)
        return f"Verhaal {MORE - 1}"

    login(client, w.policy)
    return reverse("learning:stories"), add_more


def themes(client):
    w = World()
    first = Theme.objects.create(municipality=w.municipality, name="Thema 0")
    ThemeBlocker.objects.create(municipality=w.municipality, theme=first, code="rules_clash")
    PolicyProposal.objects.create(municipality=w.municipality, theme=first, text="Eén loket", created_by=w.lead)

    def add_more():
        codes = ["pinching_rules", "unclear_funding", "no_places", "not_heard", "imposed_goals"]
        for i in range(MORE):
            theme = Theme.objects.create(municipality=w.municipality, name=f"Thema {i + 1}")
            ThemeBlocker.objects.create(municipality=w.municipality, theme=theme, code=codes[i])
            PolicyProposal.objects.create(municipality=w.municipality, theme=theme, text="Regel", created_by=w.lead)
        return f"Thema {MORE}"

    login(client, w.policy)
    return reverse("learning:themes"), add_more


def sessions(client):
    w = World()

    theme = Theme.objects.create(municipality=w.municipality, name="Geld en financiering")
    approved = story(w.case, Story.Status.APPROVED, "Een huis via de corporatie", w.lead)

    def record(i):
        session = LearningSession.objects.create(
            municipality=w.municipality,
            held_on=TODAY - datetime.timedelta(days=i),
            topic=f"Leersessie {i}",
            theme=theme,
            attendees=10 + i,
            takeaways="Vraag toestemming.",
            needs="Een spiekbriefje.",
            created_by=w.policy,
        )
        session.stories.add(approved)

    def add_more():
        for i in range(MORE):
            record(i + 1)
        return f"Leersessie {MORE}"

    record(0)
    login(client, w.policy)
    return reverse("learning:sessions"), add_more


def precedents(client):
    w = World()
    story_in(w, title="Huur garant", stage="published", blockers=["pinching_rules"], funders=["wmo"], kind="bridging")

    def add_more():
        for i in range(MORE):
            story_in(w, title=f"Precedent {i}", stage="published", blockers=["funder_unclear"], funders=["wlz"])
        return f"Precedent {MORE - 1}"

    return reverse("precedents:list"), add_more


def initiatives(client):
    InitiativeFactory()

    def add_more():
        for _ in range(MORE):
            initiative = InitiativeFactory()
            CommentFactory(initiative=initiative, moderation=Moderation.APPROVED)
        return initiative.name

    return reverse("initiatives:list"), add_more


def moderation(client):
    CommentFactory()
    SubmissionFactory()

    def add_more():
        for _ in range(MORE):
            CommentFactory()
            submission = SubmissionFactory()
        return submission.name

    login(client, UserFactory(role=Role.MODERATOR))
    return reverse("initiatives:moderation"), add_more


def access_log(client):
    w = World()
    admin = UserFactory(municipality=w.municipality, team=None, role=Role.ADMIN, is_staff=True)
    admin.groups.add(services_admin.administrators_group())
    log_access(w.lead, "case.read", obj=w.case)

    def add_more():
        for _ in range(MORE):
            log_access(w.pro, "case.read", obj=w.case)
        return w.pro.username

    login(client, admin)
    return reverse("admin:core_accessevent_changelist"), add_more


# --- issue 16: notifications ---
def work_inbox(client):
    from tests.platforms.factories import make_platform

    w = World()

    def add_more():
        for _ in range(MORE):
            case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
            involve(case, w.pro)
            make_platform(case, w.lead, convened_on=TODAY - datetime.timedelta(days=30), participants=[w.pro])
        return case.title

    login(client, w.pro)
    return reverse("core:home"), add_more


def notification_list(client):
    from doorbraak.notifications import services as notification_services
    from doorbraak.notifications.models import Kind

    w = World()
    notification_services.notify(w.pro, Kind.INVITED, link="/casussen/", key="first")

    def add_more():
        for i in range(MORE):
            notification_services.notify(w.pro, Kind.ESCALATION, link=f"/casussen/{i}/", key=f"more-{i}")
        return "Er is een casus opgeschaald"

    login(client, w.pro)
    return reverse("notifications:list"), add_more


def fund_page(client):  # issue 12: the ledger entries of one fund, keyset-paged
    from doorbraak.budget import services as budget_services

    w = BudgetWorld()
    fund = w.fund()
    w.train_pass_plan()

    def add_more():
        for i in range(MORE):
            budget_services.allocate(w.approver, fund, 100, description=f"Extra toekenning {i}")
        return f"Extra toekenning {MORE - 1}"

    login(client, w.approver)
    return reverse("budget:fund_detail", args=[fund.pk]), add_more


# --- issue 17: import and export ---
def import_log(client):
    from doorbraak.transfer.models import ImportBatch

    w = World()

    def batch(n):
        return ImportBatch.objects.create(
            municipality=w.municipality, uploaded_by=w.lead, file_format="csv", file_sha256=f"{n:064d}", row_count=n
        )

    batch(1)

    def add_more():
        for i in range(MORE):
            last = batch(10 + i)
        return f"Import {last.pk} van"

    login(client, w.lead)
    return reverse("transfer:home"), add_more


def import_rows(client):
    from doorbraak.transfer.models import ImportBatch, ImportRow

    w = World()
    batch = ImportBatch.objects.create(
        municipality=w.municipality, uploaded_by=w.lead, file_format="csv", file_sha256="0" * 64, status="checked"
    )

    def row(n):
        ImportRow.objects.create(
            municipality=w.municipality, batch=batch, number=n, external_id=f"EXT{n}", action="refused", reason="-"
        )

    row(2)

    def add_more():
        for i in range(MORE):
            row(3 + i)
        return f"EXT{3 + MORE - 1}"

    login(client, w.lead)
    return reverse("transfer:import_status", args=[batch.pk]), add_more


PAGES = [
    ("case list as professional", case_list("pro"), 13),
    ("case list as lead", case_list("lead"), 13),
    # issue 12: the fund totals are one query (was four); the mandate levels (holder, level, rule) are read for the
    # header and for the queue's mandate filter (+5)
    ("budget overview as approver", budget_overview("approver"), 19),
    # a lead's queue and running plans from the gate's two halves (issue 15 at 1M): each half, and the rows when the
    # halves found any (no plan is running here: +3)
    ("budget overview as lead", budget_overview("lead"), 21),
    ("cost catalogue", catalogue, 6),
    # issue 15 point 4: + the capped count, + the stories without an approval date (a list shorter than a page)
    ("learning stories", stories, 7),
    ("themes", themes, 9),
    ("learning sessions", sessions, 4),
    ("public precedent register", precedents, 3),
    ("public initiative list", initiatives, 2),
    ("moderation queue", moderation, 8),  # issue 15 point 4: + the two counts of pending items
    ("admin access log", access_log, 13),  # issue 15: no full count (show_full_result_count = False)
    # --- issue 16: notifications ---
    ("work inbox as professional", work_inbox, 15),
    ("notification list", notification_list, 4),
]


# --- issue 18: meetings ---
def _meetings_world():
    import datetime as dt

    from django.utils import timezone

    from doorbraak.meetings import services as meeting_services

    organiser = UserFactory(role=Role.MODERATOR)

    def meeting(days, title):
        start = timezone.now() + dt.timedelta(days=days)
        return meeting_services.create_meeting(
            organiser,
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            registration_deadline=start - dt.timedelta(hours=1),
            capacity=20,
            place="Den Haag",
        )

    return organiser, meeting


def _takeaway(meeting, n, **kw):
    from doorbraak.meetings.models import Takeaway

    return Takeaway.objects.create(
        meeting=meeting,
        takeaway=f"Meegenomen {n}",
        need="Tijd",
        need_time=True,
        consent_to_publish=True,
        form_token=f"qc-{meeting.pk}-{n}",
        **kw,
    )


def meeting_list(client):
    _organiser, meeting = _meetings_world()
    meeting(-10, "Bijeenkomst 0")
    meeting(10, "Bijeenkomst komend")

    def add_more():
        for i in range(MORE):
            meeting(-20 - i, f"Bijeenkomst {i + 1}")
            meeting(20 + i, f"Komend {i + 1}")
        return f"Bijeenkomst {MORE}"

    return reverse("meetings:list"), add_more


def meeting_detail(client):
    from doorbraak.meetings import services as meeting_services
    from doorbraak.meetings.models import Registration

    organiser, meeting = _meetings_world()
    held = meeting(-3, "Gehouden")
    _takeaway(held, 0, moderation="approved")

    def add_more():
        for i in range(MORE):
            meeting_services.add_programme_item(organiser, held, title=f"Praatje {i}", initiative=InitiativeFactory())
            _takeaway(held, i + 1, moderation="approved", show_name=True, name=f"Deelnemer {i}")
            Registration.objects.create(
                meeting=held,
                status="confirmed",
                name=f"Lijst {i}",
                email=f"l{i}@example.nl",
                on_attendee_list=True,
                cancel_token_hash=f"qc-h{i}",
                form_token=f"qc-f{i}",
            )
        return f"Deelnemer {MORE - 1}"

    return reverse("meetings:detail", args=[held.pk]), add_more


def meeting_organise(client):
    organiser, meeting = _meetings_world()
    meeting(-3, "Eerste")

    def add_more():
        for i in range(MORE):
            meeting(i + 1, f"Georganiseerd {i}")
        return f"Georganiseerd {MORE - 1}"

    login(client, organiser)
    return reverse("meetings:organise"), add_more


def meeting_moderation(client):
    organiser, meeting = _meetings_world()
    held = meeting(-3, "Gehouden")
    _takeaway(held, 0)

    def add_more():
        for i in range(MORE):
            _takeaway(held, i + 1)
        return f"Beoordeel opbrengst {MORE + 1}"

    login(client, organiser)
    return reverse("meetings:moderation"), add_more


def meeting_needs(client):
    from doorbraak.meetings import services as meeting_services

    organiser, meeting = _meetings_world()
    held = meeting(-3, "Gehouden")
    first = _takeaway(held, 0)
    meeting_services.create_follow_up(
        organiser, kind="introduction", need="time", title="Vervolg 0", takeaway_ids=[first.pk]
    )

    def add_more():
        for i in range(MORE):
            t = _takeaway(held, i + 1)
            meeting_services.create_follow_up(
                organiser, kind="learning_session", need="time", title=f"Vervolg {i + 1}", takeaway_ids=[t.pk]
            )
            _takeaway(held, i + 100)
        return f"Vervolg {MORE}"

    login(client, organiser)
    return reverse("meetings:needs"), add_more


PAGES += [
    ("public meeting list", meeting_list, 2),
    ("meeting page", meeting_detail, 6),
    ("organiser's meetings", meeting_organise, 4),
    ("takeaway moderation queue", meeting_moderation, 4),
    ("needs and follow-ups", meeting_needs, 11),
    # --- issue 12: funds ---
    ("fund page", fund_page, 13),
    # --- issue 17: import and export ---
    ("import log", import_log, 4),
    ("import dry-run rows", import_rows, 5),
]


@pytest.mark.parametrize("name, setup, expected", PAGES, ids=[p[0] for p in PAGES])
def test_list_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, name, setup, expected):
    url, add_more = setup(client)
    assert client.get(url).status_code == 200  # warms per-process caches (content types, rule book)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    shown = add_more()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    assert shown in response.content.decode(), f"{name}: the added rows are not on the page"
