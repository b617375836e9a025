import datetime as dt

from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Case, Deal, DealStep, Diagnosis, FollowUp, MatchProfile
from casework.services import succession as service

from . import lifecycle_helpers as lh
from .conftest import text_of


def _member(make):
    return make.user("shokei", role="succession", centers=["succession"], name="承継 四郎")


def _seller_buyer(make):
    seller_case = make.case(make.client("株式会社秘密りんご", name_kana="ヒミツリンゴ"), center_code="succession",
                            opened_on=dt.date(2024, 4, 1))
    buyer_case = make.case(make.client("買い手食品株式会社", name_kana="カイテショクヒン"), center_code="succession",
                           opened_on=dt.date(2024, 4, 2))
    return seller_case, buyer_case


def test_pages_redirect_when_logged_out(client):
    for url in ("/succession/", "/succession/profiles/new", "/succession/profiles/1", "/succession/profiles/1/sheet",
                "/succession/deals/", "/succession/deals/1", "/succession/clients/1/diagnoses/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_seller_and_buyer_from_first_contact_to_closing(client, auth, make):
    member = _member(make)
    seller_case, buyer_case = _seller_buyer(make)
    auth.login(member)
    response = client.post(f"/succession/clients/{seller_case.client_id}/diagnoses/new",
                           data={"held_on": "2024-04-05", "by_org": "商工会議所", "result": "後継者不在・第三者承継を検討"})
    assert response.status_code == 302
    form = {"case_id": seller_case.id, "side": "seller", "industry_code": "E", "region": "東青", "employees_band": "e2",
            "sales_band": "s2", "price_band": "p2", "reasons": "後継者不在", "summary": "県内の菓子製造", "active": "y"}
    response = client.post("/succession/profiles/new", data=form)
    assert response.status_code == 302, text_of(response)
    seller = db.session.scalar(select(MatchProfile).where(MatchProfile.side == "seller"))
    client.post("/succession/profiles/new", data={**form, "case_id": buyer_case.id, "side": "buyer", "price_band": "p3"})
    buyer = db.session.scalar(select(MatchProfile).where(MatchProfile.side == "buyer"))
    # an unrelated buyer of another industry and region ranks below
    other = lh.profile(make.case(make.client("遠方商事"), center_code="succession"), side="buyer", industry_code="G",
                       region="下北", employees_band="e5", price_band="p1")
    page = text_of(client.get(f"/succession/profiles/{seller.id}"))
    assert page.index(buyer.code_name) < page.index(other.code_name)
    assert "100 /100" in page and "同じ業種（製造業）" in page and "予算（5千万〜1億円）が希望価格（1千万〜5千万円）以上" in page
    assert "業種が異なる" in page and "地域が異なる（東青／下北）" in page
    # the non-name sheet names nothing
    sheet = client.get(f"/succession/profiles/{seller.id}/sheet").get_data(as_text=True)
    assert "ノンネームシート" in sheet and "製造業" in sheet and "@media print" not in sheet
    for identifying in ("株式会社秘密りんご", "ヒミツリンゴ", "clients/"):
        assert identifying not in sheet
    # propose, then step through to 成約
    response = client.post("/succession/deals/propose", data={"seller_id": seller.id, "buyer_id": buyer.id,
                                                             "proposed_on": "2024-05-01"})
    assert response.status_code == 302
    deal = db.session.scalar(select(Deal))
    response = client.post(f"/succession/deals/{deal.id}/step", data={"stage": "nda", "stepped_on": "2024-05-02",
                                                                     "version": deal.version})
    assert response.status_code == 422 and "次の段階は「ネームクリア」です" in text_of(response)
    day = dt.date(2024, 5, 10)
    for stage in service.DEAL_PATH[1:]:
        db.session.expire_all()
        version = db.session.get(Deal, deal.id).version
        response = client.post(f"/succession/deals/{deal.id}/step", data={"stage": stage, "stepped_on": day.isoformat(),
                                                                         "version": version})
        assert response.status_code == 302, (stage, text_of(response))
        day += dt.timedelta(days=10)
    db.session.expire_all()
    steps = list(db.session.scalars(select(DealStep).order_by(DealStep.id)))
    assert [s.stage for s in steps] == service.DEAL_PATH and all(s.by_id == member.id for s in steps)
    closed_on = steps[-1].stepped_on
    for case_id in (seller_case.id, buyer_case.id):
        case = db.session.get(Case, case_id)
        assert (case.outcome_code, case.outcome_on, case.closed_on) == ("ma_closed", closed_on, closed_on)
    dues = sorted(f.due_on for f in db.session.scalars(select(FollowUp)))
    assert closed_on == dt.date(2024, 7, 19)
    assert dues == [dt.date(2024, 10, 19)] * 2 + [dt.date(2025, 7, 19)] * 2  # 3 and 12 months after 成約
    page = text_of(client.get(f"/succession/deals/{deal.id}"))
    assert "現在の段階 成約" in page and "承継 四郎" in page
    # reads and changes were audited
    actions = {(a.action, a.object_type) for a in db.session.scalars(select(AuditEntry))}
    assert {("view", "MatchProfile"), ("view", "Deal"), ("create", "Deal"), ("stage", "Deal"),
            ("create", "MatchProfile"), ("create", "Diagnosis")} <= actions


def test_deal_broken_needs_reason(client, auth, make):
    member = _member(make)
    s_case, b_case = _seller_buyer(make)
    seller, buyer = lh.profile(s_case), lh.profile(b_case, side="buyer")
    deal = service.propose_deal(seller, buyer, dt.date(2024, 5, 1))
    db.session.commit()
    auth.login(member)
    response = client.post(f"/succession/deals/{deal.id}/step", data={"stage": "broken", "stepped_on": "2024-05-03",
                                                                     "version": deal.version})
    assert response.status_code == 422 and "破談の理由を入力してください" in text_of(response)
    response = client.post(f"/succession/deals/{deal.id}/step", data={"stage": "broken", "stepped_on": "2024-05-03",
                                                                     "reason": "価格が折り合わず", "version": deal.version})
    assert response.status_code == 302
    page = text_of(client.get(f"/succession/deals/{deal.id}"))
    assert "破談" in page and "価格が折り合わず" in page
    assert db.session.get(Case, s_case.id).closed_on is None
    # the same pair cannot be proposed twice
    response = client.post("/succession/deals/propose", data={"seller_id": seller.id, "buyer_id": buyer.id,
                                                             "proposed_on": "2024-05-04"}, follow_redirects=True)
    assert "既に提案されています" in text_of(response)


def test_profile_invalid_input_and_stale_edit(client, auth, make):
    member = _member(make)
    s_case, _ = _seller_buyer(make)
    auth.login(member)
    response = client.post("/succession/profiles/new", data={"case_id": s_case.id, "side": "seller", "industry_code": ""})
    assert response.status_code == 200 and "譲渡希望は業種が必須です" in text_of(response)
    onestop_case = make.case(center_code="onestop")
    response = client.post("/succession/profiles/new", data={"case_id": onestop_case.id, "side": "seller", "industry_code": "E"})
    assert "事業承継・引継ぎ支援センターの案件を選んでください" in text_of(response)
    p = lh.profile(s_case)
    v = p.version
    assert client.post(f"/succession/profiles/{p.id}/edit", data={"industry_code": "E", "region": "中南", "version": v}).status_code == 302
    response = client.post(f"/succession/profiles/{p.id}/edit", data={"industry_code": "E", "region": "三八", "version": v})
    assert response.status_code == 409
    response = client.post(f"/succession/clients/{s_case.client_id}/diagnoses/new", data={"held_on": "2024-04-05"})
    assert "実施機関を入力してください" in text_of(response) and db.session.query(Diagnosis).count() == 0


def test_onestop_coordinator_sees_no_trace_of_m_and_a(client, logged_in, make):
    """From every page and list that could leak an M&A record: 404 or absent."""
    s_case, b_case = _seller_buyer(make)
    seller, buyer = lh.profile(s_case), lh.profile(b_case, side="buyer")
    deal = service.propose_deal(seller, buyer, dt.date(2024, 5, 1))
    diag = service.record_diagnosis(s_case.client, service.DiagnosisData(dt.date(2024, 4, 5), "商工会議所", "要承継"),
                                    s_case.center_id)
    d = lh.dispatch(s_case)
    lh.visit(d)
    from casework.services.cases import close_case

    close_case(b_case, closed_on=dt.date(2024, 6, 1), outcome_code="ma_closed")
    db.session.commit()
    for url in ("/succession/", "/succession/profiles/new", f"/succession/profiles/{seller.id}",
                f"/succession/profiles/{seller.id}/sheet", f"/succession/profiles/{seller.id}/edit",
                "/succession/deals/", f"/succession/deals/{deal.id}", f"/succession/clients/{s_case.client_id}/diagnoses/new",
                f"/clients/{s_case.client_id}", f"/clients/{b_case.client_id}", f"/dispatch/{d.id}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/succession/deals/{deal.id}/step", data={"stage": "name_clear", "stepped_on": "2024-05-02"}).status_code == 404
    assert client.post("/succession/deals/propose", data={"seller_id": seller.id, "buyer_id": buyer.id}).status_code == 404
    for url in ("/clients/?q=ヒミツ", "/clients/?q=カイテ", "/clients/", "/dispatch/", "/dispatch/?status=approved",
                "/followups/?scope=all&status=all", "/referrals/", "/"):
        page = text_of(client.get(url))
        assert "秘密りんご" not in page and "買い手食品" not in page, url
    assert "事業承継" not in " ".join(label for _e, label, _k in [])  # nav computed per role below
    home = text_of(client.get("/"))
    assert "事業承継" not in home.split("フォローアップ")[0]  # no 事業承継 entry in the navigation
    assert diag.id and db.session.query(Diagnosis).count() == 1


def test_shared_client_shows_succession_items_only_to_members(client, auth, make):
    shared = make.client("共有商事株式会社")
    make.case(shared, center_code="onestop")
    s_case = make.case(shared, center_code="succession", opened_on=dt.date(2024, 4, 3))
    service.record_diagnosis(shared, service.DiagnosisData(dt.date(2024, 4, 5), "商工会議所", "親族内承継を推奨"),
                             s_case.center_id)
    p = lh.profile(s_case)
    b = lh.profile(make.case(center_code="succession"), side="buyer")
    service.propose_deal(p, b, dt.date(2024, 5, 1))
    db.session.commit()
    coord = make.user("c9", centers=["onestop"])
    auth.login(coord)
    page = text_of(client.get(f"/clients/{shared.id}"))
    assert "共有商事株式会社" in page
    for secret in ("親族内承継を推奨", "事業承継診断", "M&A", p.code_name, "事業承継・引継ぎ支援センター"):
        assert secret not in page, secret
    auth.logout()
    auth.login(_member(make))
    page = text_of(client.get(f"/clients/{shared.id}"))
    assert "親族内承継を推奨" in page and f"{p.code_name}→{b.code_name}：提案" in page
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "view", AuditEntry.object_type == "Client"))


def _browser_post_data(html: str, action: str) -> list[tuple[str, str]]:
    """The first <form> posting to `action`, as a browser submits it: every input, in order,
    duplicates kept (the first of a repeated name is the one a form library reads)."""
    import re
    from html import unescape

    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, action
    pairs = []
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            pairs.append((name.group(1), unescape(value.group(1)) if value else ""))
    return pairs


def test_proposing_from_the_candidate_list_as_a_browser_does(client, auth, make):
    """The candidate row's form once also carried the form's own empty seller_id/buyer_id,
    which came first: every proposal made in a browser answered 404."""
    from werkzeug.datastructures import MultiDict

    member = _member(make)
    s_case, b_case = _seller_buyer(make)
    seller, buyer = lh.profile(s_case), lh.profile(b_case, side="buyer", price_band="p3")
    auth.login(member)
    forms = {}
    for profile in (seller, buyer):
        html = client.get(f"/succession/profiles/{profile.id}").get_data(as_text=True)
        forms[profile.side] = _browser_post_data(html, "/succession/deals/propose")
        names = [n for n, _ in forms[profile.side]]
        assert names.count("seller_id") == 1 and names.count("buyer_id") == 1, names
    data = [(n, "2024-05-01" if n == "proposed_on" else v) for n, v in forms["buyer"]]
    response = client.post("/succession/deals/propose", data=MultiDict(data))
    assert response.status_code == 302, text_of(response)
    deal = db.session.scalar(select(Deal))
    assert response.headers["Location"].endswith(f"/succession/deals/{deal.id}")
    assert (deal.seller_id, deal.buyer_id, deal.stage_on) == (seller.id, buyer.id, dt.date(2024, 5, 1))
    assert f"{seller.code_name} → {buyer.code_name}：提案" in text_of(client.get(f"/succession/profiles/{seller.id}"))


def test_propose_with_garbage_ids_is_404_not_an_error(client, auth, make):
    auth.login(_member(make))
    response = client.post("/succession/deals/propose", data={"seller_id": "abc", "buyer_id": "", "proposed_on": "2024-05-01"})
    assert response.status_code == 404


def test_step_form_offers_the_next_stage_and_broken_only(client, auth, make):
    import re

    member = _member(make)
    s_case, b_case = _seller_buyer(make)
    deal = service.propose_deal(lh.profile(s_case), lh.profile(b_case, side="buyer"), dt.date(2024, 5, 1))
    db.session.commit()
    auth.login(member)
    html = client.get(f"/succession/deals/{deal.id}").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="stage".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select_) == ["ネームクリア", "破談"]
    page = text_of(client.get(f"/succession/deals/{deal.id}"))
    assert "譲渡側（社内のみ） 株式会社秘密りんご" in page
    assert f'href="/cases/{s_case.id}"' in html and f'href="/cases/{b_case.id}"' in html


def test_deal_list_is_paged_not_cut(client, auth, make):
    """The list once stopped silently at 200 deals; it pages like the other lists."""
    member = _member(make)
    sellers = [lh.profile(make.case(make.client(f"売り手{i}"), center_code="succession")) for i in range(6)]
    buyers = [lh.profile(make.case(make.client(f"買い手{i}"), center_code="succession"), side="buyer") for i in range(5)]
    for s in sellers:
        for b in buyers:
            service.propose_deal(s, b, dt.date(2024, 5, 1))
    db.session.commit()
    auth.login(member)
    import re

    def deal_links(response):
        return len(re.findall(r'href="/succession/deals/\d+"', response.get_data(as_text=True)))

    first = client.get("/succession/deals/")
    assert "全30件" in text_of(first) and "次へ" in text_of(first) and deal_links(first) == 25
    second = client.get("/succession/deals/?page=2")
    assert "全30件" in text_of(second) and "前へ" in text_of(second) and deal_links(second) == 5
    assert "全30件" in text_of(client.get("/succession/deals/?stage=nonsense"))  # an unknown stage filters nothing


def test_the_nonname_sheet_is_refused_while_its_text_names_the_company(client, auth, make):
    from casework.extensions import db
    from casework.models import AuditEntry

    from . import lifecycle_helpers as lh

    member = make.user("sk", role="succession", centers=["succession"])
    c = make.client("有限会社八甲田温泉旅館", name_kana="ハッコウダオンセンリョカン", representative="山田 花子",
                    address="青森市八甲田 1-23", contact_phone="017-123-4567")
    case = make.case(c, center_code="succession")
    profile = lh.profile(case, summary="八甲田温泉旅館は創業80年。代表の山田は後継者を探している。電話 0171234567",
                         reasons="後継者不在")
    auth.login(member)
    response = client.get(f"/succession/profiles/{profile.id}/sheet")
    html, page = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 409
    assert "会社を特定できる情報が含まれています" in page
    assert "概要：名称「八甲田温泉旅館」" in page and "概要：代表者「山田」" in page and "概要：電話番号「0171234567」" in page
    assert "<mark>八甲田温泉旅館</mark>" in html and "<mark>山田</mark>" in html
    response = client.post(f"/succession/profiles/{profile.id}/sheet/confirm", data={"version": profile.version},
                           follow_redirects=True)
    assert "チェックしてください" in text_of(response) and "<mark>" in response.get_data(as_text=True)
    response = client.post(f"/succession/profiles/{profile.id}/sheet/confirm",
                           data={"version": profile.version, "confirmed": "y", "note": "先方了承済み"},
                           follow_redirects=True)
    assert response.status_code == 200 and "ノンネームシート（譲渡" in text_of(response)
    entry = db.session.query(AuditEntry).filter_by(action="confirm_anonymous").one()
    assert entry.object_id == profile.id and entry.detail["version"] == profile.version
    assert entry.detail["matches"] == ["代表者", "名称", "電話番号"]
    # an edit of the profile asks again
    profile.summary = profile.summary + " 温泉付き。"
    db.session.commit()
    assert client.get(f"/succession/profiles/{profile.id}/sheet").status_code == 409


def test_an_anonymous_sheet_shows_at_once(client, auth, make):
    from . import lifecycle_helpers as lh

    member = make.user("sk", role="succession", centers=["succession"])
    c = make.client("株式会社岩木りんご園", name_kana="イワキリンゴエン")
    profile = lh.profile(make.case(c, center_code="succession"), summary="津軽地方の果樹園。従業員10名。")
    auth.login(member)
    response = client.get(f"/succession/profiles/{profile.id}/sheet")
    assert response.status_code == 200 and "岩木りんご園" not in text_of(response)


def test_a_deal_shows_its_nda_date_stage_dates_and_closing_amount(client, auth, make):
    from casework.extensions import db
    from casework.models import Deal
    from casework.services import succession as service

    from . import lifecycle_helpers as lh

    member = make.user("sk", role="succession", centers=["succession"])
    seller = lh.profile(make.case(make.client("譲渡側商店"), center_code="succession"))
    buyer = lh.profile(make.case(make.client("譲受側商事"), center_code="succession"), side="buyer")
    deal = service.propose_deal(seller, buyer, dt.date(2024, 5, 1), by=member)
    day = dt.date(2024, 5, 10)
    for stage in service.DEAL_PATH[1:-1]:
        service.advance_deal(deal, stage, day, by=member)
        day += dt.timedelta(days=10)
    db.session.commit()
    auth.login(member)
    response = client.post(f"/succession/deals/{deal.id}/step", data={
        "stage": "closed", "stepped_on": day.isoformat(), "closing_amount": "３０,０００,０００", "version": deal.version})
    assert response.status_code == 302, text_of(response)
    db.session.expire_all()
    assert db.session.get(Deal, deal.id).closing_amount == 30_000_000
    page = text_of(client.get(f"/succession/deals/{deal.id}"))
    assert "秘密保持契約の締結日 2024-05-20" in page and "成約金額 30,000,000円" in page
    assert "提案 2024-05-01、ネームクリア 2024-05-10、秘密保持契約 2024-05-20" in page
