"""Every rule's finding code, what it checks, its severity and the plan item behind it: the
list a user reads to know what ``check`` looks at (``zunyi-trainer check --rules``)."""

from __future__ import annotations

import dataclasses

from zunyi_trainer.i18n import text
from zunyi_trainer.rules.findings import BLOCKS, WARNS, Severity


@dataclasses.dataclass(frozen=True)
class RuleInfo:
    code: str
    severity: Severity
    scope: str  # "class" or "school"
    item: str  # the plan's item number
    zh: str
    en: str

    @property
    def description(self) -> str:
        return text(self.zh, self.en)


def _r(code: str, severity: Severity, scope: str, item: str, zh: str, en: str) -> RuleInfo:
    return RuleInfo(code, severity, scope, item, zh, en)


CATALOGUE: tuple[RuleInfo, ...] = (
    _r("class.no_trainees", BLOCKS, "class", "11", "培训班有学员", "the class has trainees"),
    _r(
        "trainee.id_invalid",
        BLOCKS,
        "class",
        "11",
        "学员身份证号有效、年龄在范围内",
        "trainees' ID numbers are valid, ages in range",
    ),
    _r("trainee.category_other", WARNS, "class", "11", "学员人员类别为“其他”", "trainees in the category “other”"),
    _r("class.venue_missing", BLOCKS, "class", "11", "培训班有培训场地", "the class has a venue"),
    _r("class.over_capacity", BLOCKS, "class", "11", "学员数不超过场地座位（工位）", "enrolment fits the venues' seats"),
    _r("venue.seats_unknown", WARNS, "class", "11", "场地登记了座位（工位）数", "venues have a seat count"),
    _r("session.no_teacher", BLOCKS, "class", "11", "每个课次都有授课教师", "every session has a teacher"),
    _r("class.trade_not_approved", BLOCKS, "class", "11", "工种在本校核准范围内", "the trade is in the school's approved scope"),
    _r("class.mode_missing", BLOCKS, "class", "11", "选择了培训方式", "a training mode is set"),
    _r("class.no_timetable", BLOCKS, "class", "11", "有课程安排", "there is a timetable"),
    _r("class.hours_below_minimum", BLOCKS, "class", "11", "总课时不少于该等级最低要求", "periods reach the level's minimum"),
    _r("class.practice_share_low", BLOCKS, "class", "11", "实操课时占比达到要求", "practice reaches its share"),
    _r("class.dates_invalid", BLOCKS, "class", "11", "结束日期不早于开始日期", "the class ends after it starts"),
    _r("session.outside_dates", BLOCKS, "class", "11", "课次在培训班起止日期内", "sessions lie within the class's dates"),
    _r("session.times_invalid", BLOCKS, "class", "11", "课次下课晚于上课", "sessions end after they start"),
    _r("session.periods_exceed_time", WARNS, "class", "11", "课时数与课次时长相符", "periods fit in the session's time"),
    _r("session.teacher_double_booked", BLOCKS, "class", "11", "教师不在同一时间出现在两处", "no teacher in two places at once"),
    _r("session.venue_double_booked", BLOCKS, "class", "11", "场地不在同一时间被两个课次占用", "no venue booked twice at once"),
    _r("class.submit_late", WARNS, "class", "11", "开班前按时报审", "the application goes in early enough"),
    _r(
        "teacher.unqualified",
        BLOCKS,
        "class",
        "12",
        "授课教师持有该工种有效证书",
        "teachers hold a valid certificate for the trade",
    ),
    _r("teacher.qualification_expiring", WARNS, "both", "12", "教师证书即将到期", "teachers' certificates about to expire"),
    _r(
        "teacher.part_time_limit",
        BLOCKS,
        "both",
        "12",
        "兼职教师一年内任职不超过 3 家机构",
        "part-timers at no more than 3 institutions a year",
    ),
    _r("teacher.no_training", WARNS, "both", "12", "教师本年度参加了轮训", "teachers took part in training this year"),
    _r("school.no_teachers", BLOCKS, "school", "12", "本校登记了在职教师", "the school has active teachers"),
    _r(
        "school.full_time_share_low",
        BLOCKS,
        "school",
        "12",
        "专职教师不少于教师总数的 1/3",
        "full-time teachers are at least a third",
    ),
    _r(
        "trainee.overlapping_subsidy",
        BLOCKS,
        "both",
        "13",
        "学员不同时参加两个补贴性培训班",
        "no trainee in two overlapping subsidised classes",
    ),
    _r("trainee.shared_phone", WARNS, "both", "13", "多名学员共用一个手机号", "many trainees on one phone number"),
    _r(
        "session.identical_sign_ins", WARNS, "class", "13", "整个课次签到时间完全相同", "a whole session signed in at one instant"
    ),
    _r("attendance.below_threshold", WARNS, "class", "13", "学员出勤率达到补贴门槛", "trainees reach the attendance threshold"),
    _r("session.attendance_missing", WARNS, "class", "15", "已上课次录入了考勤", "held sessions have their attendance"),
    _r("class.changed_after_approval", WARNS, "class", "15", "批准后改动了批准内容", "what was approved changed afterwards"),
    _r("spend.no_document", WARNS, "school", "22", "设备投入附有发票或凭证", "equipment spend has its document"),
    _r(
        "school.equipment_share_low",
        WARNS,
        "school",
        "4",
        "收支结余用于实训设备的比例达到目标",
        "surplus reinvested in equipment reaches the target",
    ),
)

BY_CODE = {r.code: r for r in CATALOGUE}
