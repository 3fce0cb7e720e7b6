"""Replace Wagtail's welcome page with the province home page, as ``wagtail start`` does."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("public_site.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(id=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="public_site")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="Nông thôn mới",
        draft_title="Nông thôn mới",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        intro="Tiến độ xây dựng nông thôn mới của các xã trong tỉnh.",
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Nông thôn mới"}
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("public_site.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("public_site", "0001_initial"), ("wagtailcore", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
