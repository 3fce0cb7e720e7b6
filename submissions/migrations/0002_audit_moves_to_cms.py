"""The audit trail moves to cms.audit (one trail for every object): each entry becomes an entry about its
submission, or about its round when it had no submission."""

from django.db import migrations


def copy_entries(apps, schema_editor):
    Old = apps.get_model("submissions", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    submission_type, _ = ContentType.objects.get_or_create(app_label="submissions", model="submission")
    round_type, _ = ContentType.objects.get_or_create(app_label="submissions", model="round")
    batch = []
    for entry in Old.objects.order_by("pk").iterator():
        subject_type, subject_id = (
            (submission_type, entry.submission_id) if entry.submission_id else (round_type, entry.round_id)
        )
        batch.append(
            New(
                subject_type=subject_type,
                subject_id=str(subject_id),
                actor_id=entry.actor_id,
                role=entry.role,
                action=entry.action,
                comment=entry.comment,
                before=entry.before,
                after=entry.after,
            )
        )
    created = New.objects.bulk_create(batch, batch_size=2000)
    # auto_now_add set "at" to now: give every entry its original moment back.
    old_moments = list(Old.objects.order_by("pk").values_list("at", flat=True))
    for new, moment in zip(created, old_moments, strict=True):
        new.at = moment
    New.objects.bulk_update(created, ["at"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEntry"),
    ]
