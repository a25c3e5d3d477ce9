"""The time-zone rule of the register.

Instants (when something was recorded, signed in, exported) are stored in UTC and carry their
zone in Python; calendar dates and wall-clock times of a timetable are local to Zunyi
(Asia/Shanghai, UTC+8 all year, no daylight saving) and stored without a zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_local() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


def to_local(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: the register only stores aware instants")
    return instant.astimezone(LOCAL_TZ)


def local_instant(day: dt.date, clock: dt.time) -> dt.datetime:
    """The aware instant of a wall-clock time on a local calendar day."""
    return dt.datetime.combine(day, clock, tzinfo=LOCAL_TZ)


def format_local(instant: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if instant is None else to_local(instant).strftime(fmt)
