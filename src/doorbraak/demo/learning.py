"""Demo data of learning (manage.py load_demo): barrier themes, three stories, policy proposals and a learning
session for the demo municipality (demo/data/learning.json). Idempotent."""

from doorbraak.core.models import Municipality
from doorbraak.demo import data
from doorbraak.learning.models import Theme, ThemeBlocker

# (theme name, description, blocker codes)
THEMES = [(t["name"], t["description"], t["blockers"]) for t in data("learning", "themes")]


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
DEMO_STORIES = [(s["case_title"], s["title"], s["solution_kind"], s["stage"]) for s in data("learning", "stories")]


def _settle_paid_plan(lead, case):
    """A plan paid in full has nothing left to release, so the close page asks nothing about it; its funding is
    closed here, as its budget holder would, so the demo's closed cases have settled plans."""
    from doorbraak.budget.models import PlanFunding
    from doorbraak.budget.services import ledger

    funding = PlanFunding.objects.filter(plan__case=case, closed_at__isnull=True).select_related("plan").first()
    if funding is not None:
        ledger.close_funding(lead, funding.plan)


def load_stories(stdout=None):
    """Close three demo cases (through the services) and write their stories: demo-professional drafts and edits,
    demo-lead approves, demo-policy publishes. Idempotent: a case that already has a story is skipped."""
    from doorbraak.cases import close_checks
    from doorbraak.cases import services as case_services
    from doorbraak.cases.models import Case, Involvement
    from doorbraak.core.models import User
    from doorbraak.learning.models import Story
    from doorbraak.learning.stories import second_eyes, services

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
            # Closed with care: the plan's unpaid commitment goes back to the fund (issue 12: a closed case has a
            # settled plan); everything else still open is kept, as a lead would who hands over to the follow-up.
            decisions = {
                item.key: (close_checks.CANCEL if item.key.startswith("budget-commitment-") else close_checks.KEEP)
                for item in case_services.close_review(lead, case)
            }
            case_services.close_with_care(lead, case, decisions)
            _settle_paid_plan(lead, case)
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
        # The second pair of eyes reads the story as the worker would (in this process, once, for the demo).
        second_eyes.check_story(story.pk)
        story.refresh_from_db()
        for flag in story.flags.filter(kept_by__isnull=True):
            if stdout is not None:
                stdout.write(f"learning: gemarkeerd in demoverhaal: {flag.span} ({flag.kind})\n")
        if stage in ("approved", "published"):
            story = services.approve_story(lead, story)
        if stage == "published":
            services.publish_story(policy, story)
        made += 1
    if stdout is not None:
        stdout.write(f"learning: {made} geanonimiseerde verhalen aangemaakt\n")


# --- themes: policy proposals and a learning session -----------------------------------------------------------
# (theme, proposal, decision or None, note): one proposal per status, proposed by demo-lead, decided by demo-policy.
DEMO_PROPOSALS = [(p["theme"], p["text"], p["decision"], p["note"]) for p in data("learning", "proposals")]
DEMO_SESSION = data("learning", "session")
DEMO_SESSION_TOPIC = DEMO_SESSION["topic"]


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
            held_on=today - datetime.timedelta(days=DEMO_SESSION["days_ago"]),
            topic=DEMO_SESSION_TOPIC,
            theme=themes.get(DEMO_SESSION["theme"]),
            attendees=DEMO_SESSION["attendees"],
            stories=list(selectors.discussable_stories(municipality)[:2]),
            takeaways=DEMO_SESSION["takeaways"],
            needs=DEMO_SESSION["needs"],
        )
    if stdout is not None:
        stdout.write("learning: beleidsvoorstellen en een leersessie klaargezet\n")
