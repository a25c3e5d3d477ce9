"""The row-level report of an import: what was read, what is wrong where, what was written.

Each problem names the Excel row number the user sees, the column by its header text, a stable
code and a Chinese sentence that says what to fix. The same report is printed as a table on
the terminal, written as JSON with ``--report`` and shown by the GUI's import wizard.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path
from typing import Any

from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.i18n import text

ERROR, WARNING = "error", "warning"


@dataclasses.dataclass(frozen=True)
class Issue:
    row: int | None  # the Excel row number; None for the whole file
    column: str  # the header text as in the file ("" when not about one column)
    code: str
    message: str
    severity: str = ERROR
    value: str = ""  # the cell as read, for the user to find it

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "value": self.value,
        }


@dataclasses.dataclass
class ImportReport:
    """Counts and problems. ``valid`` rows have no error; ``imported`` rows were written (or, in a
    dry run, would be); of those, ``created`` added a new trainee and ``linked_existing`` enrolled
    one already in the register. ``skipped_blank`` counts blank rows and 合计/制表人 footers."""

    kind: str = "roster"  # roster | attendance | punches: what the summary talks about
    file: str = ""
    sheet: str = ""
    header_row: int | None = None
    columns: dict[str, str] = dataclasses.field(default_factory=dict)  # field → header text
    rows_read: int = 0
    valid: int = 0
    imported: int = 0
    created: int = 0
    linked_existing: int = 0
    already_enrolled: int = 0
    skipped_blank: int = 0
    skipped_invalid: int = 0
    errors: list[Issue] = dataclasses.field(default_factory=list)
    warnings: list[Issue] = dataclasses.field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    backup: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)  # importer-specific counts

    def add(self, issue: Issue) -> None:
        (self.errors if issue.severity == ERROR else self.warnings).append(issue)

    @property
    def error_rows(self) -> set[int]:
        return {i.row for i in self.errors if i.row is not None}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "rows_read": self.rows_read,
            "valid": self.valid,
            "imported": self.imported,
            "created": self.created,
            "linked_existing": self.linked_existing,
            "already_enrolled": self.already_enrolled,
            "skipped_blank": self.skipped_blank,
            "skipped_invalid": self.skipped_invalid,
            "dry_run": self.dry_run,
            "written": self.written,
            "backup": self.backup,
            **self.extra,
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }

    def write_json(self, path: Path | str) -> Path:
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as exc:
            raise ZunyiError(
                "无法写入报告 {p}（{why}）。",
                "Cannot write the report {p} ({why}).",
                code="report.write",
                p=str(path),
                why=exc.strerror or str(exc),
            ) from None
        return path

    def summary_lines(self) -> list[str]:
        lines = []
        if self.file:
            lines.append(
                text(
                    "文件：{f}　工作表：{s}　表头在第 {r} 行",
                    "File: {f}  sheet: {s}  header on row {r}",
                    f=self.file,
                    s=self.sheet,
                    r=self.header_row or "-",
                )
            )
        lines.append(
            text(
                "读取 {read} 行：有效 {valid}，有错误 {bad}，跳过空行/合计行 {blank}。",
                "Read {read} rows: {valid} valid, {bad} with errors, {blank} blank or footer rows skipped.",
                read=self.rows_read,
                valid=self.valid,
                bad=len(self.error_rows),
                blank=self.skipped_blank,
            )
        )
        if self.kind != "roster" and (self.written or self.dry_run):
            lines.append(
                text(
                    "{done}考勤记录 {n} 条（其中补录 {c} 条）。",
                    "{done_en} {n} attendance marks ({c} corrections).",
                    done="试运行，未写入任何数据；将写入" if self.dry_run else "已导入",
                    done_en="Dry run, nothing written; would record" if self.dry_run else "Recorded",
                    n=self.imported,
                    c=self.extra.get("corrections", 0),
                )
            )
            if self.kind == "punches":
                lines.append(
                    text(
                        "打卡 {p} 条：非本班学员 {u}，重名无法区分 {a}，不在课次时间内 {o}；涉及课次 {s} 个，无打卡记为旷课 {f} 人次。",
                        "{p} punches: {u} not of trainees, {a} ambiguous, {o} outside sessions; {s} sessions covered, "
                        "{f} marks of absence for trainees without a punch.",
                        p=self.extra.get("punches", 0),
                        u=self.extra.get("punches_unmatched", 0),
                        a=self.extra.get("punches_ambiguous", 0),
                        o=self.extra.get("punches_outside_sessions", 0),
                        s=self.extra.get("sessions_covered", 0),
                        f=self.extra.get("absent_filled", 0),
                    )
                )
        elif self.written:
            lines.append(
                text(
                    "已导入 {n} 行：新建学员 {c}，关联登记册中已有学员 {l}；已在本班 {a}。",
                    "Imported {n} rows: {c} new trainees, {l} linked to existing ones; {a} already in the class.",
                    n=self.imported,
                    c=self.created,
                    l=self.linked_existing,
                    a=self.already_enrolled,
                )
            )
        elif self.dry_run:
            lines.append(
                text(
                    "试运行，未写入任何数据。实际导入时将导入 {n} 行（新建 {c}，关联已有 {l}）。",
                    "Dry run: nothing was written. A real import would import {n} rows ({c} new, {l} linked).",
                    n=self.imported,
                    c=self.created,
                    l=self.linked_existing,
                )
            )
        else:
            lines.append(
                text(
                    "有错误，未写入任何数据。请按下表修改文件后重新导入，或使用 --skip-invalid 只导入有效行。",
                    "There are errors; nothing was written. Fix the file as listed below and import again, "
                    "or use --skip-invalid to import the valid rows only.",
                )
            )
        if self.backup:
            lines.append(text("导入前的备份：{p}", "Backup taken before the import: {p}", p=self.backup))
        return lines

    def format_table(self, limit: int = 200) -> str:
        """The report as the terminal shows it: the summary, then the errors and warnings."""
        out = self.summary_lines()
        for title, issues in ((text("错误", "Errors"), self.errors), (text("提示", "Warnings"), self.warnings)):
            if not issues:
                continue
            out.append("")
            out.append(f"{title}（{len(issues)}）：")
            header = [text("行", "Row"), text("列", "Column"), text("代码", "Code"), text("说明", "Message")]
            rows = [[str(i.row or "-"), i.column or "-", i.code, i.message] for i in issues[:limit]]
            widths = [max(_width(r[k]) for r in [header, *rows]) for k in range(3)]
            for r in [header, *rows]:
                out.append("  ".join(_pad(r[k], widths[k]) for k in range(3)) + "  " + r[3])
            if len(issues) > limit:
                out.append(
                    text(
                        "……另有 {n} 条，见 --report 生成的 JSON 报告。",
                        "… {n} more; see the JSON report (--report).",
                        n=len(issues) - limit,
                    )
                )
        return "\n".join(out)


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * (width - _width(value))


class ImportRefused(ZunyiError):
    """An import with errors and without ``skip_invalid``: nothing was written. Carries the report."""

    code = "import.refused"

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            "文件中有 {n} 处错误，未导入任何数据。",
            "The file has {n} errors; nothing was imported.",
            n=len(report.errors),
        )
        self.report = report
