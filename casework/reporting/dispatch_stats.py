"""Expert dispatch figures per fiscal year (専門家派遣 年度集計, `/dispatch/stats`): visits,
companies, fees and company shares by center and by program.

They are named metrics over dispatch visits, defined here once and counted with the same record
rules as the annual report (metrics.record_conditions, with_live_client, in_period): voided visits
and visits of voided clients never count, the visit date decides the year, and a distinct count
is distinct within each row and within the total (the total is not the sum of the rows). The
row of a center therefore equals the annual report's rows for that center's dispatch visits
(dispatch.visits / dispatch.companies for onestop, succession.expert_dispatches).

Kept apart from metrics.METRICS: these are not rows of the annual report.
"""
from __future__ import annotations

from sqlalchemy import and_, case, distinct, func, literal, select

from ..dates import fiscal_year_bounds
from ..extensions import db
from ..models import Center, Dispatch, DispatchProgram, DispatchVisit
from .metrics import Metric, center_ids, in_period, record_conditions, with_live_client

DISPATCH_METRICS = [
    Metric("dispatch_stats", "visits", "派遣回数（延べ）", "回", DispatchVisit),
    Metric("dispatch_stats", "companies", "企業数（実）", "社", DispatchVisit, distinct="client_id"),
    Metric("dispatch_stats", "fees", "謝金", "円", DispatchVisit, sum_of="fee"),
    Metric("dispatch_stats", "shares", "企業負担", "円", DispatchVisit, sum_of="company_share"),
]
NO_PROGRAM = "（事業なし）"


def _aggregate(m: Metric, where):
    """The metric over the rows of a group: COUNT, COUNT(DISTINCT) or SUM of what `where` keeps."""
    column = DispatchVisit
    if m.sum_of:
        return func.coalesce(func.sum(case((where, getattr(column, m.sum_of)))), 0)
    if m.distinct:
        return func.count(distinct(case((where, getattr(column, m.distinct)))))
    return func.count(case((where, literal(1))))


def fiscal_year_dispatch_stats(fy: int, center_codes: set[str] | None = None) -> dict:
    """{"fy", "metrics", "by_center", "by_program", "total"}; each row {"label", visits, companies,
    fees, shares}. `center_codes` keeps those centers' visits only (pass the centers a user sees)."""
    start, end = fiscal_year_bounds(fy)
    centers = center_ids()
    measures = [_aggregate(m, and_(in_period(m, start, end), *record_conditions(m, centers, center_codes)))
                for m in DISPATCH_METRICS]
    keys = [m.key for m in DISPATCH_METRICS]
    period = in_period(DISPATCH_METRICS[0], start, end)

    def rows(stmt) -> list[dict]:
        out = []
        for label, *values in db.session.execute(stmt):
            row = dict(zip(keys, (int(v or 0) for v in values)))
            if row["visits"]:
                out.append({"label": label or NO_PROGRAM, **row})
        return out

    # the four metrics count the same records (they differ in what they add up): keep only those
    base = with_live_client(select().select_from(DispatchVisit), DISPATCH_METRICS[0]).where(
        period, *record_conditions(DISPATCH_METRICS[0], centers, center_codes))
    by_center = rows(base.add_columns(Center.name, *measures).join(Center, Center.id == DispatchVisit.center_id)
                     .group_by(Center.sort_order, Center.name).order_by(Center.sort_order, Center.name))
    by_program = rows(base.add_columns(DispatchProgram.name, *measures)
                      .outerjoin(Dispatch, Dispatch.id == DispatchVisit.dispatch_id)
                      .outerjoin(DispatchProgram, DispatchProgram.id == Dispatch.program_id)
                      .group_by(DispatchProgram.name).order_by(DispatchProgram.name))
    total = db.session.execute(base.add_columns(*measures)).one()
    return {"fy": fy, "metrics": DISPATCH_METRICS, "by_center": by_center, "by_program": by_program,
            "total": dict(zip(keys, (int(v or 0) for v in total)))}
