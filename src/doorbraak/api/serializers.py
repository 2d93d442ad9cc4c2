"""The API's representations: Dutch camelCase field names, dates as ISO 8601 dates, times in UTC (`Z`), money in
integer cents. Input serializers validate everything a service checks too, so a client gets every field error at
once (ADR-11); the services check again."""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from doorbraak.cases.models import Case, LifeDomain, Person
from doorbraak.core import dates as date_ranges
from doorbraak.core.choices import Funder
from doorbraak.core.validators import NAME_CHARACTERS_ERROR, is_valid_bsn, unsafe_name_character
from doorbraak.initiatives.models import Group
from doorbraak.initiatives.models import Status as InitiativeStatus
from doorbraak.platforms.models import Platform

MAX_ID = 2**63 - 1


class UtcDateTimeField(serializers.DateTimeField):
    def __init__(self, **kwargs):
        super().__init__(default_timezone=datetime.UTC, **kwargs)


# Dutch messages for what DRF says in English (DRF is used as a library, not an installed app: no DRF locale).
DUTCH = {
    "required": _("Dit veld is verplicht."),
    "null": _("Dit veld mag niet leeg (null) zijn."),
    "blank": _("Dit veld mag niet leeg zijn."),
    "max_length": _("Maximaal {max_length} tekens."),
    "min_length": _("Minimaal {min_length} tekens."),
    "max_value": _("Maximaal {max_value}."),
    "min_value": _("Minimaal {min_value}."),
    "max_string_length": _("Dit getal is te groot."),
    "invalid_choice": _("{input} is geen geldige keuze."),
    "not_a_list": _("Geef een lijst."),
    "not_a_dict": _("Geef een object."),
    "empty": _("Deze lijst mag niet leeg zijn."),
    "surrogate_characters_not_allowed": _("Deze tekst bevat ongeldige tekens."),
    "null_characters_not_allowed": _("Deze tekst bevat ongeldige tekens."),
    "datetime": _("Geef een datum, geen tijdstip."),
    "make_aware": _("Ongeldige datum."),
}


class Dutch:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages, **{k: v for k, v in DUTCH.items() if k in self.error_messages}}


def _refuse_type(field, data, kinds):
    if not isinstance(data, kinds) or (kinds is not bool and isinstance(data, bool)):
        raise serializers.ValidationError(field.error_messages.get("invalid") or _("Ongeldig type."), code="invalid")


class StrictCharField(Dutch, serializers.CharField):
    """A JSON string only (DRF would turn a number into text; the schema says string)."""

    default_error_messages = {"invalid": _("Geef tekst (een JSON-string).")}

    def to_internal_value(self, data):
        _refuse_type(self, data, str)
        return super().to_internal_value(data)


class StrictIntegerField(Dutch, serializers.IntegerField):
    default_error_messages = {"invalid": _("Geef een geheel getal.")}

    def to_internal_value(self, data):
        _refuse_type(self, data, int)
        return super().to_internal_value(data)


class StrictBooleanField(Dutch, serializers.BooleanField):
    default_error_messages = {"invalid": _("Geef true of false.")}

    def to_internal_value(self, data):
        _refuse_type(self, data, bool)
        return super().to_internal_value(data)


class StrictDateField(Dutch, serializers.DateField):
    default_error_messages = {"invalid": _("Geef een datum als JJJJ-MM-DD.")}

    def to_internal_value(self, data):
        _refuse_type(self, data, str)
        return super().to_internal_value(data)


class StrictChoiceField(Dutch, serializers.ChoiceField):
    default_error_messages = {"invalid": _("Kies een van de waarden.")}

    def to_internal_value(self, data):
        _refuse_type(self, data, str)
        return super().to_internal_value(data)


class SafeCharField(StrictCharField):
    """Text without bidi controls or control characters (core.validators), like the forms' SafeTextMixin."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if unsafe_name_character(value):
            raise serializers.ValidationError(NAME_CHARACTERS_ERROR, code="characters")
        return value


def _date_in(date_range, future_message=None):
    def validate(value):
        message = date_range.problem(value, future_message)
        if message:
            raise serializers.ValidationError(message, code="range")

    return validate


def _bsn(value):
    digits = (value or "").replace(" ", "").replace(".", "")
    if not is_valid_bsn(digits):
        raise serializers.ValidationError(
            _("Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en de elfproef doorstaan."), code="bsn"
        )


# --- Cases ----------------------------------------------------------------------------------------------------


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    status = serializers.ChoiceField(choices=Case.Status.choices, read_only=True)
    teamId = serializers.IntegerField(source="team_id", read_only=True)  # noqa: N815
    geopendOp = UtcDateTimeField(source="opened_at", read_only=True)  # noqa: N815
    vastgelopenSinds = serializers.DateField(source="stuck_since", read_only=True, allow_null=True)  # noqa: N815
    geslotenOp = UtcDateTimeField(source="closed_at", read_only=True, allow_null=True)  # noqa: N815


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    voornaam = serializers.CharField(source="first_name", read_only=True)
    achternaam = serializers.CharField(source="last_name", read_only=True)
    geboortedatum = serializers.DateField(source="date_of_birth", read_only=True)
    relatie = serializers.ChoiceField(source="relation", choices=Person.Relation.choices, read_only=True)
    bsnLaatsteCijfers = serializers.SerializerMethodField()  # noqa: N815

    def get_bsnLaatsteCijfers(self, person) -> str:  # noqa: N802
        """Only the last three digits, as on the pages."""
        return (person.bsn or "")[-3:]


class CaseDetailSerializer(CaseSerializer):
    hulpvraag = serializers.CharField(source="question", read_only=True)
    geprobeerd = serializers.CharField(source="tried", read_only=True)
    wijk = serializers.CharField(source="household.area", read_only=True)
    huishoudenId = serializers.IntegerField(source="household_id", read_only=True)  # noqa: N815
    leden = MemberSerializer(many=True, read_only=True, source="members")
    financiers = serializers.ListField(child=serializers.ChoiceField(choices=Funder.choices), read_only=True)


class DutchList(Dutch, serializers.ListField):
    pass


class DutchDict(Dutch, serializers.DictField):
    pass


class InputSerializer(Dutch, serializers.Serializer):
    pass


class MainPersonInput(InputSerializer):
    voornaam = SafeCharField(max_length=80)
    achternaam = SafeCharField(max_length=120)
    geboortedatum = StrictDateField(validators=[_date_in(date_ranges.BIRTH)])
    bsn = StrictCharField(max_length=20, required=False, allow_blank=True, validators=[])

    def validate_bsn(self, value):
        if value:
            _bsn(value)
        return value


class CaseCreateInput(InputSerializer):
    titel = SafeCharField(max_length=160)
    teamId = StrictIntegerField(min_value=1, max_value=MAX_ID)  # noqa: N815
    wijk = SafeCharField(max_length=120, required=False, allow_blank=True, default="")
    hulpvraag = SafeCharField(max_length=4000)
    geprobeerd = SafeCharField(max_length=4000, required=False, allow_blank=True, default="")
    vastgelopenSinds = StrictDateField(  # noqa: N815
        required=False, allow_null=True, default=None, validators=[_date_in(date_ranges.LONG_PAST)]
    )
    hoofdpersoon = MainPersonInput()
    financiers = DutchList(
        child=StrictChoiceField(choices=Funder.choices), required=False, default=list, max_length=len(Funder)
    )
    scores = DutchDict(child=StrictIntegerField(min_value=1, max_value=5), required=False, default=dict)

    def validate_scores(self, value):
        unknown = sorted(set(value) - set(LifeDomain.values))
        if unknown:
            raise serializers.ValidationError(_("Onbekend levensdomein: %(d)s.") % {"d": ", ".join(unknown)[:100]})
        return value


class CasePatchInput(InputSerializer):
    """A JSON merge patch (RFC 7396) of the fields a case worker may change; `status` only to "closed" (the other
    statuses follow from the platform and the follow-up)."""

    titel = SafeCharField(max_length=160, required=False)
    hulpvraag = SafeCharField(max_length=4000, required=False)
    geprobeerd = SafeCharField(max_length=4000, required=False, allow_blank=True)
    vastgelopenSinds = StrictDateField(  # noqa: N815
        required=False, allow_null=True, validators=[_date_in(date_ranges.LONG_PAST)]
    )
    status = StrictChoiceField(
        choices=[(Case.Status.CLOSED, Case.Status.CLOSED.label)],
        required=False,
        help_text="Alleen 'closed': de casus afsluiten (de doorbraakregisseur van het team, als er niets meer "
        "openstaat). De andere statussen volgen uit het casusplatform en de nazorg.",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Geef minstens één veld om te wijzigen."), code="empty")
        return attrs


class SearchInput(InputSerializer):
    bsn = StrictCharField(max_length=20)

    def validate_bsn(self, value):
        _bsn(value)
        return value


# --- Platforms -----------------------------------------------------------------------------------------------


class PlatformSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    casusId = serializers.IntegerField(source="case_id", read_only=True)  # noqa: N815
    status = serializers.ChoiceField(choices=Platform.Status.choices, read_only=True)
    datum = serializers.DateField(source="convened_on", read_only=True)
    eersteProbleem = serializers.CharField(source="first_problem", read_only=True)  # noqa: N815
    clientAanwezig = serializers.BooleanField(source="client_present", read_only=True)  # noqa: N815
    ervaringsdeskundigeAanwezig = serializers.BooleanField(  # noqa: N815
        source="experience_expert_present", read_only=True
    )
    doorbraakOp = serializers.DateField(source="breakthrough_on", read_only=True, allow_null=True)  # noqa: N815
    aangemaaktOp = UtcDateTimeField(source="created_at", read_only=True)  # noqa: N815


class PlatformCreateInput(InputSerializer):
    datum = StrictDateField(validators=[_date_in(date_ranges.NEAR)])
    eersteProbleem = SafeCharField(max_length=4000)  # noqa: N815
    clientAanwezig = StrictBooleanField(required=False, default=False)  # noqa: N815
    ervaringsdeskundigeAanwezig = StrictBooleanField(required=False, default=False)  # noqa: N815
    genodigden = DutchList(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=30
    )


# --- Budget ----------------------------------------------------------------------------------------------------


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    casusId = serializers.IntegerField(source="case_id", read_only=True)  # noqa: N815
    status = serializers.CharField(read_only=True)
    looptijdJaren = serializers.IntegerField(source="horizon_years", read_only=True)  # noqa: N815
    gevraagdBedragCent = serializers.IntegerField(source="requested_cents", read_only=True)  # noqa: N815
    aangemaaktOp = UtcDateTimeField(source="created_at", read_only=True)  # noqa: N815
    ingediendOp = UtcDateTimeField(source="submitted_at", read_only=True, allow_null=True)  # noqa: N815
    goedgekeurdOp = UtcDateTimeField(source="approved_at", read_only=True, allow_null=True)  # noqa: N815


class FundSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="fund.id", read_only=True)
    naam = serializers.CharField(source="fund.name", read_only=True)
    jaar = serializers.IntegerField(source="fund.year", read_only=True)
    teamId = serializers.IntegerField(source="fund.team_id", read_only=True)  # noqa: N815
    toegekendCent = serializers.IntegerField(source="allocated", read_only=True)  # noqa: N815
    verplichtCent = serializers.IntegerField(source="committed", read_only=True)  # noqa: N815
    betaaldCent = serializers.IntegerField(source="paid", read_only=True)  # noqa: N815
    uitgeleendOpenCent = serializers.IntegerField(source="loans_outstanding", read_only=True)  # noqa: N815
    beschikbaarCent = serializers.IntegerField(source="available", read_only=True)  # noqa: N815


# --- Public ----------------------------------------------------------------------------------------------------


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()


class InitiativeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    plaats = serializers.CharField(source="place", read_only=True)
    regio = serializers.CharField(source="region", read_only=True)
    thema = serializers.ChoiceField(source="group", choices=Group.choices, read_only=True)
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, read_only=True)
    samenvatting = serializers.CharField(source="summary", read_only=True)
    bijgewerktOp = UtcDateTimeField(source="updated_at", read_only=True)  # noqa: N815


class InitiativeDetailSerializer(InitiativeSerializer):
    doelgroep = serializers.CharField(source="target_group", read_only=True)
    aanpak = serializers.CharField(source="approach", read_only=True)
    verdienmodel = serializers.CharField(source="earning_model", read_only=True)
    partners = serializers.CharField(read_only=True)


class ColumnSerializer(serializers.Serializer):
    naam = serializers.CharField(source="name")
    soort = serializers.CharField(source="kind")
    omschrijving = serializers.CharField(source="description")


class DatasetSerializer(serializers.Serializer):
    code = serializers.CharField(source="slug")
    titel = serializers.CharField(source="title")
    omschrijving = serializers.CharField(source="description")
    kolommen = ColumnSerializer(many=True, source="all_columns")


class DatasetRowsSerializer(DatasetSerializer):
    gemeente = serializers.CharField()
    periodeVan = serializers.DateField(source="period_start")  # noqa: N815
    periodeTotEnMet = serializers.DateField(source="period_end")  # noqa: N815
    rijen = serializers.ListField(
        source="rows", child=serializers.ListField(child=serializers.JSONField()), help_text="Eén lijst per rij."
    )


class LearningCellSerializer(serializers.Serializer):
    maat = serializers.CharField(source="measure", help_text="De maat, zoals cases, platforms, b:<belemmering>.")
    aantal = serializers.SerializerMethodField(help_text="Het beschermde aantal (10 of meer), anders null.")
    onderDrempel = serializers.SerializerMethodField(  # noqa: N815
        help_text="Waar: minder dan 10 (het dashboard toont <10); dan geen aantal."
    )

    def get_aantal(self, row) -> int | None:
        return row["shown"] if isinstance(row["shown"], int) else None

    def get_onderDrempel(self, row) -> bool:  # noqa: N802
        return not isinstance(row["shown"], int)


class LearningCellsSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    periode = serializers.CharField(help_text="De periode als code: 2026, 2026-K3 of 2026-07.")
    periodeVan = serializers.DateField(source="period_start")  # noqa: N815
    periodeTotEnMet = serializers.DateField(source="period_end")  # noqa: N815
    uitsplitsing = serializers.CharField(help_text="Leeg: de hele gemeente.")
    cellen = LearningCellSerializer(many=True, source="cells")


class TokenInput(InputSerializer):
    grant_type = StrictChoiceField(choices=[("client_credentials", "client_credentials")])
    client_id = StrictCharField(max_length=64)
    client_secret = StrictCharField(max_length=200)


class TokenSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    scope = serializers.CharField()
