"""Calendar arithmetic the law and the cash-flow model both need."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (public holidays are not modelled)."""
    return int(np.busday_count(start + dt.timedelta(days=1), end + dt.timedelta(days=1)))
