"""Capacity under concurrency (PostgreSQL: real parallel transactions). The meeting row is locked while seats are
counted, so eight people registering for the last three seats at once give three confirmed and five waiting;
two posts of the same address at once store one active registration."""

import threading

import pytest

from doorbraak.core.errors import RuleError
from doorbraak.meetings import services
from doorbraak.meetings.models import Registration

from .conftest import make_meeting

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(meeting, emails):
    barrier = threading.Barrier(len(emails))
    results = []

    def go(i, email):
        from django.db import connection

        try:
            barrier.wait()
            done = services.register(meeting, form_token=f"race-{i}", name=f"Persoon {i}", email=email)
            results.append(done.registration.status)
        except RuleError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i, e)) for i, e in enumerate(emails)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def test_last_seats_go_to_exactly_capacity(organiser):
    meeting = make_meeting(organiser, capacity=3)
    results = _race(meeting, [f"p{i}@example.nl" for i in range(8)])
    assert results == ["confirmed"] * 3 + ["waiting"] * 5
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 3


def test_same_address_at_once_is_stored_once(organiser):
    meeting = make_meeting(organiser)
    results = _race(meeting, ["zelfde@example.nl"] * 4)
    assert results.count("confirmed") == 1 and results.count("refused") == 3
