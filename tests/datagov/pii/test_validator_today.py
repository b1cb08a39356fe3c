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
    validators._TODAY[:] = [(datetime.date(2000, 1, 1), time.time() - 1)]
    assert validators._today() == datetime.date.today()


def test_a_clock_set_back_by_more_than_a_day_is_asked_again() -> None:
    validators._TODAY[:] = [(datetime.date(2000, 1, 1), time.time() + 3 * 86400)]
    assert validators._today() == datetime.date.today()


def test_within_the_day_the_kept_date_is_used() -> None:
    # Within the day the kept date is returned without asking: a kept entry that is
    # still valid wins, whatever it says (this is what makes it cheap).
    kept = datetime.date(2000, 1, 1)
    validators._TODAY[:] = [(kept, time.time() + 3600)]
    assert validators._today() == kept


def test_a_birth_date_after_today_is_rejected() -> None:
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    digits = tomorrow.strftime("%y%m%d") + ("3" if tomorrow.year >= 2000 else "1") + "000000"
    assert validators.kr_rrn(digits) is None
    today = datetime.date.today()
    digits = today.strftime("%y%m%d") + ("3" if today.year >= 2000 else "1") + "000000"
    assert validators.kr_rrn(digits) is not None
