"""The review permission matrix's actions on recognition preconditions
(:mod:`tests.submissions.test_permission_matrix`): the panel (``/xet-duyet/cong-nhan/ho-so/<id>/dieu-kien/``) and
its API, at appraisal, with the two preconditions that
:func:`~tests.submissions.permission_matrix_cells.preconditions_given` adds to the round's set."""

from submissions.recognition.models import PreconditionStatus
from tests.submissions.permission_matrix_cells import (
    ALLOWED,
    DEBT,
    DEPARTMENT,
    DISTRICT,
    OFFICE,
    OFFICER,
    OTHER,
    PRECONDITIONS,
    Action,
    api,
    api_action,
    detail_path,
    own,
    precondition_becomes,
    web,
    web_action,
    web_read,
)

# --- recognition preconditions (submissions.recognition): the panel and its API -----------------------------------
# Whoever reads the submission reads its preconditions, and so does the other department (it appraises criterion 10
# and confirms DK2); DK1 is confirmed by the department it names (so-xd) or the office; only the office waives.

PRECONDITIONS_READ = {**own(OFFICER, DISTRICT, DEPARTMENT, OFFICE), (DEPARTMENT, OTHER): ALLOWED}
PANEL = "/xet-duyet/cong-nhan/ho-so/"
WAIVER = {"reason": "Đã có văn bản cam kết hoàn thành trong quý I"}

PRECONDITION_ACTIONS = [
    Action(
        "GET preconditions",
        PRECONDITIONS,
        web(lambda w: f"{PANEL}{w.pk}/dieu-kien/"),
        web_read,
        PRECONDITIONS_READ,
        url_name="recognition:preconditions",
    ),
    Action(
        "POST precondition-confirm",
        PRECONDITIONS,
        web(lambda w: f"{PANEL}{w.pk}/dieu-kien/{DEBT}/xac-nhan/", lambda w: {"met": "yes"}),
        web_action,
        own(DEPARTMENT, OFFICE),
        precondition_becomes(DEBT, PreconditionStatus.MET),
        url_name="recognition:confirm",
    ),
    Action(
        "POST precondition-waive",
        PRECONDITIONS,
        web(lambda w: f"{PANEL}{w.pk}/dieu-kien/{DEBT}/mien/", lambda w: WAIVER),
        web_action,
        own(OFFICE),
        precondition_becomes(DEBT, PreconditionStatus.WAIVED),
        url_name="recognition:waive",
    ),
    Action(
        "API GET preconditions",
        PRECONDITIONS,
        api(detail_path(False, "preconditions")),
        api_action,
        PRECONDITIONS_READ,
        url_name="api-v1:review-preconditions",
    ),
    Action(
        "API POST precondition-confirm",
        PRECONDITIONS,
        api(detail_path(False, f"preconditions/{DEBT}/confirm"), lambda w: {"met": True}),
        api_action,
        own(DEPARTMENT, OFFICE),
        precondition_becomes(DEBT, PreconditionStatus.MET),
        url_name="api-v1:review-precondition-confirm",
    ),
    Action(
        "API POST precondition-waive",
        PRECONDITIONS,
        api(detail_path(False, f"preconditions/{DEBT}/waive"), lambda w: WAIVER),
        api_action,
        own(OFFICE),
        precondition_becomes(DEBT, PreconditionStatus.WAIVED),
        url_name="api-v1:review-precondition-waive",
    ),
]
