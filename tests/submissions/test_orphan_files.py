"""No evidence file outlives its row: a failed save removes its file, and files left by a killed save are collected —
in every private folder (registrations, preconditions, paper surveys, titles too), never a file a row refers to."""

import datetime
import os
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest

from submissions import errors
from submissions.consultation.models import PaperTally, PaperTallyFile
from submissions.entry import services
from submissions.models import Evidence, Submission
from submissions.recognition.models import PreconditionEvidence, PreconditionResult
from submissions.registration.models import Registration, RegistrationFile, RegistrationPeriod
from submissions.titles.models import Title

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOUR = 3600


def private_files() -> set[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
        if os.path.relpath(folder, root).split(os.sep)[0] in services.PRIVATE_FOLDERS
    }


def left_behind(relative: str, age_seconds: int) -> str:
    """A file as a killed save leaves it: written, with no row, ``age_seconds`` old."""
    path = settings.PRIVATE_MEDIA_ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return relative


@pytest.fixture
def submission(area, open_round):
    return Submission.objects.get(round=open_round, unit=area["communes"]["hoa_thuan"])


def test_a_refused_replacement_writes_no_file(submission, area):
    officer = area["officers"]["hoa_thuan"]
    kept = services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("a.pdf", PDF), user=officer
    )
    before = private_files()
    other = Evidence(submission=submission, replaced_by=kept)  # not current: cannot be replaced
    with pytest.raises(errors.SubmissionError):
        services.evidence_add(
            submission=submission,
            indicator_code="1.1",
            upload=SimpleUploadedFile("b.pdf", PDF),
            user=officer,
            replaces=other,
        )
    assert private_files() == before


def test_files_without_a_row_are_collected_after_the_grace_period(submission, area):
    kept = services.evidence_add(
        submission=submission,
        indicator_code="1.1",
        upload=SimpleUploadedFile("a.pdf", PDF),
        user=area["officers"]["hoa_thuan"],
    )
    old_kept = settings.PRIVATE_MEDIA_ROOT / kept.file.name
    os.utime(old_kept, (time.time() - 5 * HOUR, time.time() - 5 * HOUR))
    orphan = left_behind(f"evidence/{submission.round_id}/{submission.pk}/orphan.pdf", 2 * HOUR)
    fresh = left_behind(f"evidence/{submission.round_id}/{submission.pk}/in-flight.pdf", 60)
    decision = left_behind("decisions/orphan-decision.pdf", 2 * HOUR)

    call_command("remove_orphan_files", "--dry-run")
    assert {orphan, fresh, decision} <= private_files()

    call_command("remove_orphan_files")
    remaining = private_files()
    assert orphan not in remaining
    assert decision not in remaining
    assert fresh in remaining
    assert kept.file.name in remaining
    with Evidence.objects.get(pk=kept.pk).file.open("rb") as handle:
        assert handle.read() == PDF


def stored(row, field_name: str = "file"):
    """``row`` saved with a PDF in its ``field_name``, the file made five hours old (well past the grace period)."""
    getattr(row, field_name).save("tep.pdf", ContentFile(PDF), save=False)
    row.save()
    name = getattr(row, field_name).name
    moment = time.time() - 5 * HOUR
    os.utime(settings.PRIVATE_MEDIA_ROOT / name, (moment, moment))
    return name


def test_the_files_of_registrations_preconditions_paper_surveys_and_titles_are_kept_their_orphans_collected(
    submission, area
):
    commune, office = area["communes"]["hoa_thuan"], area["office"]
    file_fields = {"original_name": "tep.pdf", "content_type": "application/pdf", "size": len(PDF)}
    period = RegistrationPeriod.objects.create(
        province=area["province"],
        name="Đăng ký 2027",
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
    )
    registration = Registration.objects.create(period=period, unit=commune, kind="xa_ntm", target_year=2027)
    result = PreconditionResult.objects.create(submission=submission, code="DK1")
    tally = PaperTally.objects.create(submission=submission, respondents=10, satisfied=9)
    title = Title(unit=commune, kind="xa_ntm", decision_number="1/QĐ-UBND", decision_date=datetime.date(2021, 6, 1))
    kept = {
        stored(RegistrationFile(registration=registration, **file_fields)),
        stored(PreconditionEvidence(result=result, uploaded_by=office, **file_fields)),
        stored(PaperTallyFile(tally=tally, **file_fields)),
        stored(title, "decision_document"),
        stored(title, "revocation_document"),
    }
    assert {name.split("/")[0] for name in kept} == {"registrations", "preconditions", "surveys", "titles"}
    orphans = {
        left_behind(f"{folder}/{submission.pk}/bi-bo-lai.pdf", 2 * HOUR)
        for folder in ("registrations", "preconditions", "surveys", "titles")
    }

    call_command("remove_orphan_files")

    remaining = private_files()
    assert kept <= remaining
    assert not orphans & remaining
