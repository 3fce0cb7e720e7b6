from tests.storage.fixtures import files, s3_server  # noqa: F401 - fixtures of this suite
