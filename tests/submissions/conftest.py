"""Shared setup of the rounds and submissions tests, on top of the small province of ``tests/conftest.py``
(``area``, ``published_set``, ``open_round``): a submitted submission with the departments that appraise it
(``flow``), and the generated rounds of the statistics and exports tests (``statistics_data``)."""

from cms.directory.models import Department, Role
from submissions.models import Submission
from tests.factories import member, shared_layer
from tests.submissions.factories import fill_and_submit, statistics_data_build


@shared_layer
def flow(area, published_set, open_round):
    """Hòa Thuận's submission, complete and submitted (waiting for the district), and the appraisers of the
    construction (so-xd: criteria 1 and 2) and agriculture (so-nnmt: criterion 10) departments."""
    question = "q_" + published_set["form_page"].sections[0].value["questions"][0].id
    officer = area["officers"]["hoa_thuan"]
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    construction = member(
        Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xay_dung"
    )
    agriculture = member(
        Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-nnmt"), username="so_nong_nghiep"
    )
    for user in (area["reviewer"], area["office"], construction, agriculture, officer):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return {
        "submission": fill_and_submit(submission, officer, question),
        "officer": officer,
        "question": question,
        "construction": construction,
        "agriculture": agriculture,
    }


@shared_layer
def statistics_data():
    """The generated rounds of :func:`tests.submissions.factories.statistics_data_build` (province 66: 79 of
    152 communes meet all 19 criteria, 15,93 on average)."""
    return statistics_data_build()
