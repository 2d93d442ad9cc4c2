"""The /api/v1 resources (issue 17). Views only call the services and selectors of the domain apps, as the pages
do, running as the acting user inside that user's tenant scope; the client's scopes are checked first.

Selectors and services used (for the lead's re-check after merging):
- casussen: cases.selectors.case_list / get_case_for / case_detail / people_with_bsn; cases.services.open_case
- casusplatforms: cases.selectors.get_case_for (gate) + the case's platforms; platforms.selectors.get_platform_for;
  platforms.services.convene
- maatwerkplannen: budget.selectors.plans_visible_to / visible_plan
- fondsen: budget.selectors.fund_overview (its own role gate, budget.view_overview)
- initiatieven: initiatives.selectors.public_initiatives
- open-data: learning.insights.report.DATASETS / COMMON / dataset_rows with analytics.default_period
"""

import re
from contextlib import ExitStack

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from doorbraak.budget import selectors as budget_selectors
from doorbraak.budget.models import Plan
from doorbraak.cases import selectors as case_selectors
from doorbraak.cases import services as case_services
from doorbraak.cases.models import Case
from doorbraak.core.audit import log_access
from doorbraak.core.errors import RuleError
from doorbraak.core.models import AccessEvent, Municipality, Team
from doorbraak.initiatives import selectors as initiative_selectors
from doorbraak.learning.insights import analytics, protected, protection
from doorbraak.learning.insights import report as reports
from doorbraak.platforms import selectors as platform_selectors
from doorbraak.platforms import services as platform_services
from doorbraak.platforms.models import Platform

from . import serializers as s
from .auth import HasScope, acting_for, issue_token
from .pagination import LinkHeaderPagination
from .problems import PROBLEM_TYPE, problem
from .throttling import AnonymousRateThrottle, ClientRateThrottle

READ_CASES, WRITE_CASES, READ_BUDGET = "casussen.lezen", "casussen.schrijven", "budget.lezen"
READ_LEARNING = "leren.lezen"


PAGING = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Paginanummer (vanaf 1)."),
    OpenApiParameter(
        "pageSize",
        {"type": "integer", "minimum": 1, "maximum": 100},
        description="Resultaten per pagina (standaard 20).",
    ),
]
_PAGES = {}


def paged(item):
    """The schema of a page of `item`s (LinkHeaderPagination's body)."""
    name = item.__name__.removesuffix("Serializer") + "Page"
    if name not in _PAGES:
        _PAGES[name] = inline_serializer(
            name=name,
            fields={
                "totaal": serializers.IntegerField(min_value=0, help_text="Aantal resultaten over alle pagina's."),
                "pagina": serializers.IntegerField(min_value=1, help_text="Nummer van deze pagina."),
                "resultaten": item(many=True),
            },
        )
    return _PAGES[name]


def _auth(*scopes):
    return [{"oauth2": list(scopes)}]


class ApiView(APIView):
    """Runs as the acting user in that user's municipality's tenant scope (the middleware's scope is the anonymous
    one, because the bearer token is read here, after the middleware)."""

    permission_classes = [IsAuthenticated, HasScope]
    throttle_classes = [ClientRateThrottle, AnonymousRateThrottle]
    required_scopes: dict[str, set[str]] = {}

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._scopes:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if user.is_authenticated:
            self._scopes.enter_context(scope(municipality=user.municipality_id))

    def log(self, event, **kwargs):
        log_access(self.request._request, event, on_behalf_of=acting_for(self.request), **kwargs)

    def paginate(self, rows, serializer_class):
        paginator = LinkHeaderPagination()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


class PublicView(ApiView):
    authentication_classes = []
    permission_classes = [AllowAny]


def _created(data, location):
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


def _invalid(name, reason):
    raise serializers.ValidationError({name: [reason]})


# --- OAuth2 -----------------------------------------------------------------------------------------------------


class TokenView(PublicView):
    parser_classes = [FormParser, JSONParser]

    @extend_schema(
        operation_id="oauth_token",
        summary="Toegangstoken aanvragen",
        description="OAuth2 client credentials (RFC 6749 §4.4): client-id en geheim geven een toegangstoken dat "
        "een uur geldig is. Alleen de hash van het token wordt bewaard.",
        tags=["oauth"],
        request={"application/x-www-form-urlencoded": s.TokenInput, "application/json": s.TokenInput},
        responses={200: s.TokenSerializer},
        auth=[],
    )
    def post(self, request):
        data = s.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = issue_token(data.validated_data["client_id"], data.validated_data["client_secret"])
        if issued is None:
            body = problem(401, _("Onbekende client of verkeerd geheim."), request=request, error="invalid_client")
            response = Response(body, status=401, headers={"WWW-Authenticate": 'Basic realm="doorbraak"'})
            response.content_type = PROBLEM_TYPE
            return response
        client, token, lifetime = issued
        return Response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": lifetime,
                "scope": " ".join(sorted(client.scope_set)),
            }
        )


# --- Cases ------------------------------------------------------------------------------------------------------


def _case_location(case):
    return reverse("api:case", kwargs={"casusId": case.pk})


class CaseListView(ApiView):
    required_scopes = {"GET": {READ_CASES}, "POST": {WRITE_CASES}}

    @extend_schema(
        operation_id="casussen_list",
        summary="Casussen",
        description="De casussen die de handelende gebruiker mag zien (need-to-know), nieuwste eerst.",
        tags=["casussen"],
        parameters=PAGING,
        responses={200: paged(s.CaseSerializer)},
        auth=_auth(READ_CASES),
    )
    def get(self, request):
        rows = case_selectors.case_list(request.user)
        self.log("api.case.list", action=AccessEvent.Action.EXECUTE, object_type="cases.case")
        return self.paginate(rows, s.CaseSerializer)

    @extend_schema(
        operation_id="casussen_create",
        summary="Casus openen",
        description="Opent een casus met een huishouden en zijn hoofdpersoon, zoals het formulier "
        "'Nieuwe casus'. De handelende gebruiker wordt casusregisseur.",
        tags=["casussen"],
        request=s.CaseCreateInput,
        responses={201: s.CaseDetailSerializer},
        auth=_auth(WRITE_CASES),
    )
    def post(self, request):
        data = s.CaseCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        team = Team.objects.filter(pk=d["teamId"], municipality_id=request.user.municipality_id).first()
        if team is None:
            _invalid("teamId", _("Kies een team van uw gemeente."))
        person = d["hoofdpersoon"]
        case = case_services.open_case(
            request.user,
            title=d["titel"],
            team=team,
            area=d["wijk"],
            question=d["hulpvraag"],
            tried=d["geprobeerd"],
            stuck_since=d["vastgelopenSinds"],
            funders=list(dict.fromkeys(d["financiers"])),
            scores=d["scores"],
            member={
                "first_name": person["voornaam"],
                "last_name": person["achternaam"],
                "date_of_birth": person["geboortedatum"],
                "bsn": person.get("bsn", ""),
            },
        )
        return _created(_case_detail(case_selectors.get_case_for(request.user, case.pk)), _case_location(case))


def _case_detail(case):
    detail = case_selectors.case_detail(case)
    case.members = detail["members"]
    case.financiers = [row.funder for row in detail["funders"]]
    return s.CaseDetailSerializer(case).data


CASE_ID = OpenApiParameter("casusId", int, OpenApiParameter.PATH, description="Id van de casus.")


PATCH_FIELDS = {"titel": "title", "hulpvraag": "question", "geprobeerd": "tried", "vastgelopenSinds": "stuck_since"}


class MergePatchParser(JSONParser):
    media_type = "application/merge-patch+json"


class CaseDetailView(ApiView):
    required_scopes = {"GET": {READ_CASES}, "PATCH": {WRITE_CASES}}
    parser_classes = [MergePatchParser, JSONParser]

    @extend_schema(
        operation_id="casussen_read",
        summary="Eén casus",
        description="De casus met huishouden en leden (van een BSN alleen de laatste drie cijfers).",
        tags=["casussen"],
        parameters=[CASE_ID],
        responses={200: s.CaseDetailSerializer},
        auth=_auth(READ_CASES),
    )
    def get(self, request, casusId):
        case = case_selectors.get_case_for(request.user, casusId)
        self.log("case.read", obj=case, subject=case_selectors.case_subject(case))
        return Response(_case_detail(case))

    @extend_schema(
        operation_id="casussen_partial_update",
        summary="Casus wijzigen",
        description="Wijzigt titel, hulpvraag, wat al geprobeerd is en de datum 'vastgelopen sinds' (wie aan de "
        "casus werkt), of sluit de casus af met status 'closed' (de doorbraakregisseur van het team, als er niets "
        "meer openstaat). Alle veldfouten tegelijk (400); een afgesloten casus of een statusovergang die niet kan: "
        "409. Alles of niets.",
        tags=["casussen"],
        parameters=[CASE_ID],
        request={"application/merge-patch+json": s.CasePatchInput, "application/json": s.CasePatchInput},
        responses={200: s.CaseDetailSerializer},
        auth=_auth(WRITE_CASES),
    )
    def patch(self, request, casusId):
        case = case_selectors.get_case_for(request.user, casusId)
        data = s.CasePatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        close = d.pop("status", None) == Case.Status.CLOSED
        changes = {PATCH_FIELDS[name]: value for name, value in d.items()}
        with transaction.atomic():
            if changes:
                case = case_services.update_case_details(request.user, case, **changes)
            if close:
                if case_services.close_review(request.user, case):
                    raise RuleError(_("Er staat nog iets open bij deze casus; sluit hem af in Doorbraak."))
                case_services.close_with_care(request.user, case, {})
        case = case_selectors.get_case_for(request.user, casusId)
        self.log("case.read", obj=case, subject=case_selectors.case_subject(case))
        return Response(_case_detail(case))


class CaseSearchView(ApiView):
    required_scopes = {"POST": {READ_CASES}}

    @extend_schema(
        operation_id="casussen_zoek",
        summary="Casussen zoeken op BSN",
        description="Zoekt de casussen van het huishouden van een persoon met dit BSN, voor zover de handelende "
        "gebruiker ze mag zien. Het BSN staat in de body, nooit in het pad of de query.",
        tags=["casussen"],
        request=s.SearchInput,
        parameters=PAGING,
        responses={200: paged(s.CaseSerializer)},
        auth=_auth(READ_CASES),
    )
    def post(self, request):
        data = s.SearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        people = case_selectors.people_with_bsn(request.user, data.validated_data["bsn"])
        households = list(people.values_list("household_id", flat=True))
        rows = case_selectors.case_list(request.user).filter(household_id__in=households)
        self.log("case.search", action=AccessEvent.Action.EXECUTE, object_type="cases.case")
        return self.paginate(rows, s.CaseSerializer)


# --- Platforms ----------------------------------------------------------------------------------------------------


class PlatformListView(ApiView):
    required_scopes = {"GET": {READ_CASES}, "POST": {WRITE_CASES}}

    @extend_schema(
        operation_id="casusplatforms_list",
        summary="Casusplatforms van een casus",
        description="De casusplatforms van een casus die de handelende gebruiker mag zien, oudste eerst.",
        tags=["casusplatforms"],
        parameters=[CASE_ID, *PAGING],
        responses={200: paged(s.PlatformSerializer)},
        auth=_auth(READ_CASES),
    )
    def get(self, request, casusId):
        case = case_selectors.get_case_for(request.user, casusId)
        self.log("platform.read", object_type="platforms.platform", subject=case_selectors.case_subject(case))
        return self.paginate(Platform.objects.filter(case=case).order_by("convened_on", "id"), s.PlatformSerializer)

    @extend_schema(
        operation_id="casusplatforms_create",
        summary="Casusplatform bijeenroepen",
        description="Roept een casusplatform bijeen voor de casus (zoals de knop 'Casusplatform bijeenroepen'); "
        "genodigden zijn professionals van de eigen gemeente wier organisatie betrokken is of toestemming heeft.",
        tags=["casusplatforms"],
        parameters=[CASE_ID],
        request=s.PlatformCreateInput,
        responses={201: s.PlatformSerializer},
        auth=_auth(WRITE_CASES),
    )
    def post(self, request, casusId):
        case = case_selectors.get_case_for(request.user, casusId)
        data = s.PlatformCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        ids = set(d["genodigden"])
        invited = list(
            get_user_model().objects.filter(pk__in=ids, municipality_id=request.user.municipality_id, is_active=True)
        )
        if len(invited) != len(ids):
            _invalid("genodigden", _("Kies professionals van uw gemeente."))
        platform = platform_services.convene(
            request.user,
            case,
            convened_on=d["datum"],
            first_problem=d["eersteProbleem"],
            client_present=d["clientAanwezig"],
            experience_expert_present=d["ervaringsdeskundigeAanwezig"],
            invited=invited,
        )
        location = reverse("api:platform", kwargs={"casusId": case.pk, "platformId": platform.pk})
        return _created(s.PlatformSerializer(platform).data, location)


class PlatformDetailView(ApiView):
    required_scopes = {"GET": {READ_CASES}}

    @extend_schema(
        operation_id="casusplatforms_read",
        summary="Eén casusplatform",
        description="Een casusplatform van een casus die de handelende gebruiker mag zien.",
        tags=["casusplatforms"],
        parameters=[CASE_ID, OpenApiParameter("platformId", int, OpenApiParameter.PATH, description="Id.")],
        responses={200: s.PlatformSerializer},
        auth=_auth(READ_CASES),
    )
    def get(self, request, casusId, platformId):
        platform = platform_selectors.get_platform_for(request.user, casusId, platformId)
        self.log("platform.read", obj=platform, subject=case_selectors.case_subject(platform.case))
        return Response(s.PlatformSerializer(platform).data)


# --- Budget ----------------------------------------------------------------------------------------------------


class PlanListView(ApiView):
    required_scopes = {"GET": {READ_BUDGET}}

    @extend_schema(
        operation_id="maatwerkplannen_list",
        summary="Maatwerkplannen",
        description="De maatwerkplannen die de handelende gebruiker mag zien (van zichtbare casussen; een "
        "budgetfiatteur ook de ingediende en goedgekeurde plannen van de gemeente).",
        tags=["maatwerkplannen"],
        parameters=PAGING,
        responses={200: paged(s.PlanSerializer)},
        auth=_auth(READ_BUDGET),
    )
    def get(self, request):
        rows = budget_selectors.plans_visible_to(request.user).order_by("id")
        self.log("api.plan.list", action=AccessEvent.Action.EXECUTE, object_type="budget.plan")
        return self.paginate(rows, s.PlanSerializer)


class PlanDetailView(ApiView):
    required_scopes = {"GET": {READ_BUDGET}}

    @extend_schema(
        operation_id="maatwerkplannen_read",
        summary="Eén maatwerkplan",
        description="Status en gevraagd bedrag van een maatwerkplan.",
        tags=["maatwerkplannen"],
        parameters=[OpenApiParameter("planId", int, OpenApiParameter.PATH, description="Id van het plan.")],
        responses={200: s.PlanSerializer},
        auth=_auth(READ_BUDGET),
    )
    def get(self, request, planId):
        budget_selectors.visible_plan(request.user, planId)
        plan = Plan.objects.get(pk=planId)
        self.log("plan.read", obj=plan, subject=case_selectors.case_id_subject(plan.case_id))
        return Response(s.PlanSerializer(plan).data)


class FundListView(ApiView):
    required_scopes = {"GET": {READ_BUDGET}}

    @extend_schema(
        operation_id="fondsen_list",
        summary="Fondsen",
        description="De fondsen van de gemeente met hun totalen in centen (voor wie het budgetoverzicht mag zien).",
        tags=["fondsen"],
        parameters=PAGING,
        responses={200: paged(s.FundSerializer)},
        auth=_auth(READ_BUDGET),
    )
    def get(self, request):
        rows = sorted(budget_selectors.fund_overview(request.user), key=lambda row: row["fund"].pk)
        return self.paginate(rows, s.FundSerializer)


# --- Learning: the protected cells of the own municipality ---------------------------------------------------------


PERIOD_CODE = re.compile(r"\d{4}(-K[1-4]|-(0[1-9]|1[0-2]))?")


class LearningInsightsView(ApiView):
    required_scopes = {"GET": {READ_LEARNING}}

    @extend_schema(
        operation_id="leerinzichten_read",
        summary="Leerinzichten van de eigen gemeente",
        description="De beschermde cellen van één periode (maand, kwartaal of jaar) en één uitsplitsing, dezelfde "
        "als op het dashboard /leren/: per maat het licht verstoorde aantal, onder 10 alleen 'onder de drempel' "
        "(nooit een ruw aantal). Voor wie de leercijfers mag zien (beleidsmedewerker, doorbraakregisseur).",
        tags=["leerinzichten"],
        parameters=[
            OpenApiParameter(
                "periode",
                {"type": "string", "pattern": r"^\d{4}(-K[1-4]|-(0[1-9]|1[0-2]))?$", "maxLength": 7},
                description="2026 (jaar), 2026-K3 (kwartaal) of 2026-07 (maand); standaard het lopende jaar.",
            ),
            OpenApiParameter(
                "uitsplitsing",
                {"type": "string", "maxLength": 140},
                description="Eén uitsplitsing zoals op het dashboard, bijvoorbeeld team:5; leeg: de hele gemeente.",
            ),
        ],
        responses={200: s.LearningCellsSerializer},
        auth=_auth(READ_LEARNING),
    )
    def get(self, request):
        municipality = analytics.insights_municipality(request.user)
        given = "periode" in request.query_params
        code = request.query_params.get("periode", "")
        cell = protection.parse_code(code) if given and PERIOD_CODE.fullmatch(code) else None
        errors = {}
        if given and (cell is None or cell.grain == protection.ALL):
            errors["periode"] = [_("Kies een maand (2026-07), een kwartaal (2026-K3) of een jaar (2026).")]
        breakdown = analytics.parse_breakdown(municipality, request.query_params.get("uitsplitsing", "")[:140])
        if breakdown is None:
            errors["uitsplitsing"] = [_("Deze uitsplitsing bestaat niet of heeft te weinig casussen.")]
        if errors:
            raise serializers.ValidationError(errors)
        period = analytics.from_grid(cell) if cell is not None else analytics.default_period()
        cells = protected.read(municipality, period.grid, breakdown)
        body = {
            "gemeente": municipality.code,
            "periode": period.grid.code,
            "period_start": period.start,
            "period_end": period.last_day,
            "uitsplitsing": analytics.breakdown_code(breakdown),
            "cells": [{"measure": measure, "shown": cells[measure].shown} for measure in sorted(cells)],
        }
        self.log("api.learning.read", action=AccessEvent.Action.READ, object_type="learning.protectedcell")
        return Response(s.LearningCellsSerializer(body).data)


# --- Public: initiatives and open data -----------------------------------------------------------------------------


class InitiativeListView(PublicView):
    @extend_schema(
        operation_id="initiatieven_list",
        summary="Initiatieven",
        description="Het openbare landelijke register van initiatieven, op naam. Zonder authenticatie.",
        tags=["initiatieven"],
        parameters=PAGING,
        responses={200: paged(s.InitiativeSerializer)},
        auth=[],
    )
    def get(self, request):
        return self.paginate(initiative_selectors.public_initiatives().order_by("name", "id"), s.InitiativeSerializer)


class InitiativeDetailView(PublicView):
    @extend_schema(
        operation_id="initiatieven_read",
        summary="Eén initiatief",
        description="Een gepubliceerd initiatief uit het openbare register.",
        tags=["initiatieven"],
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Korte naam.")],
        responses={200: s.InitiativeDetailSerializer},
        auth=[],
    )
    def get(self, request, slug):
        initiative = initiative_selectors.public_initiatives().filter(slug=slug[:120]).first()
        if initiative is None:
            raise Http404
        return Response(s.InitiativeDetailSerializer(initiative).data)


def _municipality(code):
    municipality = Municipality.objects.filter(code=code[:20]).first()
    if municipality is None:
        raise Http404
    return municipality


def _dataset(slug, extra=None):
    dataset = reports.DATASETS[slug]
    return {
        "slug": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "all_columns": reports.COMMON + dataset.columns,
        **(extra or {}),
    }


CODE = OpenApiParameter("gemeentecode", str, OpenApiParameter.PATH, description="CBS-code, bijvoorbeeld GM0796.")


class DatasetListView(PublicView):
    @extend_schema(
        operation_id="open_data_datasets_list",
        summary="Open-data-datasets",
        description="De datasets met open data (geaggregeerd en beschermd) van een gemeente, met hun kolommen.",
        tags=["open-data"],
        parameters=[CODE, *PAGING],
        responses={200: paged(s.DatasetSerializer)},
        auth=[],
    )
    def get(self, request, gemeentecode):
        _municipality(gemeentecode)
        return self.paginate([_dataset(slug) for slug in reports.DATASETS], s.DatasetSerializer)


class DatasetView(PublicView):
    @extend_schema(
        operation_id="open_data_datasets_read",
        summary="Eén open-data-dataset",
        description="De rijen van een dataset over het lopende kalenderjaar: dezelfde beschermde cellen als het "
        "dashboard en de CSV van /open-data/ (afgeronde en licht verstoorde aantallen; onder 10 als <10).",
        tags=["open-data"],
        parameters=[CODE, OpenApiParameter("dataset", str, OpenApiParameter.PATH, description="Code van de dataset.")],
        responses={200: s.DatasetRowsSerializer},
        auth=[],
    )
    def get(self, request, gemeentecode, dataset):
        municipality = _municipality(gemeentecode)
        if dataset not in reports.DATASETS:
            raise Http404
        period = analytics.default_period()
        with scope(municipality=municipality.pk):
            rows = reports.dataset_rows(municipality, dataset, period)
        prefix = [municipality.code, period.start.isoformat(), period.end.isoformat()]
        body = _dataset(
            dataset,
            {
                "gemeente": municipality.code,
                "period_start": period.start,
                "period_end": period.end,
                "rows": [prefix + list(row) for row in rows],
            },
        )
        return Response(s.DatasetRowsSerializer(body).data)
