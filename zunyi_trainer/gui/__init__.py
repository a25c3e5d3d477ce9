"""The desktop application (PySide6): windows, pages, table models, dialogs and the task runner.

Only this package imports Qt. It is a thin layer over the core: every rule, validation message and
write lives in ``zunyi_trainer`` and is called from here.
"""
