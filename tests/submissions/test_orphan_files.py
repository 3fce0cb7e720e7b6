"""No evidence file outlives its row: a failed save removes its file, and files left by a killed save are collected."""

import os
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

import pytest

from submissions import errors
from submissions.entry import services
from submissions.models import Evidence, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOUR = 3600


def private_files() -> set[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
        if os.path.relpath(folder, root).split(os.sep)[0] in ("evidence", "decisions")
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
