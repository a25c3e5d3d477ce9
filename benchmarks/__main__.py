"""``uv run python -m benchmarks [--quick] [--json FILE] [--only NAME …] [--register DIR]``

Generates (or reuses) the large register, runs every benchmark module's ``run(ctx)`` and prints
each figure next to its floor with the ratio and the goal. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

MODULES = [
    "benchmarks.bench_startup",
    "benchmarks.bench_roster_import",
    "benchmarks.bench_attendance_write",
    "benchmarks.bench_archive_pdf",
    "benchmarks.bench_batch_export",
    "benchmarks.bench_trainee_filter",
    "benchmarks.bench_attendance_grid",
    "benchmarks.bench_rules",
    "benchmarks.bench_ui_stall",
]


@dataclasses.dataclass
class Context:
    quick: bool
    runs: int
    tmp: Path
    register_dir: Path  # the large register (do not write to it: copy first)


def machine() -> str:
    return f"{platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, fewer runs")
    parser.add_argument("--json", type=Path, help="write the results as a JSON list")
    parser.add_argument("--only", nargs="*", help="benchmark names to run (e.g. attendance_write)")
    parser.add_argument("--register", type=Path, help="reuse a register made by python -m benchmarks.generate")
    parser.add_argument("--runs", type=int)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory(prefix="zt-bench-") as tmp:
        tmp_path = Path(tmp)
        register_dir = args.register
        if register_dir is None:
            from benchmarks.generate import generate

            register_dir = tmp_path / "large"
            scale = 10 if args.quick else 1
            print(f"generating the large register ({'quick' if args.quick else 'full'}) …", flush=True)
            generate(register_dir, classes=1000 // scale, trainees=25_000 // scale)
        ctx = Context(args.quick, args.runs or (3 if args.quick else 5), tmp_path, register_dir)
        results, failed = [], []
        for name in MODULES:
            short = name.rsplit(".bench_", 1)[-1]
            if args.only and short not in args.only:
                continue
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                print(f"{short:<18} not available ({exc})")
                continue
            try:
                for result in module.run(ctx):
                    results.append(result)
                    flag = "ok " if result.met else "MISS"
                    print(
                        f"{result.name:<18} ours {result.ours_s:8.3f}s  floor {result.floor_s:8.3f}s  "
                        f"ratio {result.ratio:5.2f}  goal {result.goal:4.1f}{'s' if result.absolute else ' '} {flag} {result.note}",
                        flush=True,
                    )
            except Exception:
                failed.append(short)
                traceback.print_exc()
        if args.json:
            args.json.write_text(
                json.dumps([r.as_dict() | {"machine": machine()} for r in results], ensure_ascii=False, indent=2)
            )
    print(f"machine: {machine()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
