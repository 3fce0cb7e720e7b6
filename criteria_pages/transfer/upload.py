"""An uploaded file, JSON or XLSX by its name, read with the matching reader."""

from django.utils.translation import gettext as _

from .json_io import spec_from_json
from .layout import JSON_SHEET
from .validation import Problem
from .xlsx_read import spec_from_xlsx


def spec_from_file(data: bytes, filename: str, *, departments, groups):
    """(spec, problems) from an uploaded .json or .xlsx file."""
    if filename.lower().endswith(".json"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [Problem(JSON_SHEET, None, "", _("Tệp JSON phải được mã hoá UTF-8."))]
        return spec_from_json(text, known_departments=departments, known_groups=groups)
    return spec_from_xlsx(data, known_departments=departments, known_groups=groups)
