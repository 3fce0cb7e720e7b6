"""The office configures the round's satisfaction survey in the Wagtail admin without code (from the round's page),
starting from the starter question, and reads every commune's results; nobody else reaches it."""

import pytest

from cms.audit.models import AuditEntry
from submissions.consultation import survey
from submissions.consultation.models import CombineRule, PaperTally, SatisfactionSurvey, SurveyQuestion, SurveyResponse


def edit_url(round_) -> str:
    return f"/admin/submissions/consultation/survey/{round_.pk}/"


def results_url(round_) -> str:
    return f"{edit_url(round_)}ket-qua/"


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def edit_data(consulted, **overrides) -> dict:
    """The edit form as posted: the starter question changed, one question added."""
    question = consulted["question"]
    data = {
        "intro": "Xin Ông/Bà dành một phút trả lời.",
        "combine_rule": CombineRule.MEAN,
        **management("cau-hoi", 2, 1),
        "cau-hoi-0-id": str(question.pk),
        "cau-hoi-0-survey": str(consulted["survey"].pk),
        "cau-hoi-0-text": question.text,
        "cau-hoi-0-choices": "Rất hài lòng\nHài lòng\nBình thường\nChưa hài lòng",
        "cau-hoi-0-satisfied_choices": "Rất hài lòng\nHài lòng",
        "cau-hoi-0-required": "on",
        "cau-hoi-0-sort_order": "0",
        "cau-hoi-1-survey": str(consulted["survey"].pk),
        "cau-hoi-1-text": "Ông/Bà có hài lòng với chất lượng đường giao thông?",
        "cau-hoi-1-choices": "Có\nKhông",
        "cau-hoi-1-satisfied_choices": "Có",
        "cau-hoi-1-sort_order": "1",
    }
    data.update(overrides)
    return data


def test_the_office_creates_the_survey_with_the_starter_question(area, open_round, client):
    client.force_login(area["office"])
    page = client.get(edit_url(open_round))
    assert page.status_code == 200 and 'id="survey-create"' in page.content.decode()
    response = client.post(edit_url(open_round), {"create": "1"})
    assert response.status_code == 302
    found = SatisfactionSurvey.objects.get(round=open_round)
    question = found.questions.get()
    assert question.text == "Ông/Bà có hài lòng với kết quả xây dựng nông thôn mới của xã?"
    assert question.choice_list == ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]
    assert question.satisfied_list == ["Rất hài lòng", "Hài lòng"]
    assert question.required and found.combine_rule == CombineRule.POOLED
    assert AuditEntry.objects.about(open_round).filter(action=survey.SurveyAction.CREATED).count() == 1
    text = client.get(edit_url(open_round)).content.decode()
    assert "Rất hài lòng" in text and 'id="survey-edit"' in text


def test_the_round_page_links_to_the_survey(area, open_round, client):
    client.force_login(area["office"])
    text = client.get(f"/admin/submissions/round/inspect/{open_round.pk}/").content.decode()
    assert f'href="{edit_url(open_round)}"' in text


def test_the_office_edits_questions_and_rule(consulted, area, open_round, client):
    """As the page posts it: the existing question, one typed in the blank form, and a blank one left alone."""
    client.force_login(area["office"])
    data = edit_data(consulted, **management("cau-hoi", 3, 1))
    data.update(
        {"cau-hoi-2-survey": str(consulted["survey"].pk), "cau-hoi-2-sort_order": "0", "cau-hoi-2-required": "on"}
    )
    response = client.post(edit_url(open_round), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    found = SatisfactionSurvey.objects.get(round=open_round)
    assert (found.intro, found.combine_rule) == ("Xin Ông/Bà dành một phút trả lời.", CombineRule.MEAN)
    questions = list(found.questions.all())
    assert [q.text for q in questions] == [
        "Ông/Bà có hài lòng với kết quả xây dựng nông thôn mới của xã?",
        "Ông/Bà có hài lòng với chất lượng đường giao thông?",
    ]
    assert questions[0].choice_list[2] == "Bình thường" and questions[1].required is False
    entry = AuditEntry.objects.about(open_round).get(action=survey.SurveyAction.CHANGED)
    assert entry.after["combine_rule"] == CombineRule.MEAN


def test_a_question_is_removed(consulted, area, open_round, client):
    client.force_login(area["office"])
    client.post(edit_url(open_round), edit_data(consulted))
    second = SurveyQuestion.objects.get(sort_order=1)
    data = edit_data(consulted, **management("cau-hoi", 2, 2))
    data.update({"cau-hoi-1-id": str(second.pk), "cau-hoi-1-DELETE": "on"})
    assert client.post(edit_url(open_round), data).status_code == 302
    assert list(SurveyQuestion.objects.values_list("pk", flat=True)) == [consulted["question"].pk]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cau-hoi-0-satisfied_choices": "Tuyệt vời"}, "Mức “Tuyệt vời” không có trong các mức trả lời."),
        ({"cau-hoi-0-choices": "Hài lòng"}, "Cần ít nhất hai mức trả lời, mỗi dòng một mức."),
        (
            {"cau-hoi-0-satisfied_choices": "Rất hài lòng\nHài lòng\nBình thường\nChưa hài lòng"},
            "Phải còn ít nhất một mức không tính là hài lòng.",
        ),
    ],
)
def test_a_wrong_question_is_explained(consulted, area, client, overrides, message):
    open_round = consulted["submission"].round
    client.force_login(area["office"])
    response = client.post(edit_url(open_round), edit_data(consulted, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SatisfactionSurvey.objects.get(round=open_round).combine_rule == CombineRule.POOLED


def test_results_of_every_commune(consulted, area, open_round, client, django_assert_max_num_queries):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(consultation=consulted["consultation"], answers={}, satisfied=index < 10) for index in range(12)
    )
    PaperTally.objects.create(submission=consulted["submission"], respondents=100, satisfied=90)
    client.force_login(area["office"])
    with django_assert_max_num_queries(30):
        response = client.get(results_url(open_round))
    text = response.content.decode()
    assert response.status_code == 200
    assert "10/12" in text and "90/100" in text and "89,29 %" in text
    assert "Xã Ea Kly" in text and "Xã Ea Wer" in text


@pytest.mark.parametrize("who", ["other_office", "reviewer", "national"])
def test_nobody_else_configures(consulted, area, open_round, client, who):
    user = {"reviewer": area["reviewer"]}.get(who) or consulted[who]
    client.force_login(user)
    for url in (edit_url(open_round), results_url(open_round)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Rất hài lòng" not in response.content.decode()
    response = client.post(edit_url(open_round), edit_data(consulted, combine_rule=CombineRule.PAPER))
    assert response.status_code == 404
    assert SatisfactionSurvey.objects.get(round=open_round).combine_rule == CombineRule.POOLED


def test_a_commune_officer_has_no_admin(consulted, area, open_round, client):
    client.force_login(area["officers"]["hoa_thuan"])
    response = client.get(edit_url(open_round))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
