"""Reference data every register starts with: the plan's trades."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.models import Trade
from zunyi_trainer.reference import TRADES


def ensure_reference_data(session: Session) -> int:
    """Add the plan's trades a register lacks (matched by code); returns how many were added.
    Trades the school edited or added are left alone."""
    have = set(session.scalars(sa.select(Trade.code)))
    added = 0
    for seed in TRADES:
        if seed.code in have:
            continue
        trade = Trade(code=seed.code, name=seed.name, industry=seed.industry, kind=seed.kind)
        trade.levels = list(seed.levels)
        session.add(trade)
        added += 1
    return added
