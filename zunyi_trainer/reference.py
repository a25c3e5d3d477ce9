"""Reference data of the plan: Zunyi's county-level divisions, the industries with the plan's
2023–2025 targets, and the trades (职业工种) a school in Zunyi trains for.

Source: the "技能遵义" action plan (``shared/seed``), items 5 and the overall targets. The
trades are seeded into every register; a school can add its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from zunyi_trainer.models.enums import Industry, Level, TradeKind


@dataclass(frozen=True)
class County:
    key: str
    name: str
    gb_code: str | None  # GB/T 2260 code; 新蒲新区 is a functional zone without one


# The 14 county-level divisions of Zunyi and 新蒲新区 (listed by the plan beside them).
COUNTIES: tuple[County, ...] = (
    County("honghuagang", "红花岗区", "520302"),
    County("huichuan", "汇川区", "520303"),
    County("bozhou", "播州区", "520304"),
    County("tongzi", "桐梓县", "520322"),
    County("suiyang", "绥阳县", "520323"),
    County("zhengan", "正安县", "520324"),
    County("daozhen", "道真仡佬族苗族自治县", "520325"),
    County("wuchuan", "务川仡佬族苗族自治县", "520326"),
    County("fenggang", "凤冈县", "520327"),
    County("meitan", "湄潭县", "520328"),
    County("yuqing", "余庆县", "520329"),
    County("xishui", "习水县", "520330"),
    County("chishui", "赤水市", "520381"),
    County("renhuai", "仁怀市", "520382"),
    County("xinpu", "新蒲新区", None),
)

COUNTY_BY_KEY = {c.key: c for c in COUNTIES}


def county_name(key: str | None) -> str:
    county = COUNTY_BY_KEY.get(key or "")
    return county.name if county else (key or "")


# The plan's 2023–2025 targets (人次), item "总体要求".
PLAN_TOTAL_TARGET = 120_000
PLAN_INDUSTRY_TARGETS: dict[Industry, int] = {
    Industry.LIQUOR: 30_000,
    Industry.TEA: 10_000,
    Industry.EQUIPMENT: 10_000,
    Industry.ELDER_CHILD: 10_000,
    Industry.GUITAR: 2_000,
}


@dataclass(frozen=True)
class TradeSeed:
    code: str
    name: str
    industry: Industry
    kind: TradeKind
    levels: tuple[Level, ...]


_GRADED = (Level.L5, Level.L4, Level.L3, Level.L2, Level.L1)
_LOWER = (Level.L5, Level.L4, Level.L3)
_SPECIAL = (Level.SPECIAL,)

TRADES: tuple[TradeSeed, ...] = (
    # 酱香白酒 (item 5: 仁怀市、习水县、汇川区)
    TradeSeed("JJ-01", "白酒酿造工", Industry.LIQUOR, TradeKind.GRADED, _GRADED),
    TradeSeed("JJ-02", "品酒师", Industry.LIQUOR, TradeKind.GRADED, _GRADED),
    TradeSeed("JJ-03", "酒类包装工", Industry.LIQUOR, TradeKind.SPECIAL, _SPECIAL),
    # 茶 (湄潭县、凤冈县、余庆县、正安县)
    TradeSeed("CY-01", "茶艺师", Industry.TEA, TradeKind.GRADED, _GRADED),
    TradeSeed("CY-02", "评茶员", Industry.TEA, TradeKind.GRADED, _GRADED),
    TradeSeed("CY-03", "茶叶种植", Industry.TEA, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("CY-04", "茶叶加工", Industry.TEA, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("CY-05", "茶艺演示", Industry.TEA, TradeKind.SPECIAL, _SPECIAL),
    # 装备制造 (汇川区军工装备制造)
    TradeSeed("ZB-01", "电工", Industry.EQUIPMENT, TradeKind.GRADED, _GRADED),
    TradeSeed("ZB-02", "焊工", Industry.EQUIPMENT, TradeKind.GRADED, _GRADED),
    TradeSeed("ZB-03", "车工", Industry.EQUIPMENT, TradeKind.GRADED, _GRADED),
    TradeSeed("ZB-04", "钳工", Industry.EQUIPMENT, TradeKind.GRADED, _GRADED),
    TradeSeed("ZB-05", "叉车司机", Industry.EQUIPMENT, TradeKind.GRADED, _LOWER),
    # 一老一小 (红花岗区、汇川区、播州区)
    TradeSeed("YL-01", "育婴员", Industry.ELDER_CHILD, TradeKind.GRADED, _LOWER),
    TradeSeed("YL-02", "保育师", Industry.ELDER_CHILD, TradeKind.GRADED, _LOWER),
    TradeSeed("YL-03", "养老护理员", Industry.ELDER_CHILD, TradeKind.GRADED, _GRADED),
    TradeSeed("YL-04", "家政服务员", Industry.ELDER_CHILD, TradeKind.GRADED, _LOWER),
    # 吉他 (正安县)
    TradeSeed("JT-01", "吉他胴部制作", Industry.GUITAR, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("JT-02", "吉他涂装制作", Industry.GUITAR, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("JT-03", "吉他研磨制作", Industry.GUITAR, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("JT-04", "吉他颈部制作", Industry.GUITAR, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("JT-05", "吉他销售", Industry.GUITAR, TradeKind.SPECIAL, _SPECIAL),
    # 竹 (赤水市、桐梓县)
    TradeSeed("ZZ-01", "竹编", Industry.BAMBOO, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("ZZ-02", "竹林培育", Industry.BAMBOO, TradeKind.SPECIAL, _SPECIAL),
    # 辣椒 (新蒲新区)
    TradeSeed("LJ-01", "辣椒种植", Industry.CHILLI, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("LJ-02", "辣椒管护", Industry.CHILLI, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("LJ-03", "辣椒产品深加工", Industry.CHILLI, TradeKind.SPECIAL, _SPECIAL),
    TradeSeed("LJ-04", "辣椒产品销售", Industry.CHILLI, TradeKind.SPECIAL, _SPECIAL),
    # 生态特色食品与其他
    TradeSeed("SP-01", "中式烹调师", Industry.FOOD, TradeKind.GRADED, _GRADED),
    TradeSeed("SP-02", "中式面点师", Industry.FOOD, TradeKind.GRADED, _GRADED),
    TradeSeed("QT-01", "电子商务师", Industry.OTHER, TradeKind.GRADED, _LOWER),
    TradeSeed("QT-02", "农业经理人", Industry.OTHER, TradeKind.GRADED, _LOWER),
)
