"""The legal basis of the two classifications the national criteria sets depend on.

The commune groups' numbering follows the final text of Decision 51/2025/QĐ-TTg (29/12/2025): the July-2025
draft numbered them the other way round, so the description says which is which. Only empty fields, and a
description still as migration 0002 wrote it, are filled: an office's own edits are kept.
"""

import datetime

from django.db import migrations

BASES = {
    "region": {
        "decision_number": "318/QĐ-TTg",
        "decision_date": datetime.date(2022, 3, 8),
        "legal_basis": (
            "Quyết định 318/QĐ-TTg ngày 08/3/2022 của Thủ tướng Chính phủ ban hành Bộ tiêu chí quốc gia về xã "
            "nông thôn mới giai đoạn 2021–2025: chỉ tiêu chung và chỉ tiêu theo 7 vùng kinh tế - xã hội."
        ),
    },
    "commune_group": {
        "decision_number": "51/2025/QĐ-TTg",
        "decision_date": datetime.date(2025, 12, 29),
        "legal_basis": (
            "Quyết định 51/2025/QĐ-TTg ngày 29/12/2025 của Thủ tướng Chính phủ ban hành Bộ tiêu chí quốc gia về "
            "nông thôn mới giai đoạn 2026–2030 (Phụ lục I), hiệu lực từ 15/02/2026: mỗi tiêu chí chia theo 3 nhóm xã."
        ),
    },
}
OLD_GROUP_DESCRIPTION = "3 nhóm xã dùng cho chỉ tiêu của Bộ tiêu chí xã NTM 2026–2030 (QĐ 51/2025/QĐ-TTg)."
GROUP_DESCRIPTION = (
    "3 nhóm xã dùng cho chỉ tiêu của Bộ tiêu chí xã NTM 2026–2030, đánh số theo bản chính thức của "
    "QĐ 51/2025/QĐ-TTg: nhóm 1 là xã liền kề đô thị hiện hữu, có định hướng phát triển thành đô thị, có tỷ trọng "
    "nông nghiệp dưới 10% hoặc được định hướng là đô thị mới; nhóm 3 là xã khu vực II, III vùng đồng bào dân tộc "
    "thiểu số và miền núi; nhóm 2 là các xã còn lại. Dự thảo tháng 7/2025 đánh số ngược lại (nhóm 1 là xã vùng cao, "
    "xã nghèo, vùng đồng bào dân tộc thiểu số; nhóm 3 là xã đô thị hóa): văn bản, bảng chỉ tiêu ghi “nhóm 1” có "
    "trước ngày 29/12/2025 có thể chỉ nhóm khác. Không nhầm với xã loại I/II/III (Nghị định 307/2025/NĐ-CP) hay "
    "khu vực I/II/III vùng dân tộc thiểu số."
)


def fill(apps, schema_editor):
    Classification = apps.get_model("directory", "Classification")
    for code, basis in BASES.items():
        classification = Classification.objects.filter(code=code).first()
        if classification is None:
            continue
        for name, value in basis.items():
            if not getattr(classification, name):
                setattr(classification, name, value)
        if code == "commune_group" and classification.description in ("", OLD_GROUP_DESCRIPTION):
            classification.description = GROUP_DESCRIPTION
        classification.save()


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_two_tier_pending_corrections_legal_basis")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
