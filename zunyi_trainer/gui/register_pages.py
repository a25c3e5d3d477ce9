"""The registers: classes, trainees, teachers, venues, equipment and equipment spend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget
from sqlalchemy.orm import selectinload

from zunyi_trainer import idcard
from zunyi_trainer.gui import records
from zunyi_trainer.gui.classes_page import ClassesPage  # noqa: F401  (the registers, in one place)
from zunyi_trainer.gui.context import AppContext
from zunyi_trainer.gui.messages import tr
from zunyi_trainer.gui.register_page import RegisterPage
from zunyi_trainer.gui.table_models import Column, Row
from zunyi_trainer.gui.trainees_page import TraineesPage  # noqa: F401
from zunyi_trainer.models import (
    Attachment,
    Equipment,
    EquipmentSpend,
    Qualification,
    Teacher,
    Venue,
)
from zunyi_trainer.timeutil import today_local


def _money(fen: int) -> str:
    return records.fen_to_yuan(fen)


# --- classes: gui/classes_page.py (the class register paints before the models are mapped) ----


# --- trainees: gui/trainees_page.py (paged in SQL; paints before the models are mapped) --------


# --- teachers ---------------------------------------------------------------------------------


class TeachersPage(RegisterPage):
    page_key = "teachers"
    tables = ("teacher", "qualification")
    record_dialog, record_model = "TeacherDialog", "Teacher"
    filter_keys = ("employment", "qualification_state")

    def columns(self) -> Sequence[Column]:
        return (
            Column("name", tr("Full name")),
            Column("employment", tr("Employment")),
            Column("id_number", tr("ID number")),
            Column("phone", tr("Phone")),
            Column("title", tr("Professional title")),
            Column("qualifications", tr("Qualifications")),
            Column("next_expiry", tr("Next expiry")),
            Column("qualification_state", tr("Certificates")),
            Column("other_institutions", tr("Other institutions this year"), numeric=True),
            Column("active", tr("Active"), hidden=True),
        )

    def load_rows(self, s) -> list[Row]:
        from zunyi_trainer.settings import load_settings

        today = today_local()
        warn_days = load_settings(s).qualification_warn_days
        rows = []
        q = sa.select(Teacher).options(
            selectinload(Teacher.qualifications).selectinload(Qualification.trade), selectinload(Teacher.affiliations)
        )
        for t in s.scalars(q):
            valid = [qq for qq in t.qualifications if qq.valid_on(today)]
            expiries = sorted(qq.expires_on for qq in valid if qq.expires_on)
            if not t.qualifications:
                state = tr("None")
            elif not valid:
                state = tr("Expired")
            elif expiries and expiries[0] <= today + dt.timedelta(days=warn_days):
                state = tr("Expiring soon")
            else:
                state = tr("Valid")
            others = [a for a in t.affiliations if a.year == today.year]

            rows.append(
                Row(
                    t.id,
                    {
                        "name": t.name,
                        "employment": t.employment.label,
                        "id_number": idcard.mask(t.id_number),
                        "phone": t.phone,
                        "title": t.title,
                        "qualifications": "、".join(f"{q.trade.name if q.trade else q.kind.label}" for q in t.qualifications),
                        "next_expiry": expiries[0].isoformat() if expiries else "",
                        "qualification_state": state,
                        "other_institutions": str(len(others)),
                        "active": tr("Yes") if t.active else tr("No"),
                    },
                    sort={"other_institutions": len(others)},
                )
            )
        return rows


# --- venues, equipment, spend -----------------------------------------------------------------


class VenuesPage(RegisterPage):
    page_key = "venues"
    tables = ("venue", "equipment")
    record_dialog, record_model = "VenueDialog", "Venue"
    filter_keys = ("kind",)

    def columns(self) -> Sequence[Column]:
        return (
            Column("name", tr("Name")),
            Column("kind", tr("Kind")),
            Column("seats", tr("Seats"), numeric=True),
            Column("area", tr("Area (m²)"), numeric=True),
            Column("equipment", tr("Equipment items"), numeric=True),
            Column("address", tr("Address")),
            Column("active", tr("In use")),
        )

    def load_rows(self, s) -> list[Row]:
        counts = dict(s.execute(sa.select(Equipment.venue_id, sa.func.count()).group_by(Equipment.venue_id)).all())
        return [
            Row(
                v.id,
                {
                    "name": v.name,
                    "kind": v.kind.label,
                    "seats": str(v.seats),
                    "area": f"{v.area_m2}" if v.area_m2 is not None else "",
                    "equipment": str(counts.get(v.id, 0)),
                    "address": v.address,
                    "active": tr("Yes") if v.active else tr("No"),
                },
                sort={"seats": v.seats, "area": float(v.area_m2 or 0), "equipment": counts.get(v.id, 0)},
            )
            for v in s.scalars(sa.select(Venue))
        ]


class EquipmentPage(RegisterPage):
    page_key = "equipment"
    tables = ("equipment", "venue", "equipment_spend")
    record_dialog, record_model = "EquipmentDialog", "Equipment"
    filter_keys = ("status", "venue")

    def columns(self) -> Sequence[Column]:
        return (
            Column("asset_no", tr("Asset no.")),
            Column("name", tr("Name")),
            Column("model", tr("Model")),
            Column("quantity", tr("Quantity"), numeric=True),
            Column("status", tr("Status")),
            Column("venue", tr("Venue")),
            Column("acquired_on", tr("Acquired on")),
            Column("value", tr("Value (yuan)"), numeric=True),
        )

    def load_rows(self, s) -> list[Row]:
        return [
            Row(
                e.id,
                {
                    "asset_no": e.asset_no,
                    "name": e.name,
                    "model": e.model,
                    "quantity": f"{e.quantity} {e.unit}",
                    "status": e.status.label,
                    "venue": e.venue.name if e.venue else "",
                    "acquired_on": e.acquired_on.isoformat() if e.acquired_on else "",
                    "value": _money(e.value_fen),
                },
                sort={"quantity": e.quantity, "value": e.value_fen},
            )
            for e in s.scalars(sa.select(Equipment).options(selectinload(Equipment.venue)))
        ]


class SpendPage(RegisterPage):
    page_key = "spend"
    tables = ("equipment_spend", "equipment", "attachment")
    record_dialog, record_model = "SpendDialog", "EquipmentSpend"
    filter_keys = ("kind", "year", "documented")

    def columns(self) -> Sequence[Column]:
        return (
            Column("spent_on", tr("Date")),
            Column("kind", tr("Kind")),
            Column("amount", tr("Amount (yuan)"), numeric=True),
            Column("description", tr("Description")),
            Column("equipment", tr("Equipment")),
            Column("supplier", tr("Supplier")),
            Column("invoice_no", tr("Invoice no.")),
            Column("documented", tr("Invoice attached")),
            Column("year", tr("Year"), hidden=True),
        )

    def load_rows(self, s) -> list[Row]:
        files = dict(s.execute(sa.select(Attachment.spend_id, sa.func.count()).group_by(Attachment.spend_id)).all())
        return [
            Row(
                sp.id,
                {
                    "spent_on": sp.spent_on.isoformat(),
                    "kind": sp.kind.label,
                    "amount": _money(sp.amount_fen),
                    "description": sp.description,
                    "equipment": sp.equipment.name if sp.equipment else "",
                    "supplier": sp.supplier,
                    "invoice_no": sp.invoice_no,
                    "documented": tr("Yes") if files.get(sp.id) else tr("Missing"),
                    "year": str(sp.spent_on.year),
                },
                sort={"amount": sp.amount_fen},
            )
            for sp in s.scalars(sa.select(EquipmentSpend).options(selectinload(EquipmentSpend.equipment)))
        ]

    def record_label(self, record) -> str:
        return f"{record.spent_on} {record.description}"


class FacilitiesPage(QWidget):
    """场地与设备: venues, equipment and equipment spend, one tab each."""

    page_key = "facilities"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_facilities")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("facilityTabs")
        self.venues = VenuesPage(ctx, self)
        self.equipment = EquipmentPage(ctx, self)
        self.spend = SpendPage(ctx, self)
        self.tabs.addTab(self.venues, tr("Venues"))
        self.tabs.addTab(self.equipment, tr("Equipment"))
        self.tabs.addTab(self.spend, tr("Equipment spend"))
        from zunyi_trainer.gui.document_actions import DocumentActions

        self.documents = DocumentActions(ctx, self)  # 设备投入报告, from the tab bar's corner
        self.tabs.setCornerWidget(self.documents.equipment_button(self.tabs))
        layout.addWidget(self.tabs)

    def current_register(self) -> RegisterPage:
        return self.tabs.currentWidget()  # type: ignore[return-value]
