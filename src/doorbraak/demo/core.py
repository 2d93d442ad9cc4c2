"""Demo municipalities, teams, organisations and one account per role. Idempotent."""

from doorbraak.core.models import Municipality, Organisation, Role, Team, User
from doorbraak.core.services_admin import administrator_permissions, administrators_group

DEMO_PASSWORD = "doorbraak-demo"

ORGANISATIONS = [
    ("Sociaal Wijkteam Noord", Organisation.Kind.MUNICIPALITY),
    ("Woningcorporatie Thuisbasis", Organisation.Kind.HOUSING),
    ("GGZ Brabant-Noord", Organisation.Kind.MENTAL_HEALTH),
    ("Zorggroep De Linde", Organisation.Kind.CARE_PROVIDER),
    ("Welzijn Samen", Organisation.Kind.WELFARE),
    ("Reclassering Nederland", Organisation.Kind.JUSTICE),
    ("Stichting Ervaringskracht", Organisation.Kind.EXPERIENCE),
    ("Zorgverzekeraar Zuid", Organisation.Kind.INSURER),
]

USERS = [
    ("demo-professional", "Sanne", "de Vries", Role.PROFESSIONAL, "Sociaal Wijkteam Noord"),
    ("demo-lead", "Karim", "El Amrani", Role.LEAD, "Sociaal Wijkteam Noord"),
    ("demo-approver", "Els", "Jansen", Role.APPROVER, "Sociaal Wijkteam Noord"),
    ("demo-policy", "Pieter", "Bakker", Role.POLICY, None),
    ("demo-moderator", "Fatma", "Yilmaz", Role.MODERATOR, None),
    ("demo-admin", "Jeroen", "Smit", Role.ADMIN, None),
    # A second administrator, so a role or team change (four eyes) can be approved in the demo.
    ("demo-admin2", "Noor", "Verbeek", Role.ADMIN, None),
]

# Extra professionals of partner organisations, so case platforms have a realistic table.
PARTNERS = [
    ("demo-corporatie", "Linda", "Visser", "Woningcorporatie Thuisbasis"),
    ("demo-ggz", "Ahmed", "Benali", "GGZ Brabant-Noord"),
    ("demo-zorg", "Marieke", "Mulder", "Zorggroep De Linde"),
    ("demo-ervaring", "Rob", "Hendriks", "Stichting Ervaringskracht"),
    ("demo-reclassering", "Iris", "Kok", "Reclassering Nederland"),
]


def _user(username, first, last, role, municipality, team=None, organisation=None, **extra):
    user, created = User.objects.get_or_create(
        username=username,
        defaults=dict(
            first_name=first,
            last_name=last,
            role=role,
            municipality=municipality,
            team=team,
            organisation=organisation,
            is_demo=True,
            email=f"{username}@example.org",
            **extra,
        ),
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load(stdout=None):
    main, _ = Municipality.objects.get_or_create(code="GM0796", defaults={"name": "'s-Hertogenbosch"})
    other, _ = Municipality.objects.get_or_create(code="GM0080", defaults={"name": "Leeuwarden"})
    team, _ = Team.objects.get_or_create(municipality=main, name="Sociaal team Noord")
    Team.objects.get_or_create(municipality=main, name="Sociaal team Zuid")
    other_team, _ = Team.objects.get_or_create(municipality=other, name="Gebiedsteam Centrum")
    orgs = {}
    for name, kind in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(municipality=main, name=name, defaults={"kind": kind})
    other_org, _ = Organisation.objects.get_or_create(
        municipality=other, name="Gebiedsteam Leeuwarden", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    for username, first, last, role, org in USERS:
        extra = {"is_staff": True} if role == Role.ADMIN else {}
        user = _user(username, first, last, role, main, team if org else None, orgs.get(org), **extra)
        if role == Role.ADMIN:
            admins = administrators_group()
            admins.permissions.set(administrator_permissions())
            user.groups.add(admins)
    for username, first, last, org in PARTNERS:
        _user(username, first, last, Role.PROFESSIONAL, main, None, orgs[org])
    _user("demo-other", "Wietske", "Hoekstra", Role.PROFESSIONAL, other, other_team, other_org)
    if stdout:
        stdout.write("Gemeenten, teams, organisaties en demo-accounts aangemaakt.")
