"""The school's rule settings: thresholds the plan leaves to practice, with sensible defaults.

The defaults come from practice elsewhere in Guizhou (初级/五级 ≥ 40 课时, 中级 and above ≥ 56,
practice ≥ 60 %, 1 课时 = 45 minutes, subsidy at ≥ 80 % attendance). A school may change them;
each changed value is stored in the ``setting`` table under ``rules.<field>`` as JSON, so an
unset value keeps following the app's default, and every change is audited like any other row.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import Level, Setting

KEY_PREFIX = "rules."


def _default_min_periods() -> dict[str, int]:
    return {
        Level.L5.value: 40,
        Level.SPECIAL.value: 40,
        Level.L4.value: 56,
        Level.L3.value: 56,
        Level.L2.value: 56,
        Level.L1.value: 56,
    }


@dataclasses.dataclass(frozen=True)
class RuleSettings:
    # Minimum 课时 of a class by level (Level values as keys).
    min_periods: Mapping[str, int] = dataclasses.field(default_factory=_default_min_periods)
    practice_share: float = 0.6  # share of 课时 that must be practice (实操)
    period_minutes: int = 45  # 1 课时
    attendance_threshold: float = 0.8  # rate by hours at or above which a trainee may be subsidised
    late_after_minutes: int = 5  # signed in later than this after the start: 迟到
    early_leave_minutes: int = 10  # signed out earlier than this before the end: 早退
    absent_after_minutes: int = 45  # missed more than this in all: 旷课
    qualification_warn_days: int = 60  # warn this many days before a qualification expires
    submit_days_before: int = 7  # submit the application at least this many days before the start
    shared_phone_limit: int = 3  # this many trainees (or more) on one phone number is suspicious
    full_time_share: float = 1 / 3  # full-time teachers' share of the school's active teachers
    max_institutions: int = 3  # institutions a part-time teacher may work at in one year
    id_min_age: int = 16
    id_max_age: int = 80

    def min_periods_for(self, level: Level | str) -> int:
        value = Level(level).value
        if value in self.min_periods:
            return int(self.min_periods[value])
        return int(_default_min_periods()[value])

    def replace(self, **changes: Any) -> RuleSettings:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["min_periods"] = dict(self.min_periods)
        return data


DEFAULTS = RuleSettings()

# What the GUI's settings page and ``check`` output call each field (zh, en).
LABELS: dict[str, tuple[str, str]] = {
    "min_periods": ("各等级最低课时", "Minimum periods by level"),
    "practice_share": ("实操课时最低占比", "Minimum practice share"),
    "period_minutes": ("每课时分钟数", "Minutes per period"),
    "attendance_threshold": ("补贴出勤率门槛", "Attendance threshold for subsidy"),
    "late_after_minutes": ("迟到判定（开课后分钟）", "Late after (minutes)"),
    "early_leave_minutes": ("早退判定（下课前分钟）", "Early leave before the end (minutes)"),
    "absent_after_minutes": ("旷课判定（缺席分钟）", "Absent beyond (minutes missed)"),
    "qualification_warn_days": ("证书到期提前提醒天数", "Warn before a qualification expires (days)"),
    "submit_days_before": ("开班前至少提前报审天数", "Submit at least this many days before the start"),
    "shared_phone_limit": ("同一手机号学员数提醒", "Trainees on one phone number that warn"),
    "full_time_share": ("专职教师最低占比", "Minimum share of full-time teachers"),
    "max_institutions": ("兼职教师年内任职机构上限", "Institutions a part-timer may work at per year"),
    "id_min_age": ("学员最低年龄", "Minimum trainee age"),
    "id_max_age": ("学员最高年龄", "Maximum trainee age"),
}

_FIELDS = {f.name: f for f in dataclasses.fields(RuleSettings)}


def _invalid(name: str, value: object, zh_rule: str, en_rule: str) -> ValidationError:
    zh_label, en_label = LABELS.get(name, (name, name))
    return ValidationError(
        "设置“{zh_label}”的值 {value} 无效：{zh_rule}。",
        "The setting “{en_label}” has an invalid value {value}: {en_rule}.",
        field=name,
        code="settings.invalid",
        zh_label=zh_label,
        en_label=en_label,
        value=value,
        zh_rule=zh_rule,
        en_rule=en_rule,
    )


def validate(settings: RuleSettings) -> None:
    """Raise ValidationError naming the first value that makes no sense."""
    for name in ("practice_share", "attendance_threshold", "full_time_share"):
        value = getattr(settings, name)
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise _invalid(name, value, "应在 0 到 1 之间（如 0.8 表示 80%）", "it must lie between 0 and 1 (0.8 means 80 %)")
    for name in (
        "period_minutes",
        "late_after_minutes",
        "early_leave_minutes",
        "absent_after_minutes",
        "qualification_warn_days",
        "submit_days_before",
        "shared_phone_limit",
        "max_institutions",
        "id_min_age",
        "id_max_age",
    ):
        value = getattr(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _invalid(name, value, "应为不小于 0 的整数", "it must be a whole number, 0 or more")
    if settings.period_minutes == 0:
        raise _invalid("period_minutes", 0, "每课时至少 1 分钟", "a period lasts at least 1 minute")
    if settings.shared_phone_limit < 2:
        raise _invalid("shared_phone_limit", settings.shared_phone_limit, "至少为 2", "it must be at least 2")
    if settings.id_min_age > settings.id_max_age:
        raise _invalid("id_min_age", settings.id_min_age, "不能大于最高年龄", "it cannot exceed the maximum age")
    for level, periods in settings.min_periods.items():
        try:
            Level(level)
        except ValueError:
            raise _invalid("min_periods", level, "不是已知的等级", "it is not a known level") from None
        if not isinstance(periods, int) or isinstance(periods, bool) or periods < 0:
            raise _invalid("min_periods", periods, "应为不小于 0 的整数", "it must be a whole number, 0 or more")


def _coerce(name: str, raw: Any) -> Any:
    default = getattr(DEFAULTS, name)
    if name == "min_periods":
        merged = dict(default)
        merged.update({str(k): int(v) for k, v in dict(raw).items()})
        return merged
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, int):
        return int(raw)
    return raw


def load_settings(session: Session) -> RuleSettings:
    """The school's settings: stored values over the defaults. A stored value that cannot be read
    (edited by hand, from a later version) is ignored in favour of the default."""
    rows = session.execute(sa.select(Setting.key, Setting.value).where(Setting.key.startswith(KEY_PREFIX))).all()
    changes: dict[str, Any] = {}
    for key, value in rows:
        name = key[len(KEY_PREFIX) :]
        if name not in _FIELDS:
            continue
        try:
            changes[name] = _coerce(name, json.loads(value))
        except (ValueError, TypeError):
            continue
    settings = DEFAULTS.replace(**changes) if changes else DEFAULTS
    try:
        validate(settings)
    except ValidationError:
        return DEFAULTS
    return settings


def save_settings(session: Session, settings: RuleSettings) -> None:
    """Store the values that differ from the defaults; remove the ones set back to default."""
    validate(settings)
    existing = {s.key: s for s in session.scalars(sa.select(Setting).where(Setting.key.startswith(KEY_PREFIX)))}
    for name in _FIELDS:
        key = KEY_PREFIX + name
        value = getattr(settings, name)
        if name == "min_periods":
            value = dict(value)
        if value == (dict(DEFAULTS.min_periods) if name == "min_periods" else getattr(DEFAULTS, name)):
            if key in existing:
                session.delete(existing[key])
            continue
        encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        row = existing.get(key)
        if row is None:
            session.add(Setting(key=key, value=encoded))
        elif row.value != encoded:
            row.value = encoded
    session.flush()
