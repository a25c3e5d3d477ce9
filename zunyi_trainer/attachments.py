"""The attachment store: files kept under their SHA-256 in the data dir's ``attachments/``.

Content addressing means a file added twice is stored once, and anyone can check that what the
archive lists is what the store holds.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import Attachment, AttachmentKind

MAX_SIZE = 2 * 1024**3  # 2 GiB: a long classroom video, not a disk image


def blob_path(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256


def store_bytes(store: Path, data: bytes) -> tuple[str, int]:
    digest = hashlib.sha256(data).hexdigest()
    target = blob_path(store, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    return digest, len(data)


def store_file(store: Path, source: Path) -> tuple[str, int]:
    """Copy ``source`` into the store (hashing while copying); returns (sha256, size)."""
    size = source.stat().st_size
    if size > MAX_SIZE:
        raise ValidationError(
            "文件 {name} 太大（{mb} MB），单个附件不能超过 2 GB。",
            "The file {name} is too large ({mb} MB); an attachment may be at most 2 GB.",
            name=source.name,
            mb=size // 1024**2,
        )
    store.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".incoming-")
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        target = blob_path(store, digest.hexdigest())
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return digest.hexdigest(), size


def guess_kind(filename: str) -> AttachmentKind:
    media = mimetypes.guess_type(filename)[0] or ""
    if media.startswith("image/"):
        return AttachmentKind.PHOTO
    if media.startswith("audio/"):
        return AttachmentKind.AUDIO
    if media.startswith("video/"):
        return AttachmentKind.VIDEO
    if media == "application/pdf":
        return AttachmentKind.SCAN
    return AttachmentKind.DOCUMENT


def add_attachment(
    session: Session,
    store: Path,
    source: Path | bytes,
    *,
    filename: str | None = None,
    kind: AttachmentKind | None = None,
    **owner_and_details: object,
) -> Attachment:
    """Store a file and add its row (owner: ``training_class=``, ``spend=``, ``session=`` …)."""
    if isinstance(source, bytes):
        if not filename:
            raise ValueError("filename is required for bytes")
        digest, size = store_bytes(store, source)
    else:
        digest, size = store_file(store, source)
        filename = filename or source.name
    att = Attachment(
        sha256=digest,
        size=size,
        filename=filename,
        media_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        kind=kind or guess_kind(filename),
        **owner_and_details,
    )
    session.add(att)
    return att


def export_copy(store: Path, att: Attachment, target: Path) -> None:
    shutil.copyfile(blob_path(store, att.sha256), target)
