"""The annual report on screen, its downloads, the records behind each figure, the dashboard."""
from __future__ import annotations

import io
import re

from flask import abort, current_app, render_template, request, send_file
from flask_login import current_user, login_required

from ...dates import fy_label
from ...extensions import db
from ...reporting import charts
from ...services import audit
from ...services import reports as report_service
from . import bp

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _fy_arg() -> int:
    value = request.args.get("fy", "")
    if not value:
        return report_service.current_fy()
    if not re.fullmatch(r"\d{4}", value) or not 2000 <= int(value) <= 2100:
        abort(404)
    return int(value)


def _center_arg() -> str | None:
    return request.args.get("center") or None


@bp.route("/")
@login_required
def index():
    fy, center = _fy_arg(), _center_arg()
    report = report_service.annual_report_for(current_user, fy, center)
    scope = report_service.scope_for(current_user)
    return render_template("reports/index.html", report=report, fy=fy, center=center, centers=scope.centers,
                           fy_choices=report_service.fy_choices(fy), unit_of=report_service.unit_of,
                           breakdowns=report_service.BREAKDOWNS, breakdown_units=report_service.BREAKDOWN_UNITS)


@bp.route("/<fy:fy>/report.<fmt>")
@login_required
def download(fy, fmt):
    if fmt not in FORMATS:
        abort(404)
    from ...reporting import render_csv, render_xlsx

    center = _center_arg()
    report = report_service.annual_report_for(current_user, fy, center)
    if fmt == "csv":
        text = render_csv(report)
        data = (text if text.startswith("\ufeff") else "\ufeff" + text).encode("utf-8")  # Excel reads UTF-8 with a BOM
    else:
        data = render_xlsx(report)
    audit.record("export", None, user=current_user,
                 detail={"what": "annual_report", "fiscal_year": fy, "format": fmt, "center": center,
                         "sections": [s["key"] for s in report["sections"]]})
    db.session.commit()
    name = f"事業実績_{fy_label(fy)}{'_' + center if center else ''}.{fmt}"
    return send_file(io.BytesIO(data), mimetype=FORMATS[fmt], as_attachment=True, download_name=name,
                     max_age=0)


@bp.route("/<fy:fy>/<section_key>/<row_key>")
@login_required
def records(fy, section_key, row_key):
    center, month = _center_arg(), request.args.get("month") or None
    report, section, row = report_service.section_row_or_404(current_user, fy, section_key, row_key, center)
    start, end, period_label = report_service.period_of(fy, month)
    stmt = report_service.drilldown_query(current_user, section_key, row_key, start, end, center)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    entity = stmt.column_descriptions[0].get("entity")
    kind = entity.__name__ if entity is not None else "Row"
    client_ids = [getattr(r, "client_id", None) or (r.id if kind == "Client" else None) for r in page.items]
    if report_service.section_center(section_key) == "succession":
        audit.record("view", None, user=current_user,
                     detail={"what": "report_records", "section": section_key, "row": row_key,
                             "from": start.isoformat(), "to": end.isoformat(), "page": page.page})
    clients = report_service.linkable_clients(current_user, client_ids)
    db.session.commit()
    return render_template("reports/records.html", report=report, section=section, row=row, fy=fy, month=month,
                           center=center, period_label=period_label, page=page, kind=kind, clients=clients,
                           unit=report_service.unit_of(section_key, row))


@bp.route("/dashboard")
@login_required
def dashboard():
    fy = _fy_arg()
    scope = report_service.scope_for(current_user)
    if not scope.centers:
        abort(404)
    home = current_user.home_center
    center = _center_arg() or (home.code if home and home in scope.centers else scope.centers[0].code)
    data = report_service.dashboard_series(current_user, center, fy)
    center_obj = next((c for c in scope.centers if c.code == center), None)
    return render_template("reports/dashboard.html", data=data, fy=fy, center=center, center_obj=center_obj,
                           centers=scope.centers, fy_choices=report_service.fy_choices(fy), charts=charts,
                           months=report_service.fy_months(fy), breakdowns=report_service.BREAKDOWNS,
                           breakdown_units=report_service.BREAKDOWN_UNITS)
