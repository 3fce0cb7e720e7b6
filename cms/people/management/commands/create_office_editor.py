from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.people import selectors, services


class Command(BaseCommand):
    help = (
        "Bootstrap: create a province's office editor (Văn phòng Điều phối NTM) and e-mail them an invitation. "
        "Everything after that is done by office editors in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Code of the province (its newest edition).")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="Full name (default: the part of the e-mail before @).")
        parser.add_argument("--username", default="", help="Default: made from the name without diacritics.")
        parser.add_argument("--phone", default="")

    def handle(self, *args, province, email, name, username, phone, **options):
        unit = selectors.province_by_code(province)
        if unit is None:
            raise CommandError(f"No province with code {province}.")
        try:
            base_url = services.public_base_url()
            person = services.office_editor_create(
                province=unit,
                email=email,
                full_name=name or email.split("@", 1)[0],
                username=username,
                phone=phone,
                base_url=base_url,
            )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Created {person.username}, office editor of {unit.name} ({unit.code}); invitation e-mailed to {email}."
        )
