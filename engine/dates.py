"""Calendar arithmetic the law and the cash-flow model both need.

Working days follow each country's official calendar as the `holidays` library holds it, including China's
make-up working days (weekend days worked in exchange for a longer holiday). Where the government publishes its
holiday schedule year by year (China, Viet Nam), a count reaching into a year whose schedule the library does not yet
hold is provisional, and callers say so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import holidays


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# Countries whose holiday schedule is set by a yearly government notice (the State Council's, MOLISA's).
YEARLY_SCHEDULE = frozenset({"CN", "VN"})


@cache
def _calendar(country: str) -> holidays.HolidayBase:
    """`country`'s official calendar. The library is imported here, on first use: its import builds every
    calendar system it knows (the Mongolian lunar one alone takes 40 ms), and most assessments count no working
    days."""
    import holidays

    return holidays.country_holidays(country)


def working_days_between(start: dt.date, end: dt.date, country: str) -> int:
    """Working days after `start` up to and including `end` in `country`'s official calendar."""
    if end <= start:
        return 0
    return _calendar(country).get_working_days_count(start + dt.timedelta(days=1), end)


@cache
def schedule_published_through(country: str) -> int | None:
    """The last year whose official holiday schedule the calendar holds (None where the calendar is statutory)."""
    if country not in YEARLY_SCHEDULE:
        return None
    special = getattr(_calendar(country), "special_public_holidays", {})
    return max(special) if special else None


def provisional(start: dt.date, end: dt.date, country: str) -> bool:
    """True if a working-day count between the dates reaches a year whose official schedule is not yet published."""
    last = schedule_published_through(country)
    return last is not None and max(start, end).year > last
