"""The satisfaction survey's tests: Hòa Thuận's submission appraised (waiting for recognition) with its consultation
open since yesterday, and the round's survey created by the office with the starter question (``consulted``)."""

import datetime

from django.utils import timezone

from cms.directory.models import Role
from submissions.consultation import survey
from submissions.models import Consultation, Submission, SubmissionStatus, SurveyQuestion
from tests.factories import member, province, shared_layer


@shared_layer
def consulted(area, open_round):
    """The consultation on Hòa Thuận (open from yesterday for ten days), the round's survey, and people of another
    province (its office editor and a commune officer) and a national reader to be refused."""
    submission = Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.RECOGNITION)
    submission.refresh_from_db()
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        submission=submission,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=10),
        opened_by=area["office"],
    )
    found = survey.survey_create(round_=open_round, user=area["office"])
    other = province("01", "Thành phố Hà Nội")
    return {
        "submission": submission,
        "consultation": consultation,
        "survey": found,
        "question": SurveyQuestion.objects.get(survey=found),
        "other_office": member(Role.OFFICE_EDITOR, unit=other, username="vanphong_hanoi"),
        "national": member(Role.NATIONAL_READER, username="trung_uong"),
    }
