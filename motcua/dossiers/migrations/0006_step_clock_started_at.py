"""A step keeps when it was handed over (`started_at`) apart from when its clock started (issue 12 item 5).

Until now `started_at` held the clock start; existing rows keep that value in both fields.
"""
from django.db import migrations, models


def copy_start(apps, schema_editor):
    DossierStep = apps.get_model("dossiers", "DossierStep")
    DossierStep._base_manager.filter(started_at__isnull=False).update(clock_started_at=models.F("started_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0005_one_supplement_one_apology"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossierstep",
            name="clock_started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(copy_start, migrations.RunPython.noop),
    ]
