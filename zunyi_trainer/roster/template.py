"""The roster template: the workbook a school sends out to be filled in.

The columns the school needs, ID number and phone columns formatted as text (so Excel keeps
every digit), drop-down lists for the fixed vocabularies, a frozen header, and an
instructions sheet after the roster.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zunyi_trainer.excel.writing import save_atomically
from zunyi_trainer.models import Education, TraineeCategory
from zunyi_trainer.roster.fields import FIELDS

TEMPLATE_ROWS = 500  # rows pre-formatted as text and covered by the drop-downs
TEXT_FIELDS = ("id_number", "phone")
LISTS = {
    "sex": ["男", "女"],
    "education": [e.zh for e in Education],
    "category": [c.zh for c in TraineeCategory],
}

INSTRUCTIONS = (
    ("填写说明", True),
    ("1. 每行填写一名学员；带 * 的列必须填写。请不要修改第一行的列名，也不要合并单元格。", False),
    ("2. 公民身份号码填写 18 位，末位 X 用大写或小写均可。该列已设为“文本”格式：", False),
    ("   如果从别处复制粘贴，请使用“选择性粘贴→数值”，不要把该列改成“数值”格式，否则 Excel 会丢掉后几位。", False),
    ("3. 性别可以不填（由身份证号自动得出）；如果填写，请与身份证号一致。", False),
    ("4. 联系电话填写 11 位手机号，或带区号的座机号（如 0851-28221234）。", False),
    ("5. 文化程度、人员类别请从下拉列表中选择。人员类别不清楚时选“其他”。", False),
    ("6. 表格下方的“合计”“制表人”“审核人”等行会被自动跳过。", False),
    ("7. 导入时，登记册中已有的学员（身份证号相同）会直接加入本班，不会重复建档。", False),
    ("", False),
    ("可选值", True),
    ("性别：" + "、".join(LISTS["sex"]), False),
    ("文化程度：" + "、".join(LISTS["education"]), False),
    ("人员类别：" + "、".join(LISTS["category"]), False),
)


def header_text(field) -> str:
    return field.header + ("*" if field.required else "")


def write_template(path: Path | str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    thin = Side(style="thin", color="999999")
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, field in enumerate(FIELDS, start=1):
        cell = ws.cell(row=1, column=col, value=header_text(field))
        cell.font = header_font
        cell.fill = fill
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = field.width
        if field.key in TEXT_FIELDS:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=col).number_format = "@"
        if field.key in LISTS:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(LISTS[field.key]) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入值无效",
                error="请从下拉列表中选择。",
            )
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    for row, (line, bold) in enumerate(INSTRUCTIONS, start=1):
        cell = notes.cell(row=row, column=1, value=line)
        if bold:
            cell.font = Font(bold=True, size=12)
    return save_atomically(wb, Path(path))
