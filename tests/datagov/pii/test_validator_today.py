"""The birth-date check asks for today's date once a day (validators._today)."""

from __future__ import annotations

import datetime
import time

import pytest

from ethos.datagov.pii import validators


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    validators._TODAY.clear()
    yield
    validators._TODAY.clear()


def test_the_date_is_todays() -> None:
    assert validators._today() == datetime.date.today()


def test_a_day_that_is_over_is_asked_again() -> None:
    # A cache entry from a day that ended a second ago must not be used.
    now = time.time()
    validators._TODAY[:] = [(datetime.date(2000, 1, 1), now - 86400, now - 1)]
    assert validators._today() == datetime.date.today()


def test_a_clock_set_back_before_the_kept_day_is_asked_again() -> None:
    # The kept day starts a minute from now: the clock was set back across its midnight.
    now = time.time()
    validators._TODAY[:] = [(datetime.date(2000, 1, 1), now + 60, now + 86400)]
    assert validators._today() == datetime.date.today()


def test_within_the_day_the_kept_date_is_used() -> None:
    # Within the day the kept date is returned without asking: a kept entry that is
    # still valid wins, whatever it says (this is what makes it cheap).
    kept = datetime.date(2000, 1, 1)
    now = time.time()
    validators._TODAY[:] = [(kept, now - 3600, now + 3600)]
    assert validators._today() == kept


def test_a_birth_date_after_today_is_rejected() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    digits = tomorrow.strftime("%y%m%d") + ("3" if tomorrow.year >= 2000 else "1") + "000000"
    assert validators.kr_rrn(digits) is None
    today = datetime.date.today()
    digits = today.strftime("%y%m%d") + ("3" if today.year >= 2000 else "1") + "000000"
    assert validators.kr_rrn(digits) is not None


def test_the_kept_day_runs_from_its_midnight_to_the_next() -> None:
    today = validators._today()
    _, start, end = validators._TODAY[0]
    midnight = datetime.datetime.combine(today, datetime.time())
    assert start == midnight.timestamp()
    assert end == (midnight + datetime.timedelta(days=1)).timestamp()
    assert start <= time.time() < end
