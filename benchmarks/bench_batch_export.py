"""Benchmark: a full export batch of a large register against the floor of plain JSON lines in a zip.

The floor reads the same rows of the same tables and writes each as a JSON line into a deflated
zip, nothing else. The batch does that and also converts keys to UUIDs, writes the workbook,
copies the attachments, hashes everything, signs, fsyncs, keeps a copy and records the batch.
The goal (issue 6) is at most twice the floor, measured in the same run. The ratio is taken
without the class documents (PDFs), which are not rows and have no counterpart in the floor; one
further export with them shows what they add (``--documents``).

    uv run python benchmarks/bench_batch_export.py [--scale 20] [--data-dir DIR] [--repeat 3]

Without --data-dir a demo register of the given scale is built first (minutes at scale 20); give
the same --data-dir again to reuse it. Every export runs on a fresh copy of the register.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from zunyi_trainer.db import open_register  # noqa: E402
from zunyi_trainer.demo import fill_demo  # noqa: E402
from zunyi_trainer.exchange.export import export_batch  # noqa: E402
from zunyi_trainer.exchange.tables import TABLES  # noqa: E402


def plain_jsonl_zip(data_dir: Path, target: Path) -> tuple[float, float, int]:
    """The floor: the same rows as JSON lines, one file per table, in a deflated zip."""
    reg = open_register(data_dir)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        rows = 0
        with reg.session() as s, zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for spec in TABLES:
                with zf.open(f"{spec.name}.jsonl", "w") as fh:
                    buf = []
                    for row in s.execute(sa.select(spec.table)).yield_per(2000):
                        buf.append(json.dumps(dict(row._mapping), ensure_ascii=False, default=str))
                        rows += 1
                        if len(buf) >= 1000:
                            fh.write(("\n".join(buf) + "\n").encode())
                            buf.clear()
                    if buf:
                        fh.write(("\n".join(buf) + "\n").encode())
        return time.perf_counter() - start, time.process_time() - cpu, rows
    finally:
        reg.close()


def full_batch(data_dir: Path, out: Path, documents: bool = False) -> tuple[float, float, int, int]:
    reg = open_register(data_dir)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = export_batch(reg, out, full=True, documents=documents)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        return elapsed, cpu, sum(c["records"] for c in result.info.record_counts.values()), result.size
    finally:
        reg.close()


def run(ctx) -> list:
    """For ``python -m benchmarks``: a full batch of the large register (no documents) against
    plain JSON lines + zip of the same rows, medians of ``ctx.runs`` fresh copies."""
    import statistics

    from benchmarks.common import Result

    floors, batches = [], []
    rows = 0
    for n in range(ctx.runs):
        copy = ctx.tmp / f"batch-copy{n}"
        shutil.copytree(ctx.register_dir, copy, ignore=shutil.ignore_patterns("*.lock", "logs", "batches", "keys"))
        floor_s, _, rows = plain_jsonl_zip(copy, ctx.tmp / f"batch-plain{n}.zip")
        batch_s, _, records, _ = full_batch(copy, ctx.tmp / f"batch-usb{n}")
        assert records == rows, (records, rows)
        floors.append(floor_s)
        batches.append(batch_s)
        shutil.rmtree(copy, ignore_errors=True)
    return [Result("batch_export", statistics.median(batches), statistics.median(floors), 2.0, ctx.runs, f"{rows} rows")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--documents", action="store_true", help="also time one export with the class documents")
    args = parser.parse_args(argv)

    source = args.data_dir
    if source is None or not (source / "register.sqlite3").exists():
        source = source or Path(tempfile.mkdtemp(prefix="bench-register-"))
        print(f"building a demo register at scale {args.scale} in {source} …", flush=True)
        reg = open_register(source)
        try:
            fill_demo(reg, seed=2026, scale=args.scale)
        finally:
            reg.close()

    floors, batches, floor_cpus, batch_cpus = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        for n in range(args.repeat):
            copy = work / f"copy{n}"
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.lock", "logs", "batches", "keys"))
            floor_s, floor_cpu, rows = plain_jsonl_zip(copy, work / f"plain{n}.zip")
            batch_s, batch_cpu, records, size = full_batch(copy, work / f"usb{n}")
            floors.append(floor_s)
            floor_cpus.append(floor_cpu)
            batches.append(batch_s)
            batch_cpus.append(batch_cpu)
            assert records == rows, (records, rows)
            print(
                f"run {n + 1}: floor {floor_s:.2f} s ({floor_cpu:.2f} s CPU), "
                f"batch {batch_s:.2f} s ({batch_cpu:.2f} s CPU), {rows} rows",
                flush=True,
            )
        plain_size = (work / "plain0.zip").stat().st_size
        with_docs = None
        if args.documents:
            copy = work / "copy-docs"
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.lock", "logs", "batches", "keys"))
            with_docs = full_batch(copy, work / "usb-docs", documents=True)
    floor_best, batch_best = min(floors), min(batches)
    ratio = batch_best / floor_best
    cpu_ratio = min(batch_cpus) / min(floor_cpus)
    print()
    print(f"rows:                       {rows}")
    print(f"plain JSON lines + zip:     {floor_best:.2f} s wall, {min(floor_cpus):.2f} s CPU   {plain_size / 1e6:.1f} MB")
    print(f"full batch (export_batch):  {batch_best:.2f} s wall, {min(batch_cpus):.2f} s CPU   {size / 1e6:.1f} MB")
    print(f"ratio (wall, best of runs): {ratio:.2f}x   (goal: at most 2x) -> {'met' if ratio <= 2 else 'NOT met'}")
    print(f"ratio (CPU, best of runs):  {cpu_ratio:.2f}x   (steadier on a busy machine)")
    if with_docs is not None:
        print(f"with class documents:       {with_docs[0]:.2f} s wall, {with_docs[1]:.2f} s CPU   {with_docs[3] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
