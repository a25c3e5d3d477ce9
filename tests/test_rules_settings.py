"""Rule settings: defaults, stored overrides, validation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from zunyi_trainer.errors import ValidationError
from zunyi_trainer.models import AuditEvent, Level, Setting
from zunyi_trainer.settings import DEFAULTS, LABELS, RuleSettings, load_settings, save_settings


def test_the_defaults_are_the_plans_practice() -> None:
    d = RuleSettings()
    assert (
        d.min_periods_for(Level.L5),
        d.min_periods_for("special"),
        d.min_periods_for(Level.L4),
        d.min_periods_for(Level.L1),
    ) == (
        40,
        40,
        56,
        56,
    )
    assert (d.practice_share, d.period_minutes, d.attendance_threshold) == (0.6, 45, 0.8)
    assert (d.late_after_minutes, d.early_leave_minutes, d.absent_after_minutes) == (5, 10, 45)
    assert (d.qualification_warn_days, d.submit_days_before, d.shared_phone_limit) == (60, 7, 3)
    assert d.full_time_share == pytest.approx(1 / 3)
    assert (d.max_institutions, d.id_min_age, d.id_max_age) == (3, 16, 80)
    assert set(LABELS) == set(d.to_dict())


def test_an_empty_register_gives_the_defaults(register) -> None:
    with register.session() as s:
        assert load_settings(s) == DEFAULTS


def test_saved_settings_come_back_and_only_changes_are_stored(register) -> None:
    changed = DEFAULTS.replace(attendance_threshold=0.9, min_periods={**DEFAULTS.min_periods, "L4": 64})
    with register.transaction() as s:
        save_settings(s, changed)
    with register.session() as s:
        assert load_settings(s) == changed
        keys = set(s.scalars(sa.select(Setting.key)))
        assert keys == {"rules.attendance_threshold", "rules.min_periods"}
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.table_name == "setting")) == 2


def test_setting_a_value_back_to_default_removes_it(register) -> None:
    with register.transaction() as s:
        save_settings(s, DEFAULTS.replace(late_after_minutes=10))
    with register.transaction() as s:
        save_settings(s, DEFAULTS)
    with register.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Setting)) == 0
        assert load_settings(s) == DEFAULTS


@pytest.mark.parametrize(
    "changes",
    [
        {"attendance_threshold": 1.5},
        {"practice_share": -0.1},
        {"period_minutes": 0},
        {"late_after_minutes": -1},
        {"shared_phone_limit": 1},
        {"id_min_age": 90},
        {"min_periods": {"L9": 10}},
        {"min_periods": {"L5": -4}},
    ],
)
def test_nonsense_is_refused_with_the_field_named(register, changes) -> None:
    with pytest.raises(ValidationError) as info, register.transaction() as s:
        save_settings(s, DEFAULTS.replace(**changes))
    assert info.value.field == next(iter(changes))
    assert "设置" in info.value.message()


def test_a_stored_value_that_cannot_be_read_falls_back_to_the_default(register) -> None:
    with register.transaction() as s:
        s.add(Setting(key="rules.attendance_threshold", value="not json"))
        s.add(Setting(key="rules.late_after_minutes", value="12"))
        s.add(Setting(key="rules.unknown_from_a_later_version", value="1"))
    with register.session() as s:
        loaded = load_settings(s)
    assert loaded.attendance_threshold == 0.8 and loaded.late_after_minutes == 12
