"""Keep the SQLite full-text table in step when an initiative is deleted (e.g. in the admin)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Initiative
from .services import remove_from_index


@receiver(post_delete, sender=Initiative, dispatch_uid="initiatives_remove_from_index")
def _remove_from_index(sender, instance, **kwargs):
    remove_from_index(instance.pk)
