"""Screenshots of the wizards for ``docs/screenshots/`` (called by :mod:`.screenshots`): the roster
import's column mapping and report on a roster with a few everyday slips, the batch export's
result, and a county return's changes, drawn on the working copy of the demo register."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from PySide6.QtWidgets import QWidget, QWizard

from zunyi_trainer import idcard
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.models import ClassStatus, ExportBatch, Institution, TrainingClass

NAMES = ["王静洋", "李静杰", "张明芳", "刘晓霞", "陈志伟", "杨秀英", "赵国强", "黄丽娟", "周建军", "吴海燕", "徐春梅", "孙德明"]


def demo_roster(path: Path) -> Path:
    """A roster as a village office sends it: a title row, other column names, and three slips
    (a wrong check digit, an unknown category, a short phone number)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["湄潭县2026年评茶员培训班学员花名册"])
    ws.append(["序号", "学员姓名", "性别", "身份证号码", "手机号码", "学历", "重点群体类别", "户籍地址"])
    for k, name in enumerate(NAMES):
        born = dt.date(1978, 3, 1) + dt.timedelta(days=401 * k)
        number = idcard.make_number("522128", born, 2 * k + 1 + k % 2)  # 湄潭县 before 2016
        sex = "男" if int(number[16]) % 2 else "女"
        phone, category = f"139{85000000 + k:08d}", "脱贫劳动力"
        if k == 3:
            number = number[:17] + ("0" if number[17] != "0" else "1")
        if k == 6:
            category = "务工人员"
        if k == 9:
            phone = "1398500"
        ws.append([k + 1, name, sex, number, phone, "初中", category, "贵州省遵义市湄潭县湄江街道"])
        for column in (4, 5):
            ws.cell(ws.max_row, column).number_format = "@"
    wb.save(path)
    return path


def render(ctx: AppContext, parent: QWidget, work: Path, save: Callable[[QWidget, str], None]) -> None:
    from zunyi_trainer.gui.batch_wizard import BatchExportWizard
    from zunyi_trainer.gui.return_wizard import ReturnImportWizard
    from zunyi_trainer.gui.roster_wizard import RosterImportWizard

    with ctx.register.session() as s:
        draft = s.scalar(sa.select(TrainingClass.id).where(TrainingClass.status == ClassStatus.DRAFT).limit(1))
        submitted = list(s.scalars(sa.select(TrainingClass.code).where(TrainingClass.status == ClassStatus.SUBMITTED)))
        uscc = s.scalars(sa.select(Institution.uscc)).first()

    def show(wizard: QWizard, names: list[str]) -> None:
        wizard.show()
        for i, name in enumerate(names):
            if i:
                wizard.next()
            if name:
                save(wizard, name)
        wizard.close()

    if draft is not None:
        roster = RosterImportWizard(ctx, draft, parent, path=demo_roster(work / "花名册.xlsx"))
        show(roster, ["", "wizard-roster-mapping", "wizard-roster-report"])
    batch = BatchExportWizard(ctx, parent, folder=work / "usb")
    batch.options_page.documents_box.setChecked(False)
    show(batch, ["wizard-batch", "wizard-batch-done"])
    with ctx.register.session() as s:
        last = s.scalars(sa.select(ExportBatch).order_by(ExportBatch.seq.desc()).limit(1)).first()
        acknowledged = [{"seq": last.seq, "sha256": last.sha256}] if last is not None else []
    if submitted and uscc:
        doc = {
            "format": "zunyi-trainer/county-return",
            "version": 1,
            "institution_uscc": uscc,
            "issued_at": "2026-03-10T10:00:00+08:00",
            "decisions": [
                {
                    "class_code": code,
                    "decision": "approved",
                    "approval_no": f"湄人社培〔2026〕{17 + i:03d}号",
                    "decided_on": "2026-03-10",
                    "approver": "湄潭县人力资源和社会保障局",
                    "reason": "同意开班",
                }
                for i, code in enumerate(submitted)
            ],
            "acknowledged_batches": acknowledged,
        }
        path = work / "县局回执.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        show(ReturnImportWizard(ctx, parent, path=path), ["", "wizard-return"])
