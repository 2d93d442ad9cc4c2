"""Issue 15: the plan's team (its case's, copied when the plan starts), filled for the plans there are, and the
partial indexes a lead's queue and running plans are read from."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Plan = apps.get_model("budget", "Plan")
    Case = apps.get_model("cases", "Case")
    team = Case._base_manager.filter(pk=OuterRef("case_id")).values("team_id")[:1]
    Plan._base_manager.filter(team__isnull=True).update(team_id=Subquery(team))
    if schema_editor.connection.vendor == "postgresql":  # check the new foreign keys now, so NOT NULL can follow
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0008_plan_submitted_index"),
        ("cases", "0011_open_platform_since"),
        ("core", "0010_access_log_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="team",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.team",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="team",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.team"
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["team", "submitted_at", "id"],
                include=("requested_cents", "submitted_by", "case"),
                name="budget_plan_team_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["team", "-approved_at", "-id"],
                name="budget_plan_team_approved_idx",
            ),
        ),
    ]
