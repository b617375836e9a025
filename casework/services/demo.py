"""Demo data for trying casework: staff of every role, clients, cases, consultations, events.

Passwords are generated on first load and kept in instance/demo-logins.txt (untracked, 0600)
so `casework up` can print them again.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from ..dates import today_jst
from ..extensions import db
from ..models import Center, Municipality, User
from .cases import CaseData, close_case, open_case
from .clients import ClientData, register_client
from .consultations import ConsultationData, log_consultation
from .events import EventData, create_event
from .users import create_user

STAFF = [
    # login, name, role, centers
    ("admin", "管理 花子", "admin", ["onestop", "yorozu", "succession", "startup"]),
    ("manager", "統括 一郎", "manager", ["onestop", "yorozu", "succession", "startup"]),
    ("coord", "相談 次郎", "coordinator", ["onestop"]),
    ("yorozu", "拠点 三郎", "coordinator", ["yorozu"]),
    ("shokei", "承継 四郎", "succession", ["succession"]),
    ("im", "創業 五月", "im", ["startup"]),
]

COMPANIES = [
    ("株式会社青森りんご加工", "アオモリリンゴカコウ", "E", "022012"), ("有限会社八戸水産", "ハチノヘスイサン", "E", "022039"),
    ("弘前建設株式会社", "ヒロサキケンセツ", "D", "022021"), ("株式会社津軽デジタル", "ツガルデジタル", "G", "022012"),
    ("十和田観光ホテル株式会社", "トワダカンコウホテル", "M", "022063"), ("三沢運輸有限会社", "ミサワウンユ", "H", "022071"),
    ("むつ湾ホタテ株式会社", "ムツワンホタテ", "B", "022080"), ("株式会社黒石こけし工房", "クロイシコケシコウボウ", "E", "022047"),
    ("五所川原商事株式会社", "ゴショガワラショウジ", "I", "022055"), ("株式会社南部せんべい本舗", "ナンブセンベイホンポ", "E", "022039"),
    ("つがる農園合同会社", "ツガルノウエン", "A", "022098"), ("平川電機株式会社", "ヒラカワデンキ", "E", "022101"),
    ("株式会社あおもり介護サービス", "アオモリカイゴサービス", "P", "022012"), ("八戸ソフトウェア株式会社", "ハチノヘソフトウェア", "G", "022039"),
    ("弘前美容室 さくら", "ヒロサキビヨウシツサクラ", "N", "022021"), ("株式会社下北リゾート", "シモキタリゾート", "M", "022080"),
]
FOUNDERS = [("山田 さくら", "ヤマダ サクラ", "N"), ("佐藤 健", "サトウ ケン", "M"), ("高橋 美咲", "タカハシ ミサキ", "G"),
            ("田中 翔", "タナカ ショウ", "D"), ("伊藤 陽菜", "イトウ ヒナ", "N")]
NOTES = ["売上減少への対策を相談。資金繰り表の作成を提案。", "新商品の販路について。展示会出展を検討。",
         "DX推進の進め方。業務の棚卸しから始めることを助言。", "価格転嫁の交渉方法について相談。", "後継者不在。親族内承継と第三者承継を比較説明。",
         "創業計画書の作成支援。", "補助金申請書の確認。", "ECサイト開設の相談。", "人材確保の課題。求人票の見直しを助言。"]


def _demo_password(login: str) -> str:
    """A random demo password the policy accepts (a random one can contain the login: 'im')."""
    from .errors import DomainError
    from .users import check_password_policy

    while True:
        password = "demo-" + secrets.token_urlsafe(9)
        try:
            check_password_policy(password, login)
            return password
        except DomainError:
            continue


def load_demo(seed: int = 2024) -> list[tuple[str, str, str]]:
    """Load demo data when the database has no users; return (login, password, role) to print.
    Like every service it only changes the session: the caller commits
    (`with unit_of_work.committing(): load_demo()`)."""
    logins_file = Path(current_app.instance_path) / "demo-logins.txt"
    if db.session.scalar(select(func.count()).select_from(User)):
        return _read_logins(logins_file)
    rng = random.Random(seed)
    logins, staff = [], {}
    for login, name, role, centers in STAFF:
        password = _demo_password(login)
        staff[login] = create_user(login, name, password, role=role, center_codes=centers)
        logins.append((login, password, staff[login].role_label))
    centers = {c.code: c for c in db.session.scalars(select(Center))}
    munis = list(db.session.scalars(select(Municipality)))
    today = today_jst()
    start = today - dt.timedelta(days=540)

    outreach = []
    for i in range(24):
        day = start + dt.timedelta(days=rng.randrange(0, (today - start).days + 1))
        muni = rng.choice(munis)
        outreach.append(create_event(EventData(center_id=centers["yorozu"].id, kind_code="outreach_day", held_on=day,
                                               title=f"よろず出張相談会（{muni.name}）", place=f"{muni.name} 商工会館",
                                               municipality_code=muni.code, participants=rng.randint(3, 15))))
    create_event(EventData(center_id=centers["succession"].id, kind_code="seminar", held_on=today - dt.timedelta(days=30),
                           title="事業承継セミナー", place="青森市", municipality_code="022012", participants=42))

    plan = [("onestop", "coord", ["business_plan", "marketing", "cash_flow", "it", "technology"]),
            ("yorozu", "yorozu", ["product_development", "sales_channel", "pricing"]),
            ("succession", "shokei", ["succession"])]
    for i, (name, kana, industry, muni) in enumerate(COMPANIES):
        client = register_client(ClientData(name=name, name_kana=kana, industry_code=industry, municipality_code=muni,
                                            employees=rng.randint(2, 120), contact_name="代表者"))
        center_code, login, themes = plan[i % len(plan)]
        opened = start + dt.timedelta(days=rng.randrange(0, 300))
        case = open_case(client, CaseData(center_id=centers[center_code].id, opened_on=opened,
                                          assignee_id=staff[login].id, title=f"{name} 経営相談",
                                          theme_codes=rng.sample(themes, min(2, len(themes)))))
        day = opened
        for _ in range(rng.randint(2, 9)):
            day = min(today, day + dt.timedelta(days=rng.randint(5, 60)))
            channel = {"onestop": rng.choice(["window", "visit"]), "yorozu": rng.choice(["window", "window", "outreach"]),
                       "succession": rng.choice(["window", "visit", "phone"])}[center_code]
            log_consultation(client, ConsultationData(
                held_on=day, channel_code=channel, case_id=case.id, staff_id=staff[login].id,
                theme_codes=rng.sample(themes, 1), notes=rng.choice(NOTES),
                next_action="次回訪問" if rng.random() < .3 else None,
                next_action_on=day + dt.timedelta(days=14) if rng.random() < .3 else None))
    for name, kana, industry in FOUNDERS:
        client = register_client(ClientData(name=name, name_kana=kana, kind="prospective_founder", industry_code=industry,
                                            municipality_code=rng.choice(munis).code))
        opened = start + dt.timedelta(days=rng.randrange(0, 360))
        case = open_case(client, CaseData(center_id=centers["startup"].id, opened_on=opened, assignee_id=staff["im"].id,
                                          title="創業相談", theme_codes=["startup", "business_plan"]))
        day = opened
        for _ in range(rng.randint(2, 6)):
            day = min(today, day + dt.timedelta(days=rng.randint(7, 45)))
            log_consultation(client, ConsultationData(held_on=day, channel_code=rng.choice(["window", "online"]),
                                                      case_id=case.id, staff_id=staff["im"].id,
                                                      theme_codes=["startup"], notes=rng.choice(NOTES)))
        if rng.random() < .5 and day < today:
            close_case(case, closed_on=day, outcome_code="founded", outcome_on=day)
    _load_lifecycle(rng, staff, centers, today)
    _write_logins(logins_file, logins)
    return logins


def _load_lifecycle(rng, staff, centers, today) -> None:
    """Expert dispatches with visits, a seller and a buyer with a deal in progress, a founder
    taken from first talk to founded (with a grant)."""
    from ..models import Case
    from . import dispatch as dispatch_service, founders, succession

    experts = [dispatch_service.register_expert(dispatch_service.ExpertData(name=n, organisation=o, specialties=sp, fee_per_visit=f))
               for n, o, sp, f in (("中小 診断太郎", "青森県中小企業診断協会", "財務・事業計画", 30000),
                                   ("販路 開子", "マーケティング研究所", "販路開拓・EC", 33000),
                                   ("承継 税理士", "青森税理士事務所", "事業承継税制・株価評価", 40000))]
    open_cases = list(db.session.scalars(select(Case).where(Case.closed_on.is_(None), Case.center_id.in_(
        [centers["onestop"].id, centers["succession"].id])).order_by(Case.id)))
    for i, case in enumerate(open_cases[:4]):
        requested = max(case.opened_on, today - dt.timedelta(days=90 - i * 10))
        expert = experts[2] if case.center_id == centers["succession"].id else experts[i % 2]
        d = dispatch_service.request_dispatch(dispatch_service.DispatchRequest(
            case_id=case.id, expert_id=expert.id, requested_on=requested, purpose="専門家による課題整理", planned_visits=3))
        if i == 3:
            continue  # left for the manager to approve
        dispatch_service.decide_dispatch(d, approve=True, decided_on=requested + dt.timedelta(days=2), by=staff["manager"])
        for k in range(2):
            day = min(today, requested + dt.timedelta(days=10 + 21 * k))
            v = dispatch_service.log_visit(d, dispatch_service.VisitData(held_on=day, hours=2))
            if k == 0:
                dispatch_service.receive_report(v, min(today, day + dt.timedelta(days=7)))
    seller_client = register_client(ClientData(name="株式会社津軽老舗菓子", name_kana="ツガルシニセガシ", industry_code="E",
                                               municipality_code="022021", employees=15))
    buyer_client = register_client(ClientData(name="青森フーズ株式会社", name_kana="アオモリフーズ", industry_code="E",
                                              municipality_code="022012", employees=80))
    profiles = []
    for client, side, price, band in ((seller_client, "seller", "p2", "e2"), (buyer_client, "buyer", "p3", "e4")):
        case = open_case(client, CaseData(center_id=centers["succession"].id, opened_on=today - dt.timedelta(days=120),
                                          assignee_id=staff["shokei"].id, title="第三者承継", theme_codes=["succession"]))
        profiles.append(succession.create_profile(case, succession.ProfileData(
            side=side, industry_code="E", region="中南" if side == "seller" else None, employees_band=band,
            sales_band="s2", price_band=price, reasons="後継者不在" if side == "seller" else "製造拠点の拡大",
            summary="県内で40年続く和菓子の製造・販売" if side == "seller" else "県内の食品製造業を探している")))
    succession.record_diagnosis(seller_client, succession.DiagnosisData(today - dt.timedelta(days=115), "弘前商工会議所",
                                                                         "後継者不在。第三者承継の検討を推奨"), centers["succession"].id)
    deal = succession.propose_deal(profiles[0], profiles[1], today - dt.timedelta(days=60), by=staff["shokei"])
    for n, stage in enumerate(("name_clear", "nda", "disclosure", "top_meeting"), start=1):
        succession.advance_deal(deal, stage, today - dt.timedelta(days=60 - n * 10), by=staff["shokei"])
    founder = register_client(ClientData(name="工藤 りんご", name_kana="クドウ リンゴ", kind="prospective_founder",
                                         industry_code="M", municipality_code="022012"))
    case = open_case(founder, CaseData(center_id=centers["startup"].id, opened_on=today - dt.timedelta(days=200),
                                       assignee_id=staff["im"].id, title="カフェ開業", theme_codes=["startup"]))
    founders.advance_stage(case, "business_plan", today - dt.timedelta(days=150), by=staff["im"])
    founders.advance_stage(case, "funding_plan", today - dt.timedelta(days=100), by=staff["im"])
    grant = founders.apply_grant(case, founders.GrantData(applied_on=today - dt.timedelta(days=90)))
    founders.decide_grant(grant, decision="adopted", decided_on=today - dt.timedelta(days=60), amount=1000000)
    founders.record_founding(case, founders.FoundingData(founded_on=today - dt.timedelta(days=45),
                                                         business_name="りんごカフェ", industry_code="M"), by=staff["im"])


def _write_logins(path: Path, logins) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for row in logins:
            fh.write("\t".join(row) + "\n")


def _read_logins(path: Path):
    if not path.exists():
        return []
    return [tuple(line.rstrip("\n").split("\t")) for line in path.read_text(encoding="utf-8").splitlines() if line]
