"""Helpers for the exchange tests: reading batches, and making tampered copies of them."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from zunyi_trainer.db import Register, open_register
from zunyi_trainer.exchange import signing


def members(path: Path) -> dict[str, bytes]:
    """Every member of a zip, by name (in order)."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def root_of(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()[0].split("/")[0]


def records(path: Path, table: str) -> list[dict]:
    root = root_of(path)
    with zipfile.ZipFile(path) as zf:
        data = zf.read(f"{root}/data/records/{table}.jsonl").decode()
    return [json.loads(line) for line in data.splitlines() if line]


def header(path: Path) -> dict:
    root = root_of(path)
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(f"{root}/data/batch.json"))


def write_zip(target: Path, entries: list[tuple[str, bytes]], compress: bool = True) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests want
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return target


def tampered(source: Path, target: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """A copy of ``source`` whose members were passed through ``change`` (a dict name -> bytes)."""
    return write_zip(target, list(change(dict(members(source))).items()))


def recompute_manifests(entries: dict[str, bytes], root: str) -> dict[str, bytes]:
    """Recompute the payload manifest, Payload-Oxum and tag manifest, as a careful forger would."""
    payload = {n[len(root) + 1 :]: d for n, d in entries.items() if n.startswith(f"{root}/data/")}
    entries[f"{root}/manifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(d).hexdigest()}  {rel}\n" for rel, d in sorted(payload.items())
    ).encode()
    info = entries[f"{root}/bag-info.txt"].decode().splitlines()
    oxum = f"{sum(len(d) for d in payload.values())}.{len(payload)}"
    entries[f"{root}/bag-info.txt"] = (
        "\n".join(f"Payload-Oxum: {oxum}" if line.startswith("Payload-Oxum:") else line for line in info) + "\n"
    ).encode()
    tags = ("bag-info.txt", "bagit.txt", "manifest-sha256.txt", "school-key.pub")
    entries[f"{root}/tagmanifest-sha256.txt"] = "".join(
        f"{hashlib.sha256(entries[f'{root}/{t}']).hexdigest()}  {t}\n" for t in tags
    ).encode()
    return entries


def resign(entries: dict[str, bytes], root: str, key) -> dict[str, bytes]:
    """Sign the tag manifest again with ``key`` and put its public key in the bag."""
    entries[f"{root}/school-key.pub"] = signing.public_pem(key.public_key())
    entries = recompute_manifests(entries, root)
    entries[f"{root}/tagmanifest-sha256.txt.sig"] = signing.sign(key, entries[f"{root}/tagmanifest-sha256.txt"])
    return entries


def copy_data_dir(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("*.lock", "logs"))
    return target


def open_copy(template: Path, target: Path) -> Register:
    return open_register(copy_data_dir(template, target))


def county_return(tmp_path: Path, code: str, batch=None, *, decision: str = "approved") -> Path:
    """The county's return file for the test school: one decision on ``code``, acknowledging ``batch``."""
    doc = {
        "format": "zunyi-trainer/county-return",
        "version": 1,
        "institution_uscc": "91110000600037341L",  # factories.VALID_USCC, the test school's
        "issued_at": "2026-03-10T10:00:00+08:00",
        "decisions": [
            {
                "class_code": code,
                "decision": decision,
                "approval_no": "湄人社培〔2026〕88号",
                "decided_on": "2026-03-10",
                "approver": "湄潭县人力资源和社会保障局",
                "reason": "同意开班" if decision == "approved" else "实训场地面积不足",
            }
        ],
        "acknowledged_batches": [] if batch is None else [{"seq": batch.seq, "sha256": batch.sha256}],
    }
    path = tmp_path / "回执.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path
