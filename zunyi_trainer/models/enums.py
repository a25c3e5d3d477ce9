"""The register's fixed vocabularies, as string enums stored by their value.

Each member carries its Chinese label (what the user sees) and an English one.
"""

from __future__ import annotations

from enum import StrEnum

from zunyi_trainer.i18n import language


class LabeledEnum(StrEnum):
    zh: str
    en: str

    def __new__(cls, value: str, zh: str = "", en: str = "") -> LabeledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh or value
        obj.en = en or value
        return obj

    @property
    def label(self) -> str:
        return self.en if language() == "en" else self.zh

    @classmethod
    def from_label(cls, text: str) -> LabeledEnum:
        """Accept the stored value, the Chinese or the English label."""
        needle = text.strip()
        for member in cls:
            if needle in (member.value, member.zh, member.en):
                return member
        raise ValueError(f"{needle!r} is not a {cls.__name__}")


class Industry(LabeledEnum):
    LIQUOR = "liquor", "酱酒", "Sauce-aroma liquor"
    TEA = "tea", "茶", "Tea"
    EQUIPMENT = "equipment", "装备制造", "Equipment manufacturing"
    ELDER_CHILD = "elder_child", "一老一小", "Elderly and child care"
    GUITAR = "guitar", "吉他", "Guitar making"
    BAMBOO = "bamboo", "竹", "Bamboo"
    CHILLI = "chilli", "辣椒", "Chilli"
    FOOD = "food", "生态特色食品", "Specialty food"
    OTHER = "other", "其他", "Other"


class TradeKind(LabeledEnum):
    GRADED = "graded", "职业技能等级", "Graded occupation"
    SPECIAL = "special", "专项职业能力", "Special vocational ability"


class Level(LabeledEnum):
    L5 = "L5", "五级/初级工", "Level 5 (junior)"
    L4 = "L4", "四级/中级工", "Level 4 (intermediate)"
    L3 = "L3", "三级/高级工", "Level 3 (senior)"
    L2 = "L2", "二级/技师", "Level 2 (technician)"
    L1 = "L1", "一级/高级技师", "Level 1 (senior technician)"
    SPECIAL = "special", "专项能力", "Special ability"


class TrainingType(LabeledEnum):
    EMPLOYMENT = "employment", "就业技能培训", "Employment skills"
    UPSKILLING = "upskilling", "岗位技能提升培训", "On-the-job upskilling"
    ENTREPRENEURSHIP = "entrepreneurship", "创业培训", "Entrepreneurship"
    SPECIAL_ABILITY = "special_ability", "专项职业能力培训", "Special vocational ability"
    APPRENTICESHIP = "apprenticeship", "新型学徒制培训", "New-style apprenticeship"


class TrainingMode(LabeledEnum):
    OFFLINE = "offline", "线下", "In person"
    ONLINE = "online", "线上", "Online"
    BLENDED = "blended", "线上线下混合", "Blended"


class Funding(LabeledEnum):
    SUBSIDISED = "subsidised", "政府补贴性培训", "Government-subsidised"
    ENTERPRISE = "enterprise", "企业职工培训（企业出资）", "Employer-funded"
    SELF_PAID = "self_paid", "个人缴费", "Self-paid"


class ClassStatus(LabeledEnum):
    DRAFT = "draft", "草稿", "Draft"
    SUBMITTED = "submitted", "已报审", "Submitted"
    APPROVED = "approved", "已批准", "Approved"
    REJECTED = "rejected", "未通过", "Rejected"
    IN_PROGRESS = "in_progress", "开班中", "In progress"
    COMPLETED = "completed", "已结业", "Completed"
    ARCHIVED = "archived", "已归档", "Archived"


class SessionKind(LabeledEnum):
    THEORY = "theory", "理论", "Theory"
    PRACTICE = "practice", "实操", "Practice"


class Employment(LabeledEnum):
    FULL_TIME = "full_time", "专职", "Full-time"
    PART_TIME = "part_time", "兼职", "Part-time"


class Sex(LabeledEnum):
    MALE = "M", "男", "Male"
    FEMALE = "F", "女", "Female"


class Education(LabeledEnum):
    PRIMARY = "primary", "小学及以下", "Primary or less"
    JUNIOR = "junior", "初中", "Junior secondary"
    SENIOR = "senior", "高中", "Senior secondary"
    VOCATIONAL = "vocational", "中专/技校", "Vocational secondary"
    COLLEGE = "college", "大专", "College"
    BACHELOR = "bachelor", "本科", "Bachelor"
    POSTGRADUATE = "postgraduate", "研究生", "Postgraduate"


class TraineeCategory(LabeledEnum):
    """重点群体 categories that the county reports on."""

    POVERTY_ALLEVIATED = "poverty_alleviated", "脱贫劳动力", "Labour lifted out of poverty"
    RURAL_MIGRANT = "rural_migrant", "农村转移劳动力", "Rural migrant labour"
    GRADUATE = "graduate", "高校毕业生", "College graduate"
    VETERAN = "veteran", "退役军人", "Veteran"
    UNEMPLOYED = "unemployed", "城镇登记失业人员", "Registered unemployed"
    DISABLED = "disabled", "残疾人", "Person with disability"
    EMPLOYEE = "employee", "企业职工", "Enterprise employee"
    RELOCATED = "relocated", "易地扶贫搬迁劳动力", "Relocated labour"
    OTHER = "other", "其他", "Other"


class EnrollmentResult(LabeledEnum):
    PENDING = "pending", "未考核", "Not assessed"
    PASSED = "passed", "合格", "Passed"
    FAILED = "failed", "不合格", "Failed"
    ABSENT = "absent", "缺考", "Absent from exam"


class CertificateType(LabeledEnum):
    SKILL_LEVEL = "skill_level", "职业技能等级证书", "Vocational skill level certificate"
    SPECIAL_ABILITY = "special_ability", "专项职业能力证书", "Special vocational ability certificate"
    TRAINING = "training", "培训合格证书", "Training completion certificate"
    QUALIFICATION = "qualification", "职业资格证书", "Vocational qualification certificate"
    SPECIAL_OPERATION = "special_operation", "特种作业操作证", "Special operations certificate"


class AttendanceStatus(LabeledEnum):
    PRESENT = "present", "出勤", "Present"
    LATE = "late", "迟到", "Late"
    EARLY_LEAVE = "early_leave", "早退", "Left early"
    LEAVE = "leave", "请假", "On leave"
    ABSENT = "absent", "旷课", "Absent"


class AttendanceMethod(LabeledEnum):
    MANUAL = "manual", "手工录入", "Entered by hand"
    PAPER = "paper", "纸质签到表", "Paper sign-in sheet"
    TERMINAL = "terminal", "考勤机导入", "Terminal punch log"
    WORKBOOK = "workbook", "考勤表导入", "Attendance workbook"


class QualificationKind(LabeledEnum):
    SKILL_LEVEL = "skill_level", "职业技能等级证书", "Vocational skill level certificate"
    QUALIFICATION = "qualification", "职业资格证书", "Vocational qualification certificate"
    TEACHER = "teacher", "教师资格证", "Teacher's certificate"
    TRAINER = "trainer", "职业培训师证书", "Vocational trainer certificate"
    SPECIAL_ABILITY = "special_ability", "专项职业能力证书", "Special vocational ability certificate"
    TITLE = "title", "专业技术职称", "Professional title"


class VenueKind(LabeledEnum):
    THEORY = "theory", "理论教室", "Theory room"
    PRACTICE = "practice", "实训场地", "Practical room"
    MIXED = "mixed", "理实一体化教室", "Combined room"


class EquipmentStatus(LabeledEnum):
    IN_USE = "in_use", "在用", "In use"
    IDLE = "idle", "闲置", "Idle"
    REPAIR = "repair", "维修中", "Under repair"
    SCRAPPED = "scrapped", "已报废", "Scrapped"


class SpendKind(LabeledEnum):
    PURCHASE = "purchase", "购置", "Purchase"
    RENEWAL = "renewal", "更新", "Renewal"
    REPAIR = "repair", "维修", "Repair"


class AttachmentKind(LabeledEnum):
    PHOTO = "photo", "照片", "Photo"
    SCAN = "scan", "扫描件", "Scan"
    AUDIO = "audio", "音频", "Audio"
    VIDEO = "video", "视频", "Video"
    DOCUMENT = "document", "文档", "Document"
    INVOICE = "invoice", "发票", "Invoice"


class BatchKind(LabeledEnum):
    FULL = "full", "全量", "Full"
    INCREMENTAL = "incremental", "增量", "Incremental"


class BatchState(LabeledEnum):
    EXPORTED = "exported", "已导出", "Exported"
    ACKNOWLEDGED = "acknowledged", "县局已确认", "Acknowledged"
