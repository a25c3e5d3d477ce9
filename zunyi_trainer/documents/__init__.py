"""The papers the school prints and files, as PDFs with every font embedded (reportlab, A4).

- :func:`build_application` — 开班申请表 with its attachments (roster with full ID numbers).
- :func:`build_signin` — 签到表 for one day's sessions.
- :func:`build_archive` — 一班一档, the archive of one class.
- :func:`build_equipment_report` — 设备投入报告 for one year.
- :func:`build_package` — the class's archive package, a zipped BagIt bag.
- :func:`register_fonts` / :func:`find_installed_fonts` — the fonts (built-in or the user's 宋体/仿宋).

Each builder takes an open SQLAlchemy session, writes to a path or binary stream and accepts a
``progress(done, total)`` callback.
"""

from zunyi_trainer.documents.application import build_application
from zunyi_trainer.documents.archive import build_archive
from zunyi_trainer.documents.data import find_class
from zunyi_trainer.documents.equipment import build_equipment_report
from zunyi_trainer.documents.fonts import FontSet, find_installed_fonts, fonts_for, register_fonts
from zunyi_trainer.documents.layout import BuildResult
from zunyi_trainer.documents.package import build_package
from zunyi_trainer.documents.signin import build_signin

__all__ = [
    "BuildResult",
    "FontSet",
    "build_application",
    "build_archive",
    "build_equipment_report",
    "build_package",
    "build_signin",
    "find_class",
    "find_installed_fonts",
    "fonts_for",
    "register_fonts",
]
