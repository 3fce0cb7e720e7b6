"""Fixtures of the outbox's tests: the flaky backend's counter reset, the database queue on demand."""

from django.core import mail

import pytest

from tests.outbox.backends import FlakyBackend
from tests.outbox.queue import DATABASE_QUEUE


@pytest.fixture(autouse=True)
def _flaky_counter():
    FlakyBackend.refused = 0
    mail.outbox.clear()


@pytest.fixture
def database_queue(settings, transactional_db, django_db_serialized_rollback):
    """The production queue (django-tasks-db) instead of the tests' immediate one, with the migrations' data
    restored (as in every transactional test here: a flush that re-ran post_migrate would collide with it). Its
    worker loop checks the connection between tasks as a worker does (and closes one left in a transaction): the
    test commits for real."""
    settings.TASKS = DATABASE_QUEUE
    return settings
