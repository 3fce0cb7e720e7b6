from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse

from cms.people import importing, selectors, services


class Command(BaseCommand):
    help = (
        "Import people (CSV or XLSX: ho_ten, email, dien_thoai, ten_dang_nhap, vai_tro, pham_vi) for a province's "
        "office. All or nothing; re-importing the same file changes nothing. New people with an e-mail are invited."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--province", required=True, help="Code of the province (its newest edition).")
        parser.add_argument(
            "--letters",
            type=Path,
            help="Write the printable activation letters of the new people without e-mail to this HTML file.",
        )

    def handle(self, *args, file: Path, province: str, letters: Path | None, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        unit = selectors.province_by_code(province)
        if unit is None:
            raise CommandError(f"No province with code {province}.")
        try:
            base_url = services.public_base_url()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        report = importing.people_import(data=file.read_bytes(), filename=file.name, province=unit, base_url=base_url)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        self.stdout.write(
            f"{report.rows} rows: {len(report.created)} people created, {len(report.updated)} updated, "
            f"{report.memberships_created} memberships granted, {report.unchanged} rows unchanged, "
            f"{report.invited} invitations e-mailed ({report.seconds:.2f} s)."
        )
        if report.letters_needed:
            if letters is None:
                self.stdout.write(
                    f"{len(report.letters_needed)} new people have no e-mail: print their letters in the admin "
                    "(Người dùng của tỉnh) or run again with --letters FILE."
                )
            else:
                made = services.invitation_letters_create(people=report.letters_needed)
                html = render_to_string(
                    "people/letters.html",
                    {
                        "letters": [
                            {"person": person, "code": code, "expires_at": invitation.expires_at}
                            for person, invitation, code in made
                        ],
                        "activation_url": base_url + reverse("people_activate_code"),
                        "back_url": base_url + reverse("people_index"),
                    },
                )
                letters.write_text(html, encoding="utf-8")
                self.stdout.write(f"{len(made)} activation letters written to {letters}.")
