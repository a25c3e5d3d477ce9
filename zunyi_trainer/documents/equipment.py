"""设备投入报告: one year's training-equipment purchases, renewals and repairs with their invoices,
and their share of the year's surplus (收支结余, plan item 4)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from reportlab.lib.units import mm
from sqlalchemy.orm import selectinload

from zunyi_trainer.documents import data
from zunyi_trainer.documents.fonts import FontSet, fonts_for
from zunyi_trainer.documents.layout import (
    BuildResult,
    PageInfo,
    Progress,
    Styles,
    build_pdf,
    data_table,
    form_table,
    frame_width,
    gap,
    para,
    signature_block,
    yuan,
)
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import EquipmentSpend, FinanceYear, Institution, SpendKind
from zunyi_trainer.timeutil import now_utc


@dataclasses.dataclass(frozen=True)
class YearFigures:
    year: int
    income_fen: int | None
    expenses_fen: int | None
    surplus_fen: int | None
    spent_fen: int
    target_pct: int

    @property
    def target_fen(self) -> int | None:
        return None if self.surplus_fen is None else max(0, self.surplus_fen) * self.target_pct // 100

    @property
    def share(self) -> float | None:
        return self.spent_fen / self.surplus_fen if self.surplus_fen and self.surplus_fen > 0 else None

    @property
    def met(self) -> bool | None:
        if self.surplus_fen is None:
            return None
        return self.surplus_fen <= 0 or self.spent_fen >= (self.target_fen or 0)


def year_spends(session, inst: Institution, year: int) -> list[EquipmentSpend]:
    import datetime as dt

    return list(
        session.scalars(
            sa.select(EquipmentSpend)
            .options(selectinload(EquipmentSpend.attachments), selectinload(EquipmentSpend.equipment))
            .where(
                EquipmentSpend.institution_id == inst.id,
                EquipmentSpend.spent_on >= dt.date(year, 1, 1),
                EquipmentSpend.spent_on <= dt.date(year, 12, 31),
            )
            .order_by(EquipmentSpend.spent_on, EquipmentSpend.id)
        )
    )


def year_figures(session, inst: Institution, year: int, spends: list[EquipmentSpend]) -> YearFigures:
    fy = session.scalars(sa.select(FinanceYear).where(FinanceYear.institution_id == inst.id, FinanceYear.year == year)).first()
    spent = sum(s.amount_fen for s in spends)
    if fy is None:
        return YearFigures(year, None, None, None, spent, inst.equipment_target_pct)
    return YearFigures(year, fy.income_fen, fy.expenses_fen, fy.surplus_fen, spent, inst.equipment_target_pct)


def build_equipment_report(
    session,
    year: int,
    target: str | Path | IO[bytes],
    *,
    fonts: FontSet | None = None,
    progress: Progress = None,
) -> BuildResult:
    if not 2000 <= year <= 2100:
        raise ValidationError(
            "年份 {y} 不合理，请填写四位年份，如 2026。",
            "The year {y} is not plausible; give a year such as 2026.",
            field="year",
            y=year,
        )
    inst = data.institution_of(session, None)
    fonts = fonts or fonts_for(session)
    styles = Styles(fonts)
    spends = year_spends(session, inst, year)
    fig = year_figures(session, inst, year, spends)
    w = frame_width()
    by_kind = {k: sum(s.amount_fen for s in spends if s.kind is k) for k in SpendKind}
    share = "—" if fig.share is None else f"{fig.share:.1%}"
    met = {None: "（未登记年度收支）", True: "达到", False: "未达到"}[fig.met]
    summary = form_table(
        [
            [
                "年度收入",
                yuan(fig.income_fen) if fig.income_fen is not None else "—",
                "年度支出",
                yuan(fig.expenses_fen) if fig.expenses_fen is not None else "—",
            ],
            [
                "收支结余",
                yuan(fig.surplus_fen) if fig.surplus_fen is not None else "—",
                "设备投入目标",
                f"结余的 {fig.target_pct}%（{yuan(fig.target_fen) if fig.target_fen is not None else '—'}）",
            ],
            ["购置", yuan(by_kind[SpendKind.PURCHASE]), "更新", yuan(by_kind[SpendKind.RENEWAL])],
            ["维修", yuan(by_kind[SpendKind.REPAIR]), "投入合计", yuan(fig.spent_fen)],
            ["占结余比例", share, "是否达到目标", met],
        ],
        [26 * mm, w / 2 - 26 * mm, 28 * mm, w / 2 - 28 * mm],
        fonts,
        label_cells=[(c, r) for r in range(5) for c in (0, 2)],
    )
    rows = []
    for i, s in enumerate(spends, 1):
        docs = "；".join(f"{a.filename}（{a.sha256[:12]}…）" for a in s.attachments) or "（无凭证）"
        rows.append(
            [
                str(i),
                s.spent_on.isoformat(),
                s.kind.zh,
                para((s.equipment.name if s.equipment else "") + (f" {s.description}" if s.description else ""), styles.cell),
                para(s.supplier, styles.cell),
                s.invoice_no,
                yuan(s.amount_fen).replace(" 元", ""),
                para(docs, styles.small),
            ]
        )
    rows.append(["合计", "", "", "", "", "", yuan(fig.spent_fen).replace(" 元", ""), f"{len(spends)} 笔"])
    n = len(rows)
    widths = [9 * mm, 19 * mm, 10 * mm, 0, 24 * mm, 34 * mm, 20 * mm, 30 * mm]
    widths[3] = w - sum(widths)
    table = data_table(
        ["序号", "日期", "类别", "设备及内容", "供应商", "发票号", "金额（元）", "凭证（发票扫描件）"],
        rows,
        widths,
        fonts,
        size=8,
        center_cols=(0, 1, 2),
        extra=[("ALIGN", (6, 1), (6, -1), "RIGHT"), ("SPAN", (0, n), (5, n))],
    )
    undocumented = sum(1 for s in spends if not s.attachments and not s.invoice_no)
    story = [
        para(f"{year} 年度实训设备投入报告", styles.title),
        para(f"{inst.name}（统一社会信用代码 {inst.uscc}）", styles.subtitle),
        para("一、年度收支与设备投入", styles.h2),
        summary,
        para("二、设备投入明细", styles.h2),
        table if spends else para(f"{year} 年没有登记设备投入。", styles.body),
        gap(2),
        para(
            f"共 {len(spends)} 笔，其中 {undocumented} 笔既无发票号也无凭证。"
            "说明：按“技能遵义”行动方案第 4 条，培训机构应将年度收支结余的一定比例用于实训设备购置、更新和维修。",
            styles.small,
        ),
        gap(6),
        signature_block(
            styles, ["", ("负责人（签字）：　　　　　　　填报人（签字）：", "单位（盖章）"), ("", "年　　月　　日")], w, 30 * mm
        ),
    ]
    info = PageInfo(
        title=f"{year} 年度设备投入报告",
        institution=inst.name,
        class_code="",
        subject=f"{inst.name} {year} 年度实训设备投入报告",
        generated_at=now_utc(),
        fonts=fonts,
        keywords="设备投入 收支结余 zunyi-trainer",
    )
    return build_pdf(target, info, story, progress=progress)
