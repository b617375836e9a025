"""Disclosure requests: everything held about one client, as JSON or a ZIP of CSV files."""
import io

from flask import current_app, render_template, request, send_file
from flask_login import current_user

from ...access import get_client_or_404
from ...extensions import db
from ...services import privacy
from . import bp



@bp.route("/")
def index():
    q = request.args.get("q", "").strip()
    page = db.paginate(privacy.find_subjects(q), per_page=current_app.config["PER_PAGE"], error_out=False) if q else None
    return render_template("privacy/index.html", q=q, page=page)


@bp.route("/clients/<int:client_id>/export.json")
def export_json(client_id):
    return _export(client_id, "json", "application/json", privacy.to_json)


@bp.route("/clients/<int:client_id>/export.zip")
def export_zip(client_id):
    return _export(client_id, "zip", "application/zip", privacy.to_zip)


def _export(client_id, ext, mimetype, encode):
    """The export is on the audit log ('export', written by the unit of work once it is sent)."""
    client = get_client_or_404(current_user, client_id, include_voided=True)
    data = encode(privacy.client_export(client, by=current_user))
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"client-{client.id}-disclosure.{ext}")
