"""The two classifications the national criteria sets depend on. Offices can add more in the admin."""

from django.db import migrations

REGIONS = [
    ("TDMNPB", "Trung du và miền núi phía Bắc"),
    ("DBSH", "Đồng bằng sông Hồng"),
    ("BTB", "Bắc Trung Bộ"),
    ("DHNTB", "Duyên hải Nam Trung Bộ"),
    ("TN", "Tây Nguyên"),
    ("DNB", "Đông Nam Bộ"),
    ("DBSCL", "Đồng bằng sông Cửu Long"),
]
COMMUNE_GROUPS = [
    (
        "NHOM_1",
        "Xã nhóm 1",
        "Xã liền kề đô thị hiện hữu và có định hướng phát triển thành đô thị; hoặc xã có tỷ trọng ngành nông "
        "nghiệp trong cơ cấu kinh tế dưới 10%; hoặc xã được định hướng là đô thị mới (QĐ 51/2025/QĐ-TTg).",
    ),
    ("NHOM_2", "Xã nhóm 2", "Xã không thuộc nhóm 1 và nhóm 3 (QĐ 51/2025/QĐ-TTg)."),
    (
        "NHOM_3",
        "Xã nhóm 3",
        "Xã khu vực II và xã khu vực III thuộc địa bàn vùng đồng bào dân tộc thiểu số và miền núi "
        "(QĐ 51/2025/QĐ-TTg).",
    ),
]


def create(apps, schema_editor):
    Classification = apps.get_model("directory", "Classification")
    Value = apps.get_model("directory", "ClassificationValue")
    region, _ = Classification.objects.get_or_create(
        code="region",
        defaults={
            "name": "Vùng kinh tế - xã hội",
            "description": "7 vùng dùng cho chỉ tiêu của Bộ tiêu chí xã NTM 2021–2025 (QĐ 318/QĐ-TTg).",
        },
    )
    for order, (code, name) in enumerate(REGIONS, start=1):
        Value.objects.get_or_create(classification=region, code=code, defaults={"name": name, "sort_order": order})
    group, _ = Classification.objects.get_or_create(
        code="commune_group",
        defaults={
            "name": "Nhóm xã",
            "description": "3 nhóm xã dùng cho chỉ tiêu của Bộ tiêu chí xã NTM 2026–2030 (QĐ 51/2025/QĐ-TTg).",
        },
    )
    for order, (code, name, description) in enumerate(COMMUNE_GROUPS, start=1):
        Value.objects.get_or_create(
            classification=group, code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
