"""Fonts for the documents: always embedded TrueType, never reportlab's CID or standard-14 fonts.

An archive that depends on the reader's fonts is not an archive. reportlab embeds a subset of
any TrueType font it draws with, so every document uses TrueType only: the shipped WenQuanYi
Micro Hei (``resources/fonts``, Apache-2.0) by default, or an installed 宋体 / 仿宋 (SimSun,
FangSong) that the user chooses by path. CFF-flavoured OpenType fonts (Noto CJK, Source Han)
cannot be embedded by reportlab and are refused with a sentence that says so.

Headings use the shipped sans (a 黑体 look, as on official forms); the body uses the chosen font.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from zunyi_trainer import paths
from zunyi_trainer.errors import ValidationError

FALLBACK_FILE = "wqy-microhei.ttc"
FALLBACK_NAME = "ZT-WQYMicroHei"
FONT_SETTING_KEY = "documents.body_font"

# File names of the usual Chinese serif fonts on Windows and in common Linux/macOS installs, with
# the name the user knows them by. Only TrueType (.ttf/.ttc) is listed: reportlab cannot embed CFF.
KNOWN_FONTS: dict[str, str] = {
    "simsun.ttc": "宋体 SimSun",
    "simsun.ttf": "宋体 SimSun",
    "simfang.ttf": "仿宋 FangSong",
    "fangsong.ttf": "仿宋 FangSong",
    "fangsong_gb2312.ttf": "仿宋_GB2312",
    "simkai.ttf": "楷体 KaiTi",
    "stsong.ttf": "华文宋体 STSong",
    "stfangso.ttf": "华文仿宋 STFangsong",
    "songti.ttc": "宋体-简 Songti SC",
}

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


@dataclasses.dataclass(frozen=True)
class FontSet:
    """The reportlab names of the registered fonts a document draws with."""

    body: str
    heading: str
    body_path: str
    heading_path: str


@dataclasses.dataclass(frozen=True)
class InstalledFont:
    label: str
    path: Path


def fallback_font_path() -> Path:
    return paths.resources_dir() / "fonts" / FALLBACK_FILE


def _font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    dirs += [
        Path("C:/Windows/Fonts"),
        Path.home() / ".fonts",
        Path.home() / ".local/share/fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        Path.home() / "Library/Fonts",
    ]
    return dirs


def find_installed_fonts(extra_dirs: list[Path] | None = None) -> list[InstalledFont]:
    """Installed 宋体/仿宋-style TrueType fonts the user may choose for the body text."""
    found: dict[Path, InstalledFont] = {}
    for base in [*(extra_dirs or []), *_font_dirs()]:
        if not base.is_dir():
            continue
        try:
            candidates = list(base.rglob("*")) if base.parts[-1] != "Fonts" else list(base.iterdir())
        except OSError:
            continue
        for path in candidates:
            label = KNOWN_FONTS.get(path.name.lower())
            if label and path.is_file():
                found.setdefault(path.resolve(), InstalledFont(label, path))
    return sorted(found.values(), key=lambda f: (f.label, str(f.path)))


def _register(path: Path, index: int = 0) -> str:
    """Register one TrueType face (cached); returns its reportlab name."""
    key = (str(path.resolve()), index)
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        name = FALLBACK_NAME if path.name == FALLBACK_FILE else f"ZT-{path.stem}-{index}-{len(_registered)}"
        try:
            font = TTFont(name, str(path), subfontIndex=index)
        except (TTFError, OSError, ValueError) as exc:
            raise ValidationError(
                "无法使用字体文件 {path}：{problem}。请选择 TrueType 格式（.ttf 或 .ttc）的宋体或仿宋字体；"
                "OpenType/CFF 字体（如思源宋体、Noto CJK）不能嵌入 PDF。",
                "The font file {path} cannot be used ({problem}). Choose a TrueType (.ttf or .ttc) "
                "SimSun or FangSong; OpenType/CFF fonts (Source Han, Noto CJK) cannot be embedded.",
                field="font",
                code="documents.font",
                path=str(path),
                problem=str(exc).splitlines()[0][:160],
            ) from None
        if not _has_cjk(font):
            raise ValidationError(
                "字体文件 {path} 不含汉字，不能用于中文文书。",
                "The font file {path} has no Chinese characters and cannot print these documents.",
                field="font",
                code="documents.font_no_cjk",
                path=str(path),
            )
        pdfmetrics.registerFont(font)
        _registered[key] = name
        return name


def _has_cjk(font: TTFont) -> bool:
    cmap = font.face.charToGlyph
    return all(ord(ch) in cmap for ch in "培训签到表")


def register_fonts(body_path: str | Path | None = None) -> FontSet:
    """Register the fallback font and, when given, the user's body font; both are embedded."""
    fallback = fallback_font_path()
    heading = _register(fallback)
    if not body_path:
        return FontSet(heading, heading, str(fallback), str(fallback))
    path = Path(body_path).expanduser()
    if not path.is_file():
        raise ValidationError(
            "找不到字体文件 {path}。请检查路径，或不指定字体以使用程序自带的字体。",
            "The font file {path} does not exist. Check the path, or leave it out to use the built-in font.",
            field="font",
            code="documents.font_missing",
            path=str(path),
        )
    body = _register(path)
    return FontSet(body, heading, str(path), str(fallback))


def missing_characters(font_name: str, value: str) -> str:
    """The characters of ``value`` the registered font cannot draw (they would print as boxes),
    e.g. rare characters of a name (生僻字) outside the font's repertoire."""
    cmap = pdfmetrics.getFont(font_name).face.charToGlyph
    seen = []
    for ch in value:
        if not ch.isspace() and ord(ch) not in cmap and ch not in seen:
            seen.append(ch)
    return "".join(seen)


def load_font_preference(session) -> str | None:
    """The body font the school chose (a path), from the ``setting`` table; None: built-in font."""
    import json

    from zunyi_trainer.models import Setting

    row = session.get(Setting, FONT_SETTING_KEY)
    if row is None:
        return None
    value = json.loads(row.value)
    return value or None


def save_font_preference(session, path: str | Path | None) -> None:
    """Remember the chosen body font (checked first); ``None`` goes back to the built-in font."""
    import json

    from zunyi_trainer.models import Setting

    if path:
        register_fonts(path)
    value = json.dumps(str(path) if path else "", ensure_ascii=False)
    row = session.get(Setting, FONT_SETTING_KEY)
    if row is None:
        session.add(Setting(key=FONT_SETTING_KEY, value=value))
    else:
        row.value = value


def fonts_for(session, body_path: str | Path | None = None) -> FontSet:
    """The fonts a document uses: an explicit path, else the school's preference, else built-in.

    A remembered font that has since disappeared (another PC, an uninstalled font) falls back to
    the built-in one rather than refusing to print.
    """
    if body_path:
        return register_fonts(body_path)
    preferred = load_font_preference(session) if session is not None else None
    if preferred:
        try:
            return register_fonts(preferred)
        except ValidationError:
            pass
    return register_fonts()
