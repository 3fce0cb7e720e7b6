"""DRF's ``authtoken`` app is gone (integrators' tokens replaced it): its table held every token in plain text
and nothing reads it any more, so it is dropped. Integrators get new tokens from the office (the old keys
stopped working with the app). Nothing to undo: the table is not recreated."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("security", "0001_integrator_tokens")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
