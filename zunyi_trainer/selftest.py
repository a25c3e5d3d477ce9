"""``zunyi-trainer --self-test``: the built app checks itself on a machine, end to end.

It creates a register in a temporary folder, migrates it, fills a small demo school, renders each
document, exports a county batch and verifies it as the county would, and checks the register and
its audit trail. One line per step; exit 0 only when every step passed. Nothing outside the
temporary folder is touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from zunyi_trainer.i18n import text

log = logging.getLogger(__name__)


def _cli(*args: str) -> tuple[int, str]:
    from zunyi_trainer.cli import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, (out.getvalue() + err.getvalue()).strip()


def run_self_test(stream=None) -> int:
    stream = stream or sys.stdout
    failures = 0
    with tempfile.TemporaryDirectory(prefix="zunyi-selftest-") as tmp:
        base = Path(tmp)
        data = str(base / "data")
        state: dict[str, str] = {}

        def migrate() -> str:
            from zunyi_trainer.db import head_revision, open_register

            reg = open_register(data)
            rev = reg.report.upgraded_to
            reg.close()
            if rev != head_revision():
                raise AssertionError(f"schema {rev} != {head_revision()}")
            return rev

        def demo() -> str:
            from zunyi_trainer.db import open_register
            from zunyi_trainer.demo import fill_demo
            from zunyi_trainer.models import ClassStatus, TrainingClass

            reg = open_register(data)
            try:
                fill_demo(reg, seed=1)
                with reg.session() as s:
                    import sqlalchemy as sa

                    classes = s.scalars(sa.select(TrainingClass)).all()
                    state["draft"] = next(c.code for c in classes if c.status is ClassStatus.DRAFT)
                    state["done"] = next(c.code for c in classes if c.status is ClassStatus.COMPLETED)
                    state["running"] = next(c.code for c in classes if c.status is ClassStatus.IN_PROGRESS)
            finally:
                reg.close()
            return text("{n} 个培训班", "{n} classes", n=len(classes))

        def document(kind: str, key: str) -> Callable[[], str]:
            def step() -> str:
                target = base / f"{kind}.pdf"
                code, output = _cli("--data-dir", data, "docs", kind, state[key], "-o", str(target))
                if code != 0 or not target.is_file() or target.read_bytes()[:5] != b"%PDF-":
                    raise AssertionError(output or f"exit {code}")
                return f"{target.stat().st_size // 1024} KB"

            return step

        def equipment() -> str:
            target = base / "equipment.pdf"
            code, output = _cli("--data-dir", data, "docs", "equipment", "--year", str(dt.date.today().year), "-o", str(target))
            if code != 0 or target.read_bytes()[:5] != b"%PDF-":
                raise AssertionError(output or f"exit {code}")
            return f"{target.stat().st_size // 1024} KB"

        def export() -> str:
            out = base / "usb"
            code, output = _cli("--data-dir", data, "batch", "export", "--full", "-o", str(out))
            zips = sorted(out.glob("*.zip"))
            if code != 0 or len(zips) != 1:
                raise AssertionError(output or f"exit {code}")
            state["batch"] = str(zips[0])
            return zips[0].name

        def verify() -> str:
            code, output = _cli("--data-dir", str(base / "county"), "batch", "verify", state["batch"])
            if code != 0:
                raise AssertionError(output)
            return "ok"

        def check() -> str:
            for args in (("db", "check"), ("db", "verify-audit")):
                code, output = _cli("--data-dir", data, *args)
                if code != 0:
                    raise AssertionError(output)
            return "ok"

        steps: list[tuple[str, Callable[[], str]]] = [
            (text("新建并迁移登记册", "create and migrate a register"), migrate),
            (text("生成演示学校", "fill the demo school"), demo),
            (text("开班申请表", "class-opening application"), document("application", "draft")),
            (text("签到表", "sign-in sheet"), document("signin", "running")),
            (text("一班一档", "class archive"), document("archive", "done")),
            (text("设备投入报告", "equipment-spend report"), equipment),
            (text("导出数据批次", "export a county batch"), export),
            (text("像县局一样校验批次", "verify the batch as the county would"), verify),
            (text("检查登记册和审计链", "check the register and audit chain"), check),
        ]
        for label, step in steps:
            started = time.perf_counter()
            try:
                detail = step()
                stream.write(f"✓ {label} ({time.perf_counter() - started:.1f}s) {detail}\n")
            except Exception as exc:  # a self-test reports every failure and goes on
                failures += 1
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                stream.write(f"✗ {label}: {first}\n")
                log.exception("self-test step failed: %s", label)
            stream.flush()
    stream.write(
        text("自检通过。\n", "Self-test passed.\n")
        if failures == 0
        else text("自检失败：{n} 步未通过。\n", "Self-test failed: {n} steps did not pass.\n", n=failures)
    )
    return 0 if failures == 0 else 1
