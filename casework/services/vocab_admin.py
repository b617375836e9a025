"""Vocabularies are data: admins add centers, themes and municipalities and edit centers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Center, Municipality, Theme, User
from . import audit
from .errors import DomainError
from .locking import apply_values

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass
class CenterData:
    code: str
    name: str
    report_title: str | None = None
    confidential: bool = False
    sort_order: int = 100
    active: bool = True

    def cleaned(self) -> dict:
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in self.__dict__.items()}
        if not _CODE.match(values["code"] or ""):
            raise DomainError("コードは半角英小文字で始まる英数字・_（2〜32文字）にしてください。", "code")
        if not values["name"]:
            raise DomainError("名称を入力してください。", "name")
        values["report_title"] = values["report_title"] or None
        return values


def add_center(data: CenterData, by: User | None = None) -> Center:
    values = data.cleaned()
    if db.session.scalar(select(Center.id).where(Center.code == values["code"])):
        raise DomainError(f"コード「{values['code']}」は既に使われています。", "code")
    center = Center(**values)
    db.session.add(center)
    db.session.flush()
    audit.record("create", center, user=by, detail=values)
    from .programs import add_center_program

    add_center_program(center, by=by)  # its records then belong to a program the report can name
    return center


def update_center(center: Center, data: CenterData, *, expected_version: int | None, by: User | None = None) -> Center:
    values = data.cleaned()
    if values["code"] != center.code and db.session.scalar(select(Center.id).where(Center.code == values["code"])):
        raise DomainError(f"コード「{values['code']}」は既に使われています。", "code")
    apply_values(center, values, expected_version=expected_version, by=by)
    return center


def add_theme(code: str, label: str, by: User | None = None) -> Theme:
    code, label = (code or "").strip(), (label or "").strip()
    if not _CODE.match(code):
        raise DomainError("コードは半角英小文字で始まる英数字・_（2〜32文字）にしてください。", "code")
    if not label:
        raise DomainError("名称を入力してください。", "label")
    if db.session.get(Theme, code) or db.session.scalar(select(Theme.code).where(Theme.label == label)):
        raise DomainError("同じコードまたは名称のテーマが既にあります。", "code")
    last = db.session.scalar(select(func.max(Theme.sort_order))) or 0
    theme = Theme(code=code, label=label, sort_order=last + 10, active=True)
    db.session.add(theme)
    audit.record("create", theme, user=by, detail={"code": code, "label": label})
    return theme


def add_municipality(code: str, name: str, prefecture: str, by: User | None = None) -> Municipality:
    code, name, prefecture = (code or "").strip(), (name or "").strip(), (prefecture or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        raise DomainError("地方公共団体コードは6桁の数字です。", "code")
    if not _valid_lg_code(code):
        raise DomainError("地方公共団体コードの検査数字が正しくありません。", "code")
    if not name:
        raise DomainError("名称を入力してください。", "name")
    if db.session.get(Municipality, code):
        raise DomainError(f"コード「{code}」の市町村は既に登録されています。", "code")
    last = db.session.scalar(select(func.max(Municipality.sort_order))) or 0
    municipality = Municipality(code=code, name=name, prefecture=prefecture or "青森県", sort_order=last + 10)
    db.session.add(municipality)
    audit.record("create", municipality, user=by, detail={"code": code, "name": name})
    return municipality


def _valid_lg_code(code: str) -> bool:
    """The 6th digit of a 全国地方公共団体コード is a check digit (modulus 11, weights 6..2, last digit of 11 − remainder)."""
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2)))
    return int(code[5]) == (11 - total % 11) % 10


def all_centers() -> list[Center]:
    return list(db.session.scalars(select(Center).order_by(Center.sort_order, Center.id)))


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.sort_order)))


def municipality_query(q: str | None = None):
    stmt = select(Municipality).order_by(Municipality.sort_order, Municipality.code)
    if q:
        stmt = stmt.where(Municipality.name.contains(q.strip(), autoescape=True) | (Municipality.code == q.strip()))
    return stmt


def user_query(q: str | None = None):
    stmt = select(User).order_by(User.active.desc(), User.login)
    if q:
        stmt = stmt.where(User.login.contains(q.strip(), autoescape=True) | User.name.contains(q.strip(), autoescape=True))
    return stmt


def user_count(active_only: bool = True) -> int:
    stmt = select(func.count()).select_from(User)
    if active_only:
        stmt = stmt.where(User.active)
    return db.session.scalar(stmt)
