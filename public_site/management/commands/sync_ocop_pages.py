"""Daily: bring the public OCOP catalogue in line with the certificates (a certificate past its validity takes its
product's page off the site; the signals of the review flow handle every other change as it happens)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from public_site import services


class Command(BaseCommand):
    help = "Đồng bộ trang sản phẩm OCOP công khai với giấy chứng nhận còn hiệu lực (chạy hằng ngày). Chạy lại an toàn."

    def add_arguments(self, parser):
        parser.add_argument("--ngay", dest="today", help="Ngày xét hiệu lực, YYYY-MM-DD (mặc định: hôm nay).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--ngay: hãy nhập theo dạng YYYY-MM-DD.") from exc
        result = services.product_pages_sync(today=day)
        self.stdout.write(
            f"Đã tạo {len(result.created)}, đăng lại {len(result.published)}, "
            f"gỡ {len(result.unpublished)} trang sản phẩm OCOP."
        )
