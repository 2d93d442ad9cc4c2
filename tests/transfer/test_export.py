"""Issue 17, point 6: the case list as CSV/XLSX (what the user may see, the list's filters, streamed, formula cells
neutralised) and the complete case file of a household for an access request (JSON, PDF), logged."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.cases.models import Case
from doorbraak.core.models import AccessEvent
from tests.cases.factories import CaseFactory, World, consent, involve, login

pytestmark = pytest.mark.django_db


def csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_holds_exactly_the_cases_the_user_may_see(client):
    w = World()
    hidden = CaseFactory(municipality=w.municipality, title="Niet van mij")  # another team, not involved
    formula = CaseFactory(municipality=w.municipality, team=w.team, title='=HYPERLINK("http://x")')
    involve(formula, w.pro)
    login(client, w.pro)
    rows = csv_rows(client.get(reverse("transfer:export_cases_csv")))
    assert rows[0][:3] == ["casusnummer", "titel", "status"]
    ids = {int(r[0]) for r in rows[1:]}
    assert ids == {w.case.pk, formula.pk} and hidden.pk not in ids
    assert ['\'=HYPERLINK("http://x")'] == [r[1] for r in rows[1:] if int(r[0]) == formula.pk]
    assert AccessEvent.objects.filter(event="transfer.case_list.export_csv", actor_id=w.pro.pk).exists()


def test_csv_follows_the_list_filters(client):
    w = World()
    closed = CaseFactory(municipality=w.municipality, team=w.team, status=Case.Status.CLOSED, closed_at=timezone.now())
    login(client, w.lead)  # the lead sees the team's cases
    rows = csv_rows(client.get(reverse("transfer:export_cases_csv") + "?status=closed"))
    assert [int(r[0]) for r in rows[1:]] == [closed.pk]
    assert rows[1][6]  # closed date filled
    all_rows = csv_rows(client.get(reverse("transfer:export_cases_csv")))
    assert {int(r[0]) for r in all_rows[1:]} == {w.case.pk, closed.pk}


def test_xlsx_export_opens_in_a_spreadsheet(client):
    from openpyxl import load_workbook

    w = World()
    login(client, w.lead)
    response = client.get(reverse("transfer:export_cases_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert values[0][0] == "casusnummer" and values[1][0] == w.case.pk
    assert AccessEvent.objects.filter(event="transfer.case_list.export_xlsx").exists()


def test_export_needs_a_case_role(client):
    w = World()
    login(client, w.policy)
    assert client.get(reverse("transfer:export_cases_csv")).status_code == 403
    assert client.get(reverse("transfer:export")).status_code == 403


def test_case_file_json_holds_all_of_the_household_and_who_viewed_it(client):
    w = World()
    consent(w.case, w.pro.organisation, w.pro)
    login(client, w.pro)
    assert client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 200  # a read to show in the log
    client.logout()
    login(client, w.lead)
    response = client.get(reverse("transfer:case_file_json", args=[w.case.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="inzage-casus-{w.case.pk}.json"'
    data = json.loads(b"".join(response.streaming_content))
    sections = {s["key"]: s for s in data["onderdelen"]}
    assert {"cases.person", "cases.case", "cases.consent", "cases.involvement"} <= set(sections)
    person = sections["cases.person"]["rows"][0]
    assert person["relation"] == "Hoofdpersoon" and "bsn_hash" not in person
    assert sections["cases.consent"]["rows"][0]["scope"] == "hulpvraag en woonsituatie"
    viewers = {e["gebruiker"] for e in data["inzage_log"]}
    assert w.pro.username in viewers
    export_event = AccessEvent.objects.get(event="transfer.case_file.export")
    assert export_event.actor_id == w.lead.pk and export_event.object_id == str(w.case.pk)
    assert export_event.subject_pseudonym  # the household, as a pseudonym


def test_case_file_bsn_shows_only_the_last_digits(client):
    w = World()
    person = w.case.household.members.get()
    person.bsn = "111222333"
    person.save()
    login(client, w.lead)
    body = b"".join(client.get(reverse("transfer:case_file_json", args=[w.case.pk])).streaming_content).decode()
    assert "111222333" not in body and "******333" in body


def test_case_file_pdf(client):
    w = World()
    login(client, w.lead)
    response = client.get(reverse("transfer:case_file_pdf", args=[w.case.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_case_file_only_for_the_lead_of_the_team(client):
    w = World()
    login(client, w.pro)  # involved, but not the lead: refused, and told so
    assert client.get(reverse("transfer:case_file_json", args=[w.case.pk])).status_code == 403
    page = client.get(reverse("transfer:case_file", args=[w.case.pk])).content.decode()
    assert "Alleen de doorbraakregisseur" in page and "Download pdf" not in page
    client.logout()
    login(client, w.other_lead)  # lead of another team: may not know it exists
    assert client.get(reverse("transfer:case_file_json", args=[w.case.pk])).status_code == 404
    client.logout()
    login(client, w.stranger)
    assert client.get(reverse("transfer:case_file_pdf", args=[w.case.pk])).status_code == 404
    assert not AccessEvent.objects.filter(event="transfer.case_file.export").exists()


def test_case_number_form_leads_to_the_case_file_page(client):
    w = World()
    login(client, w.lead)
    response = client.get(reverse("transfer:export") + f"?casus={w.case.pk}")
    assert response.status_code == 302 and response["Location"] == reverse("transfer:case_file", args=[w.case.pk])
    response = client.get(reverse("transfer:export") + "?casus=abc")
    assert response.status_code == 400 and "alleen cijfers" in response.content.decode()


@pytest.mark.scoped  # as in production: the stream is read after the request's tenant scope has ended
def test_csv_stream_reads_its_rows_in_its_own_tenant_scope(client):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        w = World()
        case_id, lead = w.case.pk, w.lead
    login(client, lead)
    response = client.get(reverse("transfer:export_cases_csv"))
    rows = csv_rows(response)  # consumed here, outside any scope
    assert [int(r[0]) for r in rows[1:]] == [case_id]
