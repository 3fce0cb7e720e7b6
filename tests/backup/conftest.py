from tests.storage.fixtures import files, s3_server  # noqa: F401 - the storages the backup is made from
