"""Bring the Chinese catalogue up to date with the code, fill in translations, compile it.

    uv run python tools/translate.py [PAIRS.tsv …] [--commit MESSAGE]

1. ``pyside6-lupdate`` reads every ``tr()`` string of ``zunyi_trainer/gui`` and ``ui/*.ui`` into
   ``resources/i18n/zunyi_trainer_zh_CN.ts`` (new ones arrive unfinished);
2. each PAIRS file (lines ``English<TAB>中文``; ``\\n`` for a line break) fills the unfinished
   entries whose English matches;
3. ``pyside6-lrelease`` compiles the ``.qm``;
4. the English of every entry still unfinished is printed (exit 1 if there is any), and with
   ``--commit`` both files are committed.

The whole run holds a lock on the catalogue, so several people can run it at once.
"""

from __future__ import annotations

import argparse
import fcntl
import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "i18n" / "zunyi_trainer_zh_CN.ts"
QM = TS.with_suffix(".qm")
MESSAGE = re.compile(r"<message>.*?</message>", re.S)
SOURCE = re.compile(r"<source>(.*?)</source>", re.S)
UNFINISHED = re.compile(r'<translation type="unfinished"\s*(?:/>|>.*?</translation>)', re.S)


def read_pairs(paths: list[Path]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{n}: expected English<TAB>中文")
            en, zh = line.split("\t", 1)
            pairs[en.replace("\\n", "\n")] = zh.replace("\\n", "\n")
    return pairs


def fill(text: str, pairs: dict[str, str]) -> tuple[str, list[str]]:
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        block = match.group(0)
        if not UNFINISHED.search(block):
            return block
        source = html.unescape(SOURCE.search(block).group(1))
        if source not in pairs:
            missing.append(source)
            return block
        zh = html.escape(pairs[source], quote=False)
        return UNFINISHED.sub(lambda _m: f"<translation>{zh}</translation>", block, count=1)

    return MESSAGE.sub(one, text), missing


def tool(name: str, *args: str) -> None:
    code = f"from PySide6.scripts.pyside_tool import {name}; {name}()"
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairs", nargs="*", type=Path)
    parser.add_argument("--commit", metavar="MESSAGE")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    with TS.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "zunyi_trainer" / "gui").rglob("*.py"))
        sources += sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.ui"))
        tool(
            "lupdate", *sources, "-ts", str(TS), "-no-obsolete", "-locations", "none",
            "-source-language", "en", "-target-language", "zh_CN",
        )  # fmt: skip
        text, missing = fill(TS.read_text(encoding="utf-8"), pairs)
        TS.write_text(text, encoding="utf-8")
        tool("lrelease", str(TS), "-qm", str(QM))
        if args.commit:
            subprocess.run(["git", "commit", "-q", "-m", args.commit, "--", str(TS), str(QM)], cwd=ROOT, check=False)
    for source in missing:
        print(f"unfinished: {source!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
