"""数据报送 in the window: exporting a batch to a folder and filing the county's return."""

from __future__ import annotations

import json

import factories
import sqlalchemy as sa

from tests import gui_fixtures
from zunyi_trainer.gui.submission_page import SubmissionPage
from zunyi_trainer.models import BatchState, ClassStatus, ExportBatch, TrainingClass
from zunyi_trainer.timeutil import now_utc

zh_app, dialogs, ctx = gui_fixtures.zh_app, gui_fixtures.dialogs, gui_fixtures.ctx


def test_a_batch_is_exported_and_the_county_return_filed(qtbot, ctx, register, dialogs, tmp_path):
    with register.transaction() as s:
        c = factories.training_class(s, code="ZY-GUI-1", trainees=2, status=ClassStatus.SUBMITTED, submitted_at=now_utc())
        class_code = c.code
    page = SubmissionPage(ctx)
    qtbot.addWidget(page)
    assert page.waiting.rowCount() == 1
    page.export_batch(tmp_path / "usb")
    assert dialogs.errors == [], dialogs.error_texts
    (batch_file,) = (tmp_path / "usb").glob("*.zip")
    assert batch_file.name in dialogs.infos[0] and "第 1 批" in dialogs.infos[0]
    assert page.batches.rowCount() == 1 and page.batches.item(0, 5).text() == "已导出"
    assert "培训班 1" in page.batches.item(0, 6).text() and "学员 2" in page.batches.item(0, 6).text()
    with register.session() as s:
        batch = s.scalars(sa.select(ExportBatch)).one()
    county_return = tmp_path / "return.json"
    county_return.write_text(
        json.dumps(
            {
                "format": "zunyi-trainer/county-return",
                "version": 1,
                "institution_uscc": factories.VALID_USCC,
                "issued_at": now_utc().isoformat(),
                "decisions": [
                    {
                        "class_code": class_code,
                        "decision": "approved",
                        "approval_no": "湄人社培〔2026〕88号",
                        "decided_on": now_utc().date().isoformat(),
                        "approver": "湄潭县人力资源和社会保障局",
                    }
                ],
                "acknowledged_batches": [{"seq": batch.seq, "sha256": batch.sha256}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    page.import_return(county_return)
    assert dialogs.errors == [], dialogs.error_texts
    assert "已登记 1 个批复，1 个批次已确认" in dialogs.infos[-1]
    with register.session() as s:
        assert s.scalars(sa.select(TrainingClass)).one().status is ClassStatus.APPROVED
        assert s.scalars(sa.select(ExportBatch)).one().state is BatchState.ACKNOWLEDGED
    assert page.waiting.rowCount() == 0 and page.batches.item(0, 5).text() == "县局已确认"
    page.import_return(county_return)
    assert "以前已经导入过" in dialogs.infos[-1]


def test_a_bad_return_file_is_refused_with_the_cores_sentence(qtbot, ctx, register, dialogs, tmp_path):
    with register.transaction() as s:
        factories.institution(s)
    bad = tmp_path / "return.json"
    bad.write_text("{not json", encoding="utf-8")
    page = SubmissionPage(ctx)
    qtbot.addWidget(page)
    page.import_return(bad)
    assert len(dialogs.errors) == 1
    assert dialogs.error_texts[0].startswith("回执文件不是有效的 JSON")
