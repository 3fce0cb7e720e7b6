"""``survey_results(submission)``, what the dossier files: each question with its online counts per choice, the paper
tally with its scans, and the rate; and the service's own checks behind the public form."""

from decimal import Decimal

import pytest

from submissions.consultation import survey
from submissions.consultation.models import PaperTally, PaperTallyFile
from submissions.errors import SubmissionError


def test_questions_counts_tally_and_rate(consulted, area):
    consultation, question = consulted["consultation"], consulted["question"]
    for choice in ["Rất hài lòng"] * 3 + ["Hài lòng"] * 7 + ["Chưa hài lòng"] * 2:
        survey.response_record(consultation=consultation, answers={str(question.pk): choice}, address_hash=choice)
    survey.paper_tally_save(
        submission=consulted["submission"], respondents=100, satisfied=90, user=area["officers"]["hoa_thuan"]
    )
    results = survey.survey_results(consulted["submission"])
    assert results.survey == consulted["survey"] and results.consultation == consultation
    [row] = results.questions
    assert row.question == question and row.answered == 12
    assert [(c.text, c.count, c.satisfied) for c in row.choices] == [
        ("Rất hài lòng", 3, True),
        ("Hài lòng", 7, True),
        ("Chưa hài lòng", 2, False),
    ]
    assert (results.tally.respondents, results.tally.satisfied) == (100, 90)
    assert results.tally_files == []
    assert results.rate.rate == Decimal("89.29")
    assert (results.rate.online_respondents, results.rate.online_satisfied) == (12, 10)


def test_without_survey_or_answers(consulted, open_round, area):
    other = open_round.submissions.get(unit=area["communes"]["ea_kly"])
    results = survey.survey_results(other)
    assert results.consultation is None and results.tally is None
    assert [row.answered for row in results.questions] == [0]
    assert results.rate.rate is None


def test_the_service_enforces_required_answers(consulted):
    with pytest.raises(SubmissionError) as refused:
        survey.response_record(consultation=consulted["consultation"], answers={})
    assert refused.value.fields == {str(consulted["question"].pk): "Câu hỏi này bắt buộc: hãy chọn một mức trả lời."}
    with pytest.raises(SubmissionError):
        survey.response_record(consultation=consulted["consultation"], answers={str(consulted["question"].pk): "X"})


def test_the_service_refuses_satisfied_over_respondents(consulted, area):
    with pytest.raises(SubmissionError, match="không thể lớn hơn"):
        survey.paper_tally_save(submission=consulted["submission"], respondents=1, satisfied=2)
    assert not PaperTally.objects.exists() and not PaperTallyFile.objects.exists()
