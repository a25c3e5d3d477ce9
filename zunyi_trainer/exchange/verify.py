"""Verify a batch as the county would, trusting nothing in it until it is checked.

The checks run in this order, and the first that fails is named in a sentence:

1. the file itself: present, within the size cap, a readable zip, nothing encrypted;
2. every member name, before anything is read: ASCII, no absolute path, no ``..``, no backslash,
   one top folder, no duplicates, only the names a batch can hold; sizes and compression ratios
   within caps (a zip bomb is refused from its directory alone);
3. the BagIt payload manifest (every payload file listed, present and with its SHA-256), the
   Payload-Oxum, and the tag manifest;
4. the header (``data/batch.json``) against its schema and the bag-info, and the record counts
   against the lines of each table's file;
5. the Ed25519 signature of the tag manifest, with the key in the bag or a pinned key;
6. the chain: sequence number and previous batch's hash, when earlier batches are known.

Nothing is extracted: members are read as streams from the zip, so nothing is written anywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.exchange import signing
from zunyi_trainer.exchange.export import (
    BAG_INFO,
    BAGIT_TXT,
    HEADER,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    TAG_FILES,
    TAGMANIFEST,
    WORKBOOK,
    file_sha256,
)
from zunyi_trainer.exchange.schemas import BATCH_HEADER_SCHEMA, RECORD_LINE_SCHEMA, first_error
from zunyi_trainer.exchange.tables import BY_NAME, DELETE, OP_KEY, UPSERT

MAX_BATCH_BYTES = 8 * 1024**3  # the zip on the stick
MAX_TOTAL_BYTES = 16 * 1024**3  # everything in it, unpacked
MAX_MEMBER_BYTES = 4 * 1024**3  # one member unpacked (an attachment may be 2 GB)
MAX_TAG_BYTES = 64 * 1024**2  # a tag file or the header, read into memory
MAX_MEMBERS = 500_000
MAX_RATIO = 100  # unpacked / packed; JSON lines deflate by about 10
RATIO_FLOOR = 1024**2  # smaller members may compress as well as they like

_ROOT = re.compile(r"^zunyi-batch-[0-9A-Z]{18}-[0-9]{6}$")
_FIXED = {BAGIT_TXT, BAG_INFO, MANIFEST, TAGMANIFEST, SIGNATURE, PUBLIC_KEY, HEADER, WORKBOOK}
_PATTERNS = (
    re.compile(r"^data/records/[a-z_]{1,40}\.jsonl$"),
    re.compile(r"^data/attachments/[0-9a-f]{64}$"),
    re.compile(r"^data/documents/[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}/[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}$"),
)


class BatchRefused(ValidationError):
    """A batch that fails a check; ``code`` says which (``batch.<reason>``)."""

    code = "batch.refused"


def _refuse(reason: str, zh: str, en: str, **data: Any) -> BatchRefused:
    return BatchRefused(zh, en, code=f"batch.{reason}", **data)


@dataclasses.dataclass
class VerifyReport:
    path: Path
    sha256: str
    uscc: str
    institution_name: str
    seq: int
    kind: str
    prev_sha256: str
    record_counts: dict[str, dict[str, int]]
    fingerprint: str
    key_pinned: bool
    chain_checked: bool
    header: dict[str, Any]


# --- 2. names and sizes ----------------------------------------------------------------------


def _check_members(zf: zipfile.ZipFile) -> tuple[str, dict[str, zipfile.ZipInfo]]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(
            "too_many", "批次包含 {n} 个文件，超过上限。", "The batch holds {n} files, more than allowed.", n=len(infos)
        )
    root = None
    members: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            raise _refuse(
                "absolute_path",
                "批次中的文件名 {name} 是绝对路径，可能覆盖本机文件，已拒绝。",
                "The member {name} has an absolute path that could overwrite files on this machine; refused.",
                name=name,
            )
        if "\\" in name or ".." in name.split("/"):
            raise _refuse(
                "path_traversal",
                "批次中的文件名 {name} 含有 .. 或反斜杠，会跳出批次目录，已拒绝。",
                "The member {name} contains .. or a backslash and would leave the batch folder; refused.",
                name=name,
            )
        if not name.isascii() or any(ord(ch) < 32 for ch in name):
            raise _refuse(
                "member_name",
                "批次中的文件名 {name} 含有非 ASCII 字符，批次只使用 ASCII 文件名。",
                "The member {name} has a non-ASCII name; a batch only uses ASCII names.",
                name=name.encode("ascii", "backslashreplace").decode(),
            )
        if name in seen:
            raise _refuse(
                "duplicate",
                "批次中的文件 {name} 出现了不止一次，无法确定哪一个是真的，已拒绝。",
                "The member {name} appears more than once, so which one is genuine cannot be told; refused.",
                name=name,
            )
        seen.add(name)
        top, _, rel = name.partition("/")
        if root is None:
            root = top
        if top != root or not _ROOT.match(top) or not (rel in _FIXED or any(p.match(rel) for p in _PATTERNS)):
            raise _refuse(
                "unexpected_member",
                "批次中有不应出现的文件 {name}。",
                "The batch holds a member it should not: {name}.",
                name=name,
            )
        if info.flag_bits & 0x1:
            raise _refuse("encrypted", "批次中的文件 {name} 已加密，无法核对。", "The member {name} is encrypted.", name=name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                "compression",
                "批次中的文件 {name} 使用了不支持的压缩方式。",
                "The member {name} uses an unsupported compression method.",
                name=name,
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse(
                "too_large",
                "批次中的文件 {name} 解压后有 {mb} MB，超过上限。",
                "The member {name} unpacks to {mb} MB, more than allowed.",
                name=name,
                mb=info.file_size // 1024**2,
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(
                "zip_bomb",
                "批次中的文件 {name} 压缩比异常（{ratio} 倍），疑似“压缩炸弹”，已拒绝。",
                "The member {name} has an abnormal compression ratio ({ratio}x), like a zip bomb; refused.",
                name=name,
                ratio=info.file_size // max(info.compress_size, 1),
            )
        total += info.file_size
        members[rel] = info
    if total > MAX_TOTAL_BYTES:
        raise _refuse(
            "too_large",
            "批次解压后共 {gb} GB，超过上限。",
            "The batch unpacks to {gb} GB, more than allowed.",
            gb=total // 1024**3,
        )
    if root is None:
        raise _refuse("not_bag", "批次是空的。", "The batch is empty.")
    for required in (BAGIT_TXT, BAG_INFO, MANIFEST, TAGMANIFEST, SIGNATURE, PUBLIC_KEY, HEADER):
        if required not in members:
            raise _refuse(
                "missing_file",
                "批次缺少必需的文件 {name}。",
                "The batch lacks the required file {name}.",
                name=f"{root}/{required}",
            )
    return root, members


# --- 3. manifests ------------------------------------------------------------------------------


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_TAG_BYTES:
        raise _refuse("too_large", "批次中的文件 {name} 过大。", "The member {name} is too large.", name=info.filename)
    with zf.open(info) as fh:
        return fh.read(MAX_TAG_BYTES + 1)


def _parse_manifest(data: bytes, name: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-f]{64}", parts[0]):
            raise _refuse(
                "manifest_format",
                "清单 {name} 中有无法识别的一行：{line}",
                "The manifest {name} has a line that cannot be read: {line}",
                name=name,
                line=line[:120],
            )
        path = parts[1].strip()
        if path in entries:
            raise _refuse(
                "manifest_format",
                "清单 {name} 重复列出了 {path}。",
                "The manifest {name} lists {path} twice.",
                name=name,
                path=path,
            )
        entries[path] = parts[0]
    return entries


def _parse_tag_file(data: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in data.decode("utf-8", "replace").splitlines():
        if ":" in line and not line.startswith((" ", "\t")):
            label, _, value = line.partition(":")
            out.setdefault(label.strip(), value.strip())
    return out


@dataclasses.dataclass
class _RecordStats:
    upserts: int = 0
    deletes: int = 0
    problem: str | None = None
    files: list[str] = dataclasses.field(default_factory=list)


_UUID = re.compile(RECORD_LINE_SCHEMA["properties"]["uuid"]["pattern"])


def _scan_records(stats: _RecordStats, line: bytes, table: str, number: int) -> None:
    if stats.problem is not None or not line.strip():
        return
    try:
        rec = json.loads(line)
    except ValueError:
        stats.problem = f"{table}.jsonl line {number}: not JSON"
        return
    # The record line schema, checked directly: this runs for every line of a large batch.
    op = rec.get(OP_KEY) if isinstance(rec, dict) else None
    uid = rec.get("uuid") if isinstance(rec, dict) else None
    if op not in (UPSERT, DELETE) or not isinstance(uid, str) or not _UUID.fullmatch(uid):
        stats.problem = f"{table}.jsonl line {number}: {first_error(rec, RECORD_LINE_SCHEMA)}"
        return
    if op == UPSERT:
        stats.upserts += 1
        if table == "attachments" and rec.get("file"):
            stats.files.append(str(rec["file"]))
    else:
        stats.deletes += 1


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stats: _RecordStats | None, table: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    rest = b""
    number = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
                if stats is not None:
                    lines = (rest + chunk).split(b"\n")
                    rest = lines.pop()
                    for line in lines:
                        number += 1
                        _scan_records(stats, line, table, number)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse(
            "damaged",
            "批次中的文件 {name} 已损坏，无法读出（{why}）。",
            "The member {name} is damaged and cannot be read ({why}).",
            name=info.filename,
            why=str(exc)[:80],
        ) from exc
    if stats is not None and rest.strip():
        _scan_records(stats, rest, table, number + 1)
    return h.hexdigest(), size


def _check_payload(
    zf: zipfile.ZipFile, root: str, members: dict[str, zipfile.ZipInfo], bag_info: dict[str, str]
) -> dict[str, _RecordStats]:
    manifest = _parse_manifest(_read_small(zf, members[MANIFEST]), MANIFEST)
    payload = {rel for rel in members if rel.startswith("data/")}
    for rel in sorted(manifest):
        if rel not in members:
            raise _refuse(
                "missing_file",
                "清单列出的文件 {name} 不在批次中（文件被删除或丢失）。",
                "The file {name} listed in the manifest is not in the batch (it was removed or lost).",
                name=f"{root}/{rel}",
            )
    unlisted = sorted(payload - set(manifest))
    if unlisted:
        raise _refuse(
            "unlisted_file",
            "批次中的文件 {name} 不在清单中（文件是后来加入的）。",
            "The file {name} is in the batch but not in its manifest (it was added later).",
            name=f"{root}/{unlisted[0]}",
        )
    stats: dict[str, _RecordStats] = {}
    total_bytes = 0
    for rel in sorted(manifest):
        table = ""
        record_stats = None
        if rel.startswith("data/records/"):
            table = rel.removeprefix("data/records/").removesuffix(".jsonl")
            record_stats = stats.setdefault(table, _RecordStats())
        digest, size = _hash_member(zf, members[rel], record_stats, table)
        total_bytes += size
        if digest != manifest[rel]:
            raise _refuse(
                "checksum",
                "批次中的文件 {name} 的 SHA-256 与清单不符：文件在导出后被改动过。",
                "The SHA-256 of {name} does not match the manifest: the file was changed after export.",
                name=f"{root}/{rel}",
            )
    oxum = bag_info.get("Payload-Oxum", "")
    if oxum != f"{total_bytes}.{len(manifest)}":
        raise _refuse(
            "oxum",
            "bag-info.txt 中的 Payload-Oxum（{oxum}）与实际内容（{n} 个文件，{b} 字节）不符。",
            "The Payload-Oxum in bag-info.txt ({oxum}) does not match the payload ({n} files, {b} bytes).",
            oxum=oxum or "-",
            n=len(manifest),
            b=total_bytes,
        )
    return stats


def _check_tags(zf: zipfile.ZipFile, root: str, members: dict[str, zipfile.ZipInfo]) -> bytes:
    raw = _read_small(zf, members[TAGMANIFEST])
    entries = _parse_manifest(raw, TAGMANIFEST)
    for rel in TAG_FILES:
        if rel not in entries:
            raise _refuse(
                "tagmanifest",
                "标签清单没有覆盖 {name}，它可能被替换而无法察觉。",
                "The tag manifest does not cover {name}, so it could be replaced unnoticed.",
                name=f"{root}/{rel}",
            )
    for rel, expected in sorted(entries.items()):
        if rel not in members:
            raise _refuse(
                "missing_file",
                "标签清单列出的文件 {name} 不在批次中。",
                "The file {name} listed in the tag manifest is not in the batch.",
                name=f"{root}/{rel}",
            )
        if hashlib.sha256(_read_small(zf, members[rel])).hexdigest() != expected:
            raise _refuse(
                "checksum",
                "批次中的 {name} 与标签清单不符：文件在导出后被改动过。",
                "{name} does not match the tag manifest: the file was changed after export.",
                name=f"{root}/{rel}",
            )
    return raw


# --- 4. header and counts -------------------------------------------------------------------


def _check_header(
    zf: zipfile.ZipFile,
    root: str,
    members: dict[str, zipfile.ZipInfo],
    bag_info: dict[str, str],
    stats: dict[str, _RecordStats],
) -> dict[str, Any]:
    try:
        header = json.loads(_read_small(zf, members[HEADER]))
    except ValueError as exc:
        raise _refuse("header", "批次头 batch.json 不是有效的 JSON。", "The header batch.json is not valid JSON.") from exc
    problem = first_error(header, BATCH_HEADER_SCHEMA)
    if problem:
        raise _refuse(
            "header",
            "批次头 batch.json 不符合格式规范：{problem}",
            "The header batch.json does not match its schema: {problem}",
            problem=problem,
        )
    uscc, seq = header["institution"]["uscc"], header["seq"]
    if (
        root != f"zunyi-batch-{uscc}-{seq:06d}"
        or bag_info.get("Zunyi-Institution-USCC") != uscc
        or bag_info.get("Zunyi-Batch-Sequence") != str(seq)
    ):
        raise _refuse(
            "header",
            "批次头（学校 {uscc}，序号 {seq}）与批次目录名或 bag-info.txt 不一致。",
            "The header (school {uscc}, number {seq}) disagrees with the folder name or bag-info.txt.",
            uscc=uscc,
            seq=seq,
        )
    counts = header["record_counts"]
    missing = sorted(set(header["tables"]) - set(stats))
    if missing:
        raise _refuse(
            "counts",
            "批次头列出的数据表 {t} 没有数据文件。",
            "The header lists the table {t}, but the batch has no file for it.",
            t=missing[0],
        )
    for table in sorted(set(counts) | set(stats)):
        if table not in BY_NAME:
            raise _refuse("counts", "批次包含未知的数据表 {t}。", "The batch holds an unknown table {t}.", t=table)
        found = stats.get(table)
        if found is not None and found.problem:
            raise _refuse(
                "counts",
                "数据文件中有无法识别的记录：{p}",
                "A record file holds a line that cannot be read: {p}",
                p=found.problem,
            )
        declared = counts.get(table)
        got = (found.upserts, found.deletes) if found else None
        want = (declared["records"], declared["deleted"]) if declared else None
        if got != want:
            raise _refuse(
                "counts",
                "数据表 {t} 的记录数与批次头不符：批次头写 {want}，文件中有 {got}。",
                "The record count of table {t} disagrees with the header: the header says {want}, the file holds {got}.",
                t=table,
                want=f"{want[0]}+{want[1]}" if want else "-",
                got=f"{got[0]}+{got[1]}" if got else "-",
            )
    for ref in stats.get("attachments", _RecordStats()).files:
        if f"data/{ref}" not in members:
            raise _refuse(
                "missing_file",
                "附件索引引用的文件 {name} 不在批次中。",
                "The attachment index refers to {name}, which is not in the batch.",
                name=f"{root}/data/{ref}",
            )
    return header


# --- 5. signature --------------------------------------------------------------------------------


def _pinned_key_fingerprint(pubkey: str) -> str:
    """The 64 hex digits of a pinned key given as a fingerprint or as a key file."""
    as_fp = signing.normalise_fingerprint(pubkey)
    if as_fp is not None:
        return as_fp
    path = Path(pubkey).expanduser()
    if not path.is_file():
        raise ValidationError(
            "--pubkey 应是公钥文件或其指纹（SHA256:…），{k} 两者都不是。",
            "--pubkey should be a public key file or its fingerprint (SHA256:…); {k} is neither.",
            code="exchange.bad_pubkey",
            k=pubkey,
        )
    key = signing.load_public_key(path.read_bytes())
    return signing.normalise_fingerprint(signing.fingerprint(key)) or ""


def _check_signature(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], tagmanifest: bytes, pubkey: str | None
) -> tuple[str, bool]:
    try:
        key = signing.load_public_key(_read_small(zf, members[PUBLIC_KEY]))
    except ValidationError as exc:
        raise _refuse(
            "signature",
            "批次中的公钥 school-key.pub 无法读取，签名无从核对。",
            "The public key school-key.pub in the batch cannot be read, so the signature cannot be checked.",
        ) from exc
    fp = signing.fingerprint(key)
    if pubkey is not None:
        pinned = _pinned_key_fingerprint(pubkey)
        if signing.normalise_fingerprint(fp) != pinned:
            raise _refuse(
                "wrong_key",
                "批次由另一把密钥签名（{fp}），不是登记的学校密钥，已拒绝。",
                "The batch was signed with another key ({fp}), not the school's registered key; refused.",
                fp=fp,
            )
    if not signing.signature_valid(key, tagmanifest, _read_small(zf, members[SIGNATURE])):
        raise _refuse(
            "signature",
            "批次的签名无效：标签清单在签名后被改动过，或签名不属于这把密钥。",
            "The batch's signature is not valid: the tag manifest was changed after signing, or the signature is not this key's.",
        )
    return fp, pubkey is not None


# --- 6. chain --------------------------------------------------------------------------------------


def check_chain(seq: int, prev_sha256: str, sha256: str, known: Mapping[int, str] | None) -> bool:
    """Check a batch's place among the batches already received from its school (seq -> sha256).
    Returns whether the chain could be checked against earlier batches."""
    if seq == 1 and prev_sha256:
        raise _refuse(
            "chain",
            "批次 1 是第一个批次，却声明了上一批次的哈希。",
            "Batch 1 is the first batch but names a previous batch's hash.",
        )
    if not known:
        if seq > 1 and not prev_sha256:
            raise _refuse(
                "chain",
                "批次 {seq} 没有记录上一批次的哈希，无法接续。",
                "Batch {seq} does not name the previous batch's hash, so it cannot follow on.",
                seq=seq,
            )
        return False
    last = max(known)
    if seq in known:
        if known[seq] == sha256:
            raise _refuse(
                "replay",
                "批次 {seq} 已经接收过（内容相同），这是重复提交。",
                "Batch {seq} was already received (same content); this is a replay.",
                seq=seq,
            )
        raise _refuse(
            "fork",
            "已接收过另一个序号为 {seq} 的批次，两者内容不同，已拒绝。",
            "A different batch number {seq} was already received; refused.",
            seq=seq,
        )
    if seq < last:
        raise _refuse(
            "replay",
            "批次 {seq} 早于已接收的批次 {last}，顺序不对，已拒绝。",
            "Batch {seq} is older than the batch {last} already received; out of order, refused.",
            seq=seq,
            last=last,
        )
    if seq > last + 1:
        raise _refuse(
            "gap",
            "缺少批次 {missing}：已接收到批次 {last}，这个是批次 {seq}。请先提交缺少的批次。",
            "Batch {missing} is missing: batches were received up to {last}, this is batch {seq}. Deliver the missing ones first.",
            missing=f"{last + 1}" if seq == last + 2 else f"{last + 1}–{seq - 1}",
            last=last,
            seq=seq,
        )
    if prev_sha256 != known[last]:
        raise _refuse(
            "chain",
            "批次 {seq} 记录的上一批次哈希与已接收的批次 {last} 不符。",
            "Batch {seq} names a previous hash that does not match batch {last} as received.",
            seq=seq,
            last=last,
        )
    return True


# --- the whole check -------------------------------------------------------------------------------


def verify_batch(
    path: Path | str,
    *,
    pubkey: str | None = None,
    known: Mapping[int, str] | None = None,
    known_uscc: str | None = None,
) -> VerifyReport:
    """Check the batch at ``path``; raises :class:`BatchRefused` naming the first failure.

    ``pubkey`` pins the school's key (a key file or its fingerprint); ``known`` maps the sequence
    numbers of this school's batches already received to their SHA-256 (``known_uscc`` is that
    school, when known).
    """
    path = Path(path)
    if not path.is_file():
        raise _refuse("missing", "找不到批次文件 {p}。", "There is no batch file at {p}.", p=str(path))
    size = path.stat().st_size
    if size > MAX_BATCH_BYTES:
        raise _refuse("too_large", "批次文件 {p} 过大。", "The batch file {p} is too large.", p=str(path))
    try:
        zf = zipfile.ZipFile(path)
    # NotImplementedError: a directory entry claiming a zip version or method zipfile cannot read
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse("not_zip", "{p} 不是有效的 zip 批次文件。", "{p} is not a valid zip batch file.", p=str(path)) from exc
    with zf:
        try:
            root, members = _check_members(zf)
            bagit_txt = _parse_tag_file(_read_small(zf, members[BAGIT_TXT]))
            if "BagIt-Version" not in bagit_txt:
                raise _refuse(
                    "not_bag",
                    "批次不是 BagIt 包（bagit.txt 无版本）。",
                    "The batch is not a BagIt bag (no version in bagit.txt).",
                )
            bag_info = _parse_tag_file(_read_small(zf, members[BAG_INFO]))
            stats = _check_payload(zf, root, members, bag_info)
            tagmanifest = _check_tags(zf, root, members)
            header = _check_header(zf, root, members, bag_info, stats)
            fp, pinned = _check_signature(zf, members, tagmanifest, pubkey)
        except BatchRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            # A zip whose directory reads but whose members do not: damaged in transit, or forged.
            raise _refuse(
                "damaged",
                "批次文件已损坏，无法读出（{why}）。请让学校重新导出或重新拷贝。",
                "The batch file is damaged and cannot be read ({why}). Ask the school to export or copy it again.",
                why=str(exc)[:120],
            ) from exc
    digest = file_sha256(path)
    if known_uscc is not None and header["institution"]["uscc"] != known_uscc:
        raise _refuse(
            "chain",
            "这个批次来自学校 {b}，而作为参照的早先批次来自学校 {a}。",
            "This batch comes from school {b}, but the earlier batches given for reference come from school {a}.",
            a=known_uscc,
            b=header["institution"]["uscc"],
        )
    chained = check_chain(header["seq"], header["prev_sha256"], digest, known)
    return VerifyReport(
        path=path,
        sha256=digest,
        uscc=header["institution"]["uscc"],
        institution_name=header["institution"]["name"],
        seq=header["seq"],
        kind=header["kind"],
        prev_sha256=header["prev_sha256"],
        record_counts=header["record_counts"],
        fingerprint=fp,
        key_pinned=pinned,
        chain_checked=chained,
        header=header,
    )


def known_from_batches(paths: Iterable[Path | str], *, pubkey: str | None = None) -> tuple[str | None, dict[int, str]]:
    """The school and the (seq -> sha256) of earlier batches of one school, each verified first."""
    known: dict[int, str] = {}
    uscc = None
    for p in paths:
        report = verify_batch(p, pubkey=pubkey)
        if uscc is not None and report.uscc != uscc:
            raise _refuse(
                "chain",
                "作为参照的早先批次来自不同的学校（{a} 与 {b}）。",
                "The earlier batches given for reference come from different schools ({a} and {b}).",
                a=uscc,
                b=report.uscc,
            )
        uscc = report.uscc
        known[report.seq] = report.sha256
    return uscc, known


def check_against_exported(report: VerifyReport, exported: Mapping[int, str]) -> bool:
    """On the school's own machine: is this the batch the register recorded under its number, and
    does it follow the one recorded before it? Returns whether the register could tell."""
    if report.seq in exported and exported[report.seq] != report.sha256:
        raise _refuse(
            "fork",
            "这不是本校导出的批次 {seq}：登记册中记录的批次 {seq} 哈希不同。",
            "This is not the batch {seq} this school exported: the register records another hash for batch {seq}.",
            seq=report.seq,
        )
    before = exported.get(report.seq - 1)
    if before is not None and report.prev_sha256 != before:
        raise _refuse(
            "chain",
            "批次 {seq} 记录的上一批次哈希与登记册中的批次 {prev} 不符。",
            "Batch {seq} names a previous hash that does not match batch {prev} in the register.",
            seq=report.seq,
            prev=report.seq - 1,
        )
    return report.seq in exported or before is not None
