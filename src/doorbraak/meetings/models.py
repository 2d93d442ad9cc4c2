"""Programme meetings (issue 18): national like the initiative registry, so not tenant-owned.

A Meeting has a programme (ProgrammeItem: talks, linked initiatives and action researches), documents
(MeetingDocument: reports and presentations, PDF only, stored privately), registrations without an account
(Registration: confirmed or on the waiting list, a hashed cancel token, personal data purged after a period),
takeaways and needs of participants (Takeaway, moderated before publication) and follow-ups the organiser makes of
recurring needs (FollowUp).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorbraak.initiatives.models import Initiative, Moderation, Research


class PrivateStorage(FileSystemStorage):
    """Documents live under PRIVATE_FILES_ROOT/meetings (read each time, so tests and deployments may move it),
    never under MEDIA_URL; a view hands them out as attachments."""

    @property
    def base_location(self):
        return os.path.join(settings.PRIVATE_FILES_ROOT, "meetings")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def _private_storage():
    return private_storage


class NeedTag(models.TextChoices):
    PEOPLE = "people", _("mensen")
    BUDGET = "budget", _("budget")
    MANDATE = "mandate", _("mandaat")
    KNOWLEDGE = "knowledge", _("kennis")
    TIME = "time", _("tijd")


NEED_FIELDS = {tag: f"need_{tag}" for tag in NeedTag.values}


class Meeting(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("beschrijving"), max_length=3000, blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    place = models.CharField(_("plaats"), max_length=300, blank=True)
    online_link = models.URLField(_("link naar de online bijeenkomst"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    registration_deadline = models.DateTimeField(_("aanmelden kan tot"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_meetings",
        verbose_name=_("organisator"),
    )
    organiser_name = models.CharField(_("georganiseerd door"), max_length=200)
    report = models.TextField(_("verslag"), max_length=10000, blank=True)
    is_published = models.BooleanField(default=True)
    search_stems = models.TextField(blank=True, editable=False)  # Snowball stems of the searchable text
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="meeting_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=models.F("starts_at")), name="meeting_deadline_before_start"
            ),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_link=""), name="meeting_has_place_or_link"),
        ]

    def __str__(self):
        return self.title


class ProgrammeItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="programme")
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.TimeField(_("tijd"), null=True, blank=True)
    title = models.CharField(_("onderdeel"), max_length=200)
    speaker = models.CharField(_("spreker"), max_length=200, blank=True)
    initiative = models.ForeignKey(Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    research = models.ForeignKey(Research, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programma")
        ordering = ["meeting", "position", "id"]

    def __str__(self):
        return self.title


class MeetingDocument(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Verslag")
        PRESENTATION = "presentation", _("Presentatie")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(storage=_private_storage, upload_to="documents/", max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["meeting", "kind", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["report", "presentation"]), name="document_kind")]

    def __str__(self):
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Aangemeld")
        WAITING = "waiting", _("Op de wachtlijst")
        CANCELLED = "cancelled", _("Afgemeld")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=20, choices=Status.choices)
    name = models.CharField(_("naam"), max_length=120)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), max_length=254)  # stored lower-case
    role = models.CharField(_("functie of rol"), max_length=120, blank=True)
    needs = models.TextField(_("dieetwensen of toegankelijkheid"), max_length=1000, blank=True)
    on_attendee_list = models.BooleanField(_("op de deelnemerslijst"), default=False)
    cancel_token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret in the cancel link
    form_token = models.CharField(max_length=64, unique=True)  # one-time nonce of the form: a double submit fails
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["meeting", "created_at", "id"]
        indexes = [models.Index(fields=["meeting", "status", "created_at"], name="registration_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waiting", "cancelled"]), name="registration_status"
            ),
            # One active registration per e-mail address per meeting (also under two simultaneous posts).
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(status__in=["confirmed", "waiting"]) & Q(personal_data_purged_at__isnull=True),
                name="registration_one_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.pk}"


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        LEARNING_SESSION = "learning_session", _("Leersessie")
        INTRODUCTION = "introduction", _("Kennismaking met een contact")
        BUDGET_REQUEST = "budget_request", _("Budgetaanvraag")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        IN_PROGRESS = "in_progress", _("Bezig")
        DONE = "done", _("Gedaan")
        DROPPED = "dropped", _("Vervallen")

    kind = models.CharField(_("soort vervolg"), max_length=30, choices=Kind.choices)
    need = models.CharField(_("behoefte"), max_length=20, choices=NeedTag.choices)
    title = models.CharField(_("omschrijving"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vervolgactie")
        verbose_name_plural = _("vervolgacties")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["learning_session", "introduction", "budget_request"]), name="followup_kind"
            ),
            models.CheckConstraint(condition=Q(need__in=NeedTag.values), name="followup_need"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]), name="followup_status"
            ),
        ]

    def __str__(self):
        return self.title


class Takeaway(models.Model):
    """'Wat neem ik mee?' and 'Wat heb ik daarvoor nodig?' of one participant, with need tags."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="takeaways")
    takeaway = models.TextField(_("wat neem ik mee?"), max_length=2000)
    need = models.TextField(_("wat heb ik daarvoor nodig?"), max_length=2000)
    need_people = models.BooleanField(default=False)
    need_budget = models.BooleanField(default=False)
    need_mandate = models.BooleanField(default=False)
    need_knowledge = models.BooleanField(default=False)
    need_time = models.BooleanField(default=False)
    initiatives = models.ManyToManyField(Initiative, blank=True, related_name="meeting_takeaways")
    consent_to_publish = models.BooleanField(default=False)
    show_name = models.BooleanField(default=False)  # published with name and organisation, else anonymous
    name = models.CharField(_("naam"), max_length=120, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    moderation = models.CharField(max_length=20, choices=Moderation.choices, default=Moderation.PENDING)
    rejection_reason = models.TextField(blank=True, max_length=1000)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="takeaways")
    form_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opbrengst")
        verbose_name_plural = _("opbrengsten")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["meeting", "moderation"], name="takeaway_public")]
        constraints = [
            models.CheckConstraint(condition=Q(moderation__in=Moderation.values), name="takeaway_mod_valid"),
            models.CheckConstraint(
                condition=~Q(moderation="rejected") | ~Q(rejection_reason=""), name="takeaway_rejection_has_reason"
            ),
            # Only what the participant agreed to publish can be published.
            models.CheckConstraint(
                condition=~Q(moderation="approved") | Q(consent_to_publish=True), name="takeaway_published_consent"
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.takeaway[:40]}"

    @property
    def tags(self) -> list[str]:
        return [tag for tag, field in NEED_FIELDS.items() if getattr(self, field)]

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(NeedTag.choices)
        return [str(labels[t]) for t in self.tags]
