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
    wizard = page.export_batch(tmp_path / "usb")
    assert wizard.isVisible() and wizard.options_page.folder_row.text() == str(tmp_path / "usb")
    wizard.next()  # 导出
    assert dialogs.errors == [], dialogs.error_texts
    (batch_file,) = (tmp_path / "usb").glob("*.zip")
    assert "第 1 批" in wizard.done_page.headline.text()
    assert wizard.done_page.details.values()["文件"] == str(batch_file)
    wizard.accept()
    assert page.batches.rowCount() == 1 and page.batches.item(0, 5).text() == "已导出"
    assert "培训班 1" in page.batches.item(0, 7).text() and "学员 2" in page.batches.item(0, 7).text()
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
    wizard = page.import_return(county_return)
    wizard.next()  # checked: what it will change
    wizard.next()  # 应用
    assert dialogs.errors == [], dialogs.error_texts
    assert "已登记 1 个批复，1 个批次已确认" in wizard.applied_page.text.text()
    with register.session() as s:
        assert s.scalars(sa.select(TrainingClass)).one().status is ClassStatus.APPROVED
        assert s.scalars(sa.select(ExportBatch)).one().state is BatchState.ACKNOWLEDGED
    assert page.waiting.rowCount() == 0 and page.batches.item(0, 5).text() == "县局已确认"
    assert page.batches.item(0, 6).text().startswith("2026-")  # when the county acknowledged it
    assert page.returns.item(0, 3).text() == f"{class_code}：批准；县局确认已收到第 1 批。"
    again = page.import_return(county_return)
    again.next()
    assert "以前已经导入过" in again.changes_page.summary.text()


def test_a_batch_is_copied_again_from_the_kept_copy(qtbot, ctx, register, dialogs, tmp_path):
    from zunyi_trainer.exchange.export import export_batch, file_sha256

    with register.transaction() as s:
        factories.training_class(s, trainees=1)
    first = export_batch(register, tmp_path / "usb", documents=False)
    page = SubmissionPage(ctx)
    qtbot.addWidget(page)
    page.copy_again(tmp_path / "other")
    assert "先在表格中选择" in dialogs.infos[-1]
    page.batches.selectRow(0)
    page.copy_again(tmp_path / "other")
    assert dialogs.errors == [], dialogs.error_texts
    assert file_sha256(tmp_path / "other" / first.path.name) == first.sha256


def test_a_bad_return_file_is_refused_with_the_cores_sentence(qtbot, ctx, register, dialogs, tmp_path):
    with register.transaction() as s:
        factories.institution(s)
    bad = tmp_path / "return.json"
    bad.write_text("{not json", encoding="utf-8")
    page = SubmissionPage(ctx)
    qtbot.addWidget(page)
    wizard = page.import_return(bad)
    wizard.next()
    assert wizard.currentPage() is wizard.return_page
    assert len(dialogs.errors) == 1
    assert dialogs.error_texts[0].startswith("回执文件不是有效的 JSON")
