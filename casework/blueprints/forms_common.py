"""Form pieces shared by the blueprints: vocabulary choices and the optimistic-lock field."""
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from ..extensions import db
from ..models import Center, Channel, Industry, Municipality, Theme, User


class VersionedForm(FlaskForm):
    """Carries the record's version so a stale save is refused (optimistic locking)."""
    version = HiddenField()

    def expected_version(self):
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class VoidForm(FlaskForm):
    reason = TextAreaField("取消の理由", validators=[DataRequired("取消の理由を入力してください。")])


def industry_choices(blank="（未選択）"):
    return [("", blank)] + [(i.code, f"{i.code} {i.name}") for i in db.session.scalars(select(Industry).order_by(Industry.code))]


def municipality_choices(blank="（未選択）"):
    rows = db.session.scalars(select(Municipality).order_by(Municipality.sort_order, Municipality.code))
    return [("", blank)] + [(m.code, m.name) for m in rows]


def theme_choices():
    return [(t.code, t.label) for t in db.session.scalars(select(Theme).where(Theme.active).order_by(Theme.sort_order))]


def channel_choices():
    return [(c.code, c.label) for c in db.session.scalars(select(Channel).order_by(Channel.sort_order))]


def center_choices(user, blank=None):
    from ..access import visible_center_ids

    ids = visible_center_ids(user)
    stmt = select(Center).where(Center.active).order_by(Center.sort_order)
    if ids is not None:
        stmt = stmt.where(Center.id.in_(ids or [-1]))
    choices = [(c.id, c.name) for c in db.session.scalars(stmt)]
    return ([("", blank)] if blank else []) + choices


def staff_choices(blank=None, center_ids=None):
    stmt = select(User).where(User.active).order_by(User.name)
    choices = [(u.id, u.name) for u in db.session.scalars(stmt)
               if center_ids is None or u.is_admin or {c.id for c in u.centers} & set(center_ids)]
    return ([("", blank)] if blank else []) + choices


def attach_error(form, exc) -> None:
    """Show a service's DomainError beside its field, or at the top of the page."""
    from flask import flash

    field = getattr(form, exc.field, None) if getattr(exc, "field", None) else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "danger")
