"""The desktop app paints its window before it maps the ORM models (about 0.14 s of a start), and
the models package loads them on first use without ever leaving a relationship unresolved. Each
case runs in a fresh interpreter: this process has imported everything long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

MAPPED = ("institution", "people", "records", "training", "county")


def _run(code: str, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_an_enum_or_a_single_model_module_loads_the_rest_only_when_needed():
    found = _run(
        """
        import json, sys
        import sqlalchemy as sa
        from sqlalchemy import orm
        from zunyi_trainer.models import Level, BatchState
        after_enums = sorted(m for m in sys.modules if m.startswith("zunyi_trainer.models."))
        from zunyi_trainer.models.records import ExportBatch  # one module alone, then mapped
        orm.configure_mappers()
        from zunyi_trainer import models
        target = models.TrainingClass.sessions.property.mapper.class_.__name__
        print(json.dumps({
            "after_enums": after_enums,
            "loaded": sorted(m for m in sys.modules if m.startswith("zunyi_trainer.models.")),
            "target": target,
            "tables": sorted(models.Base.metadata.tables),
            "level": Level.__module__,
        }))
        """
    )
    assert found["after_enums"] == ["zunyi_trainer.models.enums"]
    assert all(f"zunyi_trainer.models.{m}" in found["loaded"] for m in MAPPED)
    assert found["target"] == "ClassSession"
    assert {"training_class", "trainee", "attendance", "audit_event", "export_batch"} <= set(found["tables"])
    assert found["level"] == "zunyi_trainer.models.enums"


def test_the_main_window_is_built_without_the_models(demo_dir, tmp_path):
    (demo_dir / "zunyi-trainer-gui.ini").write_text("[window]\npage=overview\n", encoding="utf-8")
    # One batch exported and not yet acknowledged: the status bar counts it with a bare Core table.
    export = [sys.executable, "-m", "zunyi_trainer", "--data-dir", str(demo_dir), "batch", "export"]
    subprocess.run([*export, "-o", str(tmp_path / "usb"), "--no-documents"], check=True, capture_output=True, timeout=300)
    found = _run(
        """
        import json, sys
        from pathlib import Path
        from zunyi_trainer.db import open_register
        from zunyi_trainer.gui.app import ensure_application
        from zunyi_trainer.gui.context import AppContext, open_settings
        from zunyi_trainer.gui.main_window import MainWindow

        app = ensure_application()
        data_dir = Path(sys.argv[1])
        register = open_register(data_dir)
        window = MainWindow(AppContext(register, settings=open_settings(data_dir)))
        window.show()
        before = sorted(m for m in sys.modules if m.startswith("zunyi_trainer.models."))
        status = window.batch_label.text()
        page = window.pages["overview"]
        while page.data is None:  # the figures, computed once the page is painted
            app.processEvents()
            window.ctx.runner.wait()
        print(json.dumps({"before": before, "status": status, "classes": page.tiles["classes"].value.text()}))
        window.close()
        window.ctx.runner.wait()
        register.close()
        """,
        str(demo_dir),
    )
    assert not set(found["before"]) & {f"zunyi_trainer.models.{m}" for m in MAPPED}
    assert found["status"] == "Batches: last No. 1, 1 not acknowledged"
    assert found["classes"].isdigit() and int(found["classes"]) > 0


def test_the_class_register_paints_in_chinese_without_the_models(demo_dir):
    """The page remembered from the last session is often the class register: its rows are read
    with plain SQL tables and its titles found in the compiled catalogue, so the window paints
    before the models are mapped and without reading the .ts catalogue (the fallback's XML)."""
    (demo_dir / "zunyi-trainer-gui.ini").write_text("[window]\npage=classes\n", encoding="utf-8")
    found = _run(
        """
        import json, sys
        from pathlib import Path
        from zunyi_trainer.db import open_register
        from zunyi_trainer.gui.app import ensure_application, install_translators
        from zunyi_trainer.gui.context import AppContext, open_settings
        from zunyi_trainer.gui.main_window import MainWindow

        app = ensure_application()
        data_dir = Path(sys.argv[1])
        install_translators(app, "zh")
        register = open_register(data_dir)
        window = MainWindow(AppContext(register, settings=open_settings(data_dir)))
        window.show()
        app.processEvents()
        page = window.pages["classes"]
        print(json.dumps({
            "models": sorted(m for m in sys.modules if m.startswith("zunyi_trainer.models.")),
            "xml": "xml.etree.ElementTree" in sys.modules,
            "shown": window.current_key(),
            "rows": page.proxy.rowCount(),
            "titles": [c.title for c in page.model.columns[:3]],
            "status": page.model.rows[0].values["status"],
        }))
        window.close()
        window.ctx.runner.wait()
        register.close()
        """,
        str(demo_dir),
    )
    assert found["models"] == ["zunyi_trainer.models.base", "zunyi_trainer.models.enums"]
    assert not found["xml"]
    assert found["shown"] == "classes" and found["rows"] == 11
    assert found["titles"] == ["编号", "名称", "职业（工种）"]
    assert found["status"] in {"草稿", "已报审", "已批准", "未通过", "开班中", "已结业", "已归档"}


def test_two_workers_mapping_the_models_at_once_both_get_them(demo_dir):
    """The overview's two workers import the dashboard and the rules at the same moment after the
    first paint, and the UI thread may ask for a class meanwhile: whichever maps the models first,
    all run their queries (no deadlock between the import locks and SQLAlchemy's configure mutex;
    it happened when a class was published before every module was mapped)."""
    found = _run(
        """
        import json, sys, threading
        from pathlib import Path
        from zunyi_trainer.db import open_register
        from zunyi_trainer.timeutil import today_local

        register = open_register(Path(sys.argv[1]))
        results, errors = {}, []

        def figures():
            try:
                from zunyi_trainer.dashboard import load_dashboard
                with register.session() as s:
                    results["classes"] = load_dashboard(s, today=today_local(), with_alerts=False).tiles.classes_total
            except BaseException as exc:
                errors.append(repr(exc))

        def alerts():
            try:
                from zunyi_trainer.dashboard import load_alerts
                with register.session() as s:
                    results["alerts"] = len(load_alerts(s, today=today_local()))
            except BaseException as exc:
                errors.append(repr(exc))

        def record():  # the UI thread asking for a class meanwhile
            try:
                from zunyi_trainer.models import ExportBatch
                with register.session() as s:
                    results["batches"] = len(s.query(ExportBatch).all())
            except BaseException as exc:
                errors.append(repr(exc))

        threads = [threading.Thread(target=f) for f in (figures, alerts, record)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        print(json.dumps({"alive": sum(t.is_alive() for t in threads), "errors": errors, **results}))
        register.close()
        """,
        str(demo_dir),
    )
    assert found["alive"] == 0 and found["errors"] == []
    assert found["classes"] > 0 and found["alerts"] > 0 and found["batches"] == 0


def test_the_app_asks_the_models_package_not_a_model_module_alone():
    """Importing a module of mapped classes alone and querying while another thread maps the models
    cannot be made safe (SQLAlchemy's configure holds a mutex the mapping needs): the app's code goes
    through ``zunyi_trainer.models``. Imports under ``if TYPE_CHECKING:`` are not run."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    mapped = {f"zunyi_trainer.models.{m}" for m in ("institution", "people", "records", "training")}
    offenders = []
    for path in [*(root / "zunyi_trainer").rglob("*.py"), *(root / "migrations").rglob("*.py")]:
        if path.parent.name == "models" and path.parent.parent.name == "zunyi_trainer":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for stmt in block.body
            for node in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            names = [node.module] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if any(n in mapped for n in names if n):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
