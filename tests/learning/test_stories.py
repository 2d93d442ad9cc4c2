"""Anonymised stories: a draft from a closed case (need-to-know, logged), edits scrubbed again, four-eyes
approval, publishing by policy staff only, and what policy staff and leads see at /leren/verhalen/."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from doorbraak.cases import services as case_services
from doorbraak.cases.models import CaseFunder, Person
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent, Role
from doorbraak.learning.models import Story, StoryTag
from doorbraak.learning.stories import selectors, services
from doorbraak.learning.stories.anonymise import MONTHS, VOCABULARY
from doorbraak.platforms.models import PlatformBlocker, PlatformEvaluation
from tests.cases.factories import CaseFactory, HouseholdFactory, World, involve, login
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db


def closed_world(area="Graafsewijk", breakthrough=None, blockers=("pinching_rules",), funders=("wmo",)):
    """A World whose case had a platform with a breakthrough and an evaluation, and was closed by the lead."""
    w = World()
    w.main = Person.objects.get(household=w.case.household)
    w.main.first_name, w.main.last_name, w.main.bsn = "Fatima", "el Amrani", "111222333"
    w.main.date_of_birth = datetime.date(1988, 4, 2)
    w.main.save()
    w.case.household.area = area
    w.case.household.save()
    w.case.question = "Fatima zoekt een kamer in de Graafsewijk. Bel 06-12345678."
    w.case.tried = "Op 14-03-2025 belde ze met de verhuurder."
    w.case.stuck_since = datetime.date(2025, 3, 14)
    w.case.save()
    platform = make_platform(w.case, w.lead, convened_on=datetime.date(2025, 4, 1), participants=[w.pro])
    platform.breakthrough_on = datetime.date(2025, 4, 10)
    platform.breakthrough = breakthrough or f"Fatima kreeg een maand huur garant; {w.pro.first_name} regelde het."
    platform.solution_kind = "bridging"
    platform.save()
    evaluation = PlatformEvaluation.objects.create(
        municipality=w.municipality,
        platform=platform,
        helped="snel",
        client_satisfaction=8,
        professional_satisfaction=8,
    )
    for code in blockers:
        PlatformBlocker.objects.create(municipality=w.municipality, evaluation=evaluation, code=code)
    for funder in funders:
        CaseFunder.objects.create(municipality=w.municipality, case=w.case, funder=funder)
    case_services.close_case(w.lead, w.case)
    w.case.refresh_from_db()
    return w


def tags(story):
    return sorted((t.kind, t.code) for t in StoryTag.objects.filter(story=story))


# --- drafting ---------------------------------------------------------------------------------------------------


def test_professional_involved_at_closing_drafts_an_anonymised_story(client):
    w = closed_world()
    login(client, w.pro)
    response = client.post(reverse("story:create", kwargs={"case_id": w.case.pk}))
    story = Story.objects.get(case=w.case)
    assert response.status_code == 302
    assert response["Location"] == reverse("story:edit", kwargs={"case_id": w.case.pk, "pk": story.pk})
    assert story.status == Story.Status.DRAFT and story.created_by == w.pro
    everything = " ".join([story.title, story.text, story.solution, story.period])
    for secret in [
        "Fatima",
        "Amrani",
        "111222333",
        "Graafsewijk",
        "06-12345678",
        "14-03-2025",
        "1988",
        w.pro.first_name,
        w.pro.last_name,
        w.municipality.name,
    ]:
        assert secret.lower() not in everything.lower(), secret
    # Names become who the person is: the resident, and the professional by their role at the table.
    assert story.solution == "De bewoner kreeg een maand huur garant; de deelnemer regelde het."
    assert "[naam]" not in everything
    assert "in de dertig" in story.text  # age coarsened to a band
    assert story.period == "voorjaar 2025" and story.solution_kind == "bridging"
    assert tags(story) == [("blocker", "pinching_rules"), ("law", "wmo")]
    assert (
        AccessEvent.objects.filter(event="story.create", actor_id=w.pro.pk, action=AccessEvent.Action.CREATE).count()
        == 1
    )
    assert w.case.timeline.filter(kind="story.drafted").exists()


def test_draft_only_from_a_closed_case_and_only_once():
    w = World()
    with pytest.raises(RuleError, match="afgesloten"):
        services.create_story_draft(w.pro, w.case)
    case_services.close_case(w.lead, w.case)
    services.create_story_draft(w.lead, w.case)
    with pytest.raises(RuleError, match="al een verhaal"):
        services.create_story_draft(w.pro, w.case)
    assert Story.objects.filter(case=w.case).count() == 1


def test_need_to_know_uninvolved_and_other_roles_get_404(client):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    urls = [
        reverse("story:case", kwargs={"case_id": w.case.pk}),
        reverse("story:detail", kwargs={"case_id": w.case.pk, "pk": story.pk}),
        reverse("story:edit", kwargs={"case_id": w.case.pk, "pk": story.pk}),
    ]
    for user in (w.uninvolved, w.other_lead, w.policy, w.stranger, w.approver):
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.role, url)
        assert client.post(reverse("story:create", kwargs={"case_id": w.case.pk})).status_code == 404
        assert client.post(reverse("story:approve", kwargs={"case_id": w.case.pk, "pk": story.pk})).status_code == 404
        with pytest.raises(PermissionDenied):
            services.update_story(user, story, title="x", text="y", solution="", solution_kind="", blockers=[], laws=[])
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT and story.title != "x"


def test_grace_period_after_closing_ends_for_former_members_not_for_the_lead(client):
    w = closed_world()
    url = reverse("story:case", kwargs={"case_id": w.case.pk})
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=selectors.STORY_GRACE_DAYS + 1)
    login(client, w.pro)
    assert client.get(url).status_code == 200
    with time_machine.travel(later):
        login(client, w.pro)
        assert client.get(url).status_code == 404
        login(client, w.lead)
        assert client.get(url).status_code == 200


def test_someone_who_left_before_closing_has_no_access():
    w = World()
    leaver = UserFactory(municipality=w.municipality, team=w.team)
    involvement = involve(w.case, leaver)
    case_services.end_involvement(leaver, w.case, involvement)
    case_services.close_case(w.lead, w.case)
    assert not selectors.story_cases(leaver).filter(pk=w.case.pk).exists()
    assert selectors.story_cases(w.pro).filter(pk=w.case.pk).exists()


def test_reading_a_draft_is_logged(client):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    login(client, w.lead)
    html = client.get(reverse("story:detail", kwargs={"case_id": w.case.pk, "pk": story.pk})).content.decode()
    assert story.title in html
    event = AccessEvent.objects.get(event="story.read", actor_id=w.lead.pk)
    assert event.object_id == str(story.pk) and event.subject_pseudonym


def test_case_page_offers_the_story_only_when_closed(client):
    w = World()
    login(client, w.lead)
    url = reverse("cases:detail", kwargs={"case_id": w.case.pk})
    assert "Geanonimiseerd verhaal maken" not in client.get(url).content.decode()
    case_services.close_case(w.lead, w.case)
    html = client.get(url).content.decode()
    assert "Geanonimiseerd verhaal maken" in html
    assert reverse("story:case", kwargs={"case_id": w.case.pk}) in html


# --- editing ----------------------------------------------------------------------------------------------------


def test_edit_scrubs_names_again_and_tells_what_was_replaced(client):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    login(client, w.pro)
    url = reverse("story:edit", kwargs={"case_id": w.case.pk, "pk": story.pk})
    response = client.post(
        url,
        {
            "title": "Het verhaal van Fatima",
            "text": "Fatima el Amrani (BSN 111222333) woont in de Graafsewijk.\n\nZij belde op 2 mei 2025.",
            "solution": "Huur garant",
            "solution_kind": "housing",
            "blockers": ["no_places"],
            "laws": ["participatiewet", "wmo"],
        },
        follow=True,
    )
    story.refresh_from_db()
    assert story.title == "Het verhaal van de bewoner"
    assert story.text == "De bewoner (BSN [nummer]) woont in de regio.\n\nZij belde op mei 2025."
    assert story.solution_kind == "housing" and story.edited_by == w.pro
    assert tags(story) == [("blocker", "no_places"), ("law", "participatiewet"), ("law", "wmo")]
    html = response.content.decode()
    assert "Wij hebben gegevens weggehaald" in html
    assert "naam → wie het is" in html and "nummer (zoals een BSN) → [nummer]" in html
    assert "Fatima" not in html


def test_edit_form_errors_are_shown_in_dutch(client):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    login(client, w.pro)
    url = reverse("story:edit", kwargs={"case_id": w.case.pk, "pk": story.pk})
    response = client.post(url, {"title": "", "text": "  ", "solution_kind": "car", "blockers": ["nope"]})
    assert response.status_code == 400
    html = response.content.decode()
    for message in [
        "Geef het verhaal een titel.",
        "Het verhaal mag niet leeg zijn.",
        "Kies een soort maatwerkoplossing uit de lijst.",
        "Kies blokkades uit de lijst.",
    ]:
        assert message in html
    assert 'role="alert"' in html


def test_editing_an_approved_or_published_story_sends_it_back_to_draft():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    services.approve_story(w.lead, story)
    services.publish_story(w.policy, story)
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    story, _ = services.update_story(
        w.pro, story, title="Nieuw", text=story.text, solution="", solution_kind="", blockers=[], laws=[]
    )
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert story.approved_by is None and story.published_at is None
    assert not selectors.public_precedents().object_list


# --- four eyes --------------------------------------------------------------------------------------------------


def test_four_eyes_the_last_editor_cannot_approve():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    with pytest.raises(RuleError, match="Vier ogen"):
        services.approve_story(w.pro, story)
    services.update_story(w.lead, story, title="t", text="tekst", solution="", solution_kind="", blockers=[], laws=[])
    story.refresh_from_db()
    with pytest.raises(RuleError, match="Vier ogen"):
        services.approve_story(w.lead, story)
    services.approve_story(w.pro, story)  # another involved professional
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.approved_by == w.pro and story.approved_at
    with pytest.raises(RuleError, match="al goedgekeurd"):
        services.approve_story(w.lead, story)


def test_lead_of_the_team_approves_a_professionals_draft(client):
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    login(client, w.pro)
    detail = reverse("story:detail", kwargs={"case_id": w.case.pk, "pk": story.pk})
    html = client.get(detail).content.decode()
    assert "Goedkeuren" not in html and "vier ogen" in html
    login(client, w.lead)
    assert "Goedkeuren" in client.get(detail).content.decode()
    response = client.post(reverse("story:approve", kwargs={"case_id": w.case.pk, "pk": story.pk}), follow=True)
    assert "Het verhaal is goedgekeurd" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.approved_by == w.lead


def test_approval_refused_while_a_name_is_still_in_the_text():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    Story.objects.filter(pk=story.pk).update(text="Fatima heeft nu een kamer.")  # e.g. a member added later
    with pytest.raises(RuleError, match="naar een persoon"):
        services.approve_story(w.lead, story)


# --- publishing -------------------------------------------------------------------------------------------------


def test_only_policy_publishes_an_approved_story_and_can_withdraw_it():
    w = closed_world()
    story = services.create_story_draft(w.pro, w.case)
    with pytest.raises(RuleError, match="goedgekeurd"):
        services.publish_story(w.policy, story)
    services.approve_story(w.lead, story)
    for user in (w.lead, w.pro, w.approver, UserFactory(role=Role.POLICY)):  # last: policy of another municipality
        with pytest.raises(PermissionDenied):
            services.publish_story(user, story)
    services.publish_story(w.policy, story)
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.published_by == w.policy
    with pytest.raises(RuleError, match="al in het openbare register"):
        services.publish_story(w.policy, story)
    services.withdraw_story(w.policy, story)
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.published_by is None
    with pytest.raises(RuleError, match="niet in het openbare register"):
        services.withdraw_story(w.policy, story)


def test_publish_and_withdraw_buttons_for_policy(client):
    w = closed_world()
    story = services.approve_story(w.lead, services.create_story_draft(w.pro, w.case))
    login(client, w.policy)
    detail = reverse("learning:story_detail", kwargs={"pk": story.pk})
    assert "Openbaar maken in het precedentenregister" in client.get(detail).content.decode()
    html = client.post(reverse("learning:story_publish", kwargs={"pk": story.pk}), follow=True).content.decode()
    assert "staat nu in het openbare precedentenregister" in html and "Uit het openbare register halen" in html
    html = client.post(reverse("learning:story_withdraw", kwargs={"pk": story.pk}), follow=True).content.decode()
    assert "uit het openbare register gehaald" in html
    login(client, w.lead)  # a lead reads it but has no buttons, and a POST changes nothing
    assert "Openbaar maken" not in client.get(detail).content.decode()
    html = client.post(reverse("learning:story_publish", kwargs={"pk": story.pk}), follow=True).content.decode()
    assert "Alleen een beleidsmedewerker" in html
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED


# --- /leren/verhalen/ -------------------------------------------------------------------------------------------


def test_policy_and_leads_see_approved_stories_without_case_or_names(client):
    w = closed_world()
    approved = services.approve_story(w.lead, services.create_story_draft(w.pro, w.case))
    second = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    case_services.close_case(w.lead, second)
    draft = services.create_story_draft(w.lead, second)
    Story.objects.filter(pk=draft.pk).update(title="Nog een concept")
    other = World()
    for user in (w.policy, w.other_lead):
        login(client, user)
        html = client.get(reverse("learning:stories")).content.decode()
        assert approved.title in html and "Nog een concept" not in html
        assert reverse("learning:story_detail", kwargs={"pk": approved.pk}) in html
        assert f"/casussen/{w.case.pk}/" not in html and w.case.title not in html and "Fatima" not in html
        detail = client.get(reverse("learning:story_detail", kwargs={"pk": approved.pk})).content.decode()
        assert approved.text.split(".")[0] in detail and f"/casussen/{w.case.pk}/" not in detail
    login(client, w.policy)
    assert client.get(reverse("learning:story_detail", kwargs={"pk": draft.pk})).status_code == 404
    login(client, other.policy)
    assert client.get(reverse("learning:story_detail", kwargs={"pk": approved.pk})).status_code == 404
    login(client, w.pro)  # a professional gets the work list, not the approved stories
    html = client.get(reverse("learning:stories")).content.decode()
    assert "Goedgekeurde verhalen van uw gemeente" not in html
    assert client.get(reverse("learning:story_detail", kwargs={"pk": approved.pk})).status_code == 404


def test_work_list_shows_closed_cases_and_drafts_to_former_members(client):
    w = closed_world()
    login(client, w.pro)
    html = client.get(reverse("learning:stories")).content.decode()
    assert reverse("story:case", kwargs={"case_id": w.case.pk}) in html
    story = services.create_story_draft(w.pro, w.case)
    html = client.get(reverse("learning:stories")).content.decode()
    assert reverse("story:detail", kwargs={"case_id": w.case.pk, "pk": story.pk}) in html
    login(client, w.uninvolved)
    html = client.get(reverse("learning:stories")).content.decode()
    assert f"/casussen/{w.case.pk}/" not in html
    login(client, UserFactory(municipality=w.municipality, role=Role.MODERATOR))
    assert client.get(reverse("learning:stories")).status_code == 404


def test_approved_stories_for_the_council_report():
    w = closed_world()
    days = [
        datetime.datetime(2025, month, day, 12, tzinfo=datetime.UTC) for month, day in [(2, 1), (3, 1), (3, 20), (5, 1)]
    ]
    made = []
    for i, day in enumerate(days):
        case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
        involve(case, w.pro)
        case_services.close_case(w.lead, case)
        story = services.create_story_draft(w.lead, case)
        if i < 3:
            with time_machine.travel(day):
                services.update_story(
                    w.pro,
                    story,
                    title=f"Verhaal {i}",
                    text="tekst",
                    solution="",
                    solution_kind="",
                    blockers=[],
                    laws=[],
                )
                services.approve_story(w.lead, story)
        made.append(story)
    services.publish_story(w.policy, made[2])
    start, end = datetime.date(2025, 2, 15), datetime.date(2025, 4, 30)
    found = selectors.approved_stories(w.municipality, start, end, limit=2)
    assert [s.pk for s in found] == [made[2].pk, made[1].pk]  # newest first, published counts too
    assert [s.pk for s in selectors.approved_stories(w.municipality, start, end, limit=1)] == [made[2].pk]
    assert selectors.approved_stories(MunicipalityFactory(), start, end) == []
    assert all(isinstance(s, Story) for s in found)


# --- hypothesis: nothing identifying survives a draft built from the database ----------------------------------

REGION_WORDS = {w.lower() for name, _aliases in services.REGIONS.values() for w in re.findall(r"\w+", name)}
EXCLUDED = VOCABULARY | REGION_WORDS | {"maatwerk", "doorbraak", "een", "huur", "kamer", "garant"}
words = st.from_regex(r"[A-Z][a-z]{3,9}", fullmatch=True).filter(lambda w: w.lower() not in EXCLUDED)
dates = st.dates(min_value=datetime.date(1935, 1, 1), max_value=datetime.date(2024, 12, 31))
member = st.fixed_dictionaries(
    {
        "first_name": words,
        "last_name": st.one_of(words, words.map(lambda w: f"van der {w}")),
        "date_of_birth": dates,
        "bsn": st.from_regex(r"[1-9][0-9]{8}", fullmatch=True),
        "relation": st.sampled_from(["main", "partner", "child", "other"]),
    }
)


def date_forms(d):
    return {
        d.isoformat(),
        f"{d.day}-{d.month}-{d.year}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    }


def word_in(term, text):
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


class DraftFromDatabaseTest(HypothesisTestCase):
    @settings(max_examples=30, deadline=None)
    @given(members=st.lists(member, min_size=1, max_size=4), area=words, stuck=dates, data=st.data())
    def test_no_name_bsn_date_or_area_survives(self, members, area, stuck, data):
        from django_scopes import scopes_disabled

        with scopes_disabled():
            municipality = MunicipalityFactory()
            team = TeamFactory(municipality=municipality)
            lead = UserFactory(municipality=municipality, team=team, role=Role.LEAD)
            household = HouseholdFactory(municipality=municipality, area=area)
            case = CaseFactory.build(municipality=municipality, team=team, household=household, created_by=lead)
            # The free text mentions every identifier, in the ways people write them.
            pieces = []
            for m in members:
                pieces += [
                    data.draw(st.sampled_from([m["first_name"], m["first_name"].upper()])),
                    m["last_name"],
                    m["bsn"],
                    data.draw(st.sampled_from(sorted(date_forms(m["date_of_birth"])))),
                ]
            pieces += [area.lower(), data.draw(st.sampled_from(sorted(date_forms(stuck))))]
            case.question = " ".join(data.draw(st.permutations(pieces))) + "."
            case.tried = f"{members[0]['first_name']} woont in {area} sinds {stuck.isoformat()}."
            case.stuck_since = stuck
            case.save()
            for m in members:
                Person.objects.create(municipality=municipality, household=household, **m)
            platform = make_platform(case, lead, convened_on=datetime.date(2025, 1, 6))
            platform.breakthrough = f"{members[-1]['first_name']} {members[-1]['last_name']} kreeg een kamer."
            platform.breakthrough_on = datetime.date(2025, 1, 20)
            platform.save()
            case_services.close_case(lead, case)
            story = services.create_story_draft(lead, case)
            draft = " ".join([story.title, story.text, story.solution, story.period])
            for m in members:
                for part in [m["first_name"], m["last_name"].split()[-1]]:
                    assert not word_in(part, draft), (part, draft)
                assert not word_in(m["bsn"], draft)
                # Whole tokens: "januari 2001 januari 2000" must not count as the date "1 januari 2000".
                for form in date_forms(m["date_of_birth"]):
                    assert not word_in(form, draft), (form, draft)
            assert not word_in(area, draft), (area, draft)
            for form in date_forms(stuck):
                assert not word_in(form, draft)
            assert story.period == "winter 2025"


# --- demo -------------------------------------------------------------------------------------------------------


def test_demo_stories_idempotent_and_the_published_one_is_public(client):
    from doorbraak.demo import cases as cases_demo
    from doorbraak.demo import core as core_demo
    from doorbraak.demo import learning as learning_demo
    from doorbraak.demo import platforms as platforms_demo

    for _ in range(2):
        core_demo.load()
        cases_demo.load()
        platforms_demo.load()
        learning_demo.load()
    statuses = dict(Story.objects.values_list("case__title", "status"))
    assert statuses == {title: stage for title, _t, _k, stage in learning_demo.DEMO_STORIES}
    published = Story.objects.get(status=Story.Status.PUBLISHED)
    assert "Lisa" not in published.text + published.solution and "[naam]" not in published.text + published.solution
    html = client.get(reverse("precedents:list"), {"blocker": "pinching_rules"}).content.decode()
    assert published.title in html
    assert Story.objects.get(status=Story.Status.APPROVED).approved_by.username == "demo-lead"
