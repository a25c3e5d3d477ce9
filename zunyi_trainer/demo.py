"""A realistic demo school: what a newcomer, a screenshot and a benchmark open.

An institution in 仁怀市 with a dozen teachers, theory and practical venues, equipment and its
spend over two years, and classes in every stage of their life across the plan's industries,
with a few hundred trainees, timetables and attendance with realistic gaps. Dates are relative
to today, so the demo always has a class running. ``seed`` makes it deterministic; ``scale``
multiplies classes and trainees.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from zunyi_trainer import attachments, idcard
from zunyi_trainer.db import Register
from zunyi_trainer.errors import ZunyiError
from zunyi_trainer.models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    CertificateType,
    ClassSession,
    ClassStatus,
    Education,
    Employment,
    Enrollment,
    EnrollmentResult,
    Equipment,
    EquipmentSpend,
    EquipmentStatus,
    FinanceYear,
    Funding,
    Institution,
    Level,
    Qualification,
    QualificationKind,
    SessionKind,
    Sex,
    SpendKind,
    Teacher,
    TeacherAffiliation,
    TeacherTraining,
    Trade,
    Trainee,
    TraineeCategory,
    TrainingClass,
    TrainingMode,
    TrainingType,
    Venue,
    VenueKind,
)
from zunyi_trainer.timeutil import local_instant, now_utc, today_local

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞凤梅琴云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽秀兵斌波成诚德东发福刚国海浩和宏华辉建健江杰金俊凯康坤林龙民明鹏平强庆荣瑞山胜世顺涛伟文武祥新鑫兴旭学勇永宇玉元云泽振志忠"
# Area codes valid in the birth year (stdnum's table): Zunyi prefecture before 1997, city after.
AREAS_BEFORE_1997 = ("522101", "522121", "522122", "522123", "522124", "522127", "522128", "522129", "522132")
AREAS_FROM_1997 = ("520302", "520322", "520323", "520324", "520327", "520328", "520329", "520330", "520381", "520382")
VILLAGES = (
    "茅台镇",
    "坛厂街道",
    "鲁班街道",
    "喜头镇",
    "学孔乡",
    "五马镇",
    "合马镇",
    "大坝镇",
    "长岗镇",
    "高大坪乡",
    "中枢街道",
    "苍龙街道",
)

SLOTS = {  # slot: (start, end, periods)
    "morning": (dt.time(8, 30), dt.time(11, 30), 4),
    "afternoon": (dt.time(14, 0), dt.time(17, 0), 4),
}


def _uscc(rng: random.Random) -> str:
    from stdnum.cn import uscc

    body = "52520382" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body + "0")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + "".join(str(rng.randrange(10)) for _ in range(9))


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small real PNG (a colour gradient), standing in for a class photo."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes((rgb[0] * x // width, rgb[1] * y // height, rgb[2]))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


@dataclass
class _Plan:
    code: str
    trade: str
    level: Level
    ttype: TrainingType
    status: ClassStatus
    start_offset: int  # days from today
    size: int
    blocked: bool = False


def _workdays(start: dt.date, count: int) -> list[dt.date]:
    days, d = [], start
    while len(days) < count:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


class DemoBuilder:
    def __init__(self, register: Register, seed: int, scale: int, progress: Callable[[int, int], None] | None) -> None:
        self.reg = register
        self.rng = random.Random(seed)
        self.scale = max(1, scale)
        self.progress = progress or (lambda done, total: None)
        self.today = today_local()
        self.used_ids: set[str] = set()
        self.busy: dict[int, list[tuple[dt.date, dt.date]]] = {}  # trainee id -> class date ranges

    # -- people --------------------------------------------------------------------------------
    def id_number(self, birth: dt.date) -> str:
        areas = AREAS_BEFORE_1997 if birth.year < 1997 else AREAS_FROM_1997
        while True:
            number = idcard.make_number(self.rng.choice(areas), birth, self.rng.randrange(1, 999))
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def person(self, min_age: int, max_age: int) -> tuple[str, str, dt.date, Sex]:
        age_days = self.rng.randrange(min_age * 365 + 30, max_age * 365 - 30)
        birth = self.today - dt.timedelta(days=age_days)
        number = self.id_number(birth)
        parsed = idcard.parse(number, today=self.today)
        return _name(self.rng), number, parsed.birth_date, parsed.sex

    # -- the whole school ----------------------------------------------------------------------
    def build(self) -> None:
        with self.reg.transaction() as s:
            if s.scalar(sa.select(sa.func.count()).select_from(Institution)):
                raise ZunyiError(
                    "这个登记册里已经有学校数据，演示数据只能写入新的登记册。请换一个数据目录（--data-dir）。",
                    "This register already holds a school; the demo only fills a new register. Use another --data-dir.",
                    code="demo.not_empty",
                )
            self.trades = {t.name: t for t in s.scalars(sa.select(Trade))}
            self.inst = self.institution(s)
            self.teachers = self.make_teachers(s)
            self.venues = self.make_venues(s)
            self.equipment_and_spend(s)
        plans = self.class_plans()
        pool = self.trainee_pool(sum(p.size for p in plans) * 9 // 10)
        for i, plan in enumerate(plans):
            with self.reg.transaction() as s:
                self.make_class(s, plan, pool)
            self.progress(i + 1, len(plans))
        with self.reg.transaction() as s:
            self.everyday_slips(s)

    def everyday_slips(self, s: Session) -> None:
        """What goes wrong in a real office, so that the checks have something to show: each slip
        is one the rules catch (named in the comment), none on the draft that is ready to submit."""
        year = self.today.year
        by_code = {c.code[-3:]: c for c in s.scalars(sa.select(TrainingClass))}
        running, next_up = by_code.get("005"), by_code.get("006")
        approved, submitted, rejected = by_code.get("007"), by_code.get("008"), by_code.get("009")
        if running is None or next_up is None or approved is None or submitted is None or rejected is None:
            return  # a scaled-down demo without these stages
        # session.attendance_missing: yesterday's sheet of the running class is not typed in yet.
        held = [x for x in running.sessions if x.date < self.today]
        if held:
            for mark in list(held[-1].attendance):
                s.delete(mark)
        # session.identical_sign_ins: one paper sheet was typed in with the class's start time for all.
        if len(held) > 1:
            first = held[0]
            for mark in first.attendance:
                if mark.sign_in_at is not None:
                    mark.sign_in_at = local_instant(first.date, first.start_time)
        # class.submit_late: the running class was sent to the county five days before it began.
        running.submitted_at = local_instant(running.start_date - dt.timedelta(days=5), dt.time(9, 0))
        # trainee.shared_phone: three trainees of one class left the village official's number.
        trainees = [e.trainee for e in next_up.enrollments[:3]]
        for t in trainees:
            t.phone = "13885212345"
        # class.changed_after_approval + teacher.unqualified: after approval, a later session of the
        # class got a stand-in teacher who holds no certificate for its trade.
        later = [x for x in next_up.sessions if x.date >= self.today]
        stand_in = next(t for t in self.teachers if t.specialty == "家政服务员")
        if later:
            later[-1].teacher = s.merge(stand_in)
        # teacher.part_time_limit: the guitar teacher also teaches at three other schools this year.
        guitar = s.merge(next(t for t in self.teachers if t.specialty == "吉他胴部制作"))
        have = {a.institution_name for a in guitar.affiliations if a.year == year}
        for name in ("汇川区鸿鹄职业培训学校", "遵义市红花岗区技能人才培训中心", "正安县吉他产业职业技能培训学校"):
            if name not in have:
                guitar.affiliations.append(TeacherAffiliation(year=year, institution_name=name))
        # session.teacher_double_booked + session.venue_double_booked: the submitted class's first
        # session was put at the same hour, room and teacher as a session of the approved class.
        overlap = [(a, b) for a in approved.sessions for b in submitted.sessions if a.date == b.date]
        if overlap:
            a, b = overlap[0]
            b.start_time, b.end_time, b.teacher, b.venue = a.start_time, a.end_time, a.teacher, a.venue
        # class.hours_below_minimum: the rejected class was planned two sessions short.
        for x in rejected.sessions[-2:]:
            rejected.sessions.remove(x)
        rejected.rejection_reason = "总课时不足 40 课时，且实训场地面积不足。请补足课时、调整场地后重新申报。"

    def institution(self, s: Session) -> Institution:
        inst = Institution(
            name="仁怀市黔北匠心职业培训学校",
            uscc=_uscc(self.rng),
            license_no="教民152038270000123号",
            county="renhuai",
            address="贵州省遵义市仁怀市中枢街道酒都大道 188 号",
            legal_representative="罗建国",
            contact_person="杨晓梅",
            contact_phone="0851-22231234",
            designated_from=dt.date(self.today.year - 1, 1, 1),
            designated_to=dt.date(self.today.year + 1, 12, 31),
            equipment_target_pct=10,
        )
        approved = [
            "白酒酿造工",
            "品酒师",
            "茶艺师",
            "评茶员",
            "育婴员",
            "养老护理员",
            "家政服务员",
            "电工",
            "焊工",
            "吉他胴部制作",
            "辣椒种植",
        ]
        inst.trades = [self.trades[n] for n in approved]
        s.add(inst)
        for year, income, expense in (
            (self.today.year - 1, 3_860_000_00, 3_120_000_00),
            (self.today.year, 2_950_000_00, 2_430_000_00),
        ):
            inst.finances.append(FinanceYear(year=year, income_fen=income, expenses_fen=expense))
        s.flush()
        return inst

    def make_teachers(self, s: Session) -> list[Teacher]:
        specs = [  # (trade name, employment, title)
            ("白酒酿造工", Employment.FULL_TIME, "高级技师"),
            ("品酒师", Employment.FULL_TIME, "一级品酒师"),
            ("茶艺师", Employment.FULL_TIME, "高级茶艺师"),
            ("养老护理员", Employment.FULL_TIME, "主管护师"),
            ("育婴员", Employment.FULL_TIME, "讲师"),
            ("电工", Employment.PART_TIME, "工程师"),
            ("焊工", Employment.PART_TIME, "技师"),
            ("评茶员", Employment.PART_TIME, "农艺师"),
            ("家政服务员", Employment.PART_TIME, "讲师"),
            ("吉他胴部制作", Employment.PART_TIME, "工艺美术师"),
            ("辣椒种植", Employment.PART_TIME, "高级农艺师"),
            ("白酒酿造工", Employment.PART_TIME, "酿酒师"),
        ]
        teachers = []
        for i, (trade_name, employment, title) in enumerate(specs):
            name, number, _, sex = self.person(28, 58)
            t = Teacher(
                institution_id=self.inst.id,
                name=name,
                id_number=number,
                sex=sex,
                phone=_phone(self.rng),
                employment=employment,
                education=self.rng.choice((Education.COLLEGE, Education.BACHELOR, Education.VOCATIONAL)),
                title=title,
                specialty=trade_name,
                hired_on=self.today - dt.timedelta(days=self.rng.randrange(200, 3000)),
            )
            trade = self.trades[trade_name]
            level = trade.levels[min(2, len(trade.levels) - 1)]
            expires = self.today + dt.timedelta(days=self.rng.randrange(400, 1500))
            if i == 2:
                expires = self.today + dt.timedelta(days=25)  # about to expire: the checks warn
            t.qualifications.append(
                Qualification(
                    kind=QualificationKind.SKILL_LEVEL if trade.kind.value == "graded" else QualificationKind.SPECIAL_ABILITY,
                    number=f"S{self.rng.randrange(10**11, 10**12)}",
                    trade=trade,
                    level=level,
                    issuer="贵州省职业技能鉴定指导中心",
                    issued_on=expires - dt.timedelta(days=5 * 365),
                    expires_on=expires,
                )
            )
            t.qualifications.append(
                Qualification(
                    kind=QualificationKind.TRAINER,
                    number=f"PX{self.rng.randrange(10**8, 10**9)}",
                    issuer="遵义市人力资源和社会保障局",
                    issued_on=self.today - dt.timedelta(days=900),
                    expires_on=None,
                )
            )
            if employment is Employment.PART_TIME:
                others = self.rng.choice((0, 1, 1, 2))
                for k in range(others):
                    t.affiliations.append(
                        TeacherAffiliation(
                            year=self.today.year, institution_name=("汇川区鸿鹄职业培训学校", "遵义市红花岗区技能人才培训中心")[k]
                        )
                    )
            if i % 4 != 3:  # a few have no teacher training this year: the checks warn
                t.trainings.append(
                    TeacherTraining(
                        held_on=dt.date(self.today.year, 3, 18),
                        title="民办职业培训学校骨干教师培训示范班",
                        organizer="遵义市人社局",
                        hours=24,
                    )
                )
            s.add(t)
            teachers.append(t)
        s.flush()
        return teachers

    def make_venues(self, s: Session) -> dict[str, Venue]:
        specs = [
            ("第一理论教室", VenueKind.THEORY, 80, 60),
            ("第二理论教室", VenueKind.THEORY, 70, 50),
            ("多媒体教室", VenueKind.THEORY, 90, 40),
            ("酿造实训车间", VenueKind.PRACTICE, 320, 40),
            ("茶艺实训室", VenueKind.PRACTICE, 120, 30),
            ("养老护理实训室", VenueKind.PRACTICE, 110, 30),
            ("电工焊工实训车间", VenueKind.PRACTICE, 260, 30),
        ]
        venues = {}
        for name, kind, area, seats in specs:
            v = Venue(institution_id=self.inst.id, name=name, kind=kind, area_m2=area, seats=seats, address=self.inst.address)
            s.add(v)
            venues[name] = v
        s.flush()
        return venues

    def equipment_and_spend(self, s: Session) -> None:
        items = [
            ("酿造实训车间", "小型固态发酵窖池", "JC-2", 4, 38_000_00),
            ("酿造实训车间", "甑桶蒸馏设备", "ZT-300", 2, 52_000_00),
            ("茶艺实训室", "茶艺实训台", "CY-12", 12, 2_800_00),
            ("养老护理实训室", "多功能护理床", "HL-3", 6, 4_500_00),
            ("养老护理实训室", "心肺复苏模拟人", "CPR-480", 4, 6_200_00),
            ("电工焊工实训车间", "电工实训考核装置", "DG-1", 10, 9_800_00),
            ("电工焊工实训车间", "逆变直流焊机", "ZX7-400", 8, 3_600_00),
            ("多媒体教室", "交互式智能平板", "86寸", 1, 16_800_00),
        ]
        store = self.reg.attachments_dir
        for n, (venue, name, model, qty, unit_price) in enumerate(items):
            acquired = self.today - dt.timedelta(days=self.rng.randrange(60, 700))
            eq = Equipment(
                institution_id=self.inst.id,
                venue=self.venues[venue],
                asset_no=f"ZC-{acquired.year}-{n + 1:03d}",
                name=name,
                model=model,
                quantity=qty,
                unit="台",
                status=EquipmentStatus.IN_USE,
                acquired_on=acquired,
                value_fen=qty * unit_price,
            )
            s.add(eq)
            spend = EquipmentSpend(
                institution_id=self.inst.id,
                equipment=eq,
                kind=SpendKind.PURCHASE,
                spent_on=acquired,
                amount_fen=qty * unit_price,
                description=f"购置{name} {qty} 台",
                supplier="贵州黔匠教学设备有限公司",
                invoice_no=f"{self.rng.randrange(10**19, 10**20)}",
            )
            s.add(spend)
            if n != 5:  # one purchase still lacks its invoice scan: the checks warn
                s.flush()
                attachments.add_attachment(
                    s,
                    store,
                    _png(60, 40, (200, 200, 180)),
                    filename=f"发票-{spend.invoice_no[-8:]}.png",
                    kind=attachments.AttachmentKind.INVOICE,
                    caption=f"{name}购置发票",
                    spend=spend,
                )
            if n in (1, 3):
                s.add(
                    EquipmentSpend(
                        institution_id=self.inst.id,
                        equipment=eq,
                        kind=SpendKind.REPAIR,
                        spent_on=min(self.today, acquired + dt.timedelta(days=150)),
                        amount_fen=1_850_00,
                        description=f"{name}维修",
                        supplier="仁怀市机电维修部",
                        invoice_no=f"{self.rng.randrange(10**19, 10**20)}",
                    )
                )

    # -- classes -------------------------------------------------------------------------------
    def class_plans(self) -> list[_Plan]:
        base = [
            ("白酒酿造工", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.ARCHIVED, -300, 40),
            ("养老护理员", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.COMPLETED, -120, 30),
            ("茶艺师", Level.L4, TrainingType.UPSKILLING, ClassStatus.COMPLETED, -75, 28),
            ("吉他胴部制作", Level.SPECIAL, TrainingType.SPECIAL_ABILITY, ClassStatus.COMPLETED, -50, 25),
            ("品酒师", Level.L4, TrainingType.UPSKILLING, ClassStatus.IN_PROGRESS, -9, 30),
            ("育婴员", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.IN_PROGRESS, -4, 26),
            ("电工", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.APPROVED, 12, 28),
            ("评茶员", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.SUBMITTED, 18, 25),
            ("家政服务员", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.REJECTED, 21, 30),
            ("辣椒种植", Level.SPECIAL, TrainingType.SPECIAL_ABILITY, ClassStatus.DRAFT, 30, 24),
            ("焊工", Level.L5, TrainingType.EMPLOYMENT, ClassStatus.DRAFT, 26, 34),
        ]
        plans = []
        for round_ in range(self.scale):
            shift = -round_ * 210  # earlier rounds lie further back: they are finished
            for i, (trade, level, ttype, status, offset, size) in enumerate(base):
                if round_ and status not in (ClassStatus.ARCHIVED, ClassStatus.COMPLETED):
                    status = ClassStatus.COMPLETED
                year = (self.today + dt.timedelta(days=offset + shift)).year
                code = f"RH{year}{round_ * len(base) + i + 1:03d}"
                plans.append(
                    _Plan(code, trade, level, ttype, status, offset + shift, size, blocked=(round_ == 0 and trade == "焊工"))
                )
        return plans

    def trainee_pool(self, count: int) -> list[Trainee]:
        pool = []
        cats = [c for c in TraineeCategory]
        with self.reg.transaction() as s:
            for _ in range(count):
                name, number, birth, sex = self.person(18, 58)
                t = Trainee(
                    institution_id=self.inst.id,
                    name=name,
                    id_number=number,
                    sex=sex,
                    birth_date=birth,
                    phone=_phone(self.rng),
                    education=self.rng.choice([e for e in Education][:5]),
                    category=self.rng.choice(cats),
                    household_address=f"贵州省遵义市仁怀市{self.rng.choice(VILLAGES)}{self.rng.randrange(1, 12)}组",
                )
                s.add(t)
                pool.append(t)
            if len(pool) > 2:  # a mother and daughter share a phone: normal, and below the warning level
                pool[1].phone = pool[0].phone
        return pool

    def make_class(self, s: Session, plan: _Plan, pool: list[Trainee]) -> None:
        rng = self.rng
        trade = self.trades[plan.trade]
        start = self.today + dt.timedelta(days=plan.start_offset)
        while start.weekday() >= 5:
            start += dt.timedelta(days=1)
        periods_needed = 40 if plan.level in (Level.L5, Level.SPECIAL) else 56
        sessions_needed = -(-periods_needed // 4) + rng.choice((0, 1))
        days = _workdays(start, -(-sessions_needed // 2))
        teacher = next((t for t in self.teachers if t.specialty == plan.trade), self.teachers[0])
        theory_room = (
            self.venues["第一理论教室"]
            if plan.size > 40
            else rng.choice([self.venues["第一理论教室"], self.venues["第二理论教室"]])
        )
        practice_room = {
            "白酒酿造工": "酿造实训车间",
            "品酒师": "酿造实训车间",
            "茶艺师": "茶艺实训室",
            "评茶员": "茶艺实训室",
            "养老护理员": "养老护理实训室",
            "育婴员": "养老护理实训室",
            "家政服务员": "养老护理实训室",
            "电工": "电工焊工实训车间",
            "焊工": "电工焊工实训车间",
        }.get(plan.trade, "多媒体教室")
        size = plan.size + (12 if plan.blocked else 0)  # the blocked draft has more trainees than seats
        c = TrainingClass(
            institution_id=self.inst.id,
            code=plan.code,
            name=f"{trade.name}{plan.level.zh.split('/')[-1] if plan.level is not Level.SPECIAL else '专项能力'}培训班（{start:%Y年%m月}期）",
            trade=trade,
            level=plan.level,
            training_type=plan.ttype,
            mode=None if plan.blocked else TrainingMode.OFFLINE,
            funding=Funding.SUBSIDISED,
            start_date=start,
            end_date=days[-1],
            venue=theory_room,
            head_teacher=self.teachers[0],
            planned_size=plan.size,
            fee_fen=1_200_00 if plan.level is not Level.SPECIAL else 800_00,
            subsidy_standard_fen=1_200_00 if plan.level is not Level.SPECIAL else 800_00,
            assessment_plan="理论考试（闭卷笔试，60 分合格）与实操考核（现场操作，60 分合格）相结合，两项均合格为结业合格。",
        )
        s.add(c)
        slots = [(d, slot) for d in days for slot in ("morning", "afternoon")][:sessions_needed]
        n_theory = max(1, round(len(slots) * 0.35))
        for k, (d, slot) in enumerate(slots):
            st, en, periods = SLOTS[slot]
            kind = SessionKind.THEORY if k < n_theory else SessionKind.PRACTICE
            sess = ClassSession(
                date=d,
                start_time=st,
                end_time=en,
                periods=periods,
                kind=kind,
                topic=f"{trade.name}{'理论' if kind is SessionKind.THEORY else '实操'}（{k + 1}）",
                teacher=None if (plan.blocked and k == len(slots) - 1) else teacher,
                venue=theory_room if kind is SessionKind.THEORY else self.venues[practice_room],
            )
            c.sessions.append(sess)
        # A subsidised trainee is never in two classes whose dates overlap (the checks block that).
        free = [t for t in pool if not any(a <= days[-1] and start <= b for a, b in self.busy.get(t.id, ()))]
        chosen = rng.sample(free, min(size, len(free)))
        for t in chosen:
            self.busy.setdefault(t.id, []).append((start, days[-1]))
        for t in chosen:
            c.enrollments.append(Enrollment(trainee=t, enrolled_on=start - dt.timedelta(days=rng.randrange(3, 20))))
        self.advance(s, c, plan)

    def advance(self, s: Session, c: TrainingClass, plan: _Plan) -> None:
        rng = self.rng
        status = plan.status
        if status is ClassStatus.DRAFT:
            return
        # Paper goes to the county about two weeks ahead, the answer a week later: never in the future.
        submitted = min(c.start_date - dt.timedelta(days=14), self.today - dt.timedelta(days=3))
        c.submitted_at = local_instant(submitted, dt.time(10, 0))
        c.status = ClassStatus.SUBMITTED
        if status is ClassStatus.SUBMITTED:
            return
        c.decided_on = min(c.start_date - dt.timedelta(days=7), self.today - dt.timedelta(days=1))
        c.approver = "仁怀市人力资源和社会保障局"
        if status is ClassStatus.REJECTED:
            c.status = ClassStatus.REJECTED
            c.rejection_reason = "实训场地面积不足，请调整场地后重新申报。"
            return
        c.approval_no = f"仁人社培〔{c.decided_on.year}〕{rng.randrange(10, 300):03d}号"
        c.approved_at = local_instant(c.decided_on, dt.time(16, 0))
        c.status = ClassStatus.APPROVED
        if status is ClassStatus.APPROVED:
            return
        c.status = ClassStatus.IN_PROGRESS
        c.started_on = c.start_date
        self.attendance(s, c)
        if status is ClassStatus.IN_PROGRESS:
            return
        c.status = ClassStatus.COMPLETED
        c.completed_on = c.end_date
        exam = c.end_date
        for e in c.enrollments:
            roll = rng.random()
            e.exam_date = exam
            if roll < 0.88:
                e.result, e.score = EnrollmentResult.PASSED, rng.randrange(62, 97)
                e.certificate_type = CertificateType.SPECIAL_ABILITY if c.level is Level.SPECIAL else CertificateType.SKILL_LEVEL
                e.certificate_no = f"{c.end_date.year}52{rng.randrange(10**11, 10**12)}"
                e.certificate_issued_on = exam + dt.timedelta(days=20)
            elif roll < 0.96:
                e.result, e.score = EnrollmentResult.FAILED, rng.randrange(30, 59)
            else:
                e.result = EnrollmentResult.ABSENT
        s.flush()
        # The subsidy each trainee earned, by the same rule the school is checked against.
        from zunyi_trainer.settings import load_settings
        from zunyi_trainer.subsidy import apply_subsidy

        apply_subsidy(s, c, load_settings(s))
        store = self.reg.attachments_dir
        for k, caption in enumerate(("开班仪式合影", "实操课现场")):
            attachments.add_attachment(
                s,
                store,
                _png(96, 64, (80 + 40 * k, 120, 200 - 30 * k)),
                filename=f"{c.code}-照片{k + 1}.png",
                caption=caption,
                taken_at=local_instant(c.start_date, dt.time(9, 0)),
                training_class=c,
            )
        if status is ClassStatus.ARCHIVED:
            c.status = ClassStatus.ARCHIVED
            c.archived_on = c.end_date + dt.timedelta(days=30)
            c.archive_no = f"DA-{c.code}"

    def attendance(self, s: Session, c: TrainingClass) -> None:
        rng = self.rng
        weak = set(rng.sample(range(len(c.enrollments)), k=min(2, len(c.enrollments))))  # below the threshold
        held = [sess for sess in c.sessions if sess.date < self.today]
        for idx, e in enumerate(c.enrollments):
            for sess in held:
                r = rng.random()
                if idx in weak:
                    r = r * 0.7 + 0.3 if r < 0.5 else r * 0.2
                    status = AttendanceStatus.ABSENT if r < 0.25 else AttendanceStatus.PRESENT
                elif r < 0.90:
                    status = AttendanceStatus.PRESENT
                elif r < 0.94:
                    status = AttendanceStatus.LATE
                elif r < 0.96:
                    status = AttendanceStatus.EARLY_LEAVE
                elif r < 0.985:
                    status = AttendanceStatus.LEAVE
                else:
                    status = AttendanceStatus.ABSENT
                sign_in = sign_out = None
                if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY_LEAVE):
                    delay = rng.randrange(12, 40) if status is AttendanceStatus.LATE else rng.randrange(-15, 4)
                    sign_in = local_instant(sess.date, sess.start_time) + dt.timedelta(minutes=delay, seconds=rng.randrange(60))
                    early = rng.randrange(25, 70) if status is AttendanceStatus.EARLY_LEAVE else -rng.randrange(0, 12)
                    sign_out = local_instant(sess.date, sess.end_time) - dt.timedelta(minutes=early, seconds=rng.randrange(60))
                e.attendance.append(
                    Attendance(
                        session=sess,
                        status=status,
                        sign_in_at=sign_in,
                        sign_out_at=sign_out,
                        method=AttendanceMethod.TERMINAL if sign_in else AttendanceMethod.MANUAL,
                        recorded_by="杨晓梅",
                        recorded_at=local_instant(sess.date, dt.time(18, 0)) if sess.date < self.today else now_utc(),
                        leave_reason="家中有事" if status is AttendanceStatus.LEAVE else "",
                    )
                )


def fill_demo(
    register: Register, *, seed: int = 2026, scale: int = 1, progress: Callable[[int, int], None] | None = None
) -> None:
    DemoBuilder(register, seed, scale, progress).build()
