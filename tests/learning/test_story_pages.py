"""/leren/verhalen/ in pages (issue 15 point 4): the approved stories of the municipality 25 at a time, newest
approved first, with next / previous links (a seek on (approved_at, id)) that keep the status filter, a capped
total, and the professional's drafts paged the same way. Malformed positions show the first page."""

import datetime
import re

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from doorbraak.cases.models import Case
from doorbraak.learning.models import Story, StoryTag
from doorbraak.learning.stories import selectors
from tests.cases.factories import CaseFactory, World, login

pytestmark = pytest.mark.django_db

URL = reverse("learning:stories")
BASE = timezone.now().replace(microsecond=0) - datetime.timedelta(days=400)


def add_stories(w, n, *, start=0, status_of=None, same_time_every=4, without_date=()):
    """`n` stories of World `w`; every `same_time_every` stories share an approval time (the id decides), those
    numbered in `without_date` have none. Each has a blocker tag. Returns them."""
    stories = []
    for i in range(start, start + n):
        case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
        status = status_of(i) if status_of else (Story.Status.PUBLISHED if i % 3 == 0 else Story.Status.APPROVED)
        approved_at = None if i in without_date else BASE + datetime.timedelta(hours=i // same_time_every)
        story = Story.objects.create(
            municipality=w.municipality,
            case=case,
            title=f"Verhaal nummer {i}",
            text="Een moeder van in de veertig zocht een huis.",
            status=status,
            approved_by=w.lead,
            approved_at=approved_at,
            published_by=w.lead if status == Story.Status.PUBLISHED else None,
        )
        StoryTag.objects.create(municipality=w.municipality, story=story, kind="blocker", code="pinching_rules")
        stories.append(story)
    return stories


def newest_first(stories):
    """The list's order: newest approved first, the id deciding a tie; stories without a date last, by id."""
    dated = sorted((s for s in stories if s.approved_at), key=lambda s: (s.approved_at, s.pk), reverse=True)
    return [s.pk for s in dated] + sorted((s.pk for s in stories if not s.approved_at), reverse=True)


def shown_stories(html):
    return [int(pk) for pk in re.findall(r'href="/leren/verhalen/(\d+)/"', html)]


def link(html, rel):
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def walk(client, url, rel="next"):
    """Every page from `url` following the `rel` links: a list of (ids shown, html)."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append((shown_stories(html), html))
        nxt = link(html, rel)
        url = URL + nxt if nxt else None
        assert len(pages) < 20
    return pages


def test_policy_pages_through_all_approved_stories_newest_first_and_back(client):
    w = World()
    stories = add_stories(w, 60, without_date={5, 17, 40})
    add_stories(World(), 3)  # another municipality's: never shown
    login(client, w.policy)
    pages = walk(client, URL)
    assert [len(ids) for ids, _ in pages] == [25, 25, 10]
    assert [pk for ids, _ in pages for pk in ids] == newest_first(stories)  # none twice, none missing, in order
    first_html = pages[0][1]
    assert "60 verhalen" in first_html
    assert link(first_html, "prev") is None and "Eerste pagina" not in first_html
    assert link(pages[-1][1], "next") is None
    # Back from the last page with "Vorige": the same pages in reverse.
    back = walk(client, URL + link(pages[-1][1], "prev"), rel="prev")
    assert [ids for ids, _ in back] == [ids for ids, _ in pages[:-1]][::-1]
    assert "Eerste pagina" in pages[1][1]


def test_the_status_filter_stays_in_the_paging_links(client):
    w = World()
    stories = add_stories(w, 60, status_of=lambda i: Story.Status.PUBLISHED if i % 2 else Story.Status.APPROVED)
    login(client, w.policy)
    pages = walk(client, f"{URL}?status=published")
    assert [len(ids) for ids, _ in pages] == [25, 5]
    published = [s for s in stories if s.status == Story.Status.PUBLISHED]
    assert [pk for ids, _ in pages for pk in ids] == newest_first(published)
    assert "status=published" in link(pages[0][1], "next")
    assert '<option value="published" selected>' in pages[1][1]
    assert "30 verhalen" in pages[1][1]


@pytest.mark.parametrize(
    "query",
    [
        "na=abc",
        "na=12-x",
        "voor=-5-3",
        "na=99999999999999999999999999-1",
        "voor=n-",
        "na=" + "1" * 60,
        "na=1-99999999999999999999",
        "concepten_na=zz&concepten_voor=1-",
    ],
)
def test_a_malformed_position_shows_the_first_page(client, query):
    w = World()
    stories = add_stories(w, 30)
    login(client, w.policy)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert shown_stories(response.content.decode()) == newest_first(stories)[:25]


def test_the_page_runs_the_same_queries_with_30_and_with_60_stories(client, django_assert_num_queries):
    w = World()
    add_stories(w, 30)
    login(client, w.policy)
    assert client.get(URL).status_code == 200  # warms per-process caches
    # session, user, its devices; the page's 26 stories, their tags (one query), the capped count (no session save:
    # an active session is saved at most once a minute)
    with django_assert_num_queries(6):
        assert len(shown_stories(client.get(URL).content.decode())) == 25
    add_stories(w, 30, start=30)
    with django_assert_num_queries(6):
        html = client.get(URL).content.decode()
    assert len(shown_stories(html)) == 25 and "60 verhalen" in html
    with django_assert_num_queries(6):  # a later page (not the last) is the same seek
        assert len(shown_stories(client.get(URL + link(html, "next")).content.decode())) == 25


def test_tags_are_read_for_the_shown_stories_only(client, django_assert_max_num_queries):
    w = World()
    stories = add_stories(w, 30)
    page, count = selectors.shared_story_page(w.policy)
    assert count == 30 and len(page.rows) == 25
    with django_assert_max_num_queries(0):  # prefetched: no query per story
        labels = [selectors.tag_labels(s.tags.all()) for s in page.rows]
    assert all(label["blockers"] for label in labels)
    assert {s.pk for s in page.rows} < {s.pk for s in stories}


def test_the_total_is_capped(client, monkeypatch):
    w = World()
    add_stories(w, 30)
    monkeypatch.setattr(selectors, "STORY_COUNT_CAP", 20)
    login(client, w.policy)
    html = client.get(URL).content.decode()
    assert "Meer dan 20 verhalen" in html and "30 verhalen" not in html


def test_the_leads_drafts_come_in_pages_too(client):
    w = World()
    drafts = []
    for i in range(30):
        case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
        drafts.append(
            Story.objects.create(municipality=w.municipality, case=case, title=f"Concept nummer {i}", text="x")
        )
    Case.objects.filter(pk__in=[d.case_id for d in drafts]).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    Story.objects.filter(pk__in=[d.pk for d in drafts[::3]]).update(
        created_at=F("created_at") - datetime.timedelta(days=1)
    )
    login(client, w.lead)
    html = client.get(URL).content.decode()
    first = re.findall(r"Concept nummer (\d+)", html)
    assert len(first) == 25
    nxt = link(html, "next")
    assert nxt.startswith("?concepten_na=")
    rest = re.findall(r"Concept nummer (\d+)", client.get(URL + nxt).content.decode())
    assert len(rest) == 5 and sorted(map(int, first + rest)) == list(range(30))
    # The oldest drafts (moved a day back) come last.
    assert {int(n) for n in rest} <= {i for i in range(30) if i % 3 == 0}


def test_seek_pages_walk_through_stories_without_a_date_both_ways():
    """core.seek with small pages over dated and undated stories: forwards and backwards, every story once."""
    from doorbraak.core.seek import seek_page

    w = World()
    stories = add_stories(w, 20, same_time_every=3, without_date=set(range(7, 20, 2)))
    qs = Story.objects.filter(municipality=w.municipality)
    forwards, after = [], None
    while True:
        page = seek_page(qs, "approved_at", after=after, descending=True, nullable=True, size=4)
        forwards.append([s.pk for s in page.rows])
        if not page.next_after:
            break
        after = page.next_after
    assert [pk for ids in forwards for pk in ids] == newest_first(stories)
    assert [len(ids) for ids in forwards] == [4, 4, 4, 4, 4]
    backwards, before = [], page.previous_before
    while before:
        page = seek_page(qs, "approved_at", before=before, descending=True, nullable=True, size=4)
        backwards.append([s.pk for s in page.rows])
        before = page.previous_before
    assert backwards == forwards[:-1][::-1]
