"""Create an API client for a municipality: prints the client id and the secret once (only its hash is kept).

    manage.py create_api_client --municipality GM0796 --name "Zaaksysteem" \
        --scope casussen.lezen --scope casussen.schrijven --user jansen --user pietersen
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from doorbraak.api.models import SCOPES
from doorbraak.api.services import create_client
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Municipality


class Command(BaseCommand):
    help = "Create an API client (OAuth2 client credentials) bound to one municipality, scopes and acting users."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0796")
        parser.add_argument("--name", required=True)
        parser.add_argument("--scope", action="append", required=True, choices=sorted(SCOPES))
        parser.add_argument("--user", action="append", default=[], help="username the client may act for")

    def handle(self, *args, municipality, name, scope, user, **options):
        with scopes_disabled():
            found = Municipality.objects.filter(code=municipality).first()
            if found is None:
                raise CommandError(f"unknown municipality {municipality}")
            users = list(get_user_model().objects.filter(username__in=user, municipality=found))
            if len(users) != len(set(user)):
                raise CommandError("every --user must be an account of that municipality")
            try:
                client, secret = create_client(found, name=name, scopes=scope, acting_users=users)
            except RuleError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}\n(the secret is not shown again)")
