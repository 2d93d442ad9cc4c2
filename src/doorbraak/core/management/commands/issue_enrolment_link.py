"""manage.py issue_enrolment_link USERNAME: a one-time link (72 h) to couple an authenticator, for the very first
administrator or when no administrator can issue one in the admin. Prints the link; e-mails it too when the user
has an address."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from doorbraak.core.services_auth import issue_enrolment_link


class Command(BaseCommand):
    help = "Maak een eenmalige koppellink (72 uur) voor de authenticator-app van een gebruiker."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--base-url", default="", help="als SITE_URL niet gezet is, bijv. https://doorbraak.nl")

    def handle(self, *args, username, base_url, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker {username!r} bestaat niet.")
        path = issue_enrolment_link(None, user)
        self.stdout.write(f"{base_url.rstrip('/')}{path}" if path.startswith("/") else path)
