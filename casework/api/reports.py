"""/api/v1/reports/annual/{fy} and /api/v1/tally/{ym}: the figures of `casework report annual
--format json` and `casework tally --format json` (docs/interchange.md), counted by
casework/reporting within the caller's centers, as the web's report pages are."""
from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..dates import DateError, fiscal_year_value, parse_month
from ..permissions import blueprint_requires, requires
from ..services import reports as report_service
from .common import Query, Text

reports = Blueprint("api_reports", __name__, url_prefix="/api/v1", description="報告書・月次集計")
blueprint_requires(reports, "api.use")
F = ma.fields


class Open(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE  # sections carry their breakdowns (top_themes, by_industry …)


class ReportRow(ma.Schema):
    key = F.String(required=True)
    label = F.String(required=True)
    current = F.Integer(allow_none=True, required=True)
    previous = F.Integer(allow_none=True, required=True)


class ReportSection(Open):
    key = F.String(required=True)
    title = F.String(required=True)
    number = F.String(allow_none=True)
    rows = F.List(F.Nested(ReportRow), required=True)
    units = F.Dict(keys=F.String(), values=F.String())


class FiscalYear(ma.Schema):
    fiscal_year = F.Integer(required=True)
    label = F.String(required=True)


class RestatedMonth(ma.Schema):
    month = F.String(required=True, metadata={"description": "YYYY-MM"})
    restated_at = F.String(required=True, metadata={"description": "集計し直した日時（UTC, ISO 8601）"})


class AnnualReport(ma.Schema):
    fiscal_year = F.Integer(required=True)
    label = F.String(required=True)
    previous = F.Nested(FiscalYear, required=True)
    sections = F.List(F.Nested(ReportSection), required=True)
    restated = F.List(F.Nested(RestatedMonth), metadata={
        "description": "締め後に記録が訂正され、集計し直した月（docs/interchange.md）"})


class MonthlyTally(ma.Schema):
    month = F.String(required=True, metadata={"description": "YYYY-MM"})
    fiscal_year = F.Integer(required=True)
    sections = F.Dict(keys=F.String(), values=F.Dict(keys=F.String(), values=F.Integer(allow_none=True)),
                      required=True, metadata={"description": "{section key: {row key: 件数}}"})


class TallyRow(ma.Schema):
    section = F.String(required=True)
    section_title = F.String(required=True)
    row = F.String(required=True)
    label = F.String(required=True)
    value = F.Integer(allow_none=True, required=True)
    unit = F.String(required=True)


class TallyRows(ma.Schema):
    month = F.String(required=True)
    fiscal_year = F.Integer(required=True)
    rows = F.List(F.Nested(TallyRow), required=True)


class CenterArgs(Query):
    center = Text(32, metadata={"description": "センターのコード（onestop など）。省略時: 見られるすべてのセンター"})


def _fy_or_404(fy: str) -> int:
    try:
        return fiscal_year_value(fy)
    except DateError:
        abort(404, detail="年度は4桁の西暦（例: 2024 = 令和6年度）で指定してください。")


def _month_or_404(ym: str) -> tuple[int, int]:
    try:
        return parse_month(ym)
    except DateError as exc:
        abort(404, detail=str(exc))


@reports.route("/reports/annual/<fy>", methods=["GET"])
@reports.arguments(CenterArgs, location="query", as_kwargs=True)
@reports.response(200, AnnualReport)
@requires("report.view")
def annual(fy, center=None):
    """年度の事業報告（casework report annual --format json と同じ形と数値; 自分のセンターの範囲）"""
    return jsonify(report_service.annual_report_for(current_user, _fy_or_404(fy), center or None))


def _tally(ym: str, center: str | None) -> dict:
    from ..reporting import monthly_tally

    year, month = _month_or_404(ym)
    scope = report_service.scope_for(current_user, center or None)
    codes = None if scope.center_codes is None else set(scope.center_codes)
    tally = monthly_tally(year, month, codes)
    tally["sections"] = {k: v for k, v in tally["sections"].items() if scope.allows_section(k)}
    return tally


@reports.route("/tally/<ym>", methods=["GET"])
@reports.arguments(CenterArgs, location="query", as_kwargs=True)
@reports.response(200, MonthlyTally)
@requires("tally.view")
def tally(ym, center=None):
    """月次集計（casework tally --format json と同じ形と数値; 自分のセンターの範囲）"""
    return jsonify(_tally(ym, center))


@reports.route("/tally/<ym>/rows", methods=["GET"])
@reports.arguments(CenterArgs, location="query", as_kwargs=True)
@reports.response(200, TallyRows)
@requires("tally.view")
def tally_rows(ym, center=None):
    """月次集計を1行1数値の表で（Excel の Power Query 向け: 事業・行・値・単位）"""
    from ..reporting.metrics import report_definitions

    data = _tally(ym, center)
    d = report_definitions()
    rows = []
    for section_key, values in data["sections"].items():
        section = d.section_by_key.get(section_key)
        for row_key, value in values.items():
            metric = d.metric_by_id.get(f"{section_key}.{row_key}")
            rows.append({"section": section_key, "section_title": section.title if section else section_key,
                         "row": row_key, "label": metric.label if metric else row_key, "value": value,
                         "unit": metric.unit if metric else ""})
    return jsonify({"month": data["month"], "fiscal_year": data["fiscal_year"], "rows": rows})
