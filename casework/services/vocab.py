"""Vocabulary lookups: a code or its Japanese label (or an alias) to the code."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Center, Channel, EventKind, Industry, IndustryDivision, Municipality, Outcome, Theme
from ..textnorm import fold
from .errors import DomainError


def _index(rows, *names) -> dict[str, str]:
    index = {}
    for row in rows:
        code = getattr(row, names[0])
        for name in names:
            value = getattr(row, name, None)
            for part in (value or "").split(";") if name == "aliases" else [value]:
                if part:
                    index[fold(str(part))] = code
    return index


def _finder(kind: str, what: str):
    """Vocabulary.<kind>(value): the code of a value in the `<kind>_lookup` map, or a DomainError
    naming `what` (相談方法, テーマ …)."""
    def find(self, value) -> str:
        return self._find(getattr(self, f"{kind}_lookup"), value, what)
    find.__name__ = kind
    return find


class Vocabulary:
    """Code/label maps for one import or form session (one query per table)."""

    def __init__(self):
        self.centers = {c.code: c for c in db.session.scalars(select(Center))}
        self.center_lookup = _index(self.centers.values(), "code", "name", "report_title")
        self.channel_lookup = _index(db.session.scalars(select(Channel)), "code", "label", "aliases")
        self.theme_lookup = _index(db.session.scalars(select(Theme)), "code", "label")
        industries = list(db.session.scalars(select(Industry)))
        self.industry_lookup = _index(industries, "code", "name", "report_label")
        divisions = list(db.session.scalars(select(IndustryDivision)))
        self.division_lookup = _index(divisions, "code", "name", "report_label")
        self.division_major = {d.code: d.major_code for d in divisions}
        self.municipality_lookup = _index(db.session.scalars(select(Municipality)), "code", "name")
        self.event_kind_lookup = _index(db.session.scalars(select(EventKind)), "code", "label")
        self.outcome_lookup = _index(db.session.scalars(select(Outcome)), "code", "label")

    @staticmethod
    def _find(lookup, value, what):
        code = lookup.get(fold(value))
        if code is None:
            raise DomainError(f"{what}「{value}」は登録されていません")
        return code

    def center(self, value) -> Center:
        return self.centers[self._find(self.center_lookup, value, "センター")]

    channel = _finder("channel", "相談方法")
    theme = _finder("theme", "テーマ")
    industry = _finder("industry", "業種")
    municipality = _finder("municipality", "市町村")
    event_kind = _finder("event_kind", "種別")
    outcome = _finder("outcome", "成果")

    def industry_division(self, value) -> str:
        """A JSIC middle division by its 2-digit code (「9」 reads as 09) or name."""
        text = str(value).strip()
        return self._find(self.division_lookup, text.zfill(2) if text.isdigit() else text, "業種（中分類）")


def center_by_code(code: str) -> Center:
    center = db.session.scalar(select(Center).where(Center.code == code))
    if center is None:
        raise DomainError(f"センター「{code}」は登録されていません", "center")
    return center
