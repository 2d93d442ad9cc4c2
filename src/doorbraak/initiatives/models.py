"""The national registry of initiatives (OPaZ): not tenant-owned, readable by anonymous visitors.

Initiative pages, their action research with reports, public suggestions (Submission) and public
comments (Comment). Submissions and comments wait for a moderator; personal data of the person who
sent them is optional, never shown, and purged after a retention period (purge_submitter_data).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    """The four groups of complex situations of OPaZ, or another theme."""

    EDUCATION_AT_HOME = "education_at_home", _("Thuiszitters zonder passend onderwijs")
    INFORMATION_NEARBY = "information_nearby", _("Informatie dichtbij, zoals in de bibliotheek")
    CALM_IN_CRISIS = "calm_in_crisis", _("Rust in crisissituaties")
    MULTI_PROBLEM_FAMILIES = "multi_problem_families", _("Gezinnen met problemen op veel terreinen")
    OTHER = "other", _("Ander thema")


class Status(models.TextChoices):
    ACTIVE = "active", _("Actief")
    RESEARCH = "research", _("In onderzoek")
    COMPLETED = "completed", _("Afgerond")
    STOPPED = "stopped", _("Gestopt")


REGIONS = [
    "Drenthe",
    "Flevoland",
    "Friesland",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
    "Landelijk",
]


class Initiative(models.Model):
    slug = models.SlugField(_("korte naam in het webadres"), max_length=120, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    place = models.CharField(_("plaats"), max_length=120, blank=True)
    region = models.CharField(
        _("regio"), max_length=40, choices=[(r, r) for r in REGIONS], default="Landelijk", db_index=True
    )
    target_group = models.CharField(_("doelgroep"), max_length=200, blank=True)
    group = models.CharField(_("thema"), max_length=30, choices=Group.choices, default=Group.OTHER)
    summary = models.TextField(_("samenvatting"), blank=True)
    approach = models.TextField(_("wat het anders doet"), blank=True)
    earning_model = models.TextField(_("verdienmodel"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True, help_text=_("Lijst van {label, url}."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    # Everything searchable in one text (kept by services.reindex); PostgreSQL derives a tsvector from it.
    search_document = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["is_published", "name"], name="initiative_pub_name"),
            models.Index(fields=["is_published", "group", "name"], name="initiative_pub_group"),
            models.Index(fields=["is_published", "status", "name"], name="initiative_pub_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(group__in=Group.values), name="initiative_group_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="initiative_status_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """Links are a list of {label, url} with http(s) addresses only (no javascript: and the like)."""
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        validate = URLValidator(schemes=["http", "https"])
        if not isinstance(self.links, list):
            raise ValidationError({"links": _("Geef een lijst van links.")})
        for link in self.links:
            if not isinstance(link, dict) or not isinstance(link.get("url"), str):
                raise ValidationError({"links": _('Elke link heeft de vorm {"label": "…", "url": "https://…"}.')})
            try:
                validate(link["url"])
            except ValidationError:
                raise ValidationError({"links": _("Dit is geen goed webadres: %(url)s") % {"url": link["url"]}})


class Research(models.Model):
    """Action research on an initiative."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="research", verbose_name=_("initiatief")
    )
    question = models.TextField(_("onderzoeksvraag"))
    period_start = models.DateField(_("begin"), null=True, blank=True)
    period_end = models.DateField(_("einde"), null=True, blank=True)
    researchers = models.TextField(_("onderzoekers"), blank=True)
    findings = models.TextField(_("bevindingen"), blank=True)

    class Meta:
        verbose_name = _("actieonderzoek")
        verbose_name_plural = _("actieonderzoeken")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="research_period_order",
            )
        ]

    def __str__(self):
        return f"{self.initiative}: {self.question[:60]}"


class ResearchReport(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Voortgangsrapport")
        FINAL = "final", _("Eindrapport")

    research = models.ForeignKey(Research, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    title = models.CharField(_("titel"), max_length=200)
    published_on = models.DateField(_("verschenen op"), null=True, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    pdf = models.FileField(_("rapport (pdf)"), upload_to="initiatives/reports/", blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporten")
        ordering = ["published_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["progress", "final"]), name="report_kind_valid")
        ]

    def __str__(self):
        return self.title


class Moderation(models.TextChoices):
    PENDING = "pending", _("Wacht op controle")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgewezen")
    SPAM = "spam", _("Spam")


class ModeratedItem(models.Model):
    """Common fields of what the public sends in. Submitter data is optional and never shown."""

    moderation = models.CharField(
        _("beoordeling"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING, db_index=True
    )
    submitter_name = models.CharField(_("uw naam"), max_length=120, blank=True)
    submitter_email = models.EmailField(_("uw e-mailadres"), blank=True)
    rejection_reason = models.TextField(_("reden van afwijzen"), blank=True)
    # One-time token of the form that sent it: a double submit hits the unique constraint.
    form_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Submission(ModeratedItem):
    """A visitor's suggestion of an initiative. When approved it becomes a draft Initiative."""

    name = models.CharField(_("naam van het initiatief"), max_length=200)
    place = models.CharField(_("plaats"), max_length=120, blank=True)
    description = models.TextField(_("wat doet het initiatief anders?"))
    link = models.URLField(_("link naar meer informatie"), max_length=500)
    initiative = models.OneToOneField(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_submission"
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "id"]
        # The moderation queue (selectors.moderation_queue): a page of the pending ones, oldest first, is a seek in
        # this index, and their number an index-only count.
        indexes = [models.Index(fields=["moderation", "created_at", "id"], name="submission_mod_queue")]
        constraints = [
            models.CheckConstraint(condition=models.Q(moderation__in=Moderation.values), name="submission_mod_valid"),
            models.CheckConstraint(
                condition=~models.Q(moderation="rejected") | ~models.Q(rejection_reason=""),
                name="submission_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return self.name


class Comment(ModeratedItem):
    """A plain-text public comment under an initiative, shown only after approval."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("uw reactie"), max_length=2000)
    edited_by_moderator = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["initiative", "moderation", "created_at"], name="comment_public"),
            models.Index(fields=["moderation", "created_at", "id"], name="comment_mod_queue"),  # the queue
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(moderation__in=Moderation.values), name="comment_mod_valid"),
            models.CheckConstraint(
                condition=~models.Q(moderation="rejected") | ~models.Q(rejection_reason=""),
                name="comment_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.body[:40]}"
