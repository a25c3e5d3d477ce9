"""The desktop app's table models, saving and deleting without widgets, the task runner, and
the generated artefacts (forms, translations) being current."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading

import factories
import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QTableView

from tests import gui_fixtures
from zunyi_trainer import idcard, paths
from zunyi_trainer.errors import ValidationError
from zunyi_trainer.gui import records
from zunyi_trainer.gui.excel_export import write_table
from zunyi_trainer.gui.table_models import (
    ID_ROLE,
    Column,
    RecordTableModel,
    RegisterFilterProxy,
    Row,
    TraineeSqlModel,
    trainee_query,
)
from zunyi_trainer.gui.tasks import Cancelled, SynchronousPool, TaskRunner
from zunyi_trainer.models import (
    ClassStatus,
    Funding,
    Level,
    Sex,
    Trainee,
    TraineeCategory,
    TrainingClass,
    TrainingType,
)

zh_app = gui_fixtures.zh_app  # the fixture, shared with the other GUI tests


# --- full-load model and proxy ----------------------------------------------------------------


def _model() -> tuple[RecordTableModel, RegisterFilterProxy]:
    model = RecordTableModel([Column("name", "名称"), Column("size", "人数", numeric=True), Column("note", "备注")])
    model.set_rows(
        [
            Row(1, {"name": "茶艺师班", "size": "9", "note": "湄潭"}, sort={"size": 9}),
            Row(2, {"name": "焊工班", "size": "30", "note": "仁怀"}, sort={"size": 30}),
            Row(3, {"name": "育婴员班", "size": "100", "note": "湄潭"}, sort={"size": 100}),
        ]
    )
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def _names(proxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_proxy_sorts_numbers_by_value_not_by_text():
    _, proxy = _model()
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert _names(proxy) == ["茶艺师班", "焊工班", "育婴员班"]  # 9 < 30 < 100, though "100" < "30" < "9" as text


def test_sorted_view_keeps_the_selection_and_the_order_across_a_reload(qapp):
    model, proxy = _model()
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert _names(proxy) == ["育婴员班", "焊工班", "茶艺师班"]
    view.setCurrentIndex(proxy.index(2, 0))  # 茶艺师班
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by pinyin: cha < han < yu
    assert _names(proxy) == ["茶艺师班", "焊工班", "育婴员班"]
    assert view.currentIndex().data() == "茶艺师班" and view.currentIndex().row() == 0  # the selection followed
    assert view.horizontalHeader().sortIndicatorSection() == 0
    # A reload (new rows, a blank and a mixed value among them) arrives in the order chosen.
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    model.set_rows(
        [
            Row(4, {"name": "电工班", "size": "40"}, sort={"size": 40}),
            Row(5, {"name": "未定班", "size": ""}),
            Row(6, {"name": "面点班", "size": "12"}, sort={"size": 12}),
            Row(7, {"name": "旧班", "size": "约20"}),
        ]
    )
    assert _names(proxy) == ["未定班", "面点班", "电工班", "旧班"]  # blank first, numbers, then text


def test_chinese_texts_sort_by_pinyin_and_numbers_in_them_by_value(qapp):
    model = RecordTableModel([Column("name", "姓名")])
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    names = ["郑爽滢", "丁胜竹", "万影武", "阿明", "龙忠", "崔荣新", "茶艺师班（第10期）", "茶艺师班（第2期）"]
    model.set_rows([Row(i, {"name": n}) for i, n in enumerate(names)])
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    # a < cha < cui < ding < long < wan < zheng, as Excel and WPS sort; 第2期 before 第10期.
    assert _names(proxy) == ["阿明", "茶艺师班（第2期）", "茶艺师班（第10期）", "崔荣新", "丁胜竹", "龙忠", "万影武", "郑爽滢"]


def test_search_matches_any_visible_column_but_not_hidden_ones():
    _, proxy = _model()
    proxy.set_search("湄潭")
    assert _names(proxy) == ["茶艺师班", "育婴员班"]
    proxy.set_hidden_columns({2})
    assert _names(proxy) == []


def test_filter_keeps_rows_with_the_exact_value():
    _, proxy = _model()
    proxy.set_filters({2: "仁怀"})
    assert _names(proxy) == ["焊工班"]
    proxy.set_filters({2: None})
    assert proxy.rowCount() == 3


def test_setting_the_same_filters_again_does_not_filter_again():
    """A reload sets every filter of the page again: the rows are asked once, not once per filter."""

    class Counting(RegisterFilterProxy):
        asked = 0

        def filterAcceptsRow(self, source_row, source_parent):
            Counting.asked += 1
            return super().filterAcceptsRow(source_row, source_parent)

    model, _ = _model()
    proxy = Counting()
    proxy.setSourceModel(model)
    proxy.set_filters({2: "仁怀", 3: None})
    assert _names(proxy) == ["焊工班"]
    Counting.asked = 0
    proxy.set_filters({2: "仁怀", 3: None})
    proxy.set_search("")
    proxy.set_hidden_columns(set())
    assert Counting.asked == 0 and _names(proxy) == ["焊工班"]


def test_rows_carry_their_record_id():
    _, proxy = _model()
    proxy.set_search("焊工")
    assert proxy.index(0, 1).data(ID_ROLE) == 2


# --- the trainee register in SQL --------------------------------------------------------------


@pytest.fixture
def many_trainees(register):
    """451 trainees (more than two pages), one of them with LIKE's wildcards in the name."""
    with register.transaction() as s:
        inst = factories.institution(s)
        people = [("张100%_折扣", dt.date(1980, 1, 1), 1)] + [
            (f"学员{i:04d}", dt.date(1980, 1, 2) + dt.timedelta(days=i), i % 2 + 1) for i in range(450)
        ]
        for i, (name, birth, order) in enumerate(people):
            parsed = idcard.parse(idcard.make_number("520328", birth, order))
            s.add(
                Trainee(
                    institution_id=inst.id,
                    name=name,
                    id_number=parsed.number,
                    sex=parsed.sex,
                    birth_date=parsed.birth_date,
                    phone=f"1390000{i:04d}",
                )
            )
    return register


def test_trainee_model_fetches_a_page_at_a_time(qapp, many_trainees):
    model = TraineeSqlModel(many_trainees.engine.connect, {})
    model.reload()
    assert model.total == 451
    assert model.rowCount() == TraineeSqlModel.PAGE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * TraineeSqlModel.PAGE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 451


def test_trainee_model_masks_id_numbers_and_searches_in_sql(qapp, many_trainees):
    model = TraineeSqlModel(many_trainees.engine.connect, {})
    model.set_search("学员0123")
    assert model.total == 1
    shown = model.index(0, 1).data()
    with many_trainees.session() as s:
        full = s.scalar(sa.select(Trainee.id_number).where(Trainee.name == "学员0123"))
    assert shown == idcard.mask(full) and shown != full and "*" in shown


def test_trainee_search_treats_percent_and_underscore_literally(qapp, many_trainees):
    with many_trainees.engine.connect() as conn:
        names = [r.name for r in conn.execute(trainee_query("100%_"))]
    assert names == ["张100%_折扣"]


def test_trainee_model_sorts_descending_in_sql(qapp, many_trainees):
    model = TraineeSqlModel(many_trainees.engine.connect, {})
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "张100%_折扣"
    assert model.index(1, 0).data() == "学员0449"


def test_trainee_model_filters_by_sex(qapp, many_trainees):
    model = TraineeSqlModel(many_trainees.engine.connect, {})
    model.set_search("", {"sex": Sex.FEMALE})
    with many_trainees.session() as s:
        women = s.scalar(sa.select(sa.func.count()).where(Trainee.sex == Sex.FEMALE))
    assert model.total == women and 0 < women < 451


# --- Excel export -----------------------------------------------------------------------------


def test_exported_workbook_keeps_id_numbers_as_text(tmp_path):
    target = tmp_path / "学员.xlsx"
    write_table(target, "学员", ["姓名", "身份证号"], [["张三", "520328199001010012"]])
    ws = openpyxl.load_workbook(target).active
    assert [c.value for c in ws[1]] == ["姓名", "身份证号"]
    assert ws["B2"].value == "520328199001010012" and ws["B2"].data_type == "s"
    assert not (tmp_path / "学员.xlsx.part").exists()


# --- saving and deleting ----------------------------------------------------------------------


def _class_values(s, **kw):
    values = {
        "code": "2026-001",
        "name": "茶艺师培训班",
        "trade_id": factories.trade(s, "茶艺师").id,
        "level": Level.L5,
        "training_type": TrainingType.EMPLOYMENT,
        "mode": None,
        "funding": Funding.SUBSIDISED,
        "start_date": dt.date(2026, 3, 2),
        "end_date": dt.date(2026, 3, 20),
        "fee_fen": 0,
        "subsidy_standard_fen": 120000,
    }
    values.update(kw)
    return values


def test_save_trainee_derives_birth_date_and_sex_from_the_id_number(register):
    number = idcard.make_number("520328", dt.date(1992, 5, 17), 12)  # even order: female
    with register.transaction() as s:
        inst = factories.institution(s)
        t = records.save_trainee(s, inst.id, {"name": " 李梅 ", "id_number": number, "category": TraineeCategory.OTHER})
    assert (t.name, t.birth_date, t.sex) == ("李梅", dt.date(1992, 5, 17), Sex.FEMALE)


def test_a_second_trainee_with_the_same_id_number_is_refused_on_that_field(register):
    number = factories.id_number()
    with register.transaction() as s:
        inst = factories.institution(s)
        records.save_trainee(s, inst.id, {"name": "甲", "id_number": number, "category": TraineeCategory.OTHER})
        with pytest.raises(ValidationError) as err:
            records.save_trainee(s, inst.id, {"name": "乙", "id_number": number, "category": TraineeCategory.OTHER})
    assert err.value.field == "id_number" and "甲" in err.value.message()


def test_class_ending_before_it_starts_is_refused_on_the_end_date(register):
    with register.transaction() as s:
        inst = factories.institution(s)
        with pytest.raises(ValidationError) as err:
            records.save_class(s, inst.id, _class_values(s, end_date=dt.date(2026, 3, 1)))
    assert err.value.field == "end_date"


def test_class_level_must_be_one_the_trade_has(register):
    with register.transaction() as s:
        inst = factories.institution(s)
        trade = factories.trade(s, "茶艺师")
        missing = next(lv for lv in Level if lv not in trade.levels)
        with pytest.raises(ValidationError) as err:
            records.save_class(s, inst.id, _class_values(s, level=missing))
    assert err.value.field == "level"


def test_deleting_a_draft_class_names_what_goes_with_it(register):
    with register.transaction() as s:
        c = factories.training_class(s, trainees=3, sessions=4)
        impact = records.deletion_impact(s, c)
    assert impact.blocker is None
    assert any("4 个课次" in line for line in impact.consequences)
    assert any("3 名学员" in line for line in impact.consequences)


def test_a_class_in_progress_cannot_be_deleted(register):
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1, status=ClassStatus.IN_PROGRESS)
        impact = records.deletion_impact(s, c)
        with pytest.raises(ValidationError):
            records.delete_record(s, c)
    assert "开班中" in impact.blocker
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count(TrainingClass.id))) == 1


def test_an_enrolled_trainee_cannot_be_deleted(register):
    with register.transaction() as s:
        c = factories.training_class(s, trainees=1)
        impact = records.deletion_impact(s, c.enrollments[0].trainee)
    assert impact.blocker and "退学" in impact.blocker


def test_money_converts_between_yuan_and_fen_exactly():
    assert records.yuan_to_fen(0.1 + 0.2) == 30
    assert records.yuan_to_fen("1200.005") == 120001
    assert records.fen_to_yuan(123456) == "1,234.56"


# --- the task runner --------------------------------------------------------------------------


def test_synchronous_pool_hands_back_the_result(qapp):
    runner = TaskRunner(pool=SynchronousPool())
    got = []
    runner.run(lambda task: (task.progress(1, 2), 42)[1], on_done=got.append)
    assert got == [42] and runner.busy == 0


def test_a_failing_task_reports_its_error_and_a_cancelled_one_nothing(qapp):
    runner = TaskRunner(pool=SynchronousPool())
    errors, done = [], []

    def fails(task):
        raise ValueError("boom")

    runner.run(fails, on_done=done.append, on_error=errors.append)

    def cancelled(task):
        task.cancel()
        task.progress(1, 10)

    runner.run(cancelled, on_done=done.append, on_error=errors.append)
    assert [type(e) for e in errors] == [ValueError] and done == []
    assert issubclass(Cancelled, Exception)


def test_threaded_task_runs_off_the_ui_thread_and_reports_on_it(qtbot):
    pool = QThreadPool()
    runner = TaskRunner(pool=pool)
    seen = {}

    def work(task):
        seen["worker"] = threading.get_ident()
        return "ok"

    def done(result):
        seen["done"] = threading.get_ident()
        seen["result"] = result

    runner.run(work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["worker"] != threading.get_ident() and seen["done"] == threading.get_ident()
    pool.waitForDone()


# --- generated files and translations ---------------------------------------------------------


def test_generated_forms_are_current_and_marked():
    from zunyi_trainer.gui import compile_forms

    ui_files = compile_forms.ui_files()
    assert ui_files, "no Designer forms found"
    for ui_file in ui_files:
        target = compile_forms.target_for(ui_file)
        current = target.read_text(encoding="utf-8")
        assert current.startswith("# GENERATED by pyside6-uic"), target
        assert current == compile_forms.compile_text(ui_file), (
            f"{target.name} is stale: run python -m zunyi_trainer.gui.compile_forms"
        )


def _catalogue():
    from defusedxml import ElementTree

    return ElementTree.parse(str(paths.resources_dir() / "i18n" / "zunyi_trainer_zh_CN.ts")).getroot()


def test_every_zh_cn_entry_is_finished_and_keeps_its_placeholders():
    messages = list(_catalogue().iter("message"))
    assert len(messages) > 300
    for m in messages:
        source, translation = m.findtext("source"), m.find("translation")
        assert translation is not None and translation.get("type") is None, f"unfinished: {source!r}"
        assert translation.text, f"empty: {source!r}"
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation.text)), source


def test_compiled_catalogue_is_current(tmp_path):
    ts = paths.resources_dir() / "i18n" / "zunyi_trainer_zh_CN.ts"
    qm = ts.with_suffix(".qm")
    fresh = tmp_path / "fresh.qm"
    lrelease = [sys.executable, "-c", "from PySide6.scripts.pyside_tool import lrelease; lrelease()"]
    subprocess.run([*lrelease, str(ts), "-qm", str(fresh)], check=True, capture_output=True)
    assert qm.read_bytes() == fresh.read_bytes(), "run pyside6-lrelease on the .ts"


def test_chinese_is_loaded_for_our_strings_and_for_qts_own_dialogs(zh_app):
    # The fallback answers this app's classes, looked up by name (an instance asking has its class).
    from zunyi_trainer.gui.register_pages import ClassesPage, TeachersPage
    from zunyi_trainer.gui.roster_wizard import MappingPage

    assert QCoreApplication.translate("MainWindow", "Overview") == "概览"
    # A string written in a base class is looked up under the subclass's name at run time.
    assert QCoreApplication.translate("ClassesPage", "Export to Excel") == "导出 Excel"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    # An English source translated differently in two contexts: the base class's wins, not the
    # first one met (the roster wizard's "Columns" is 列的对应, the registers' 显示列).
    assert QCoreApplication.translate(MappingPage.__name__, "Columns") == "列的对应"
    assert QCoreApplication.translate(ClassesPage.__name__, "Columns") == "显示列"
    assert QCoreApplication.translate(TeachersPage.__name__, "Columns") == "显示列"
    # Qt's own contexts are left to Qt's catalogue: a string it lacks stays as it is.
    assert QCoreApplication.translate("QGuiApplication", "Columns") == "Columns"


def test_the_core_never_imports_qt():
    code = (
        "import sys, zunyi_trainer.db, zunyi_trainer.demo, zunyi_trainer.cli, zunyi_trainer.idcard, "
        "zunyi_trainer.attachments, zunyi_trainer.backups; "
        "assert 'PySide6' not in sys.modules, 'the core imported Qt'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_string_given_to_tr_in_the_code_is_in_the_catalogue():
    """lupdate skips what it cannot read (an f-string, say); such a string would show in English."""
    import ast
    from pathlib import Path

    sources = {m.findtext("source") for m in _catalogue().iter("message")}
    gui = Path(__file__).resolve().parents[1] / "zunyi_trainer" / "gui"
    problems = []
    for path in sorted(gui.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "tr":
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value not in sources:
                    problems.append(f"{path.name}:{node.lineno} not in the catalogue: {arg.value!r}")
            elif path.name not in ("translations.py",) and not (isinstance(arg, ast.Name) and arg.id == "text"):
                problems.append(f"{path.name}:{node.lineno} tr() of something lupdate cannot read")
    assert problems == []


def test_cancel_in_the_progress_dialog_stops_a_running_task(qtbot):
    from PySide6.QtWidgets import QProgressDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    pool = QThreadPool()
    runner = TaskRunner(pool=pool)
    started, finished, errors = threading.Event(), [], []

    def work(task):
        started.set()
        done = 0
        while done < 100_000:  # a long job (bounded, so a broken cancel fails instead of hanging)
            task.progress(done, 100_000)
            done += 1
            threading.Event().wait(0.001)
        return done

    runner.run(work, on_done=finished.append, on_error=errors.append, parent=parent, label="正在处理…")
    assert started.wait(5)
    dialog = parent.findChild(QProgressDialog, "taskProgress")
    assert dialog is not None and dialog.labelText() == "正在处理…"
    dialog.canceled.emit()  # what its cancel button sends
    qtbot.waitUntil(lambda: runner.busy == 0, timeout=5000)
    assert finished == [] and errors == []
    pool.waitForDone()
