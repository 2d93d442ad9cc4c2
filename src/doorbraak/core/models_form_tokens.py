"""The one-time form token (core.form_tokens): moved from cases (issue 11); the table keeps its name."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormToken(models.Model):
    """A one-time token of a submitted form: a second submit of the same form is recognised and ignored.

    The token is bound to the user, the purpose (the service that consumed it) and the object it was used for:
    the same token again from that user for that object is a replay (nothing is written twice); the same token
    from another user or for another object is refused. Purged after FORM_TOKEN_RETENTION_DAYS."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=60, blank=True, default="")
    object_type = models.CharField(max_length=60, blank=True, default="")
    object_id = models.CharField(max_length=40, blank=True, default="")
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cases_formtoken"

    def __str__(self):
        return str(self.token)
