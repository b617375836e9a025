"""A realistic dataset through the real schema, written with bulk Core inserts.

full: 100,000 clients, 300,000 cases, 1,000,000 consultations over 10 fiscal years (FY2017-FY2026,
up to last month), outreach days, seminars, dispatches with visits, diagnoses, monthly tally
snapshots (the rollup the 10-year series reads). small: a tenth of that, for a quick look.
The data is deterministic (seeded) and every row obeys the schema's constraints.
"""
from __future__ import annotations

import datetime as dt
import random
import time

from sqlalchemy import insert, select, text

from casework.dates import today_jst
from casework.extensions import db
from casework.models import (
    Case, Center, Client, Consultation, Diagnosis, Dispatch, DispatchVisit, Event, Expert, Industry,
    Municipality, Theme, User, case_themes, consultation_themes, default_program_id,
)
from casework.services.users import create_user
from casework.textnorm import client_search_text

SCALES = {
    "full": dict(clients=100_000, cases=300_000, consultations=1_000_000, dispatches=20_000, visits=50_000,
                 diagnoses=10_000, outreach_days=1_200, seminars=600),
    "small": dict(clients=10_000, cases=30_000, consultations=100_000, dispatches=2_000, visits=5_000,
                  diagnoses=1_000, outreach_days=120, seminars=60),
}
# three times the national size (3,000,000 consultations): how each cost grows with the data
SCALES["3x"] = {key: 3 * n for key, n in SCALES["full"].items()}
FIRST_FY = 2017
BENCH_PASSWORD = "bench-password-not-for-production"
CHUNK = 20_000

# center code → share of cases; channel weights per center
CENTER_SHARE = {"onestop": 0.45, "yorozu": 0.35, "startup": 0.14, "succession": 0.06}
CHANNELS = {
    "onestop": (["window", "visit", "phone", "email"], [50, 35, 10, 5]),
    "yorozu": (["window", "outreach", "online", "phone"], [55, 20, 15, 10]),
    "startup": (["window", "online", "phone"], [60, 25, 15]),
    "succession": (["window", "visit", "phone"], [50, 40, 10]),
}
# words for names: (kanji, katakana reading)
PLACES = [("青森", "アオモリ"), ("弘前", "ヒロサキ"), ("八戸", "ハチノヘ"), ("十和田", "トワダ"), ("三沢", "ミサワ"),
          ("むつ", "ムツ"), ("五所川原", "ゴショガワラ"), ("黒石", "クロイシ"), ("平川", "ヒラカワ"), ("つがる", "ツガル"),
          ("津軽", "ツガル"), ("南部", "ナンブ"), ("下北", "シモキタ"), ("岩木", "イワキ"), ("奥入瀬", "オイラセ")]
TRADES = [("りんご", "リンゴ"), ("水産", "スイサン"), ("建設", "ケンセツ"), ("工業", "コウギョウ"), ("商事", "ショウジ"),
          ("食品", "ショクヒン"), ("製作所", "セイサクショ"), ("電機", "デンキ"), ("運輸", "ウンユ"), ("農園", "ノウエン"),
          ("酒造", "シュゾウ"), ("印刷", "インサツ"), ("観光", "カンコウ"), ("木材", "モクザイ"), ("牧場", "ボクジョウ"),
          ("ホタテ", "ホタテ"), ("にんにく", "ニンニク"), ("ソフト", "ソフト"), ("デザイン", "デザイン"), ("薬局", "ヤッキョク")]
FORMS = [("株式会社", "カブシキガイシャ", "prefix"), ("有限会社", "ユウゲンガイシャ", "prefix"),
         ("株式会社", "カブシキガイシャ", "suffix"), ("合同会社", "ゴウドウガイシャ", "suffix"), ("", "", "none")]
SURNAMES = [("佐藤", "サトウ"), ("木村", "キムラ"), ("工藤", "クドウ"), ("成田", "ナリタ"), ("斎藤", "サイトウ"),
            ("三上", "ミカミ"), ("中村", "ナカムラ"), ("小山内", "オサナイ"), ("葛西", "カサイ"), ("高橋", "タカハシ")]


def fy_start(fy: int) -> dt.date:
    return dt.date(fy, 4, 1)


def _chunks(rows, size=CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _insert(table, rows):
    for chunk in _chunks(rows):
        db.session.execute(insert(table), chunk)


def client_name(rng: random.Random, n: int) -> tuple[str, str]:
    place, place_kana = rng.choice(PLACES)
    trade, trade_kana = rng.choice(TRADES)
    form, form_kana, where = rng.choice(FORMS)
    if rng.random() < 0.3:  # 個人事業: 佐藤りんご農園
        place, place_kana = rng.choice(SURNAMES)
    core, core_kana = f"{place}{trade}{n % 97 or ''}", f"{place_kana}{trade_kana}"
    if where == "prefix":
        return f"{form}{core}", f"{form_kana}{core_kana}"
    if where == "suffix":
        return f"{core}{form}", f"{core_kana}{form_kana}"
    return core, core_kana


def generate(scale: str = "full", seed: int = 7, log=print) -> dict:
    """Fill the (empty, schema + vocabularies) database of the current app. Returns row counts."""
    size = SCALES[scale]
    rng = random.Random(seed)
    today = today_jst()
    last_day = today.replace(day=1) - dt.timedelta(days=1)  # through last month
    first_day = fy_start(FIRST_FY)
    span = (last_day - first_day).days
    started = time.perf_counter()
    counts = {}

    centers = dict(db.session.execute(select(Center.code, Center.id)).all())
    # each record's program as the app assigns it when none is chosen (models.default_program_id):
    # a consultation its case's, the rest their center's default for the kind
    defaults: dict = {}

    def program(center_id, kind):
        if (center_id, kind) not in defaults:
            defaults[(center_id, kind)] = default_program_id(db.session, center_id, kind)
        return defaults[(center_id, kind)]
    themes = list(db.session.scalars(select(Theme.code)))
    industries = list(db.session.scalars(select(Industry.code)))
    municipalities = list(db.session.scalars(select(Municipality.code)))

    # staff: an admin for the HTTP benchmarks and coordinators per center
    admin = create_user("bench-admin", "ベンチ管理者", BENCH_PASSWORD, role="admin", center_codes=list(centers))
    staff = {code: [create_user(f"bench-{code}-{i}", f"職員{code}{i}", BENCH_PASSWORD,
                                role="succession" if code == "succession" else "coordinator", center_codes=[code]).id
                    for i in range(4)] for code in centers}
    coordinator = db.session.scalar(select(User).where(User.login == "bench-onestop-0"))
    db.session.flush()
    counts["users"] = 1 + sum(len(v) for v in staff.values())

    experts = [dict(name=f"専門家{i:03d}", organisation=f"{rng.choice(PLACES)[0]}中小企業診断士事務所",
                    specialties=rng.choice(["販路開拓", "IT", "財務", "事業承継", "商品開発"]), fee_per_visit=30000,
                    active=True, version=1, created_at=dt.datetime(2017, 4, 1), updated_at=dt.datetime(2017, 4, 1))
               for i in range(60)]
    _insert(Expert.__table__, experts)
    expert_ids = list(db.session.scalars(select(Expert.id)))

    # clients
    now = dt.datetime(2026, 1, 1)
    rows = []
    for n in range(1, size["clients"] + 1):
        name, kana = client_name(rng, n)
        kind = rng.choices(["corporation", "sole_proprietor", "prospective_founder"], [65, 28, 7])[0]
        rows.append(dict(ref=f"C{n:07d}", kind=kind, name=name, name_kana=kana,
                         search_text=client_search_text(name, kana, None), industry_code=rng.choice(industries),
                         municipality_code=rng.choice(municipalities), employees=rng.randint(0, 300),
                         version=1, created_at=now, updated_at=now))
    _insert(Client.__table__, rows)
    client_ids = list(db.session.scalars(select(Client.id).order_by(Client.id)))
    counts["clients"] = len(client_ids)
    log(f"  clients {len(client_ids):,} ({time.perf_counter() - started:.0f}s)")

    # cases: opened over the 10 years; older ones mostly closed; startup cases sometimes 創業
    center_codes = list(CENTER_SHARE)
    weights = [CENTER_SHARE[c] for c in center_codes]
    case_rows, case_meta = [], []
    for n in range(1, size["cases"] + 1):
        code = rng.choices(center_codes, weights)[0]
        opened = first_day + dt.timedelta(days=rng.randrange(span))
        row = dict(ref=f"K{n:07d}", client_id=rng.choice(client_ids), center_id=centers[code],
                   assignee_id=rng.choice(staff[code]), opened_on=opened, last_activity_on=opened,
                   title=None, closed_on=None, outcome_code=None, outcome_on=None, stage=None,
                   program_id=program(centers[code], "case"), version=1, created_at=now, updated_at=now)
        age = (last_day - opened).days
        if age > 120 and rng.random() < 0.85:
            closed = opened + dt.timedelta(days=rng.randint(30, min(age, 400)))
            row["closed_on"] = closed
            if code == "startup" and rng.random() < 0.4:
                row.update(outcome_code="founded", outcome_on=closed)
            elif code == "succession" and rng.random() < 0.2:
                row.update(outcome_code=rng.choice(["succeeded", "ma_closed"]), outcome_on=closed)
            else:
                row.update(outcome_code=rng.choice(["resolved", "resolved", "withdrawn"]), outcome_on=closed)
        if code == "startup":
            row["stage"] = "founded" if row.get("outcome_code") == "founded" else "consultation"
        case_rows.append(row)
        case_meta.append((code, opened, row.get("closed_on") or last_day, row["client_id"], row["program_id"]))
    _insert(Case.__table__, case_rows)
    case_ids = list(db.session.scalars(select(Case.id).order_by(Case.id)))
    _insert(case_themes, [dict(case_id=cid, theme_code=rng.choice(themes)) for cid in case_ids])
    counts["cases"] = len(case_ids)
    log(f"  cases {len(case_ids):,} ({time.perf_counter() - started:.0f}s)")

    # events: outreach days (よろず), seminars and trade fairs
    event_rows = []
    for n in range(size["outreach_days"]):
        event_rows.append(dict(ref=f"E{n:06d}", center_id=centers["yorozu"], kind_code="outreach_day",
                               held_on=first_day + dt.timedelta(days=rng.randrange(span)),
                               title=f"出張相談会 {rng.choice(PLACES)[0]}", municipality_code=rng.choice(municipalities),
                               participants=rng.randint(3, 15), program_id=program(centers["yorozu"], "event"),
                               version=1, created_at=now, updated_at=now))
    for n in range(size["seminars"]):
        center_id = centers[rng.choice(["onestop", "yorozu", "startup"])]
        event_rows.append(dict(ref=f"S{n:06d}", center_id=center_id,
                               kind_code=rng.choice(["seminar", "training", "trade_fair"]),
                               held_on=first_day + dt.timedelta(days=rng.randrange(span)), title="セミナー",
                               municipality_code=None, participants=rng.randint(10, 80),
                               program_id=program(center_id, "event"), version=1, created_at=now, updated_at=now))
    _insert(Event.__table__, event_rows)
    outreach = [(i, d) for i, d in db.session.execute(
        select(Event.id, Event.held_on).where(Event.kind_code == "outreach_day"))]
    counts["events"] = len(event_rows)

    # consultations: each within its case's open period; outreach ones tied to an outreach day
    staff_ids = {code: ids for code, ids in staff.items()}
    rows, theme_rows = [], []
    next_id = (db.session.scalar(select(Consultation.id).order_by(Consultation.id.desc()).limit(1)) or 0) + 1
    for n in range(size["consultations"]):
        k = rng.randrange(len(case_ids))
        code, opened, closed, client_id, program_id = case_meta[k]
        days = max((closed - opened).days, 0)
        held = opened + dt.timedelta(days=rng.randint(0, days))
        names, w = CHANNELS[code]
        channel = rng.choices(names, w)[0]
        event_id = None
        if channel == "outreach" and outreach:
            event_id, held = rng.choice(outreach)
            if held < opened:
                held = opened
        cid = next_id + n
        rows.append(dict(id=cid, ref=f"V{n:08d}", client_id=client_id, case_id=case_ids[k], center_id=centers[code],
                         channel_code=channel, held_on=held, staff_id=rng.choice(staff_ids[code]), event_id=event_id,
                         notes=None, program_id=program_id, version=1, created_at=now, updated_at=now))
        theme_rows.append(dict(consultation_id=cid, theme_code=rng.choice(themes)))
        if len(rows) >= CHUNK * 5:
            _insert(Consultation.__table__, rows)
            _insert(consultation_themes, theme_rows)
            rows, theme_rows = [], []
    _insert(Consultation.__table__, rows)
    _insert(consultation_themes, theme_rows)
    counts["consultations"] = size["consultations"]
    log(f"  consultations {size['consultations']:,} ({time.perf_counter() - started:.0f}s)")

    # dispatches (onestop + succession) with visits, diagnoses
    dispatch_cases = [(cid, meta) for cid, meta in zip(case_ids, case_meta) if meta[0] in ("onestop", "succession")]
    rows = []
    for n in range(size["dispatches"]):
        cid, (code, opened, closed, client_id, _program) = rng.choice(dispatch_cases)
        rows.append(dict(case_id=cid, client_id=client_id, center_id=centers[code], expert_id=rng.choice(expert_ids),
                         purpose="専門家派遣", planned_visits=3, status="approved", requested_on=opened,
                         decided_on=opened, version=1, created_at=now, updated_at=now))
    _insert(Dispatch.__table__, rows)
    dispatches = list(db.session.execute(select(Dispatch.id, Dispatch.case_id, Dispatch.client_id, Dispatch.center_id,
                                                Dispatch.expert_id, Dispatch.requested_on)))
    rows = []
    for n in range(size["visits"]):
        d = rng.choice(dispatches)
        held = min(d.requested_on + dt.timedelta(days=rng.randint(7, 120)), last_day)
        rows.append(dict(ref=f"D{n:07d}", dispatch_id=d.id, case_id=d.case_id, client_id=d.client_id,
                         center_id=d.center_id, expert_id=d.expert_id, held_on=held, hours=2, fee=30000,
                         company_share=10000, report_due_on=held + dt.timedelta(days=14),
                         report_received_on=held + dt.timedelta(days=10), program_id=program(d.center_id, "dispatch"),
                         version=1, created_at=now, updated_at=now))
    _insert(DispatchVisit.__table__, rows)
    counts["dispatches"], counts["dispatch_visits"] = len(dispatches), len(rows)
    rows = []
    for n in range(size["diagnoses"]):
        center_id = rng.choice([centers["succession"], None])
        rows.append(dict(ref=f"G{n:06d}", client_id=rng.choice(client_ids), center_id=center_id,
                         held_on=first_day + dt.timedelta(days=rng.randrange(span)), by_org="商工会議所",
                         result="要承継計画", program_id=program(center_id, "diagnosis"), version=1, created_at=now,
                         updated_at=now))
    _insert(Diagnosis.__table__, rows)
    counts["diagnoses"] = len(rows)
    db.session.commit()
    log(f"  dispatches, visits, diagnoses ({time.perf_counter() - started:.0f}s)")

    # the rollup: a stored monthly tally for every finished month (what the scheduler does on the 1st)
    from casework.services.tallies import add_months, store_monthly_tally

    year, month = FIRST_FY, 4
    n = 0
    while (year, month) <= (last_day.year, last_day.month):
        store_monthly_tally(year, month, by=admin)
        year, month = add_months(year, month, 1)
        n += 1
    db.session.commit()
    counts["tally_snapshots"] = n
    log(f"  {n} monthly tally snapshots ({time.perf_counter() - started:.0f}s)")
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    _ = coordinator
    return counts
