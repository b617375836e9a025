"""Succession and M&A matching (事業承継・引継ぎ), confidential: 事業承継診断, seller and buyer
non-name profiles, transparent candidate scoring, and deals step by step to 成約 or 破談.

Every read and every change is audited in the same transaction (the views commit it).
Callers check access first (permission succession.use); services re-check centers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import can_see_center, confidential_center_ids
from ..dates import today_jst
from ..extensions import db
from ..models import (
    DEAL_STAGES, PROFILE_SIDES, Case, Center, Client, Deal, DealStep, Diagnosis, Industry, MatchProfile, User,
)
from . import audit
from .cases import close_case
from .errors import Checks, DomainError
from .locking import apply_values, check_version
from .voiding import void_record

EMPLOYEE_BANDS = {"e1": "5人以下", "e2": "6〜20人", "e3": "21〜50人", "e4": "51〜100人", "e5": "101人以上"}
SALES_BANDS = {"s1": "1億円未満", "s2": "1〜3億円", "s3": "3〜10億円", "s4": "10億円以上"}
PRICE_BANDS = {"p1": "1千万円未満", "p2": "1千万〜5千万円", "p3": "5千万〜1億円", "p4": "1〜3億円", "p5": "3億円以上"}
REGIONS = ["東青", "中南", "三八", "西北", "上北", "下北", "県外"]
DEAL_PATH = ["proposed", "name_clear", "nda", "disclosure", "top_meeting", "loi", "due_diligence", "final_contract", "closed"]


def _band_index(bands: dict, code: str | None) -> int | None:
    return list(bands).index(code) if code in bands else None


# --- 事業承継診断 --------------------------------------------------------------------------------

@dataclass
class DiagnosisData:
    held_on: dt.date
    by_org: str | None = None
    result: str | None = None


DIAGNOSIS_CENTER = "succession"  # a 事業承継診断 is the succession center's record


def diagnosis_center_id(by: User | None = None) -> int | None:
    """The center a 事業承継診断 is recorded at: the succession center; for a user who may not
    see it, the first confidential center they may see. The one rule for the web and the import."""
    center = db.session.scalar(select(Center).where(Center.code == DIAGNOSIS_CENTER))
    if center is not None and (by is None or can_see_center(by, center.id)):
        return center.id
    ids = confidential_center_ids(by) if by is not None else []
    return ids[0] if ids else None


def record_diagnosis(client: Client, data: DiagnosisData, center_id: int, by: User | None = None) -> Diagnosis:
    checks = Checks()  # every independent problem at once, each beside its field
    if by is not None and not can_see_center(by, center_id):
        checks.fail("このセンターの記録は作れません。", "center_id")
    if not (data.by_org or "").strip():
        checks.fail("実施機関を入力してください。", "by_org")
    if not (data.result or "").strip():
        checks.fail("診断結果を入力してください。", "result")
    if by is not None and data.held_on > today_jst() + dt.timedelta(days=1):
        checks.fail("実施日が未来の日付です。", "held_on")
    checks.raise_if_any()
    diagnosis = Diagnosis(client_id=client.id, center_id=center_id, held_on=data.held_on, by_org=data.by_org.strip(),
                          result=data.result.strip(), created_by_id=getattr(by, "id", None))
    db.session.add(diagnosis)
    db.session.flush()
    audit.record("create", diagnosis, user=by, detail={"client_id": client.id})
    return diagnosis


def diagnoses_query(user: User):
    ids = confidential_center_ids(user)
    return (select(Diagnosis).join(Client, Diagnosis.client_id == Client.id)
            .where(Diagnosis.voided_at.is_(None), Client.voided_at.is_(None),
                   Diagnosis.center_id.in_(ids or [-1]) | Diagnosis.center_id.is_(None))
            .options(selectinload(Diagnosis.client)).order_by(Diagnosis.held_on.desc(), Diagnosis.id.desc()))


def visible_diagnosis(user: User, diagnosis_id: int) -> Diagnosis | None:
    return db.session.scalar(diagnoses_query(user).where(Diagnosis.id == diagnosis_id))


# --- profiles ----------------------------------------------------------------------------------

@dataclass
class ProfileData:
    side: str
    industry_code: str | None = None
    region: str | None = None
    employees_band: str | None = None
    sales_band: str | None = None
    price_band: str | None = None
    reasons: str | None = None
    summary: str | None = None
    active: bool = True

    def cleaned(self) -> dict:
        values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in self.__dict__.items()}
        checks = Checks()  # every independent problem at once, each beside its field
        if values["side"] not in PROFILE_SIDES:
            checks.fail("譲渡・譲受を選んでください。", "side")
        if values["industry_code"] and db.session.get(Industry, values["industry_code"]) is None:
            checks.fail("業種が見つかりません。", "industry_code")
        elif values["side"] == "seller" and not values["industry_code"]:
            checks.fail("譲渡希望は業種が必須です。", "industry_code")
        for name, bands in (("employees_band", EMPLOYEE_BANDS), ("sales_band", SALES_BANDS), ("price_band", PRICE_BANDS)):
            if values[name] and values[name] not in bands:
                checks.fail("区分が不正です。", name)
        if values["region"] and values["region"] not in REGIONS:
            checks.fail("地域が不正です。", "region")
        checks.raise_if_any()
        return values


def open_succession_cases(user: User) -> list[Case]:
    """Open cases of the confidential centers the user may see (the profile form's case picker)."""
    ids = confidential_center_ids(user)
    return list(db.session.scalars(select(Case).where(Case.center_id.in_(ids or [-1]), Case.voided_at.is_(None),
                                                      Case.closed_on.is_(None))
                                   .options(selectinload(Case.client)).order_by(Case.opened_on.desc())))


def visible_case(user: User, case_id: int | None) -> Case | None:
    """The case chosen in a form, if it is one the user may see (create_profile checks it is a
    succession case)."""
    case = db.session.get(Case, case_id) if case_id else None
    return case if case is not None and can_see_center(user, case.center_id) else None


def _succession_case(case: Case | None, by: User | None) -> Case:
    if case is None or case.voided_at is not None or not case.center.confidential:
        raise DomainError("事業承継・引継ぎ支援センターの案件を選んでください。", "case_id")
    if by is not None and not can_see_center(by, case.center_id):
        raise DomainError("事業承継・引継ぎ支援センターの案件を選んでください。", "case_id")
    return case


def _next_code(side: str, year: int) -> str:
    prefix = f"{'S' if side == 'seller' else 'B'}-{year}-"
    count = db.session.scalar(select(func.count()).select_from(MatchProfile).where(MatchProfile.code_name.like(prefix + "%")))
    return f"{prefix}{count + 1:03d}"


def create_profile(case: Case, data: ProfileData, by: User | None = None) -> MatchProfile:
    _succession_case(case, by)
    values = data.cleaned()
    profile = MatchProfile(case_id=case.id, code_name=_next_code(values["side"], today_jst().year), **values)
    db.session.add(profile)
    db.session.flush()
    audit.record("create", profile, user=by, center_id=case.center_id, detail={"side": profile.side, "case_id": case.id})
    return profile


def update_profile(profile: MatchProfile, data: ProfileData, *, expected_version: int | None,
                   by: User | None = None) -> MatchProfile:
    data.side = profile.side  # a seller stays a seller

    apply_values(profile, data.cleaned(), expected_version=expected_version, by=by, center_id=profile.case.center_id)
    return profile


def void_profile(profile: MatchProfile, reason: str, by: User, *, expected_version: int | None = None) -> list:
    """Voids its deals too: a profile entered by mistake takes its proposals with it."""
    return void_record(profile, reason, by, expected_version=expected_version)


def void_diagnosis(diagnosis: Diagnosis, reason: str, by: User, *, expected_version: int | None = None) -> list:
    return void_record(diagnosis, reason, by, expected_version=expected_version)


def void_deal(deal: Deal, reason: str, by: User, *, expected_version: int | None = None) -> list:
    """A deal entered by mistake (not 破談, which is a step). A case closed by its 成約 stays closed."""
    return void_record(deal, reason, by, expected_version=expected_version)


def profiles_query(user: User, side: str | None = None, active_only: bool = True):
    ids = confidential_center_ids(user)
    stmt = (select(MatchProfile).join(Case, MatchProfile.case_id == Case.id)
            .where(MatchProfile.voided_at.is_(None), Case.voided_at.is_(None), Case.center_id.in_(ids or [-1]))
            .options(selectinload(MatchProfile.industry), selectinload(MatchProfile.case).selectinload(Case.client)))
    if side:
        stmt = stmt.where(MatchProfile.side == side)
    if active_only:
        stmt = stmt.where(MatchProfile.active)
    return stmt.order_by(MatchProfile.side.desc(), MatchProfile.code_name)


def audit_view(user: User, obj, **detail) -> None:
    center_id = obj.center_id if hasattr(obj, "center_id") and obj.center_id else getattr(getattr(obj, "case", None), "center_id", None)
    audit.note_view(obj, center_id=center_id, detail=detail or None, user=user)  # written by the request's unit of work


# --- matching ----------------------------------------------------------------------------------

@dataclass
class Component:
    name: str
    points: int
    max_points: int
    why: str


@dataclass
class Candidate:
    profile: MatchProfile
    components: list[Component] = field(default_factory=list)
    deal: Deal | None = None

    @property
    def score(self) -> int:
        return sum(c.points for c in self.components)


def score_pair(seller: MatchProfile, buyer: MatchProfile) -> list[Component]:
    """Four components, 100 points in all; each says why it scored what it did."""
    parts = []
    if buyer.industry_code is None:
        parts.append(Component("業種", 20, 40, "買い手は業種を問わない"))
    elif buyer.industry_code == seller.industry_code:
        parts.append(Component("業種", 40, 40, f"同じ業種（{seller.industry.name if seller.industry else seller.industry_code}）"))
    else:
        parts.append(Component("業種", 0, 40, "業種が異なる"))
    if not buyer.region or not seller.region:
        parts.append(Component("地域", 10, 20, "地域の希望なし・未設定"))
    elif buyer.region == seller.region:
        parts.append(Component("地域", 20, 20, f"同じ地域（{seller.region}）"))
    else:
        parts.append(Component("地域", 0, 20, f"地域が異なる（{seller.region}／{buyer.region}）"))
    s_size, b_size = _band_index(EMPLOYEE_BANDS, seller.employees_band), _band_index(EMPLOYEE_BANDS, buyer.employees_band)
    if s_size is None or b_size is None:
        parts.append(Component("規模", 10, 20, "従業員規模が未設定"))
    else:
        gap = abs(s_size - b_size)
        points = {0: 20, 1: 10}.get(gap, 0)
        parts.append(Component("規模", points, 20, "従業員規模が同じ区分" if gap == 0 else f"従業員規模が{gap}区分違う"))
    ask, budget = _band_index(PRICE_BANDS, seller.price_band), _band_index(PRICE_BANDS, buyer.price_band)
    if ask is None or budget is None:
        parts.append(Component("価格", 10, 20, "希望価格・予算が未設定"))
    elif budget >= ask:
        parts.append(Component("価格", 20, 20, f"予算（{PRICE_BANDS[buyer.price_band]}）が希望価格（{PRICE_BANDS[seller.price_band]}）以上"))
    elif budget == ask - 1:
        parts.append(Component("価格", 10, 20, "予算が希望価格より1区分低い"))
    else:
        parts.append(Component("価格", 0, 20, "予算が希望価格に届かない"))
    return parts


def candidates_for(user: User, profile: MatchProfile) -> list[Candidate]:
    """For a seller, the active buyers ranked by score (and the reverse); ties by code."""
    other = "buyer" if profile.side == "seller" else "seller"
    rows = [p for p in db.session.scalars(profiles_query(user, side=other)) if p.case.closed_on is None]
    deals = {(d.seller_id, d.buyer_id): d for d in db.session.scalars(
        select(Deal).where(Deal.voided_at.is_(None), (Deal.seller_id == profile.id) | (Deal.buyer_id == profile.id)))}
    result = []
    for p in rows:
        seller, buyer = (profile, p) if profile.side == "seller" else (p, profile)
        result.append(Candidate(p, score_pair(seller, buyer), deals.get((seller.id, buyer.id))))
    result.sort(key=lambda c: (-c.score, c.profile.code_name))
    return result


# --- deals -------------------------------------------------------------------------------------

def propose_deal(seller: MatchProfile, buyer: MatchProfile, proposed_on: dt.date, *, note: str | None = None,
                 by: User | None = None) -> Deal:
    if seller.side != "seller" or buyer.side != "buyer":
        raise DomainError("譲渡希望と譲受希望の組み合わせを選んでください。", "buyer_id")
    for p in (seller, buyer):
        _succession_case(p.case, by)
        if p.voided_at is not None or not p.active or p.case.closed_on is not None:
            raise DomainError(f"{p.code_name} は現在マッチングの対象ではありません。", "buyer_id")
    existing = db.session.scalar(select(Deal).where(Deal.seller_id == seller.id, Deal.buyer_id == buyer.id))
    if existing is not None and existing.voided_at is not None:  # uq_deals_pair holds voided deals too
        raise DomainError(f"この組み合わせの提案は取り消されています（{existing.void_reason}）。"
                          "同じ組み合わせはもう一度提案できません。", "buyer_id")
    checks = Checks()  # every independent problem at once, each beside its field
    if existing is not None:
        checks.fail("この組み合わせは既に提案されています。", "buyer_id")
    if proposed_on < max(seller.case.opened_on, buyer.case.opened_on):
        checks.fail("提案日が案件の開始日より前です。", "stepped_on")
    checks.raise_if_any()
    deal = Deal(seller_id=seller.id, buyer_id=buyer.id, center_id=seller.case.center_id, stage="proposed",
                stage_on=proposed_on, assignee_id=getattr(by, "id", None))
    db.session.add(deal)
    db.session.flush()
    db.session.add(DealStep(deal_id=deal.id, stage="proposed", stepped_on=proposed_on, by_id=getattr(by, "id", None),
                            note=(note or "").strip() or None))
    audit.record("create", deal, user=by, detail={"seller": seller.code_name, "buyer": buyer.code_name})
    return deal


def next_stage(deal: Deal) -> str | None:
    if deal.stage in ("closed", "broken"):
        return None
    return DEAL_PATH[DEAL_PATH.index(deal.stage) + 1]


def advance_deal(deal: Deal, stage: str, stepped_on: dt.date, *, note: str | None = None, reason: str | None = None,
                 closing_amount: int | None = None, expected_version: int | None = None,
                 by: User | None = None) -> DealStep:
    """One step forward (提案 → … → 成約) or 破談 with a reason; 成約 closes both cases (ma_closed)."""
    check_version(deal, expected_version)
    if deal.stage in ("closed", "broken"):
        raise DomainError(f"この案件は既に{DEAL_STAGES[deal.stage]}です。", "stage")
    checks = Checks()  # every independent problem at once, each beside its field
    if stage != "broken" and stage != next_stage(deal):
        checks.fail(f"次の段階は「{DEAL_STAGES[next_stage(deal)]}」です（破談はいつでも記録できます）。", "stage")
    if stepped_on < deal.stage_on:
        checks.fail(f"日付が前の段階（{deal.stage_on:%Y-%m-%d}）より前です。", "stepped_on")
    if by is not None and stepped_on > today_jst() + dt.timedelta(days=1):
        checks.fail("未来の日付です。", "stepped_on")
    if stage == "broken" and not (reason or "").strip():
        checks.fail("破談の理由を入力してください。", "reason")
    if closing_amount is not None and stage != "closed":
        checks.fail("成約金額は「成約」を記録するときに入力してください。", "closing_amount")
    checks.raise_if_any()
    step = DealStep(deal_id=deal.id, stage=stage, stepped_on=stepped_on, by_id=getattr(by, "id", None),
                    note=(reason if stage == "broken" else note or "").strip() or None)
    db.session.add(step)
    before = deal.stage
    deal.stage, deal.stage_on = stage, stepped_on
    if stage == "broken":
        deal.broken_reason = reason.strip()
    if stage == "closed" and closing_amount is not None:
        deal.closing_amount = closing_amount
    db.session.flush()
    audit.record("stage", deal, user=by, detail={"from": before, "to": stage, "on": str(stepped_on),
                                                 **({"amount": closing_amount} if stage == "closed" and closing_amount is not None else {})})
    if stage == "closed":
        for profile in (deal.seller, deal.buyer):
            profile.active = False
            if profile.case.closed_on is None:
                close_case(profile.case, closed_on=stepped_on, outcome_code="ma_closed", outcome_on=stepped_on,
                           note=f"M&A成約（{deal.seller.code_name} → {deal.buyer.code_name}）", by=by)
    return step


def deals_query(user: User, stage: str | None = None, open_only: bool = False):
    ids = confidential_center_ids(user)
    stmt = (select(Deal).where(Deal.voided_at.is_(None), Deal.center_id.in_(ids or [-1]))
            .options(selectinload(Deal.seller), selectinload(Deal.buyer)))
    if stage:
        stmt = stmt.where(Deal.stage == stage)
    if open_only:
        stmt = stmt.where(Deal.stage.not_in(["closed", "broken"]))
    return stmt.order_by(Deal.stage_on.desc(), Deal.id.desc())


def deals_of(profile: MatchProfile) -> list[Deal]:
    column = Deal.seller_id if profile.side == "seller" else Deal.buyer_id
    return list(db.session.scalars(select(Deal).where(column == profile.id, Deal.voided_at.is_(None))
                                   .options(selectinload(Deal.seller), selectinload(Deal.buyer))
                                   .order_by(Deal.id)))
