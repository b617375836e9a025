"""Factories for the lifecycle tests (dispatch, founders, succession, follow-ups); through services."""
import datetime as dt

from casework.extensions import db
from casework.services import dispatch as dispatch_service

from . import factories


def expert(name="中小 診断士", fee=30000, **kw):
    e = dispatch_service.register_expert(dispatch_service.ExpertData(name=name, organisation="診断士協会",
                                                                     specialties="財務", fee_per_visit=fee, **kw))
    db.session.commit()
    return e


def dispatch(case=None, expert_=None, approve=True, requested_on=dt.date(2024, 5, 1), center_code="onestop"):
    case = case or factories.case(center_code=center_code)
    expert_ = expert_ or expert()
    d = dispatch_service.request_dispatch(dispatch_service.DispatchRequest(
        case_id=case.id, expert_id=expert_.id, requested_on=requested_on, purpose="財務改善"))
    if approve:
        dispatch_service.decide_dispatch(d, approve=True, decided_on=requested_on)
    db.session.commit()
    return d


def visit(d, held_on=dt.date(2024, 6, 3), **kw):
    v = dispatch_service.log_visit(d, dispatch_service.VisitData(held_on=held_on, **kw))
    db.session.commit()
    return v


def profile(case, side="seller", **kw):
    from casework.services import succession

    values = dict(industry_code="E", region="東青", employees_band="e2", sales_band="s2", price_band="p2",
                  reasons="後継者不在", summary="県内の食品製造業")
    values.update(kw)
    p = succession.create_profile(case, succession.ProfileData(side=side, **values))
    db.session.commit()
    return p
