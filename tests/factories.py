"""factory-boy factories for the core models. Each app adds tests/<app>/factories.py."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.core.models import Municipality, Organisation, Role, Team, User

PASSWORD = "een-lang-test-wachtwoord-42"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Sociaal team {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.CARE_PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    municipality = factory.SubFactory(MunicipalityFactory)
    team = factory.LazyAttribute(lambda u: TeamFactory(municipality=u.municipality))
    organisation = factory.LazyAttribute(lambda u: OrganisationFactory(municipality=u.municipality))
    role = Role.PROFESSIONAL

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator-app"
    confirmed = True
