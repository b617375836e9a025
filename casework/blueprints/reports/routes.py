"""The annual report on screen, its downloads, the records behind each figure, the dashboard."""
from __future__ import annotations

import io
import re

from flask import abort, current_app, render_template, request, send_file
from flask_login import current_user

from ...access import can_see_center_code, deny
from ...dates import fy_label
from ...extensions import db
from ...reporting import charts
from ...services import audit
from ...services import reports as report_service
from . import bp

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _fy_arg() -> int:
    value = request.args.get("fy", "")
    if not value:
        return report_service.current_fy()
    if not re.fullmatch(r"\d{4}", value) or not 2000 <= int(value) <= 2100:
        abort(404)
    return int(value)


ALL_CENTERS = "all"  # the dashboard's 全センター view


def _center_arg() -> str | None:
    return _visible_center(request.args.get("center") or None)


def _visible_center(code: str | None) -> str | None:
    """A center the viewer may see, or a refusal on the audit log ('denied', 404) — for a
    coordinator asking for the succession center's figures as for anyone else."""
    if code is not None and not can_see_center_code(current_user, code):
        deny("Center", None)
    return code


@bp.route("/")
def index():
    fy, center = _fy_arg(), _center_arg()
    report = report_service.annual_report_for(current_user, fy, center)
    scope = report_service.scope_for(current_user)
    if request.args.get("view") == "filed":  # the report as the center files it
        from ...reporting import filed_tables

        return render_template("reports/filed.html", report=report, tables=filed_tables(report), fy=fy, center=center,
                               centers=scope.centers, fy_choices=report_service.fy_choices(fy))
    return render_template("reports/index.html", report=report, fy=fy, center=center, centers=scope.centers,
                           fy_choices=report_service.fy_choices(fy), unit_of=report_service.unit_of,
                           breakdowns_of=report_service.breakdowns_of, fy_label=fy_label)


@bp.route("/<fy:fy>/report.<fmt>")
def download(fy, fmt):
    if fmt not in FORMATS:
        abort(404)
    from ...reporting import render_csv, render_docx, render_xlsx

    center = _center_arg()
    report = report_service.annual_report_for(current_user, fy, center)
    if fmt == "csv":
        text = render_csv(report)
        data = (text if text.startswith("\ufeff") else "\ufeff" + text).encode("utf-8")  # Excel reads UTF-8 with a BOM
    elif fmt == "docx":
        data = render_docx(report)
    else:
        data = render_xlsx(report)
    audit.note("export", detail={"what": "annual_report", "fiscal_year": fy, "format": fmt, "center": center,
                                 "sections": [s["key"] for s in report["sections"]]})
    name = f"事業実績_{fy_label(fy)}{'_' + center if center else ''}.{fmt}"
    return send_file(io.BytesIO(data), mimetype=FORMATS[fmt], as_attachment=True, download_name=name,
                     max_age=0)


@bp.route("/<fy:fy>/<section_key>/<row_key>")
def records(fy, section_key, row_key):
    center, month = _center_arg(), request.args.get("month") or None
    _visible_center(report_service.section_center(section_key))
    report, section, row = report_service.section_row_or_404(current_user, fy, section_key, row_key, center)
    start, end, period_label = report_service.period_of(fy, month)
    stmt = report_service.drilldown_query(current_user, section_key, row_key, start, end, center)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    entity = stmt.column_descriptions[0].get("entity")
    kind = entity.__name__ if entity is not None else "Row"
    client_ids = [getattr(r, "client_id", None) or (r.id if kind == "Client" else None) for r in page.items]
    if report_service.section_center(section_key) == "succession":
        audit.note_view(None, detail={"what": "report_records", "section": section_key, "row": row_key,
                                      "from": start.isoformat(), "to": end.isoformat(), "page": page.page})
    clients = report_service.linkable_clients(current_user, client_ids)
    return render_template("reports/records.html", report=report, section=section, row=row, fy=fy, month=month,
                           center=center, period_label=period_label, page=page, kind=kind, clients=clients,
                           unit=report_service.unit_of(section_key, row))


@bp.route("/dashboard")
def dashboard():
    fy = _fy_arg()
    scope = report_service.scope_for(current_user)
    if not scope.centers:
        deny()  # a member of no center has no dashboard
    home = current_user.home_center
    if request.args.get("center") == ALL_CENTERS:  # every center the viewer sees, one after another
        center, center_obj = ALL_CENTERS, None
        parts = [report_service.dashboard_series(current_user, c.code, fy) for c in scope.centers]
        data = {**parts[0], "sections": [section for part in parts for section in part["sections"]]}
    else:
        center = _center_arg() or (home.code if home and home in scope.centers else scope.centers[0].code)
        data = report_service.dashboard_series(current_user, center, fy)
        center_obj = next((c for c in scope.centers if c.code == center), None)
    return render_template("reports/dashboard.html", data=data, fy=fy, center=center, center_obj=center_obj,
                           centers=scope.centers, fy_choices=report_service.fy_choices(fy), charts=charts,
                           months=report_service.fy_months(fy))
