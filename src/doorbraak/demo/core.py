"""Demo municipalities, teams, organisations and one account per role (accounts: demo/data/accounts.json).
Idempotent."""

from doorbraak.core.models import Municipality, Organisation, Role, Team, User
from doorbraak.core.services_admin import administrator_permissions, administrators_group
from doorbraak.demo import data

DEMO_PASSWORD = "doorbraak-demo"

_ACCOUNTS = data("accounts", "organisations"), data("accounts", "users"), data("accounts", "partners")
# (name, kind), (username, first name, last name, role, organisation or None), (username, first, last, organisation)
ORGANISATIONS = [(o["name"], Organisation.Kind(o["kind"])) for o in _ACCOUNTS[0]]
USERS = [(u["username"], u["first_name"], u["last_name"], Role(u["role"]), u["organisation"]) for u in _ACCOUNTS[1]]
PARTNERS = [(u["username"], u["first_name"], u["last_name"], u["organisation"]) for u in _ACCOUNTS[2]]


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
