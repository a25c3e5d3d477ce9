"""The app's translations: ``resources/i18n/zunyi_trainer_zh_CN.ts`` (kept with ``pyside6-lupdate``)
compiled to ``.qm`` by ``pyside6-lrelease``, and Qt's own ``qtbase_zh_CN``.

PySide looks a ``self.tr()`` string up under the class of the *instance*, while lupdate files it
under the class that *contains* the call; a string written in a base class (every register page
shares ``RegisterPage``'s buttons) would then go untranslated. :class:`SourceTextTranslator`
closes that gap: after the exact lookup in the ``.qm`` fails, it finds the same English source
in any context of the catalogue.
"""

from __future__ import annotations

import logging
from pathlib import Path

from defusedxml import ElementTree
from PySide6.QtCore import QTranslator

log = logging.getLogger(__name__)

CATALOGUE = "zunyi_trainer_zh_CN"


def read_catalogue(ts_file: Path) -> dict[str, str]:
    """English source → finished Chinese translation, from a Qt ``.ts`` file."""
    table: dict[str, str] = {}
    root = ElementTree.parse(str(ts_file)).getroot()
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            continue
        if translation.text and source not in table:
            table[source] = translation.text
    return table


class SourceTextTranslator(QTranslator):
    """Translate by source text alone, whatever the context (see the module's docstring)."""

    def __init__(self, table: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.table = table

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None (a null QString) means "not here": an empty string would be taken as the translation
        # and a string not yet translated would show as blank instead of in English.
        return self.table.get(source_text)

    def isEmpty(self) -> bool:
        return not self.table
