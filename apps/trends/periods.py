"""Weeks and months as buckets: the database truncates dates, Python names the buckets.

A week starts on Monday, as both SQLite's and PostgreSQL's truncation (ISO 8601) start it.
"""

import datetime as dt

from django.db.models import DateField, Expression
from django.db.models.functions import TruncMonth, TruncWeek

PERIODS = {"week": "Week", "month": "Month"}
DEFAULT_PERIOD = "week"
# The most buckets one chart or ranking reads: the bound on the rows any query returns.
MAX_BUCKETS = {"week": 156, "month": 60}


def truncated(expression: Expression | str, period: str) -> Expression:
    """The SQL that maps a date to the first day of its week or month."""
    trunc = TruncMonth if period == "month" else TruncWeek
    return trunc(expression, output_field=DateField())


def bucket_of(day: dt.date, period: str) -> dt.date:
    """The first day of the week (Monday) or month holding `day`."""
    if period == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def shift(bucket: dt.date, period: str, steps: int) -> dt.date:
    """The bucket `steps` periods after (or, negative, before) `bucket`."""
    if period == "week":
        return bucket + dt.timedelta(weeks=steps)
    months = bucket.year * 12 + bucket.month - 1 + steps
    return dt.date(months // 12, months % 12 + 1, 1)


def buckets(start: dt.date, end: dt.date, period: str) -> list[dt.date]:
    """Every bucket from the one holding `start` to the one holding `end`, oldest first."""
    first, last = bucket_of(start, period), bucket_of(end, period)
    found = []
    while first <= last and len(found) < MAX_BUCKETS[period]:
        found.append(first)
        first = shift(first, period, 1)
    return found


def label(bucket: dt.date, period: str) -> str:
    """How a bucket reads in a table or tooltip: "week of 2 Nov 2026", "Nov 2026"."""
    if period == "month":
        return bucket.strftime("%b %Y")
    return f"week of {bucket.day} {bucket.strftime('%b %Y')}"


def short_label(bucket: dt.date, period: str) -> str:
    """An axis label: "2 Nov" for a week, "Nov 26" for a month."""
    if period == "month":
        return bucket.strftime("%b %y")
    return f"{bucket.day} {bucket.strftime('%b')}"
