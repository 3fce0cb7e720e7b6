"""Units' ``search_name`` recomputed without apostrophes and hyphens (issue 15: "ea hleo" finds "Xã Ea H'leo").

The folding is copied here as it was when this migration was written (``cms.directory.text.search_fold``), so the
migration keeps doing the same thing if that function changes later. Only rows whose stored value differs are
written, in batches.
"""

import unicodedata

from django.db import migrations

BATCH_SIZE = 1000
_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
_JOINERS = frozenset("'’‘ʼ`´-‐‑‒–—")


def _search_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    folded = " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())
    kept = []
    for ch in folded:
        if ch in _JOINERS:
            continue
        kept.append(" " if unicodedata.category(ch).startswith(("P", "S")) else ch)
    return " ".join("".join(kept).split())


def recompute(apps, schema_editor):
    Unit = apps.get_model("directory", "Unit")
    changed = []
    for unit in Unit.objects.only("pk", "name", "search_name").iterator(chunk_size=BATCH_SIZE):
        folded = _search_fold(unit.name)
        if folded != unit.search_name:
            unit.search_name = folded
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["search_name"], batch_size=BATCH_SIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_unit_updated_at"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
