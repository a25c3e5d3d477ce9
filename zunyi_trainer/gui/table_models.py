"""Table models of the registers (STYLE.md item 3): named columns, a sort role that returns
comparable values, a filter proxy for instant search, and a lazily fetched SQL model for the
trainee register, which must stay responsive with 100,000 rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from zunyi_trainer import idcard
from zunyi_trainer.i18n import language
from zunyi_trainer.models import Education, Sex, TraineeCategory

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
ModelIndex = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    title: str
    numeric: bool = False  # right-aligned, sorted by number
    hidden: bool = False  # hidden until the user chooses it


@dataclasses.dataclass
class Row:
    """One record as a list shows it: display texts by column key, and comparable sort values."""

    id: int
    values: dict[str, str]
    sort: dict[str, Any] = dataclasses.field(default_factory=dict)
    tooltip: str = ""

    def sort_value(self, key: str) -> Any:
        return self.sort.get(key, self.values.get(key, ""))


@functools.cache
def _collator(language: str) -> QCollator:
    """Texts in the order the user's language sorts them: Chinese by pinyin (丁 ding before 万 wan,
    as Excel and WPS sort), digits by their value (第2期 before 第10期)."""
    if language == "zh":
        collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    else:
        collator = QCollator(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    collator.setNumericMode(True)
    return collator


def _sort_key(value: Any, collator: QCollator) -> tuple[int, Any]:
    """A key that orders any mix of sort values without a TypeError: empty first, then numbers,
    texts (by the collator), dates, and anything else by its text."""
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, collator.sortKey(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return (3, value.isoformat())
    return (4, collator.sortKey(str(value)))


class RecordTableModel(QAbstractTableModel):
    """A register loaded in full (classes, teachers, venues, equipment, spend: hundreds of rows).

    The model sorts itself, with Python's sort over precomputed keys: a sorting proxy would call
    ``data`` twice per comparison, across the Python boundary, tens of thousands of times for a
    thousand classes. New rows arrive in the current order."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Row] = []
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(rows)
        self.endResetModel()

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if not 0 <= self.sort_column < len(self.columns):
            return rows
        key = self.columns[self.sort_column].key
        collator = _collator(language())
        return sorted(
            rows,
            key=lambda row: _sort_key(row.sort_value(key), collator),
            reverse=self.sort_order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        before = self.persistentIndexList()
        held = [(index, self.rows[index.row()]) for index in before if index.isValid()]
        self.rows = self._sorted(self.rows)
        position = {id(row): i for i, row in enumerate(self.rows)}
        for index, row in held:
            self.changePersistentIndex(index, self.index(position[id(row)], index.column()))
        self.layoutChanged.emit()

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.values.get(column.key, "")
        if role == SORT_ROLE:
            return row.sort_value(column.key)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


class RegisterFilterProxy(QSortFilterProxyModel):
    """Instant search across the visible columns, plus exact-value filters on chosen columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._filters: dict[int, str] = {}
        self._hidden: set[int] = set()

    def _refilter(self, change) -> None:
        """Apply ``change`` to the filter state and re-filter the rows (Qt 6.9+ wants the change
        bracketed by begin/endFilterChange; older releases only have invalidateRowsFilter)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.9
            change()
            self.invalidateRowsFilter()

    # Each setter re-filters only when something changed: a reload sets every filter again, and each
    # pass asks filterAcceptsRow (Python) for every row.

    def set_search(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self._refilter(lambda: setattr(self, "_needle", needle))

    def set_filters(self, values: dict[int, str | None]) -> None:
        """Set several column filters (None or "" clears one) in one pass."""
        wanted = dict(self._filters)
        for column, value in values.items():
            if value:
                wanted[column] = value
            else:
                wanted.pop(column, None)
        if wanted != self._filters:
            self._refilter(lambda: setattr(self, "_filters", wanted))

    def set_hidden_columns(self, hidden: set[int]) -> None:
        if set(hidden) != self._hidden:
            self._refilter(lambda: setattr(self, "_hidden", set(hidden)))

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        for column, wanted in self._filters.items():
            if model.index(source_row, column, source_parent).data() != wanted:
                return False
        if not self._needle:
            return True
        for column in range(model.columnCount()):
            if column in self._hidden:
                continue
            value = model.index(source_row, column, source_parent).data()
            if value and self._needle in str(value).casefold():
                return True
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (:meth:`RecordTableModel.sort`); the proxy keeps its order."""
        self.sourceModel().sort(column, order)


# --- the trainee register, paged in SQL ------------------------------------------------------


TRAINEE_COLUMNS = (
    Column("name", "name"),
    Column("id_number", "id_number"),
    Column("sex", "sex"),
    Column("birth_date", "birth_date"),
    Column("phone", "phone"),
    Column("education", "education"),
    Column("category", "category"),
    Column("employer", "employer", hidden=True),
    Column("household_address", "household_address", hidden=True),
)

_POSITION = {c.key: i + 1 for i, c in enumerate(TRAINEE_COLUMNS)}  # after the id, in trainee_query's order


@functools.cache
def _sortable() -> dict[str, sa.ColumnElement]:
    """The trainee columns by key (the models are mapped on first use, not when a page module is
    imported: the class register paints before they are)."""
    from zunyi_trainer.models import Trainee

    return {
        "id": Trainee.id,
        "name": Trainee.name,
        "id_number": Trainee.id_number,
        "sex": Trainee.sex,
        "birth_date": Trainee.birth_date,
        "phone": Trainee.phone,
        "education": Trainee.education,
        "category": Trainee.category,
        "employer": Trainee.employer,
        "household_address": Trainee.household_address,
    }


def trainee_query(needle: str = "", filters: dict[str, str] | None = None) -> sa.Select:
    """The trainee register's rows as a query: a substring search on name, ID number and phone
    (LIKE, so SQLite scans at C speed) and exact filters on sex, category and education."""
    from zunyi_trainer.models import Trainee

    # Enum and date columns come back as their stored text: converting 200 rows to Python enums
    # and dates costs more than the query; the list converts only what it paints.
    raw = [Trainee.sex, Trainee.birth_date, Trainee.education, Trainee.category]
    q = sa.select(
        Trainee.id,
        Trainee.name,
        Trainee.id_number,
        *[sa.type_coerce(c, sa.String).label(c.key) for c in raw[:2]],
        Trainee.phone,
        *[sa.type_coerce(c, sa.String).label(c.key) for c in raw[2:]],
        Trainee.employer,
        Trainee.household_address,
    )
    needle = needle.strip()
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        q = q.where(
            sa.or_(
                Trainee.name.like(pattern, escape="\\"),
                Trainee.id_number.like(pattern.upper(), escape="\\"),
                Trainee.phone.like(pattern, escape="\\"),
            )
        )
    for key, value in (filters or {}).items():
        if value:
            q = q.where(_sortable()[key] == value)
    return q


def _frozen(filters: dict[str, Any]) -> tuple:
    return tuple(sorted((k, v) for k, v in filters.items() if v))


@functools.lru_cache(maxsize=64)
def _statements(needle: str, filters: tuple, order_key: str, descending: bool, page: int) -> tuple[sa.Select, sa.Select]:
    """The count and page statements of a search, built once: typing back and forth, sorting and
    scrolling reuse them, and SQLAlchemy reuses their compiled form (their cache key is kept on
    the statement object)."""
    base = trainee_query(needle, dict(filters))
    count = sa.select(sa.func.count()).select_from(base.subquery())
    column = _sortable()[order_key]
    ordered = base.order_by(column.desc() if descending else column, _sortable()["id"])
    return count, ordered.limit(page).offset(sa.bindparam("page_offset", type_=sa.Integer))


class TraineeSqlModel(QAbstractTableModel):
    """The trainee register fetched a page at a time (``canFetchMore``/``fetchMore``), searched,
    filtered and sorted in SQL. ID numbers are shown masked."""

    PAGE = 200

    def __init__(self, connect: Callable[[], sa.Connection], titles: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self._connect = connect
        self.columns = [dataclasses.replace(c, title=titles.get(c.key, c.key)) for c in TRAINEE_COLUMNS]
        self.rows: list[tuple] = []
        self._needle = ""
        self._filters: dict[str, str] = {}
        self._order: tuple[str, bool] = ("name", False)
        # Nothing to fetch until a search is in: a view asks for more as soon as it is shown, and
        # the page's first search runs on a worker (a query here would run on the UI thread).
        self._exhausted = True
        self.total = 0

    # -- querying

    def set_search(self, needle: str, filters: dict[str, str] | None = None) -> None:
        self._needle = needle
        if filters is not None:
            self._filters = {k: v for k, v in filters.items() if v}
        self.reload()

    def set_filters(self, filters: dict[str, str]) -> None:
        self._filters = {k: v for k, v in filters.items() if v}
        self.reload()

    def reload(self) -> None:
        self.apply(self.query(self._needle, self._filters))

    def query(self, needle: str, filters: dict[str, Any]) -> tuple[str, dict[str, Any], int, list[tuple]]:
        """Run the search: the count and the first page. Touches no Qt object, so the page can run
        it on a worker thread while the user goes on typing."""
        with self._connect() as conn:
            count, _page = _statements(needle, _frozen(filters), *self._order, self.PAGE)
            total = conn.execute(count).scalar_one()
            rows = self._page(conn, 0, needle, filters)
        return needle, filters, total, rows

    def apply(self, result: tuple[str, dict[str, Any], int, list[tuple]]) -> None:
        """Show the result of :meth:`query` (on the UI thread)."""
        needle, filters, total, rows = result
        self.beginResetModel()
        self._needle, self._filters, self.total, self.rows = needle, filters, total, rows
        self._exhausted = len(rows) >= total
        self.endResetModel()

    def search_terms(self, needle: str, filters: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        return needle, {k: v for k, v in (filters if filters is not None else self._filters).items() if v}

    def order_clause(self) -> tuple:
        key, descending = self._order
        column = _sortable()[key]
        return (column.desc() if descending else column, _sortable()["id"])

    def _page(
        self, conn: sa.Connection, offset: int, needle: str | None = None, filters: dict[str, Any] | None = None
    ) -> list[tuple]:
        needle = self._needle if needle is None else needle
        filters = self._filters if filters is None else filters
        _count, page = _statements(needle, _frozen(filters), *self._order, self.PAGE)
        return conn.execute(page, {"page_offset": offset}).all()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        with self._connect() as conn:
            more = self._page(conn, len(self.rows))
        if not more:
            self._exhausted = True
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()
        self._exhausted = len(self.rows) >= self.total

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = (self.columns[column].key, order == Qt.SortOrder.DescendingOrder)
        if wanted == self._order:
            return  # the view showing its sort indicator (the page's first search is on a worker)
        self._order = wanted
        self.reload()

    # -- model

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row[0]
        if role not in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return None
        key = self.columns[index.column()].key
        value = row[_POSITION[key]]
        if role == SORT_ROLE:
            return value
        return display_trainee_value(key, value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


def display_trainee_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "id_number":
        return idcard.mask(value)
    if key == "sex":
        return Sex(value).label
    if key == "education":
        return Education(value).label
    if key == "category":
        return TraineeCategory(value).label
    return str(value)
