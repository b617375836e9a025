"""Disclosure requests: everything held about one client, as JSON or a ZIP of CSV files."""
import io

from flask import current_app, render_template, request, send_file
from flask_login import current_user, login_required

from ...access import get_client_or_404, require_role
from ...extensions import db
from ...services import privacy
from . import bp


@bp.route("/")
@login_required
@require_role()  # admins only
def index():
    q = request.args.get("q", "").strip()
    page = db.paginate(privacy.find_subjects(q), per_page=current_app.config["PER_PAGE"], error_out=False) if q else None
    return render_template("privacy/index.html", q=q, page=page)


@bp.route("/clients/<int:client_id>/export.json")
@login_required
@require_role()
def export_json(client_id):
    client = get_client_or_404(current_user, client_id, include_voided=True)
    data = privacy.to_json(privacy.client_export(client, by=current_user))
    db.session.commit()  # the export is on the audit log
    return send_file(io.BytesIO(data), mimetype="application/json", as_attachment=True,
                     download_name=f"client-{client.id}-disclosure.json")


@bp.route("/clients/<int:client_id>/export.zip")
@login_required
@require_role()
def export_zip(client_id):
    client = get_client_or_404(current_user, client_id, include_voided=True)
    data = privacy.to_zip(privacy.client_export(client, by=current_user))
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=f"client-{client.id}-disclosure.zip")
