"""The residents' satisfaction survey: its configuration by the office, the answers residents give on the public page
during the consultation, the commune's tally of paper surveys, and the reads the office, the public page and the
dossier share (:func:`survey_results`).

When is one online answer "satisfied"? Every question that has satisfied choices (a *rated* question) and was
answered, was answered with one of them, and at least one rated question was answered. An optional rated question
left blank neither makes the answer satisfied nor unsatisfied; an answer that rates nothing counts as an answer that
is not satisfied (with the starter question required, this does not happen).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.audit.models import AuditEntry, register_actions
from cms.audit.wording import change_words, register_describer
from submissions import access
from submissions.audit import audit
from submissions.entry.services import CONTENT_TYPES, upload_display_name, upload_validate
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Round, Submission, SubmissionStatus
from submissions.signals import results_changed

from .models import (
    CombineRule,
    Consultation,
    PaperTally,
    PaperTallyFile,
    SatisfactionSurvey,
    SurveyQuestion,
    SurveyResponse,
)
from .rates import SatisfactionRate, online_answers, satisfaction_rate


class SurveyAction(models.TextChoices):
    """The survey's entries in the round's audit trail (its answers are not audited: they are anonymous)."""

    CREATED = "survey_created", gettext_lazy("Tạo phiếu khảo sát sự hài lòng")
    CHANGED = "survey_changed", gettext_lazy("Sửa phiếu khảo sát sự hài lòng")


register_actions(SurveyAction)

#: The keys of the survey's and the paper tally's audit entries, in words.
FIELD_LABELS = {
    "respondents": gettext_lazy("số phiếu giấy thu về"),
    "satisfied": gettext_lazy("số phiếu hài lòng"),
    "note": gettext_lazy("ghi chú"),
    "files": gettext_lazy("phiếu giấy đã quét"),
    "intro": gettext_lazy("lời giới thiệu"),
    "combine_rule": gettext_lazy("cách tính tỷ lệ hài lòng"),
    "questions": gettext_lazy("câu hỏi"),
}


def describe(entry: AuditEntry, _subject) -> list[str]:
    """The survey's and the paper tally's audit entries in words (for the history views)."""
    before, after = entry.before or {}, entry.after or {}
    phrases = []
    for key in list(before) + [key for key in after if key not in before]:
        old, new = before.get(key), after.get(key)
        if key == "combine_rule":
            old, new = (str(CombineRule(value).label) if value in CombineRule.values else value for value in (old, new))
        if text := change_words(str(FIELD_LABELS.get(key, key)), old, new):
            phrases.append(text)
    return phrases


register_describer((*SurveyAction.values, AuditAction.PAPER_TALLY_ENTERED), describe)

#: The question every new survey starts with (the office edits or replaces it).
STARTER_QUESTION = "Ông/Bà có hài lòng với kết quả xây dựng nông thôn mới của xã?"
STARTER_CHOICES = ("Rất hài lòng", "Hài lòng", "Chưa hài lòng")
STARTER_SATISFIED = ("Rất hài lòng", "Hài lòng")

#: Online answers accepted from one address (keyed hash) per window; generous, since a whole commune may share
#: one mobile network address. SURVEY_ANSWERS_PER_ADDRESS and SURVEY_ANSWER_WINDOW_MINUTES in settings override.
DEFAULT_ANSWERS_PER_ADDRESS = 20
DEFAULT_ANSWER_WINDOW_MINUTES = 60
#: The longest answer text kept (choices are checked against the question's lines anyway).
MAX_ANSWER_LENGTH = 500
#: Scanned paper forms attached to one tally.
MAX_PAPER_FILES = 50


def answers_per_address() -> int:
    return int(getattr(settings, "SURVEY_ANSWERS_PER_ADDRESS", DEFAULT_ANSWERS_PER_ADDRESS))


def answer_window() -> datetime.timedelta:
    return datetime.timedelta(
        minutes=int(getattr(settings, "SURVEY_ANSWER_WINDOW_MINUTES", DEFAULT_ANSWER_WINDOW_MINUTES))
    )


# --- selectors --------------------------------------------------------------------------------------------------


def survey_of_round(round_: Round) -> SatisfactionSurvey | None:
    """The round's survey with its questions (one query each), or None when the office configured none."""
    survey = SatisfactionSurvey.objects.filter(round=round_).first()
    if survey is not None:
        survey.question_list = list(survey.questions.all())
    return survey


def survey_questions(survey: SatisfactionSurvey) -> list[SurveyQuestion]:
    cached = getattr(survey, "question_list", None)
    if cached is None:
        cached = survey.question_list = list(survey.questions.all())
    return cached


@dataclass(frozen=True)
class ChoiceCount:
    text: str
    count: int
    satisfied: bool


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    choices: list[ChoiceCount]
    answered: int


@dataclass(frozen=True)
class SurveyResults:
    """What the dossier and the office read of one submission's survey: each question with its online counts per
    choice, the paper tally (with its files), and the rate with both parts."""

    survey: SatisfactionSurvey | None
    consultation: Consultation | None
    questions: list[QuestionResult] = field(default_factory=list)
    tally: PaperTally | None = None
    tally_files: list[PaperTallyFile] = field(default_factory=list)
    rate: SatisfactionRate = field(default_factory=SatisfactionRate)


def question_counts(survey: SatisfactionSurvey | None, consultation: Consultation | None) -> list[QuestionResult]:
    """Each question of ``survey`` with the number of online answers per choice (answers no longer among the
    choices, after an edit, are counted under their own text)."""
    if survey is None:
        return []
    questions = survey_questions(survey)
    counts: dict[str, dict[str, int]] = {str(question.pk): {} for question in questions}
    if consultation is not None:
        for answers in online_answers(consultation).values_list("answers", flat=True).iterator(chunk_size=2000):
            for key, text in (answers or {}).items():
                if key in counts and text:
                    counts[key][text] = counts[key].get(text, 0) + 1
    results = []
    for question in questions:
        by_text = counts[str(question.pk)]
        satisfied = set(question.satisfied_list)
        listed = question.choice_list
        rows = [ChoiceCount(text, by_text.get(text, 0), text in satisfied) for text in listed]
        rows += [ChoiceCount(text, count, text in satisfied) for text, count in by_text.items() if text not in listed]
        results.append(QuestionResult(question, rows, sum(by_text.values())))
    return results


def consultation_of(submission: Submission) -> Consultation | None:
    return Consultation.objects.filter(submission=submission).first()


def paper_tally_of(submission: Submission) -> PaperTally | None:
    return PaperTally.objects.filter(submission=submission).prefetch_related("files").first()


def survey_results(submission: Submission) -> SurveyResults:
    """The satisfaction results of ``submission`` for its dossier: questions with online counts per choice, the
    paper tally and its scanned forms, and the rate (both parts and combined)."""
    survey = survey_of_round(submission.round)
    consultation = consultation_of(submission)
    tally = paper_tally_of(submission)
    return SurveyResults(
        survey=survey,
        consultation=consultation,
        questions=question_counts(survey, consultation),
        tally=tally,
        tally_files=list(tally.files.all()) if tally is not None else [],
        rate=satisfaction_rate(submission),
    )


# --- configuration (the office) -----------------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, round_: Round, user=None) -> SatisfactionSurvey:
    """The round's survey with the starter question (the overall satisfaction), ready for the office to edit."""
    survey, created = SatisfactionSurvey.objects.get_or_create(round=round_)
    if created:
        SurveyQuestion.objects.create(
            survey=survey,
            sort_order=0,
            text=STARTER_QUESTION,
            choices="\n".join(STARTER_CHOICES),
            satisfied_choices="\n".join(STARTER_SATISFIED),
            required=True,
        )
        audit(round_=round_, action=SurveyAction.CREATED, user=user, after={"questions": [STARTER_QUESTION]})
    return survey


@dataclass(frozen=True)
class QuestionInput:
    """One question as the office edits it: ``pk`` None for a new one; ``delete`` removes an existing one."""

    pk: int | None
    text: str
    choices: str
    satisfied_choices: str
    required: bool
    sort_order: int = 0
    delete: bool = False


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def question_problems(*, text: str, choices: str, satisfied_choices: str) -> dict[str, str]:
    """What is wrong with a question as typed: field name -> message (empty when fine)."""
    problems = {}
    listed = _lines(choices)
    if not text.strip():
        problems["text"] = _("Hãy nhập câu hỏi.")
    if len(listed) < 2:
        problems["choices"] = _("Cần ít nhất hai mức trả lời, mỗi dòng một mức.")
    elif len(set(listed)) != len(listed):
        problems["choices"] = _("Các mức trả lời không được trùng nhau.")
    unknown = [line for line in _lines(satisfied_choices) if line not in listed]
    if unknown:
        problems["satisfied_choices"] = _("Mức “%(line)s” không có trong các mức trả lời.") % {"line": unknown[0]}
    elif listed and set(_lines(satisfied_choices)) >= set(listed):
        problems["satisfied_choices"] = _("Phải còn ít nhất một mức không tính là hài lòng.")
    return problems


@transaction.atomic
def survey_update(
    *, survey: SatisfactionSurvey, intro: str, combine_rule: str, questions: list[QuestionInput], user=None
) -> SatisfactionSurvey:
    """Save the office's edits: the introduction, the combining rule and the questions (added, changed, removed).
    Answers already given keep their texts (counted under them)."""
    if combine_rule not in CombineRule.values:
        raise SubmissionError(_("Cách tính tỷ lệ hài lòng không hợp lệ."), details=["combine_rule"])
    kept = [question for question in questions if not question.delete]
    if not kept:
        raise SubmissionError(_("Phiếu khảo sát cần ít nhất một câu hỏi."))
    for question in kept:
        problems = question_problems(
            text=question.text, choices=question.choices, satisfied_choices=question.satisfied_choices
        )
        if problems:
            raise SubmissionError(next(iter(problems.values())), details=list(problems))
    before = {"intro": survey.intro, "combine_rule": survey.combine_rule, "questions": _question_words(survey)}
    survey.intro, survey.combine_rule = intro.strip(), combine_rule
    survey.save(update_fields=["intro", "combine_rule", "updated_at"])
    existing = {question.pk: question for question in survey.questions.all()}
    for position, question in enumerate(questions):
        row = existing.get(question.pk) if question.pk is not None else None
        if question.delete:
            if row is not None:
                row.delete()
            continue
        row = row or SurveyQuestion(survey=survey)
        row.sort_order = question.sort_order or position
        row.text = question.text.strip()
        row.choices = "\n".join(_lines(question.choices))
        row.satisfied_choices = "\n".join(_lines(question.satisfied_choices))
        row.required = question.required
        row.save()
    survey.question_list = list(survey.questions.all())
    audit(
        round_=survey.round,
        action=SurveyAction.CHANGED,
        user=user,
        before=before,
        after={"intro": survey.intro, "combine_rule": survey.combine_rule, "questions": _question_words(survey)},
    )
    return survey


def _question_words(survey: SatisfactionSurvey) -> list[str]:
    return [f"{question.text} [{' / '.join(question.choice_list)}]" for question in survey.questions.all()]


# --- online answers (anyone, during the consultation) -------------------------------------------------------------


def response_satisfied(questions: list[SurveyQuestion], answers: dict[str, str]) -> bool:
    """Whether one set of answers is satisfied (see the module's docstring)."""
    rated = [question for question in questions if question.satisfied_list and answers.get(str(question.pk))]
    return bool(rated) and all(answers[str(question.pk)] in question.satisfied_list for question in rated)


def answer_problems(questions: list[SurveyQuestion], answers: dict[str, str]) -> dict[str, str]:
    """Question pk (str) -> message, for required questions left blank and answers not among the choices."""
    problems = {}
    for question in questions:
        chosen = answers.get(str(question.pk), "")
        if chosen and chosen not in question.choice_list:
            problems[str(question.pk)] = _("Hãy chọn một trong các mức trả lời đã cho.")
        elif not chosen and question.required:
            problems[str(question.pk)] = _("Câu hỏi này bắt buộc: hãy chọn một mức trả lời.")
    return problems


def address_recently_answered(address_hash: str, *, now=None) -> int:
    if not address_hash:
        return 0
    since = (now or timezone.now()) - answer_window()
    return SurveyResponse.objects.filter(address_hash=address_hash, created_at__gte=since).count()


@transaction.atomic
def response_record(
    *, consultation: Consultation, answers: dict[str, str], address_hash: str = "", today=None
) -> SurveyResponse:
    """Store one resident's answers during the consultation; refused (with a Vietnamese message) outside it, over
    the limit per address, or with a required question left blank (``details``: the question pks)."""
    if not access.consultation_takes_answers(consultation, today=today):
        raise SubmissionError(
            _("Đợt lấy ý kiến đã kết thúc hoặc chưa bắt đầu: không nhận phiếu khảo sát."), code="locked"
        )
    survey = survey_of_round(consultation.submission.round)
    if survey is None or not survey_questions(survey):
        raise SubmissionError(_("Đợt đánh giá này chưa có phiếu khảo sát."), code="wrong_state")
    questions = survey_questions(survey)
    known = {str(question.pk) for question in questions}
    answers = {key: str(value).strip()[:MAX_ANSWER_LENGTH] for key, value in answers.items() if key in known}
    answers = {key: value for key, value in answers.items() if value}
    problems = answer_problems(questions, answers)
    if problems:
        raise SubmissionError(
            _("Phiếu chưa gửi được: còn câu hỏi bắt buộc chưa trả lời hoặc câu trả lời không hợp lệ."),
            details=list(problems),
            fields=problems,
        )
    if address_recently_answered(address_hash) >= answers_per_address():
        raise SubmissionError(
            _(
                "Đã nhận rất nhiều phiếu từ cùng một địa chỉ mạng trong thời gian ngắn. "
                "Xin vui lòng gửi lại sau khoảng %(minutes)s phút."
            )
            % {"minutes": int(answer_window().total_seconds() // 60)},
            code="throttled",
        )
    response = SurveyResponse.objects.create(
        consultation=consultation,
        answers=answers,
        satisfied=response_satisfied(questions, answers),
        address_hash=address_hash,
    )
    results_changed.send(sender=Submission, unit_ids=[consultation.submission.unit_id])
    return response


# --- paper surveys (the commune officer) -----------------------------------------------------------------------


def _refuse_recognised(submission: Submission) -> None:
    if submission.status == SubmissionStatus.RECOGNISED:
        raise SubmissionError(
            _("Hồ sơ đã được công nhận: không thay đổi được tổng hợp phiếu khảo sát giấy."), code="locked"
        )


@transaction.atomic
def paper_tally_save(
    *, submission: Submission, respondents: int, satisfied: int, note: str = "", uploads=(), user=None
) -> PaperTally:
    """Enter (or correct) the tally of ``submission``'s paper surveys, with scanned forms as evidence files
    (checked like evidence). Refused once the submission is recognised. Recorded in the submission's audit trail."""
    submission = Submission.objects.select_for_update().select_related("round").get(pk=submission.pk)
    _refuse_recognised(submission)
    if respondents < 0 or satisfied < 0:
        raise SubmissionError(_("Số phiếu không được âm."), details=["respondents"])
    if satisfied > respondents:
        raise SubmissionError(
            _("Số phiếu hài lòng (%(satisfied)s) không thể lớn hơn số phiếu thu về (%(respondents)s).")
            % {"satisfied": satisfied, "respondents": respondents},
            details=["satisfied"],
        )
    uploads = list(uploads)
    checked = [(upload, *upload_validate(upload)) for upload in uploads]
    tally = PaperTally.objects.filter(submission=submission).first()
    before = (
        {} if tally is None else {"respondents": tally.respondents, "satisfied": tally.satisfied, "note": tally.note}
    )
    if len(checked) + (tally.files.count() if tally is not None else 0) > MAX_PAPER_FILES:
        raise SubmissionError(_("Tối đa %(n)s tệp phiếu giấy đã quét.") % {"n": MAX_PAPER_FILES}, details=["files"])
    tally = tally or PaperTally(submission=submission)
    tally.respondents, tally.satisfied, tally.note, tally.entered_by = respondents, satisfied, note.strip(), user
    tally.save()
    names = []
    for upload, detected, _sha256 in checked:
        names.append(_paper_file_add(tally, upload, detected, user))
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.PAPER_TALLY_ENTERED,
        user=user,
        before=before,
        after={"respondents": respondents, "satisfied": satisfied, "note": tally.note, "files": names},
    )
    results_changed.send(sender=Submission, unit_ids=[submission.unit_id])
    return tally


def _paper_file_add(tally: PaperTally, upload, detected: str, user) -> str:
    item = PaperTallyFile(
        tally=tally,
        original_name=upload_display_name(upload.name),
        content_type=CONTENT_TYPES[detected],
        size=upload.size,
        uploaded_by=user,
    )
    item.file.save(upload.name, upload, save=False)
    try:
        item.save()
    except BaseException:
        item.file.storage.delete(item.file.name)
        raise
    return item.original_name


@transaction.atomic
def paper_tally_file_delete(*, item: PaperTallyFile, user=None) -> None:
    """Remove a scanned form entered by mistake (recorded); refused once the submission is recognised."""
    submission = item.tally.submission
    _refuse_recognised(submission)
    audit(
        round_=submission.round,
        submission=submission,
        action=AuditAction.PAPER_TALLY_ENTERED,
        user=user,
        before={"files": [item.original_name]},
        after={"files": []},
        comment=_("Xoá tệp phiếu giấy đã quét “%(name)s”.") % {"name": item.original_name},
    )
    item.file.delete(save=False)
    item.delete()
