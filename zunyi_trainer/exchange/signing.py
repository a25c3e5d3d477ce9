"""The school's Ed25519 signing key: made on first export, kept in the data dir.

The private key never leaves the machine (``keys/school-ed25519.pem`` in the data dir, readable
by its owner only). The public key travels in every batch; its fingerprint is what the school
registers with the county, on paper or by phone, so that the county can pin it
(``batch verify --pubkey FINGERPRINT``) and a batch signed by any other key is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from zunyi_trainer.errors import ValidationError, ZunyiError

KEY_DIRNAME = "keys"
KEY_FILENAME = "school-ed25519.pem"
FINGERPRINT_PREFIX = "SHA256:"


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_DIRNAME / KEY_FILENAME


def load_or_create_key(data_dir: Path) -> Ed25519PrivateKey:
    """The school's key; created (and written atomically, owner-only) the first time."""
    path = key_path(data_dir)
    if path.exists():
        return load_private_key(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():  # another process made it first: keep theirs, batches already carry it
            os.unlink(tmp)
            return load_private_key(path)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise ZunyiError(
            "学校签名密钥文件 {path} 无法读取（{why}）。请从备份中恢复该文件；如果确实丢失，删除它后会生成新密钥，"
            "但新密钥的指纹需要重新向县人社局登记。",
            "The school's signing key {path} cannot be read ({why}). Restore it from a backup; if it is truly "
            "lost, delete it and a new key is made, whose fingerprint must be registered with the county again.",
            code="exchange.key_unreadable",
            path=str(path),
            why=type(exc).__name__,
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ZunyiError(
            "学校签名密钥文件 {path} 不是 Ed25519 密钥。",
            "The school's signing key {path} is not an Ed25519 key.",
            code="exchange.key_unreadable",
            path=str(path),
        )
    return key


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    """``SHA256:`` and the SHA-256 of the raw 32-byte public key, in groups of four for reading aloud."""
    digest = hashlib.sha256(public_raw(key)).hexdigest()
    return FINGERPRINT_PREFIX + " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def normalise_fingerprint(value: str) -> str | None:
    """The 64 hex digits of a fingerprint as typed (any case, spaces, colons, prefix); None if it is not one."""
    text = value.strip()
    if text.upper().startswith(FINGERPRINT_PREFIX):
        text = text[len(FINGERPRINT_PREFIX) :]
    text = re.sub(r"[\s:-]", "", text).lower()
    return text if re.fullmatch(r"[0-9a-f]{64}", text) else None


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """A public key from PEM (as carried in a batch) or from the raw 32 bytes in base64."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_public_key(data)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(), validate=True))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise ValidationError(
            "公钥无法读取：它应是 PEM 格式的 Ed25519 公钥。",
            "The public key cannot be read: it should be an Ed25519 public key in PEM format.",
            code="exchange.bad_pubkey",
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValidationError("公钥不是 Ed25519 公钥。", "The public key is not an Ed25519 key.", code="exchange.bad_pubkey")
    return key


def sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """The signature file's content: the 64-byte signature in base64, one line."""
    return base64.b64encode(key.sign(message)) + b"\n"


def signature_valid(key: Ed25519PublicKey, message: bytes, signature_file: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature_file.strip(), validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
