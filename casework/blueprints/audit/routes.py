from flask import current_app, render_template, request
from sqlalchemy import select

from ...extensions import db
from ...models import Center, User
from ...services import audit, audit_display
from . import bp
from .forms import AuditSearchForm


@bp.route("/")
def index():
    form = AuditSearchForm(request.args)
    form.user_id.choices = [("", "すべての職員")] + [(u.id, f"{u.name}（{u.login}）")
                                                  for u in db.session.scalars(select(User).order_by(User.login))]
    form.action.choices = [("", "すべての操作")] + list(audit.ACTIONS.items())
    form.object_type.choices = [("", "すべての種類")] + list(audit.OBJECT_TYPES.items())
    page = None
    if form.validate():
        stmt = audit.search_query(user_id=form.user_id.data, action=form.action.data or None,
                                  object_type=(form.object_type.data or "").strip() or None,
                                  object_id=form.object_id.parsed, date_from=form.date_from.parsed,
                                  date_to=form.date_to.parsed)
        page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"] * 2, error_out=False)
    centers = {c.id: c.name for c in db.session.scalars(select(Center))}
    return render_template("audit/index.html", form=form, page=page, actions=audit.ACTIONS,
                           object_types=audit.OBJECT_TYPES, centers=centers,
                           details=audit_display.describe(page.items if page else []),
                           record_url=audit_display.record_url)
