"""``institution show``."""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from zunyi_trainer.cli.context import Context
from zunyi_trainer.errors import NotFound
from zunyi_trainer.i18n import text
from zunyi_trainer.models import Institution
from zunyi_trainer.reference import county_name


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("institution", help=text("本校信息", "the school's profile"))
    isub = p.add_subparsers(dest="institution_command", metavar="ACTION", required=True)
    show = isub.add_parser("show", help=text("显示本校信息", "show the school's profile"))
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)


def institution_dict(inst: Institution) -> dict:
    return {
        "uuid": str(inst.uuid),
        "name": inst.name,
        "uscc": inst.uscc,
        "license_no": inst.license_no,
        "county": inst.county,
        "county_name": county_name(inst.county),
        "address": inst.address,
        "legal_representative": inst.legal_representative,
        "contact_person": inst.contact_person,
        "contact_phone": inst.contact_phone,
        "designated_from": inst.designated_from.isoformat() if inst.designated_from else None,
        "designated_to": inst.designated_to.isoformat() if inst.designated_to else None,
        "trades": [t.name for t in inst.trades],
    }


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    reg = ctx.register(create=False)
    with reg.session() as s:
        inst = s.scalars(sa.select(Institution).order_by(Institution.id)).first()
        if inst is None:
            raise NotFound("登记册中还没有学校信息。", "The register has no school profile yet.")
        data = institution_dict(inst)
    if args.json:
        ctx.json(data)
        return 0
    rows = [
        (text("名称", "Name"), data["name"]),
        (text("统一社会信用代码", "USCC"), data["uscc"]),
        (text("办学许可证号", "Licence"), data["license_no"]),
        (text("所在县（市、区）", "County"), data["county_name"]),
        (text("地址", "Address"), data["address"]),
        (text("联系人", "Contact"), f"{data['contact_person']} {data['contact_phone']}"),
        (text("定点合约期", "Designated"), f"{data['designated_from'] or '-'} ~ {data['designated_to'] or '-'}"),
        (text("核准工种", "Approved trades"), "、".join(data["trades"])),
    ]
    for label, value in rows:
        ctx.out(f"{label}：{value}")
    return 0
