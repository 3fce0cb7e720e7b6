"""A department belongs to one province and its code is unique within it (every province has its own
"so-xd"). Departments recorded without a province are given the one province the install's office editors
work on; an install with several provinces must assign them first (the migration says which)."""

from django.db import migrations, models
import django.db.models.deletion


def assign_provinces(apps, schema_editor):
    Department = apps.get_model("directory", "Department")
    Membership = apps.get_model("directory", "Membership")
    orphans = Department.objects.filter(province__isnull=True)
    if not orphans.exists():
        return
    provinces = set(
        Membership.objects.filter(role="office_editor", unit__level="province").values_list("unit_id", flat=True)
    )
    provinces |= set(Department.objects.filter(province__isnull=False).values_list("province_id", flat=True))
    if len(provinces) != 1:
        names = ", ".join(orphans.values_list("code", flat=True))
        raise RuntimeError(
            f"Gán tỉnh cho các sở, ngành chưa có tỉnh trước khi cập nhật (không đoán được tỉnh): {names}"
        )
    orphans.update(province_id=provinces.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_reference_classifications"),
    ]

    operations = [
        migrations.RunPython(assign_provinces, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="department",
            name="code",
            field=models.SlugField(max_length=50, verbose_name="mã"),
        ),
        migrations.AlterField(
            model_name="department",
            name="province",
            field=models.ForeignKey(
                limit_choices_to={"level": "province"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="departments",
                to="directory.unit",
                verbose_name="tỉnh",
            ),
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("province", "code"), name="unique_department_code_per_province"),
        ),
    ]
