"""The roster's columns: what the school's template has, and what other people's sheets call them.

Rosters come from village officials, employers and trainees' own forms; the same column turns
up as 身份证号, 身份证号码 or 公民身份号码, with an asterisk, a note in brackets or a line break.
:func:`normalise_header` reduces a header to its bare words and :func:`match_field` finds the
field it stands for.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from zunyi_trainer.models import Education, Sex, TraineeCategory


@dataclasses.dataclass(frozen=True)
class Field:
    key: str
    header: str  # the template's header
    synonyms: tuple[str, ...]
    required: bool = False
    width: float = 12


FIELDS: tuple[Field, ...] = (
    Field("seq", "序号", ("序号", "编号", "no", "序", "顺序号"), width=6),
    Field(
        "name",
        "姓名",
        ("姓名", "学员姓名", "学员名称", "参训人员姓名", "参训学员姓名", "培训人员姓名", "名字", "人员姓名", "学生姓名", "学员"),
        required=True,
        width=10,
    ),
    Field("sex", "性别", ("性别",), width=6),
    Field(
        "id_number",
        "公民身份号码",
        (
            "公民身份号码",
            "身份证号",
            "身份证号码",
            "身份证",
            "证件号码",
            "身份证件号码",
            "证件号",
            "公民身份证号码",
            "公民身份证号",
            "身份号码",
            "身份证编号",
        ),
        required=True,
        width=21,
    ),
    Field(
        "phone",
        "联系电话",
        ("联系电话", "手机号码", "手机号", "手机", "电话", "电话号码", "联系方式", "移动电话", "联系手机", "本人电话"),
        width=14,
    ),
    Field("education", "文化程度", ("文化程度", "学历", "最高学历", "受教育程度"), width=12),
    Field(
        "category",
        "人员类别",
        ("人员类别", "重点群体类别", "人员类型", "重点群体", "群体类别", "培训对象类别", "就业群体类别", "人员身份", "学员类别"),
        width=16,
    ),
    Field(
        "household_address",
        "户籍地址",
        ("户籍地址", "户籍所在地", "户口所在地", "户籍地", "户籍住址", "家庭住址", "家庭地址", "住址", "地址"),
        width=30,
    ),
    Field("current_address", "现居住地址", ("现居住地址", "现住址", "居住地址", "现居住地", "常住地址"), width=30),
    Field("employer", "工作单位", ("工作单位", "就业单位", "所在单位", "单位名称", "单位", "就业企业"), width=20),
    Field("notes", "备注", ("备注", "说明"), width=20),
)

FIELD_BY_KEY = {f.key: f for f in FIELDS}

_BRACKETED = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_NOISE = re.compile(r"[\s*＊:：_\-—·.。、/\\|!！?？#\"'“”‘’]+")


def normalise_header(value: object) -> str:
    """``" 公民身份号码（必填）*\\n"`` → ``"公民身份号码"``."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = _BRACKETED.sub("", text)
    return _NOISE.sub("", text)


_EXACT = {normalise_header(s): f.key for f in FIELDS for s in f.synonyms}


def match_field(header: object) -> str | None:
    """The field a header stands for, or ``None``. Exact synonyms first, then a header that
    contains a distinctive synonym (``学员身份证号码`` → id_number)."""
    key = normalise_header(header)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    if len(key) > 24:  # a sentence (an instruction), not a header
        return None
    for probe, field in _CONTAINS:
        if probe in key:
            return field
    return None


# Checked in order: the more specific first (现住址 before 住址, 身份证 before 证).
_CONTAINS: tuple[tuple[str, str], ...] = (
    ("身份证", "id_number"),
    ("身份号码", "id_number"),
    ("证件号", "id_number"),
    ("手机", "phone"),
    ("电话", "phone"),
    ("文化程度", "education"),
    ("学历", "education"),
    ("重点群体", "category"),
    ("人员类别", "category"),
    ("现居", "current_address"),
    ("现住", "current_address"),
    ("户籍", "household_address"),
    ("户口", "household_address"),
    ("姓名", "name"),
    ("性别", "sex"),
    ("工作单位", "employer"),
    ("备注", "notes"),
)

# --- fixed lists: what a cell may say -------------------------------------------------------------

SEX_WORDS: dict[str, Sex] = {
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}

EDUCATION_WORDS: dict[str, Education] = {
    "小学": Education.PRIMARY,
    "小学以下": Education.PRIMARY,
    "小学及以下": Education.PRIMARY,
    "文盲": Education.PRIMARY,
    "半文盲": Education.PRIMARY,
    "文盲或半文盲": Education.PRIMARY,
    "无": Education.PRIMARY,
    "初中以下": Education.PRIMARY,
    "初中": Education.JUNIOR,
    "初中及以下": Education.JUNIOR,
    "初级中学": Education.JUNIOR,
    "高中": Education.SENIOR,
    "高中及以上": Education.SENIOR,
    "普通高中": Education.SENIOR,
    "高级中学": Education.SENIOR,
    "中专": Education.VOCATIONAL,
    "中职": Education.VOCATIONAL,
    "技校": Education.VOCATIONAL,
    "职高": Education.VOCATIONAL,
    "中技": Education.VOCATIONAL,
    "中专技校": Education.VOCATIONAL,
    "中专/技校": Education.VOCATIONAL,
    "中等专业学校": Education.VOCATIONAL,
    "技工学校": Education.VOCATIONAL,
    "高中/中专": Education.SENIOR,
    "高中中专": Education.SENIOR,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "高职": Education.COLLEGE,
    "大专及以上": Education.COLLEGE,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "大学": Education.BACHELOR,
    "学士": Education.BACHELOR,
    "研究生": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
}

CATEGORY_WORDS: dict[str, TraineeCategory] = {
    "脱贫劳动力": TraineeCategory.POVERTY_ALLEVIATED,
    "脱贫人口": TraineeCategory.POVERTY_ALLEVIATED,
    "脱贫户": TraineeCategory.POVERTY_ALLEVIATED,
    "建档立卡": TraineeCategory.POVERTY_ALLEVIATED,
    "建档立卡贫困劳动力": TraineeCategory.POVERTY_ALLEVIATED,
    "脱贫家庭劳动力": TraineeCategory.POVERTY_ALLEVIATED,
    "监测对象": TraineeCategory.POVERTY_ALLEVIATED,
    "农村转移劳动力": TraineeCategory.RURAL_MIGRANT,
    "农村劳动力": TraineeCategory.RURAL_MIGRANT,
    "农民工": TraineeCategory.RURAL_MIGRANT,
    "农村转移就业劳动者": TraineeCategory.RURAL_MIGRANT,
    "高校毕业生": TraineeCategory.GRADUATE,
    "应届高校毕业生": TraineeCategory.GRADUATE,
    "毕业年度高校毕业生": TraineeCategory.GRADUATE,
    "退役军人": TraineeCategory.VETERAN,
    "退役士兵": TraineeCategory.VETERAN,
    "城镇登记失业人员": TraineeCategory.UNEMPLOYED,
    "登记失业人员": TraineeCategory.UNEMPLOYED,
    "失业人员": TraineeCategory.UNEMPLOYED,
    "城镇失业人员": TraineeCategory.UNEMPLOYED,
    "残疾人": TraineeCategory.DISABLED,
    "残疾": TraineeCategory.DISABLED,
    "企业职工": TraineeCategory.EMPLOYEE,
    "在职职工": TraineeCategory.EMPLOYEE,
    "企业在职职工": TraineeCategory.EMPLOYEE,
    "职工": TraineeCategory.EMPLOYEE,
    "易地扶贫搬迁劳动力": TraineeCategory.RELOCATED,
    "易地扶贫搬迁": TraineeCategory.RELOCATED,
    "搬迁劳动力": TraineeCategory.RELOCATED,
    "易地搬迁": TraineeCategory.RELOCATED,
    "其他": TraineeCategory.OTHER,
    "其它": TraineeCategory.OTHER,
}


def _words_index(words: dict[str, object], members: object) -> dict[str, object]:
    index = {normalise_header(k): v for k, v in words.items()}
    for member in members:  # type: ignore[attr-defined]
        for label in (member.value, member.zh, member.en):
            index.setdefault(normalise_header(label), member)
    return index


SEX_INDEX = _words_index(SEX_WORDS, Sex)
EDUCATION_INDEX = _words_index(EDUCATION_WORDS, Education)
CATEGORY_INDEX = _words_index(CATEGORY_WORDS, TraineeCategory)
