"""The trainee register (学员): up to 100,000 rows, searched, filtered and sorted in SQL on a
worker and fetched a page at a time. Like the class register it paints before the models are
mapped: it imports mapped classes only to delete a record, and its queries map them on the worker."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel

from zunyi_trainer.gui.form_dialog import combo_value, fill_enum
from zunyi_trainer.gui.messages import tr
from zunyi_trainer.gui.register_page import RegisterPage
from zunyi_trainer.gui.table_models import Column, TraineeSqlModel
from zunyi_trainer.gui.tasks import after_paint
from zunyi_trainer.models import Education, Sex, TraineeCategory


class TraineesPage(RegisterPage):
    """The trainee register: searched, filtered and sorted in SQL, fetched a page at a time."""

    page_key = "trainees"
    tables = ("trainee", "enrollment")
    record_dialog, record_model = "TraineeDialog", "Trainee"

    def __init__(self, ctx, parent=None) -> None:
        self._searched = False
        super().__init__(ctx, parent)

    def columns(self) -> Sequence[Column]:
        return ()

    def _titles(self) -> dict[str, str]:
        return {
            "name": tr("Full name"),
            "id_number": tr("ID number"),
            "sex": tr("Sex"),
            "birth_date": tr("Birth date"),
            "phone": tr("Phone"),
            "education": tr("Education"),
            "category": tr("Key group"),
            "employer": tr("Employer"),
            "household_address": tr("Household address"),
        }

    def _build(self) -> None:
        self.sql_model = TraineeSqlModel(self.ctx.register.engine.connect, self._titles(), self)
        self.model.columns = self.sql_model.columns  # the column menu and titles come from the SQL model
        super()._build()
        self.view.setModel(self.sql_model)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        bar = self.filter_bar
        self.filters = {}
        for key, enum_class, position in (("sex", Sex, 1), ("category", TraineeCategory, 2), ("education", Education, 3)):
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{key}")
            fill_enum(combo, enum_class, optional=True)
            combo.setItemText(0, tr("All"))
            combo.currentIndexChanged.connect(self._apply_filters)
            self.filters[key] = combo
            bar.insertWidget(position * 2 - 2, QLabel(self._titles()[key] + tr(":"), self))
            bar.insertWidget(position * 2 - 1, combo)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, width in enumerate((110, 170, 50, 100, 120, 100, 140, 160, 220)):
            self.view.setColumnWidth(i, width)

    def _sync_hidden(self) -> None:
        pass

    def reload(self) -> None:
        if not self._searched:  # the page's own first load, while it is built
            # Once its list is painted: the worker maps the models and scans the register in
            # Python, and would hold up the window's first paint (≈ 0.25 s).
            self._searched = True
            after_paint(self.view.viewport(), self._apply_search)
            return
        self._apply_search()

    def _refresh_filter_options(self) -> None:
        pass

    def _filter_values(self) -> dict:
        return {key: combo_value(combo) for key, combo in self.filters.items()}

    def _apply_filters(self) -> None:
        self._apply_search()

    def _apply_search(self) -> None:
        """Search on a worker thread, so typing never waits for a scan of 100,000 rows; a result
        that arrives after a newer keystroke is dropped."""
        self._generation = getattr(self, "_generation", 0) + 1
        generation = self._generation
        needle, filters = self.sql_model.search_terms(self.search.text(), self._filter_values())

        def show(result) -> None:
            if generation == self._generation:
                self.sql_model.apply(result)
                self._update_count()

        self.ctx.runner.run(lambda _task: self.sql_model.query(needle, filters), on_done=show, parent=self)

    def _update_count(self) -> None:
        self.count_label.setText(
            tr("%1 trainees (ID numbers are masked in the list; open a record to see the full number)").replace(
                "%1", str(self.sql_model.total)
            )
        )

    def view_table(self) -> tuple[list[str], list[list[str]]]:
        # The whole query, not only the pages fetched so far.
        while self.sql_model.canFetchMore():
            self.sql_model.fetchMore()
        return super().view_table()

    def export_source(self):
        """All trainees the search finds, read on the worker thread straight from SQL (masked)."""
        from zunyi_trainer.gui.table_models import TRAINEE_COLUMNS, display_trainee_value, trainee_query

        visible = [i for i in range(len(self.sql_model.columns)) if not self.view.isColumnHidden(i)]
        header = [self.sql_model.columns[i].title for i in visible]
        keys = [TRAINEE_COLUMNS[i].key for i in visible]
        needle, filters = self.sql_model.search_terms(self.search.text(), self._filter_values())
        order = self.sql_model.order_clause()
        engine = self.ctx.register.engine

        def rows():
            with engine.connect() as conn:
                for r in conn.execute(trainee_query(needle, filters).order_by(*order)):
                    yield [display_trainee_value(k, getattr(r, k)) for k in keys]

        return header, rows
