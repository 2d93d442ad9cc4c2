"""The whole table (issue 16, point 6): participants without an account, named only with their agreement, under
the case's consent rules; actions assigned to them; the printable summary shows them."""

import datetime
import uuid

import pytest
from django.urls import reverse

from doorbraak.cases.models import Consent
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent
from doorbraak.core.permissions import Refused
from doorbraak.platforms import services
from doorbraak.platforms.models import PlatformAction, PlatformParticipant
from tests.cases.factories import World, consent, login
from tests.factories import OrganisationFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _url(platform, name="external_add"):
    return reverse(f"platforms:{name}", kwargs={"case_id": platform.case_id, "pk": platform.pk})


def _world():
    w = World()
    platform = make_platform(w.case, w.lead, participants=[w.pro])
    fund = OrganisationFactory(municipality=w.municipality, name="Stichting Noodfonds")
    return w, platform, fund


def _payload(organisation, **overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "organisation": organisation.pk,
        "role": "beoordelaar noodfonds",
        "contact": "020 123 45 67",
        "name": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_lead_adds_a_named_participant_with_consent_and_gives_them_an_action(client):
    w, platform, fund = _world()
    consent(w.case, fund, w.lead)
    login(client, w.lead)
    response = client.post(_url(platform), _payload(fund, name="Ria de Vries", may_be_named="on"))
    assert response.status_code == 302
    external = PlatformParticipant.objects.get(platform=platform, user__isnull=True)
    assert (external.name, external.may_be_named, external.contact) == ("Ria de Vries", True, "020 123 45 67")
    assert external.is_external
    assert AccessEvent.objects.filter(event="platform.external_participant", actor_id=w.lead.pk).count() == 1
    # the action form offers them, and the action is theirs
    form_page = client.get(_url(platform, "action_add")).content.decode()
    assert "Ria de Vries (Stichting Noodfonds)" in form_page
    response = client.post(
        _url(platform, "action_add"),
        {"form_token": str(uuid.uuid4()), "what": "Noodfonds beoordelen", "owner": external.pk, "due_on": TODAY},
    )
    assert response.status_code == 302
    assert PlatformAction.objects.get(what="Noodfonds beoordelen").owner == external
    summary = client.get(_url(platform, "summary")).content.decode()
    assert "Ria de Vries – Stichting Noodfonds (beoordelaar noodfonds)" in summary
    assert "zonder account, bereikbaar via 020 123 45 67" in summary
    assert "Noodfonds beoordelen" in summary


def test_without_their_agreement_no_name_is_stored(client):
    w, platform, fund = _world()
    consent(w.case, fund, w.lead)
    login(client, w.lead)
    response = client.post(_url(platform), _payload(fund, name="Ria de Vries"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Vul alleen een naam in als deze deelnemer ermee instemt" in text
    assert 'value="Ria de Vries"' in text and 'value="020 123 45 67"' in text  # what was typed stays
    assert not PlatformParticipant.objects.filter(user__isnull=True).exists()
    assert client.post(_url(platform), _payload(fund)).status_code == 302
    external = PlatformParticipant.objects.get(user__isnull=True)
    assert external.name == "" and not external.may_be_named
    assert "Stichting Noodfonds: beoordelaar noodfonds" in client.get(_url(platform, "summary")).content.decode()
    # the service refuses it too, and so does the database
    with pytest.raises(RuleError, match="instemt"):
        services.add_external_participant(
            w.lead, platform, organisation=fund, role="x", contact="y", name="Piet", may_be_named=False
        )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformParticipant.objects.filter(pk=external.pk).update(name="Piet")


def test_the_case_consent_rules_apply(client):
    w, platform, fund = _world()
    login(client, w.lead)
    response = client.post(_url(platform), _payload(fund))
    assert response.status_code == 400
    assert "heeft (nog) geen toestemming gegeven" in response.content.decode()
    given = consent(w.case, fund, w.lead)
    assert client.post(_url(platform), _payload(fund)).status_code == 302
    Consent.objects.filter(pk=given.pk).update(withdrawn_on=TODAY)  # withdrawn: nobody new from there
    assert client.post(_url(platform), _payload(fund, role="tweede")).status_code == 400
    # an organisation already involved in the case needs no separate consent
    assert client.post(_url(platform), _payload(w.pro.organisation, role="collega")).status_code == 302


def test_only_the_lead_adds_and_outsiders_get_404(client):
    w, platform, fund = _world()
    consent(w.case, fund, w.lead)
    login(client, w.pro)
    assert client.get(_url(platform)).status_code == 403
    assert client.post(_url(platform), _payload(fund)).status_code == 403
    with pytest.raises(Refused):
        services.add_external_participant(w.pro, platform, organisation=fund, role="r", contact="c")
    for outsider in (w.uninvolved, w.stranger):
        login(client, outsider)
        assert client.get(_url(platform)).status_code == 404
    assert not PlatformParticipant.objects.filter(user__isnull=True).exists()


def test_other_municipality_organisation_and_missing_fields_are_refused(client):
    w, platform, fund = _world()
    elsewhere = OrganisationFactory()
    login(client, w.lead)
    response = client.post(_url(platform), _payload(elsewhere))
    assert response.status_code == 400 and "Kies een organisatie van uw gemeente." in response.content.decode()
    consent(w.case, fund, w.lead)
    response = client.post(_url(platform), _payload(fund, contact=""))
    assert response.status_code == 400 and "hoe deze deelnemer te bereiken is" in response.content.decode()
    with pytest.raises(RuleError, match="bereiken"):
        services.add_external_participant(w.lead, platform, organisation=fund, role="r", contact="  ")


def test_double_submit_adds_one_participant(client):
    w, platform, fund = _world()
    consent(w.case, fund, w.lead)
    login(client, w.lead)
    data = _payload(fund)
    client.post(_url(platform), data)
    client.post(_url(platform), data)
    assert PlatformParticipant.objects.filter(user__isnull=True).count() == 1


def _relative_payload(**overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "organisation": "",
        "role": "tante, familielid",
        "contact": "06 12 34 56 78",
        "name": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_relative_without_an_organisation_sits_at_the_table_with_the_clients_agreement(client):
    w, platform, _fund = _world()
    login(client, w.lead)
    # without the client's agreement: a Dutch error, what was typed is kept, nothing stored
    response = client.post(_url(platform), _relative_payload(name="Jo Visser", may_be_named="on"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "zit alleen aan tafel als de cliënt daarmee instemt" in page
    assert 'value="06 12 34 56 78"' in page and 'value="Jo Visser"' in page
    assert not PlatformParticipant.objects.filter(user__isnull=True).exists()
    # with it: stored without an organisation, named (she agreed), and an action can be hers
    response = client.post(_url(platform), _relative_payload(name="Jo Visser", may_be_named="on", client_agreed="on"))
    assert response.status_code == 302
    relative = PlatformParticipant.objects.get(platform=platform, user__isnull=True)
    assert (relative.organisation_id, relative.client_agreed, relative.name) == (None, True, "Jo Visser")
    assert str(relative) == "Jo Visser (tante, familielid)"
    detail = client.get(reverse("platforms:detail", kwargs={"case_id": w.case.pk, "pk": platform.pk})).content
    assert "Jo Visser (tante, familielid) – zonder organisatie, met instemming van de cliënt" in detail.decode()
    assert "met instemming van de cliënt: tante, familielid" in w.case.timeline.first().summary
    response = client.post(
        _url(platform, "action_add"),
        {
            "form_token": str(uuid.uuid4()),
            "what": "Boodschappen doen",
            "owner": relative.pk,
            "due_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert PlatformAction.objects.get(what="Boodschappen doen").owner == relative


def test_without_an_organisation_the_service_and_the_database_ask_for_the_clients_agreement():
    from django.db import IntegrityError, transaction

    w, platform, _fund = _world()
    with pytest.raises(RuleError, match="instemt") as refused:
        services.add_external_participant(w.lead, platform, organisation=None, role="buurman", contact="06 1")
    assert refused.value.field == "client_agreed"
    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformParticipant.objects.create(
            municipality=w.municipality, platform=platform, organisation=None, role="buurman", contact="06 1"
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # someone with an account always has one
        PlatformParticipant.objects.create(
            municipality=w.municipality, platform=platform, user=w.uninvolved, organisation=None, client_agreed=True
        )
    unnamed = services.add_external_participant(
        w.lead, platform, organisation=None, role="buurman", contact="06 1", client_agreed=True
    )
    assert (unnamed.name, str(unnamed)) == ("", "buurman")
