"""The one clock: aware times, the UK day, working days with bank holidays, and freezing."""

import datetime as dt

import pytest

from marketplace import clock, filters


def test_now_is_aware_utc_and_uk():
    assert clock.utc_now().tzinfo is dt.UTC
    assert clock.uk_now().tzinfo is clock.UK
    assert abs(clock.uk_now() - clock.utc_now()) < dt.timedelta(seconds=1)


def test_uk_today_is_the_day_in_the_uk_whatever_the_server_says():
    # 23:30 UTC in summer is already tomorrow in the UK; in winter it is still today.
    with clock.frozen(dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)):
        assert clock.uk_today() == dt.date(2027, 7, 2)
    with clock.frozen(dt.datetime(2027, 1, 15, 23, 30, tzinfo=dt.UTC)):
        assert clock.uk_today() == dt.date(2027, 1, 15)


def test_frozen_clock_restores_itself_and_refuses_naive_times():
    before = clock.utc_now()
    with clock.frozen(dt.date(2026, 12, 18)) as at:
        assert at == dt.datetime(2026, 12, 18, 12, tzinfo=clock.UK)
        assert clock.utc_now() == at
    assert clock.utc_now() >= before
    with pytest.raises(ValueError, match="aware"), clock.frozen(dt.datetime(2026, 12, 18)):
        pass


@pytest.mark.parametrize(("start", "days", "expected"), [
    (dt.date(2026, 11, 20), 5, dt.date(2026, 11, 27)),  # a plain week
    (dt.date(2026, 12, 18), 5, dt.date(2026, 12, 29)),  # Christmas, and Boxing Day observed
    (dt.date(2026, 4, 2), 5, dt.date(2026, 4, 13)),  # Good Friday and Easter Monday
    (dt.date(2026, 5, 22), 1, dt.date(2026, 5, 26)),  # Spring bank holiday
    (dt.date(2026, 8, 28), 1, dt.date(2026, 9, 1)),  # Summer bank holiday (England, not Scotland)
])
def test_working_days_skip_weekends_and_bank_holidays_in_england_and_wales(start, days,
                                                                           expected):
    assert clock.add_working_days(start, days) == expected


def test_working_days_are_not_scottish_bank_holidays():
    assert clock.is_working_day(dt.date(2026, 1, 2))  # a holiday in Scotland only
    assert not clock.is_working_day(dt.date(2026, 1, 1))


def test_pages_show_uk_time_for_stored_utc_times():
    summer = dt.datetime(2027, 7, 1, 9, 30, tzinfo=dt.UTC)
    winter = dt.datetime(2027, 1, 15, 9, 30, tzinfo=dt.UTC)
    assert filters.datetime(summer) == "1 July 2027 at 10:30am"
    assert filters.datetime(winter) == "15 January 2027 at 9:30am"
    # Late in the evening in UTC is the next day in the UK in summer.
    assert filters.date(dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)) == "2 July 2027"
    assert filters.date(dt.date(2027, 7, 1)) == "1 July 2027"
