"""The schools' registered keys: ``county keys add USCC KEY`` and ``county keys list``.

A school reads its key's fingerprint out of ``zunyi-trainer batch key`` (or hands over the file
written by ``batch key --export``) when it registers with the county. The county pins that key:
a batch signed by any other key is refused on ingest, whatever key the batch itself carries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from zunyi_trainer.county.state import audit_event, county_batch, county_school
from zunyi_trainer.db import Register
from zunyi_trainer.errors import NotFound, ValidationError
from zunyi_trainer.exchange import signing
from zunyi_trainer.idcard import parse_uscc
from zunyi_trainer.timeutil import now_utc


@dataclasses.dataclass(frozen=True)
class SchoolKey:
    uscc: str
    name: str
    fingerprint: str  # as shown to people: SHA256:xxxx xxxx …
    registered_at: dt.datetime
    batches: int
    last_seq: int | None
    last_ingested_at: dt.datetime | None


def display_fingerprint(hex64: str) -> str:
    return signing.FINGERPRINT_PREFIX + " ".join(hex64[i : i + 4] for i in range(0, 64, 4))


def read_key(source: str) -> tuple[str, str]:
    """(64 hex digits, PEM or "") from a fingerprint as typed or a public key file."""
    as_fp = signing.normalise_fingerprint(source)
    if as_fp is not None:
        return as_fp, ""
    path = Path(source).expanduser()
    if not path.is_file():
        raise ValidationError(
            "“{k}”既不是公钥文件，也不是公钥指纹（SHA256: 加 64 位十六进制数）。请让学校运行 "
            "zunyi-trainer batch key --export 文件 导出公钥，或抄下它显示的指纹。",
            "“{k}” is neither a public key file nor a fingerprint (SHA256: and 64 hex digits). Have the "
            "school run zunyi-trainer batch key --export FILE, or copy the fingerprint it shows.",
            field="key",
            code="county.bad_key",
            k=source,
        )
    if path.stat().st_size > 64 * 1024:
        raise ValidationError(
            "{k} 太大，不是公钥文件。", "{k} is too large to be a public key file.", code="county.bad_key", k=source
        )
    key = signing.load_public_key(path.read_bytes())
    fp = signing.normalise_fingerprint(signing.fingerprint(key)) or ""
    return fp, signing.public_pem(key).decode("ascii")


def add_key(register: Register, uscc: str, key_source: str, *, name: str = "", replace: bool = False) -> SchoolKey:
    """Register (or, with ``replace``, change) the key of the school ``uscc``."""
    code = parse_uscc(uscc)
    fp, pem = read_key(key_source)
    with register.transaction() as s:
        row = s.execute(sa.select(county_school).where(county_school.c.uscc == code)).first()
        values = {
            "fingerprint": fp,
            "public_pem": pem,
            "registered_at": now_utc(),
            "registered_by": s.info.get("actor", ""),
        }
        if name.strip():
            values["name"] = name.strip()[:128]
        if row is None:
            s.execute(county_school.insert().values(uscc=code, **values))
            audit_event(s, "county.key_added", "county_school", code, {"fingerprint": fp, "name": name.strip()})
        elif row.fingerprint == fp:
            if name.strip() and name.strip() != row.name:
                s.execute(county_school.update().where(county_school.c.uscc == code).values(name=name.strip()[:128]))
        elif not replace:
            raise ValidationError(
                "学校 {uscc} 已登记了另一把密钥（{old}）。如果学校确实更换了密钥（如电脑损坏），请加 --replace 重新登记；"
                "此后只接受新密钥签名的批次。",
                "School {uscc} already registered another key ({old}). If the school really changed its key "
                "(a broken PC, say), add --replace; from then on only batches signed by the new key are accepted.",
                code="county.key_exists",
                uscc=code,
                old=display_fingerprint(row.fingerprint),
            )
        else:
            s.execute(county_school.update().where(county_school.c.uscc == code).values(**values))
            audit_event(s, "county.key_replaced", "county_school", code, {"old_fingerprint": row.fingerprint, "fingerprint": fp})
    return next(k for k in list_keys(register) if k.uscc == code)


def list_keys(register: Register) -> list[SchoolKey]:
    with register.session() as s:
        stats = {
            r.uscc: (r.n, r.last_seq, r.last_at)
            for r in s.execute(
                sa.select(
                    county_batch.c.uscc,
                    sa.func.count().label("n"),
                    sa.func.max(county_batch.c.seq).label("last_seq"),
                    sa.func.max(county_batch.c.ingested_at).label("last_at"),
                ).group_by(county_batch.c.uscc)
            )
        }
        rows = s.execute(sa.select(county_school).order_by(county_school.c.uscc)).all()
    out = []
    for r in rows:
        n, last_seq, last_at = stats.get(r.uscc, (0, None, None))
        if isinstance(last_at, str | dt.datetime) and last_at is not None:
            last_at = _as_instant(last_at)
        out.append(SchoolKey(r.uscc, r.name, display_fingerprint(r.fingerprint), r.registered_at, n, last_seq, last_at))
    return out


def _as_instant(value: str | dt.datetime) -> dt.datetime:
    """max() over a UTC column comes back untyped on SQLite: text, naive UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def registered_fingerprint(register_session, uscc: str) -> str:
    """The pinned key of ``uscc`` (64 hex digits), or NotFound naming what to do."""
    row = register_session.execute(sa.select(county_school.c.fingerprint).where(county_school.c.uscc == uscc)).first()
    if row is None:
        raise NotFound(
            "学校 {uscc} 还没有在县局登记签名公钥，无法核对它的批次。请先运行 zunyi-trainer county keys add {uscc} 公钥文件或指纹。",
            "School {uscc} has not registered its signing key with the county, so its batches cannot be "
            "checked. Run zunyi-trainer county keys add {uscc} KEYFILE|FINGERPRINT first.",
            code="county.unregistered",
            uscc=uscc,
        )
    return row[0]
