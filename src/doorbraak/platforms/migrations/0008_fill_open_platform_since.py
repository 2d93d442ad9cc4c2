"""Issue 15: fill Case.open_platform_since (cases 0011) for the platforms already at the table: the convening date
of each case's oldest platform without a breakthrough. From here on platforms.models.refresh_open_platform keeps it
true. One UPDATE over the cases with such a platform."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Platform = apps.get_model("platforms", "Platform")
    at_table = Platform._base_manager.filter(status="convened")
    oldest = at_table.filter(case_id=OuterRef("pk")).order_by("convened_on").values("convened_on")[:1]
    Case._base_manager.filter(pk__in=at_table.values("case_id")).update(open_platform_since=Subquery(oldest))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_open_platform_since"),
        ("platforms", "0007_platform_status_convened"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
