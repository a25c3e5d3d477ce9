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

from PySide6.QtCore import QTranslator

log = logging.getLogger(__name__)

CATALOGUE = "zunyi_trainer_zh_CN"


def read_catalogue(ts_file: Path) -> dict[str, dict[str, str]]:
    """English source → {context → finished Chinese translation}, from a Qt ``.ts`` file."""
    from defusedxml import ElementTree

    table: dict[str, dict[str, str]] = {}
    root = ElementTree.parse(str(ts_file)).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if translation.text:
                table.setdefault(source, {}).setdefault(name, translation.text)
    return table


def _class_named(name: str) -> type | None:
    """The QObject subclass of that name (a translation context is the instance's class name)."""
    from PySide6.QtCore import QObject

    pending = list(QObject.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__name__ == name:
            return cls
        pending.extend(cls.__subclasses__())
    return None


class SourceTextTranslator(QTranslator):
    """Translate by source text when the exact (context, source) lookup failed: the translation
    filed under the nearest base class of the asking class (a page's ``tr("Columns")`` written in
    ``RegisterPage``), else the source's only or first translation (see the module's docstring).

    Qt's own contexts (``Q…``) are not answered: Qt asks every translator for its own strings too (a
    ``QGuiApplication`` string before the first paint), and those never need this catalogue. It is
    given as a ``.ts`` file and read on the first string that does need it, not at every start; a
    base class's string is first looked up in the compiled ``.qm`` (``compiled``), which needs no
    reading at all."""

    def __init__(self, catalogue: Path | dict[str, dict[str, str]], parent=None, *, compiled: QTranslator | None = None) -> None:
        super().__init__(parent)
        self._compiled = compiled  # the .qm: a base class's string is looked up there first
        self._catalogue = catalogue
        self._table = catalogue if isinstance(catalogue, dict) else None
        self._bases: dict[str, list[str] | None] = {}

    @property
    def table(self) -> dict[str, dict[str, str]]:
        if self._table is None:
            self._table = read_catalogue(self._catalogue)
        return self._table

    def _bases_of(self, context: str) -> list[str] | None:
        """The names of the base classes of the class ``context`` (none for a context that is not a
        class); None for Qt's own contexts."""
        if context in self._bases:
            return self._bases[context]
        if context[:1] == "Q" and context[1:2].isupper():
            return None  # Qt's own class (QGuiApplication, QPlatformTheme…): Qt's catalogue answers it
        cls = _class_named(context)
        if cls is None:
            return []  # not a class (or not yet): asked again next time
        self._bases[context] = bases = [c.__name__ for c in cls.__mro__[1:]]
        return bases

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        # None (a null QString) means "not here": an empty string would be taken as the translation
        # and a string not yet translated would show as blank instead of in English.
        bases = self._bases_of(context)
        if bases is None:
            return None
        if self._compiled is not None:  # the nearest base class's string, from the compiled catalogue
            for base in bases:
                if base.startswith("Q"):
                    break  # Qt's own classes from here on
                text = self._compiled.translate(base, source_text, disambiguation, n)
                if text:
                    return text
        found = self.table.get(source_text)
        if not found:
            return None
        if context in found:
            return found[context]
        if len(found) > 1:
            for base in bases:
                if base in found:
                    return found[base]
        return next(iter(found.values()))

    def isEmpty(self) -> bool:
        # Asked when installed: a catalogue file is taken as not empty without reading it yet.
        return self._table is not None and not self._table
