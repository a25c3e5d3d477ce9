"""Changes after approval: what the county approved (trainees, teachers, venue, hours, dates)
edited after the approval was recorded. Allowed, but shown, and listed in the class's archive."""

from __future__ import annotations

from zunyi_trainer.i18n import text
from zunyi_trainer.rules.context import ClassContext
from zunyi_trainer.rules.findings import WARNS, Finding, record_of
from zunyi_trainer.timeutil import format_local

_TABLES = {
    "training_class": ("培训班信息", "class details"),
    "class_session": ("课次", "sessions"),
    "enrollment": ("学员", "trainees"),
}


def changed_after_approval(ctx: ClassContext) -> list[Finding]:
    from zunyi_trainer.lifecycle import changes_after_approval

    events = changes_after_approval(ctx.session, ctx.cls)
    if not events:
        return []
    what = sorted({ev.table_name for ev in events})
    return [
        Finding(
            "class.changed_after_approval",
            WARNS,
            text(
                "培训班 {code} 在批准后有 {n} 处改动（{what}），最近一次在 {last}。请向县局报备变更，改动已记入档案。",
                "Class {code} has {n} changes after its approval ({what}), the latest on {last}. Report them to the "
                "county; they are listed in the archive.",
                code=ctx.cls.code,
                n=len(events),
                what=text("、", ", ").join(text(*_TABLES[t]) for t in what),
                last=format_local(events[-1].at),
            ),
            {"count": len(events), "event_ids": [ev.id for ev in events], "tables": what},
            record_of(ctx.cls),
        )
    ]


CLASS_RULES = (changed_after_approval,)
