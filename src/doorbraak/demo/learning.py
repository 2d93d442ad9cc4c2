"""Demo data of this app (manage.py load_demo): barrier themes for the demo municipality. Idempotent."""

from doorbraak.core.models import Municipality
from doorbraak.learning.models import Theme, ThemeBlocker

THEMES = [
    ("Regels en wetten", "Regels die knellen of met elkaar botsen.", ["pinching_rules", "rules_clash"]),
    ("Geld en financiering", "Onduidelijk wie betaalt of uit welk potje.", ["unclear_funding", "funder_unclear"]),
    ("Plekken en aanbod", "Er is geen passende plek of hulp beschikbaar.", ["no_places"]),
    ("Zeggenschap", "De cliënt wordt niet gehoord of krijgt doelen opgelegd.", ["not_heard", "imposed_goals"]),
]


def load(stdout=None):
    municipality = Municipality.objects.filter(code="GM0796").first()
    if municipality is None:
        return
    for name, description, codes in THEMES:
        theme, _ = Theme.objects.get_or_create(
            municipality=municipality, name=name, defaults={"description": description}
        )
        for code in codes:
            ThemeBlocker.objects.get_or_create(municipality=municipality, code=code, defaults={"theme": theme})
    if stdout is not None:
        stdout.write("learning: barrier themes loaded\n")
    load_stories(stdout=stdout)
    load_proposals_and_sessions(stdout=stdout)


# --- stories (anonymised stories and the public precedent register) ----------------------------------------------
# (case title, title of the story, solution kind, how far it goes: "draft", "approved" or "published")
DEMO_STORIES = [
    (
        "Eén maand huur garant voor een nieuwe kamer",
        "Eén maand huur garant, zodat een kamer doorgaat",
        "bridging",
        "published",
    ),
    (
        "Doorbraaktafel: uitkering en woning in twee weken",
        "Uitkering en woning in twee weken aan één tafel",
        "housing",
        "approved",
    ),
    (
        "Plantenbakken in eigen tuin in plaats van dagbesteding ver weg",
        "Plantenbakken in de eigen tuin",
        "daytime",
        "draft",
    ),
]


def load_stories(stdout=None):
    """Close three demo cases (through the services) and write their stories: demo-professional drafts and edits,
    demo-lead approves, demo-policy publishes. Idempotent: a case that already has a story is skipped."""
    from doorbraak.cases import services as case_services
    from doorbraak.cases.models import Case, Involvement
    from doorbraak.core.models import User
    from doorbraak.learning.models import Story
    from doorbraak.learning.stories import services

    municipality = Municipality.objects.filter(code="GM0796").first()
    users = {u.username: u for u in User.objects.filter(username__in=["demo-professional", "demo-lead", "demo-policy"])}
    if municipality is None or len(users) < 3:
        return
    pro, lead, policy = users["demo-professional"], users["demo-lead"], users["demo-policy"]
    made = 0
    for case_title, title, kind, stage in DEMO_STORIES:
        case = Case.objects.filter(municipality=municipality, title=case_title).first()
        if case is None or Story.objects.filter(case=case).exists():
            continue
        if case.status != Case.Status.CLOSED:
            if not Involvement.objects.filter(case=case, user=pro, ended_at__isnull=True).exists():
                case_services.involve(lead, case, pro, "casusregisseur")
            case_services.close_case(lead, case)
        story = services.create_story_draft(pro, case)
        tags = list(story.tags.all())
        story, _replaced = services.update_story(
            pro,
            story,
            title=title,
            text=story.text,
            solution=story.solution,
            solution_kind=kind,
            blockers=[t.code for t in tags if t.kind == "blocker"],
            laws=[t.code for t in tags if t.kind == "law"],
        )
        if stage in ("approved", "published"):
            story = services.approve_story(lead, story)
        if stage == "published":
            services.publish_story(policy, story)
        made += 1
    if stdout is not None:
        stdout.write(f"learning: {made} geanonimiseerde verhalen aangemaakt\n")


# --- themes: policy proposals and a learning session -----------------------------------------------------------
# (theme, proposal, decision or None, note): one proposal per status, proposed by demo-lead, decided by demo-policy.
DEMO_PROPOSALS = [
    (
        "Geld en financiering",
        "Eén gezamenlijk maatwerkbudget van gemeente, corporatie en zorgverzekeraar, zodat niemand hoeft te wachten "
        "tot duidelijk is wie betaalt. Achteraf verrekenen de financiers onderling.",
        None,
        "",
    ),
    (
        "Regels en wetten",
        "Doorbraakregisseurs mogen binnen hun mandaat afwijken van de Wmo-verordening als regels met elkaar botsen. "
        "Ze verantwoorden dat achteraf in de leersessie.",
        "adopted",
        "Opgenomen in de nieuwe Wmo-beleidsregels; evaluatie na een jaar.",
    ),
    (
        "Plekken en aanbod",
        "Een eigen crisisopvang in elke wijk, zodat mensen niet ver van hun netwerk worden opgevangen.",
        "rejected",
        "Te duur voor één gemeente. We zoeken dit regionaal op, samen met de zorgaanbieders.",
    ),
]
DEMO_SESSION_TOPIC = "Privacy: wat mag en kan wél"


def load_proposals_and_sessions(stdout=None):
    """A policy proposal per status and one learning session, through the services. Idempotent: a proposal with
    the same text, or a session with the same topic, is not made again."""
    import datetime

    from django.utils import timezone

    from doorbraak.core.models import User
    from doorbraak.learning.models import LearningSession, PolicyProposal
    from doorbraak.learning.themes import selectors, services

    municipality = Municipality.objects.filter(code="GM0796").first()
    users = {u.username: u for u in User.objects.filter(username__in=["demo-lead", "demo-policy"])}
    if municipality is None or len(users) < 2:
        return
    lead, policy = users["demo-lead"], users["demo-policy"]
    themes = {t.name: t for t in Theme.objects.filter(municipality=municipality)}
    today = timezone.localdate()
    for theme_name, text, decision, note in DEMO_PROPOSALS:
        theme = themes.get(theme_name)
        if theme is None or PolicyProposal.objects.filter(theme=theme, text=text).exists():
            continue
        proposal = services.propose(lead, theme, text=text)
        if decision:
            services.decide(policy, proposal, status=decision, decided_on=today, note=note)
    if not LearningSession.objects.filter(municipality=municipality, topic=DEMO_SESSION_TOPIC).exists():
        services.record_session(
            policy,
            held_on=today - datetime.timedelta(days=7),
            topic=DEMO_SESSION_TOPIC,
            theme=themes.get("Regels en wetten"),
            attendees=25,
            stories=list(selectors.discussable_stories(municipality)[:2]),
            takeaways="Met toestemming van de bewoner mag veel meer dan gedacht. Deel gericht: alleen wat de ander "
            "nodig heeft voor zijn deel van de oplossing.",
            needs="Een kaart met wat je wel mag delen, en een vast aanspreekpunt privacy bij de gemeente.",
        )
    if stdout is not None:
        stdout.write("learning: beleidsvoorstellen en een leersessie klaargezet\n")
