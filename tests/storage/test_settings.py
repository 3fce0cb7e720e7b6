"""The environment chooses the storages: the local disk by default, one private bucket with STORAGE_BACKEND=s3."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from cms.storage import storages_setting


def test_the_local_disk_is_the_default():
    setting = storages_setting({})
    assert setting["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert setting["private"]["BACKEND"] == "cms.storage.PrivateFileSystemStorage"


def test_s3_puts_media_and_private_files_under_two_prefixes_of_one_private_bucket():
    setting = storages_setting(
        {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "S3_BUCKET": "ntm-files",
            "S3_ACCESS_KEY_ID": "khoa",
            "S3_SECRET_ACCESS_KEY": "bi-mat",
        }
    )
    media, private = setting["default"]["OPTIONS"], setting["private"]["OPTIONS"]
    assert (media["location"], private["location"]) == ("media", "private")
    for options in (media, private):
        assert options["bucket_name"] == "ntm-files"
        assert options["endpoint_url"] == "http://127.0.0.1:9000"
        assert (options["access_key"], options["secret_key"]) == ("khoa", "bi-mat")
        assert options["region_name"] == "us-east-1"
        assert options["default_acl"] is None  # no public-read object in a private bucket
        assert options["file_overwrite"] is False


@pytest.mark.parametrize("environ", [{"STORAGE_BACKEND": "s3"}, {"STORAGE_BACKEND": "ftp"}])
def test_a_storage_that_cannot_work_stops_the_start(environ):
    with pytest.raises(ImproperlyConfigured):
        storages_setting(environ)
