"""Issue 12, point 2: the municipality maintains its own list of funders (administrator or budget holder): list,
add, rename, municipal / external / own, switch off; "Anders" only with a name. The cost-line form offers exactly
the active funders."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from doorbraak.budget import selectors, services
from doorbraak.budget.models import FunderSetting
from doorbraak.core.access import Refusal
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.permissions import Refused
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return UserFactory(municipality=world.municipality, role=Role.ADMIN)


def _line_form_funders(client, plan):
    html = client.get(reverse("plan:line_add", args=[plan.case_id])).content.decode()
    select = html.split('name="funder"')[1].split("</select>")[0]
    return select


def test_the_list_shows_every_funder_with_who_pays(world, login):
    html = login(world.approver).get(reverse("budget:funders")).content.decode()
    assert "Bijzondere bijstand (Participatiewet, gemeente)" in html
    row = html.split('id="funder-zvw"')[1].split("</tr>")[0]
    assert "Externe financier" in row and "actief" in row
    row = html.split('id="funder-household"')[1].split("</tr>")[0]
    assert "Eigen bijdrage" in row
    row = html.split('id="funder-other"')[1].split("</tr>")[0]
    assert ">uit<" in row  # "Anders" is not seeded: only with a name


def test_anders_only_with_a_name_in_form_service_and_database(world, login, admin):
    client = login(admin)
    response = client.post(reverse("budget:funders"), {"code": "other", "name": "  ", "kind": "external"})
    html = response.content.decode()
    assert response.status_code == 400 and "Geef \u201cAnders\u201d een naam" in html
    assert not FunderSetting.objects.filter(code="other").exists()
    with pytest.raises(RuleError, match="een naam"):
        services.set_funder(admin, code="other", name="", kind="external")
    with pytest.raises(IntegrityError), transaction.atomic():
        FunderSetting.objects.create(municipality=world.municipality, code="other", name="")
    response = client.post(
        reverse("budget:funders"), {"code": "other", "name": "Fonds Bijzondere Noden", "kind": "external"}
    )
    assert response.status_code == 302
    assert FunderSetting.objects.get(code="other").name == "Fonds Bijzondere Noden"


def test_bad_input_keeps_what_was_typed(world, login):
    client = login(world.approver)
    response = client.post(reverse("budget:funders"), {"code": "other", "name": "x" * 121, "kind": "external"})
    assert response.status_code == 400 and "x" * 121 in response.content.decode()
    response = client.post(reverse("budget:funders"), {"code": "nope", "name": "Fonds", "kind": "external"})
    assert response.status_code == 400 and 'value="Fonds"' in response.content.decode()
    response = client.post(reverse("budget:funder_change", args=["wmo"]), {"name": "Wmo", "kind": "banana"})
    assert response.status_code == 400 and 'value="Wmo"' in response.content.decode()
    assert client.get(reverse("budget:funder_change", args=["no-such-funder"])).status_code == 404


def test_rename_switch_kind_and_deactivate_change_the_line_form(world, login, admin):
    plan = world.train_pass_plan(submit=False)
    pro = login(world.professional)
    before = _line_form_funders(pro, plan)
    assert 'value="uwv"' in before and "Stichting Steun" not in before
    client = login(admin)
    assert (
        client.post(reverse("budget:funder_change", args=["uwv"]), {"name": "", "kind": "external"}).status_code == 302
    )  # "active" unticked: switched off
    client.post(reverse("budget:funders"), {"code": "other", "name": "Stichting Steun", "kind": "external"})
    client.post(
        reverse("budget:funder_change", args=["opvang"]),
        {"name": "Opvang (wij zijn centrumgemeente)", "kind": "municipal", "active": "on"},
    )
    after = _line_form_funders(login(world.professional), plan)
    assert 'value="uwv"' not in after
    assert "Stichting Steun" in after and "Opvang (wij zijn centrumgemeente)" in after
    assert selectors.funder_kinds(world.municipality.pk)["opvang"] == "municipal"
    html = login(admin).get(reverse("budget:funders")).content.decode()
    row = html.split('id="funder-uwv"')[1].split("</tr>")[0]
    assert ">uit<" in row


def test_only_administrators_and_budget_holders_of_the_municipality(world, login):
    for user in (world.professional, world.lead):
        assert login(user).get(reverse("budget:funders")).status_code == 404
        with pytest.raises(Refused):
            services.set_funder(user, code="wmo", name="", kind="municipal")
    with pytest.raises(Refusal):
        selectors.funder_list(world.lead)
    stranger = UserFactory(municipality=MunicipalityFactory(), role=Role.APPROVER)
    services.set_funder(stranger, code="wmo", name="Wmo elders", kind="municipal")
    assert not FunderSetting.objects.filter(municipality=world.municipality, name="Wmo elders").exists()
