"""Build the FY2023 dataset: interchange files (docs/interchange.md) whose records give the figures
of the FY2023 business report's 事業実績 tables (jisseki.txt, copied from the report), for both
years it prints (前年度 FY2022, 当年度 FY2023), with opening balances for its 累計.

    python tests/data/fy2023/build.py            # writes the CSV files and expected.json beside this file
    python tests/data/fy2023/build.py --check    # exits 1 when the files here differ from a fresh build

Deterministic: every figure comes from FIGURES below (the report's own numbers, as printed), every
other detail (days, themes, industries, how an amount is split) from a seeded random generator
and fixed rules, so a build is byte for byte the one before. expected.json lists each table's
figures as the report prints them; tests/test_import_fy2023.py imports the files into an empty
database and compares `casework report annual --fy 2023 --format json` with it.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FY = {2022: (dt.date(2022, 4, 1), dt.date(2023, 3, 31)), 2023: (dt.date(2023, 4, 1), dt.date(2024, 3, 31))}

# The report's figures: table number → (report section key, title as printed, rows), each row
# (row key, label as printed, unit, FY2022, FY2023[, 累計]); None: not printed for that year.
# Amounts in 千円 as printed. Section and row keys are the report definitions'
# (casework/reporting/defaults.py), the names opening_balances.csv and the test use.
FIGURES = {
    "1(1)①": ("onestop", "ワンストップ総合相談事業", [
        ("window", "窓口相談", "件", 904, 1077), ("visit", "巡回相談", "件", 1360, 1462), ("total", "計", "件", 2264, 2539)]),
    "1(1)②": ("yorozu", "よろず支援拠点事業", [
        ("outreach_days", "出張相談会開催回数", "回", 388, 430), ("visitor_consultations", "来訪相談件数", "件", 1254, 1170)]),
    "1(1)③": ("dispatch", "専門家派遣事業", [("companies", "派遣企業", "社", 4, 1), ("visits", "派遣延べ回数", "回", 16, 1)]),
    "1(2)①": ("trade_matching", "受発注取引推進事業", [
        ("buyers", "発注登録企業数", "社", 547, 547), ("suppliers", "受注登録企業数", "社", 638, 641),
        ("introductions", "あっせん紹介件数", "件", 92, 199), ("concluded", "あっせん成立件数", "件", 7, 17),
        ("concluded_amount", "あっせん成立金額", "千円", 3600, 9045),
        ("not_concluded", "あっせん不成立件数", "件", 39, 118)]),
    "1(2)④": ("subcontracting", "下請かけこみ寺事業", [
        ("subcontract_act", "下請代金法関連", "件", 1, 3), ("construction_act", "建設業法関連", "件", 0, 0),
        ("other", "その他", "件", 34, 36), ("total", "計", "件", 35, 39)]),
    "1(3)①": ("startup", "創業・起業伴走型支援事業", [
        ("founders", "創業者数", "名", 41, 37), ("consultations", "相談件数", "件", 230, 231)]),
    "1(3)①イ": ("startup_consultation_days", "UIJターン創業相談会", [
        ("days", "開催回数", "回", None, 12), ("consultations", "相談件数", "件", None, 15)]),
    "1(3)②": ("migration_startup", "あおり移住起業支援事業", [
        ("adopted", "採択件数", "件", None, 4), ("granted", "交付金額", "千円", None, 5024)]),
    "2(1)": ("rd_coordination", "あおり産学官金連携による新ビジネス創発支援事業", [
        ("company_visit", "事業化可能性の高い技術、ノウハウ発掘のための企業訪問", "件", 217, 165),
        ("advice", "技術課題等の解決に向けたアドバイス", "件", 44, 107),
        ("application_support", "国等の競争的研究資金等外部資金への申請支援及び採択後の事業管理のフォロー", "件", 150, 119),
        ("total", "計", "件", 411, 391)]),
    "2(2)": ("advanced_manufacturing", "戦略的ものづくり先進技術事業化支援事業", [
        ("adopted", "採択者数", "件", 3, 1), ("amount", "採択金額", "千円", 16187, 5728)]),
    "2(7)": ("supporting_industry", "戦略的基盤技術高度化支援事業（サポイン事業）", [
        ("granted", "交付決定額", "千円", None, 37733)]),
    "2(8)": ("new_business", "新事業展開等促進事業", [
        ("new_business_adopted", "新事業開発コース 採択者数", "件", 8, 6),
        ("new_business_amount", "新事業開発コース 採択金額", "千円", 21147, 12381),
        ("market_adopted", "販路開拓コース 採択者数", "件", 35, 0),
        ("market_amount", "販路開拓コース 採択金額", "千円", 19639, 0)]),
    "2(9)": ("dx_support", "中小企業DX支援事業", [("companies", "支援企業", "社", 6, 12)]),
    "2(11)": ("price_hike", "物価高騰対応収益力向上支援事業", [
        ("value_added_count", "高付加価値化促進枠 交付件数", "件", None, 49),
        ("value_added_amount", "高付加価値化促進枠 交付金額", "千円", None, 28880),
        ("logistics_count", "物流の2024年問題対応枠 交付件数", "件", None, 24),
        ("logistics_amount", "物流の2024年問題対応枠 交付金額", "千円", None, 35764)]),
    "6(1)": ("sales_advisors", "ビジネスサポートステーション運営事業", [
        ("window", "窓口相談数", "社", 108, 74), ("visit", "訪問企業数", "社", 343, 325)]),
    "7(1)": ("revitalization", "青森県中小企業活性化事業", [
        ("pre_consultation", "事前相談対応企業数", "件", 22, 38, 60),
        ("first_consultation", "一次相談対応企業数", "件", 80, 60, 1073),
        ("plan_completed", "再生計画策定支援完了", "件", 48, 27, 389),
        ("jobs_retained", "雇用維持効果", "名", 1560, 836, 15591)]),
    "7(2)": ("improvement_plan", "経営改善計画策定支援事業", [
        ("application", "事業利用申請受付件数", "件", 18, 15, 242),
        ("fee_application", "計画策定費用支払申請受付件数", "件", 7, 19, 177),
        ("follow_up", "伴走支援実施回数", "件", 12, 28, 476)]),
    "7(2)早期": ("early_improvement_plan", "早期経営改善計画策定支援事業", [
        ("application", "事業利用申請受付件数", "件", 42, 3, 243),
        ("fee_application", "計画策定費用支払申請受付件数", "件", 4, 34, 216),
        ("follow_up", "伴走支援実施回数", "件", 8, 9, 135)]),
    "7(3)": ("succession", "青森県事業承継・引継ぎ支援センター事業", [
        ("companies", "相談企業数", "社", 346, 414), ("consultations", "相談件数", "件", 938, 1162),
        ("diagnoses", "事業承継診断件数", "件", 3221, 2984), ("expert_dispatches", "専門家派遣回数", "回", 48, 41)]),
    "7(3)①②": ("succession_events", "支援能力の向上", [
        ("trainings", "開催回数", "回", None, 49), ("training_participants", "参加人数", "名", None, 1188),
        ("seminars", "開催回数", "回", None, 103), ("seminar_participants", "参加人数", "名", None, 638)]),
    "8(1)": ("reconstruction", "青森県産業復興相談センター事業", [
        ("consultations", "累計相談延べ件数", "件", None, None, 2768), ("companies", "相談実企業件数", "社", None, None, 791),
        ("referred", "うち計画策定支援部門への送付企業数", "社", None, None, 398)]),
}
# Figures the report does not print but its 累計 holds: the dataset's own records of each year
# (8(1) prints only 累計; its records of FY2022 and FY2023 are new companies each year)
UNPRINTED = {("reconstruction", "consultations"): (30, 25), ("reconstruction", "companies"): (8, 6),
             ("reconstruction", "referred"): (4, 3)}
# Tables of one year (FY2023) whose rows are records: number → (report section key or None,
# title, printed columns, the report list's column key for each (None: not listed), rows as printed).
# A section that splits its tables by event (1(2)② ア / イ: one table per 商談会) has the keys
# label / total / in_prefecture: its tables in date order, ア the first.
LISTS = {
    "1(2)② ア": ("trade_fair_results", "4道県合同商談会", ["区分", "全体", "うち青森県（受注企業）"],
                 ["label", "total", "in_prefecture"], [
        ("出席企業（発注企業）", "87社", "-"), ("出席企業（受注企業）", "164社", "21社"), ("商談件数", "914件", "128件"),
        ("商談成立件数", "26件", "3件"), ("商談成立金額", "23,022千円", "4,143千円")]),
    "1(2)② イ": ("trade_fair_results", "受発注交流商談会", ["区分", "全体", "うち青森県（受注企業）"],
                 ["label", "total", "in_prefecture"], [
        ("出席企業（発注企業）", "32社", "-"), ("出席企業（受注企業）", "48社", "38社"), ("商談件数", "239件", "239件"),
        ("商談成立件数", "6件", "6件"), ("商談成立金額", "2,249千円", "2,249千円")]),
    "1(3)① ア": ("startup_trainings", "IMスキルアップ研修", ["区分", "日程", "開催地区", "参加人数"],
                 ["title", "dates", "area", "participants"], [
        ("第1回", "令和5年7月", "青森市", "34名"), ("第2回", "令和6年1月", "青森市", "47名")]),
    "1(3)① イ": (None, "UIJターン創業相談会", ["開催回数", "開催場所", "相談件数"], None, [
        ("12回", "東京交通会館8階 青森暮らしサポートセンター(すべてオンライン開催)", "15件")]),
    "2(1)②": ("rd_seminars", "競争的研究資金獲得セミナー", ["区分", "日程", "開催地区", "参加者"],
              ["title", "dates", "area", "attendance"], [
        ("施策説明会", "令和6年3月", "オンライン", "58名"), ("個別相談会", "令和6年3月", "オンライン", "4社")]),
    "2(3)": ("hr_development", "産学官金連携人材育成支援事業", ["研修名", "連携機関", "日程", "開催地区", "参加人数"],
             ["title", "partners", "dates", "area", "participants"], [
        ("「問屋町ビジネススクール」 (全25講座)", "青森総合卸センター", "令和5年5月～令和6年3月", "青森市", "299名"),
        ("「新任管理者研修」", "中小企業大学校仙台校、青森総合卸センター、八戸総合卸センター", "令和5年5月～6月", "青森市", "40名"),
        ("「業務効率向上のための時間管理」", "ポリテクセンター青森", "令和5年6月", "弘前市", "9名"),
        ("「業務効率向上のための時間管理」", "ポリテクセンター青森", "令和5年6月", "青森市", "11名"),
        ("「業務効率向上のための時間管理」", "ポリテクセンター青森", "令和5年6月", "八戸市", "12名"),
        ("「DX人材育成の進め方」", "ポリテクセンター青森", "令和5年10月", "青森市", "18名"),
        ("「新任管理者研修」", "中小企業大学校仙台校、青森総合卸センター、八戸総合卸センター", "令和5年11月", "八戸市", "27名"),
        ("「ITオンライン研修」", "(株)グリーンウォーターズ", "令和6年1月～2月", "オンライン", "21名")]),
    "2(5)": ("specific_fields", "特定分野連携事業", ["日程", "開催地区", "参加人数"], ["dates", "area", "participants"],
             [("令和6年3月", "オンライン", "33名")]),
    "2(6)": ("industry_forum", "「21あおり産業創造フォーラム」開催事業", ["日程", "開催地区", "参加機関", "参加人数"],
             ["dates", "area", "partners", "participants"], [
        ("令和5年9月", "青森市", "県内企業、金融機関、行政機関、商工団体等", "144名")]),
    "2(6) 表彰": ("industry_forum", "「21あおりアワード」表彰", ["部門", "企業名"], ["side", "company"], [
        ("経営革新部門", "佐藤製菓"), ("創業部門", "カマラードの家"), ("産学連携部門", "(株)肉の博明"),
        ("DX部門", "(株)ケアスマイル青森")]),
    "2(6) 講演": ("industry_forum", "講演", ["テーマ", "講師"], ["title", "speaker"], [
        ("「ChatGPTとノーコードの活用で激変する中小企業DX」", "ノーコード推進協会 代表理事 中山 五輪男 氏")]),
    "2(7)": ("supporting_industry", "戦略的基盤技術高度化支援事業（サポイン事業）",
             ["研究テーマ", "事業実施期間", "研究等実施機関", "令和5年度 交付決定額"],
             ["title", "project_years", "partners", "granted_amount"], [
        ("デジタル社会に貢献する立体構造のニオブ酸リチウム圧電素子を搭載した高精度MEMS振動ジャイロ開発", "令和3年度～ 令和5年度",
         "多摩川精機(株)（八戸市） 京都大学 多摩川モバイル電装(株) （三沢市）", "37,733千円")]),
    "2(10)": ("gx_promotion", "中小企業等GX推進事業", ["日程", "開催地区", "参加機関", "参加人数"],
              ["dates", "area", "partners", "participants"], [
        ("令和6年3月", "青森市", "県内企業、大学、研究機関、支援機関等", "15名")]),
    "6(1)②": ("sales_experts", "専門アドバイザー事業", ["専門アドバイザー", "日程", "開催場所", "参加企業", "商談等"],
               ["title", "dates", "area", "companies", "dealings"], [
        ("(同)青森生産者ふるさと会", "令和5年10月", "東奥日報新町ビル2F Seven C's", "10社", "取引成立9社 見積依頼1社"),
        ("Smile circle(株)", "令和5年10月", "東奥日報新町ビル2F Seven C's", "18社", "取引成立2社 見積依頼2社")]),
    "6(1)③": ("sales_exhibitions", "大規模展示会出展支援事業", ["日程", "開催地区", "出展企業"], ["dates", "area", "companies"],
               [("令和6年2月", "神奈川県横浜市", "9社")]),
    "6(2)": ("business_support_center", "ビジネスサポートセンター運営事業", ["日程", "開催地区", "出展企業"],
             ["dates", "area", "companies"], [("令和6年2月", "千葉県千葉市", "23社")]),
    "7(3)①": (None, "支援能力の向上", ["開催回数", "開催地区", "参加人数"], None, [("49回", "県内各地", "1,188名")]),
    "7(3)②": (None, "広報普及活動", ["開催回数", "開催地区", "参加人数"], None, [("103回", "県内各地", "638名")]),
}
# Year headers of a round adopted in one fiscal year for the next year's project
YEAR_HEADERS = {"2(2)": ("advanced_manufacturing", ["令和4年度 (令和5年度事業)", "令和5年度 (令和6年度事業)"]),
                "2(8)": ("new_business", ["令和4年度 (令和5年度事業)", "令和5年度 (令和6年度事業)"])}
# 主な相談テーマ / 主な業種 as printed (FY2023), and what casework's vocabulary calls them
BREAKDOWNS = {
    "1(1)①": ("主な相談テーマ", ["ビジネスプラン", "マーケティング", "技術", "経営全般", "資金繰り", "IT"]),
    "1(1)②": ("主な相談テーマ", ["商品開発", "事業計画策定", "販路提案"]),
    "1(1)③": ("業種内訳", {2022: ["（製造業）2社", "（卸売業）1社", "（繊維業）1社"], 2023: ["（サービス業）1社"]}),
    "1(3)①": ("主な業種", ["生活関連サービス業", "飲食サービス業", "建設業"]),
    "1(3)②": ("主な業種", ["飲食業等"]),
    "2(9)": ("主な業種", ["建設業", "製造業", "生活関連サービス業"]),
    "6(1)": ("主な業種", ["食料品製造業", "繊維工業", "木材・木製品製造業"]),
}


class Dataset:
    def __init__(self):
        self.rng = random.Random(2023)
        self.rows = {k: [] for k in ("clients", "cases", "consultations", "events", "dispatches", "diagnoses",
                                     "registrations", "introductions", "attendances", "grants", "milestones",
                                     "opening_balances")}
        self.serial = {}

    def ref(self, prefix: str) -> str:
        self.serial[prefix] = self.serial.get(prefix, 0) + 1
        return f"{prefix}{self.serial[prefix]:05d}"

    def day(self, fy: int, month: int | None = None) -> dt.date:
        """A day of the fiscal year (of that month when given), from the seeded generator."""
        start, end = FY[fy]
        if month is None:
            return start + dt.timedelta(days=self.rng.randrange((end - start).days + 1))
        year = start.year if month >= 4 else start.year + 1
        first = dt.date(year, month, 1)
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return first.replace(day=self.rng.randint(1, last))

    def clients(self, prefix: str, n: int, industries=None, kind="corporation") -> list[str]:
        """n new clients; industries: a list of JSIC majors, one per client (cycled), or None."""
        refs = []
        for i in range(n):
            ref = self.ref(prefix)
            industry = industries[i % len(industries)] if industries else ""
            self.rows["clients"].append({"ref": ref, "name": f"株式会社{prefix}{ref[len(prefix):]}", "kind": kind,
                                         "industry": industry, "municipality": self.rng.choice(MUNICIPALITIES)})
            refs.append(ref)
        return refs

    def consultation(self, client, center, channel, day, **extra):
        self.rows["consultations"].append({"ref": self.ref("S"), "client_ref": client, "center": center,
                                           "channel": channel, "held_on": day.isoformat(), **extra})

    def event(self, center, kind, day, **extra) -> str:
        ref = self.ref("E")
        self.rows["events"].append({"ref": ref, "center": center, "kind": kind, "held_on": day.isoformat(), **extra})
        return ref


MUNICIPALITIES = ["青森市", "弘前市", "八戸市", "黒石市", "五所川原市", "十和田市", "三沢市", "むつ市"]


def split(total: int, n: int) -> list[int]:
    """total into n whole parts, as even as can be (the first ones one more)."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def quotas(total: int, weights: list[tuple[str, int]]) -> list[str]:
    """A list of `total` labels, each label's share by weight (largest remainders), strictly
    decreasing counts for decreasing weights."""
    whole = sum(w for _l, w in weights)
    counts = [total * w // whole for _l, w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return [label for (label, _w), n in zip(weights, counts) for _ in range(n)]


def build(ds: Dataset) -> None:
    rng = ds.rng
    # 1(1)① ワンストップ総合相談: consultations by channel; themes in the printed order
    clients = ds.clients("O", 800, list("EIMNDRLKG"))
    themes = [("ビジネスプラン", 26), ("マーケティング", 20), ("技術", 16), ("経営全般", 12), ("資金繰り", 9), ("IT", 7),
              ("商品開発", 4), ("販路開拓", 3), ("人材", 2), ("DX", 1)]
    for fy, window, visit in ((2022, 904, 1360), (2023, 1077, 1462)):
        labels = quotas(window + visit, themes)
        rng.shuffle(labels)
        for i, channel in enumerate(["window"] * window + ["visit"] * visit):
            ds.consultation(rng.choice(clients), "onestop", channel, ds.day(fy), themes=labels[i])
    # 1(1)② よろず支援拠点: outreach days, visitor consultations (themes: 商品開発 first)
    clients = ds.clients("Y", 600, list("EIMN"))
    for fy, days, visitors in ((2022, 388, 1254), (2023, 430, 1170)):
        for _ in range(days):
            ds.event("yorozu", "outreach_day", ds.day(fy), title="よろず出張相談会", municipality=rng.choice(MUNICIPALITIES))
        labels = quotas(visitors, [("商品開発", 45), ("事業計画策定", 35), ("販路提案", 20)])
        rng.shuffle(labels)
        for i in range(visitors):
            ds.consultation(rng.choice(clients), "yorozu", "window", ds.day(fy), themes=labels[i])
    # 1(1)③ 専門家派遣: FY2022 4 companies 16 visits, FY2023 1 company 1 visit
    for fy, industries, visits in ((2022, ["E", "E", "I", "E"], [4, 4, 4, 4]), (2023, ["R"], [1])):
        for client, n in zip(ds.clients("D", len(industries), industries), visits):
            for _ in range(n):
                ds.rows["dispatches"].append({"ref": ds.ref("V"), "client_ref": client, "center": "onestop",
                                              "expert": "登録専門家 一郎", "held_on": ds.day(fy).isoformat(),
                                              "fee": 45000})
    # 1(2)① 受発注取引推進: registrations at the year's end, introductions with outcomes
    buyers = ds.clients("B", 547, list("EI"))
    for ref in buyers:
        ds.rows["registrations"].append({"ref": ds.ref("R"), "client_ref": ref, "program": "trade_matching",
                                         "side": "発注企業", "registered_on": dt.date(2010 + rng.randrange(12), 4, 1).isoformat()})
    suppliers = ds.clients("U", 643, list("E"))
    for i, ref in enumerate(suppliers):
        if i < 636:  # registered before FY2022; two of them leave in FY2023
            on, ended = dt.date(2008 + rng.randrange(14), 5, 1), ds.day(2023) if i < 2 else None
        else:  # 2 join in FY2022, 5 in FY2023
            on, ended = ds.day(2022 if i < 638 else 2023), None
        ds.rows["registrations"].append({"ref": ds.ref("R"), "client_ref": ref, "program": "trade_matching",
                                         "side": "受注企業", "registered_on": on.isoformat(),
                                         "ended_on": ended.isoformat() if ended else ""})
    for fy, total, concluded, amount, refused in ((2022, 92, 7, 3600, 39), (2023, 199, 17, 9045, 118)):
        amounts = iter(split(amount, concluded))
        for i in range(total):
            on = ds.day(fy)
            while on > FY[fy][1] - dt.timedelta(days=40):
                on = ds.day(fy)
            outcome = "成立" if i < concluded else "不成立" if i < concluded + refused else "継続"
            row = {"ref": ds.ref("A"), "program": "trade_matching", "buyer_ref": rng.choice(buyers),
                   "supplier_ref": rng.choice(suppliers), "introduced_on": on.isoformat(), "outcome": outcome}
            if outcome != "継続":
                row["outcome_on"] = (on + dt.timedelta(days=rng.randint(1, 30))).isoformat()
            if outcome == "成立":
                row["amount"] = next(amounts) * 1000
            ds.rows["introductions"].append(row)
    # 1(2)② 商談会等開催: two fairs with attendance by side, the auto show (延べ7社)
    for title, day, area, buyers_n, sup, sup_in, meet, meet_in, deals, deals_in, amt, amt_in in (
            ("青森・秋田・岩手・北海道合同商談会2023", dt.date(2023, 7, 12), "東京都", 87, 164, 21, 914, 128, 26, 3, 23022, 4143),
            ("ものづくり受発注商談会あおもり2023", dt.date(2023, 11, 9), "八戸市", 32, 48, 38, 239, 239, 6, 6, 2249, 2249)):
        event = ds.event("trade", "trade_fair", day, title=title, area=area, program="trade_fairs",
                         companies=buyers_n + sup)
        ds.rows["attendances"].append({"ref": ds.ref("T"), "event_ref": event, "side": "発注企業", "companies": buyers_n})
        ds.rows["attendances"].append({"ref": ds.ref("T"), "event_ref": event, "side": "受注企業", "companies": sup,
                                       "companies_in_prefecture": sup_in, "meetings": meet, "meetings_in_prefecture": meet_in,
                                       "deals": deals, "deals_in_prefecture": deals_in, "amount": amt * 1000,
                                       "amount_in_prefecture": amt_in * 1000})
    ds.event("trade", "exhibition", dt.date(2023, 10, 18), title="とうほく・北海道 自動車関連技術展示商談会",
             program="trade_fairs", companies=7)
    # 1(2)④ 下請かけこみ寺: consultations by category
    clients = ds.clients("K", 60, list("DE"))
    for fy, counts in ((2022, (1, 0, 34)), (2023, (3, 0, 36))):
        for category, n in zip(("下請代金法関連", "建設業法関連", "その他"), counts):
            for _ in range(n):
                ds.consultation(rng.choice(clients), "trade", "phone", ds.day(fy), program="subcontracting",
                                category=category)
    # 1(3)① 創業・起業伴走型支援: founders (industries N > M > D), consultations, IM training, UIJ days
    for fy, founders, industries in ((2022, 41, "N" * 14 + "M" * 11 + "D" * 8 + "I" * 5 + "G" * 3),
                                     (2023, 37, "N" * 13 + "M" * 10 + "D" * 7 + "I" * 4 + "L" * 3)):
        for client in ds.clients("F", founders, list(industries), kind="prospective_founder"):
            founded = ds.day(fy)
            ds.rows["cases"].append({"ref": ds.ref("C"), "client_ref": client, "center": "startup",
                                     "opened_on": (founded - dt.timedelta(days=rng.randint(30, 200))).isoformat(),
                                     "closed_on": founded.isoformat(), "outcome": "founded", "outcome_on": founded.isoformat()})
    prospects = ds.clients("P", 150, None, kind="prospective_founder")
    uij = [ds.event("startup", "consultation_day", ds.day(2023, month), title="UIJターン創業相談会",
                    area="東京交通会館8階 青森暮らしサポートセンター(すべてオンライン開催)") for month in
           (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    for fy, n in ((2022, 230), (2023, 231)):
        for i in range(n):
            if fy == 2023 and i < 15:  # the UIJ days' 15 consultations
                event = uij[i % 12]
                day = next(dt.date.fromisoformat(e["held_on"]) for e in ds.rows["events"] if e["ref"] == event)
                ds.consultation(rng.choice(prospects), "startup", "online", day, event_ref=event)
            else:
                ds.consultation(rng.choice(prospects), "startup", rng.choice(["window", "visit"]), ds.day(fy))
    for title, month, people in (("第1回", 7, 34), ("第2回", 1, 47)):
        ds.event("startup", "training", ds.day(2023, month), title=title, area="青森市", participants=people,
                 partners="青森県インキュベーション・マネジャーネットワーク協議会")
    # 1(3)② あおり移住起業支援: 4 grants, 5,024千円
    for client, amount in zip(ds.clients("M", 4, ["M"]), split(5024, 4)):
        day = ds.day(2023)
        ds.rows["grants"].append({"ref": ds.ref("G"), "client_ref": client, "program": "migration_startup",
                                  "decision": "採択", "decided_on": day.isoformat(), "amount": amount * 1000,
                                  "granted_on": day.isoformat(), "granted_amount": amount * 1000})
    # 2(1) 研究開発支援コーディネーター: consultations by activity; the seminar's two events
    clients = ds.clients("R", 200, list("EGL"))
    for fy, counts in ((2022, (217, 44, 150)), (2023, (165, 107, 119))):
        for activity, channel, n in zip(("企業訪問", "アドバイス", "申請支援"), ("visit", "window", "window"), counts):
            for _ in range(n):
                ds.consultation(rng.choice(clients), "technology", channel, ds.day(fy), program="rd_coordination",
                                activity=activity)
    ds.event("technology", "briefing", dt.date(2024, 3, 5), title="施策説明会", area="オンライン", participants=58,
             program="rd_coordination", partners="東北経済産業局")
    ds.event("technology", "consultation_day", dt.date(2024, 3, 6), title="個別相談会", area="オンライン", companies=4,
             program="rd_coordination", partners="東北経済産業局")
    # 2(2) ものづくり先進技術: rounds of FY2022 (FY2023 projects) and FY2023 (FY2024 projects)
    for fy, n, amount in ((2022, 3, 16187), (2023, 1, 5728)):
        for client, part in zip(ds.clients("Q", n, ["E"]), split(amount, n)):
            ds.rows["grants"].append({"ref": ds.ref("G"), "client_ref": client, "program": "advanced_manufacturing",
                                      "decision": "採択", "decided_on": ds.day(fy).isoformat(), "amount": part * 1000,
                                      "round_fy": fy, "project_fy": fy + 1})
    # 2(3) 人材育成研修: the list of trainings
    for title, partners, first, last, area, people in (
            ("「問屋町ビジネススクール」 (全25講座)", "青森総合卸センター", dt.date(2023, 5, 16), dt.date(2024, 3, 12), "青森市", 299),
            ("「新任管理者研修」", "中小企業大学校仙台校、青森総合卸センター、八戸総合卸センター", dt.date(2023, 5, 23),
             dt.date(2023, 6, 20), "青森市", 40),
            ("「新任管理者研修」", "中小企業大学校仙台校、青森総合卸センター、八戸総合卸センター", dt.date(2023, 11, 14), None, "八戸市", 27),
            ("「業務効率向上のための時間管理」", "ポリテクセンター青森", dt.date(2023, 6, 7), None, "弘前市", 9),
            ("「業務効率向上のための時間管理」", "ポリテクセンター青森", dt.date(2023, 6, 14), None, "青森市", 11),
            ("「業務効率向上のための時間管理」", "ポリテクセンター青森", dt.date(2023, 6, 21), None, "八戸市", 12),
            ("「DX人材育成の進め方」", "ポリテクセンター青森", dt.date(2023, 10, 11), None, "青森市", 18),
            ("「ITオンライン研修」", "(株)グリーンウォーターズ", dt.date(2024, 1, 17), dt.date(2024, 2, 21), "オンライン", 21)):
        ds.event("technology", "training", first, title=title, partners=partners, area=area, participants=people,
                 program="hr_development", ends_on=last.isoformat() if last else "")
    # 2(5), 2(6), 2(10): seminars and the forum
    ds.event("technology", "seminar", dt.date(2024, 3, 13), title="特定分野連携セミナー", area="オンライン",
             participants=33, program="specific_fields")
    forum = ds.event("technology", "forum", dt.date(2023, 9, 27), title="青森県DX推進フォーラム×21あおり産業創造フォーラム",
                     area="青森市", partners="県内企業、金融機関、行政機関、商工団体等", participants=144,
                     program="industry_forum")
    for category, company in (("経営革新部門", "佐藤製菓"), ("創業部門", "カマラードの家"), ("産学連携部門", "(株)肉の博明"),
                              ("DX部門", "(株)ケアスマイル青森")):  # 「21あおりアワード」表彰: a company per 部門
        ds.rows["attendances"].append({"ref": ds.ref("T"), "event_ref": forum, "side": category,
                                       "company_name": company, "companies": 1})
    ds.event("technology", "lecture", dt.date(2023, 9, 27), title="「ChatGPTとノーコードの活用で激変する中小企業DX」",
             speaker="ノーコード推進協会 代表理事 中山 五輪男 氏", area="青森市", program="industry_forum")  # 【講演】
    ds.event("technology", "seminar", dt.date(2024, 3, 19), title="グリーン成長産業参入促進セミナー", area="青森市",
             partners="県内企業、大学、研究機関、支援機関等", participants=15, program="gx_promotion")
    # 2(7) サポイン: one project FY2021-FY2023, granted in FY2023
    (client,) = ds.clients("W", 1, ["E"])
    ds.rows["grants"].append({
        "ref": ds.ref("G"), "client_ref": client, "program": "supporting_industry", "decision": "採択",
        "decided_on": "2021-06-30", "round_fy": 2021, "project_fy": 2021, "project_end_fy": 2023,
        "title": "デジタル社会に貢献する立体構造のニオブ酸リチウム圧電素子を搭載した高精度MEMS振動ジャイロ開発",
        "partners": "多摩川精機(株)（八戸市） 京都大学 多摩川モバイル電装(株) （三沢市）",
        "granted_on": "2023-05-10", "granted_amount": 37733000})
    # 2(8) 新事業展開等促進: adopted by course and round
    for fy, course, n, amount in ((2022, "新事業開発コース", 8, 21147), (2022, "販路開拓コース", 35, 19639),
                                  (2023, "新事業開発コース", 6, 12381)):
        for client, part in zip(ds.clients("N", n, list("EIM")), split(amount, n)):
            ds.rows["grants"].append({"ref": ds.ref("G"), "client_ref": client, "program": "new_business",
                                      "course": course, "decision": "採択", "decided_on": ds.day(fy).isoformat(),
                                      "amount": part * 1000, "round_fy": fy, "project_fy": fy + 1})
    # 2(9) DX支援: distinct companies supported (several consultations each); industries D > E > N
    for fy, industries in ((2022, "DDEENI"), (2023, "DDDDEEENNIGL")):
        for client in ds.clients("X", len(industries), list(industries)):
            for _ in range(rng.randint(2, 5)):
                ds.consultation(client, "technology", "visit", ds.day(fy), program="dx_support")
    # 2(11) 物価高騰対応: granted by course in FY2023
    for course, n, amount in (("高付加価値化促進枠", 49, 28880), ("物流の2024年問題対応枠", 24, 35764)):
        for client, part in zip(ds.clients("H", n, list("EHI")), split(amount, n)):
            day = ds.day(2023)
            ds.rows["grants"].append({"ref": ds.ref("G"), "client_ref": client, "program": "price_hike",
                                      "course": course, "decision": "採択", "decided_on": day.isoformat(),
                                      "granted_on": day.isoformat(), "granted_amount": part * 1000})
    # 6(1) ビジネスサポートステーション: 延べ社数 of desk and visits; the advisers' days; exhibitions
    # 主な業種 (JSIC middle divisions of 製造業): 食料品製造業 5 : 繊維工業 3 : 木材・木製品製造業 2
    clients = ds.clients("Z", 300, list("E"))
    for i, row in enumerate(r for r in ds.rows["clients"] if r["ref"] in set(clients)):
        row["industry_division"] = "09" if i % 10 < 5 else "11" if i % 10 < 8 else "12"
    for fy, window, visits in ((2022, 108, 343), (2023, 74, 325)):
        for channel, n in (("window", window), ("visit", visits)):
            for i in range(n):
                client = clients[i % len(clients)] if channel == "window" else rng.choice(clients)
                ds.consultation(client, "sales", channel, ds.day(fy), program="business_support_station")
    for adviser, day, companies, deals, quotes in (("(同)青森生産者ふるさと会", dt.date(2023, 10, 12), 10, 9, 1),
                                                   ("Smile circle(株)", dt.date(2023, 10, 26), 18, 2, 2)):
        event = ds.event("sales", "consultation_day", day, title=adviser, area="東奥日報新町ビル2F Seven C's",
                         companies=companies, program="business_support_station")
        ds.rows["attendances"].append({"ref": ds.ref("T"), "event_ref": event, "companies": companies, "deals": deals,
                                       "quote_requests": quotes})
    ds.event("sales", "exhibition", dt.date(2024, 2, 7), title="テクニカルショウヨコハマ2024", area="神奈川県横浜市",
             companies=9, program="business_support_station")
    ds.event("sales", "exhibition", dt.date(2024, 2, 14), title="スーパーマーケット・トレードショー2024", area="千葉県千葉市",
             companies=23, program="business_support_center")
    # 7(1) 活性化: milestones per year; 累計 from FY2003 (事前相談 from FY2022) via opening balances
    def milestones(program, rows):
        for fy, label, n, number in rows:
            numbers = split(number, n) if number else [None] * n
            for client, value in zip(ds.clients("V", n, list("EIDM")), numbers):
                case = ds.ref("C")
                ds.rows["cases"].append({"ref": case, "client_ref": client, "center": "revitalization",
                                         "opened_on": FY[fy][0].isoformat(), "program": program})
                ds.rows["milestones"].append({"ref": ds.ref("L"), "case_ref": case, "milestone": label,
                                              "achieved_on": ds.day(fy).isoformat(),
                                              "number": "" if value is None else value})
    milestones("revitalization", [(2022, "事前相談", 22, None), (2022, "一次相談", 80, None),
                                  (2022, "再生計画策定支援完了", 48, None), (2022, "雇用維持効果", 24, 1560),
                                  (2023, "事前相談", 38, None), (2023, "一次相談", 60, None),
                                  (2023, "再生計画策定支援完了", 27, None), (2023, "雇用維持効果", 14, 836)])
    for program, counts in (("improvement_plan", ((18, 7, 12), (15, 19, 28))),
                            ("early_improvement_plan", ((42, 4, 8), (3, 34, 9)))):
        milestones(program, [(fy, label, n, None) for fy, year_counts in zip((2022, 2023), counts)
                             for label, n in zip(("事業利用申請受付", "計画策定費用支払申請受付", "伴走支援実施"), year_counts)])
    # 7(3) 事業承継・引継ぎ支援: companies, consultations, diagnoses, dispatches; trainings and seminars
    for fy, companies, consultations, diagnoses, dispatches in ((2022, 346, 938, 3221, 48), (2023, 414, 1162, 2984, 41)):
        clients = ds.clients("J", companies, list("EIDMN"))
        for i in range(consultations):
            ds.consultation(clients[i % companies], "succession", rng.choice(["window", "visit", "phone"]), ds.day(fy))
        for _ in range(dispatches):
            ds.rows["dispatches"].append({"ref": ds.ref("V"), "client_ref": rng.choice(clients), "center": "succession",
                                          "expert": "承継専門家 二郎", "held_on": ds.day(fy).isoformat(), "fee": 30000})
        diagnosed = ds.clients("Q", diagnoses // 3 + 1, list("EIDMN"))
        for i in range(diagnoses):
            ds.rows["diagnoses"].append({"ref": ds.ref("DG"), "client_ref": diagnosed[i % len(diagnosed)],
                                         "held_on": ds.day(fy).isoformat(), "by": rng.choice(["商工会議所", "商工会", "金融機関"])})
    for kind, n, people in (("training", 49, 1188), ("seminar", 103, 638)):
        for part in split(people, n):
            ds.event("succession", kind, ds.day(2023), title="支援機関向け研修" if kind == "training" else "事業承継セミナー",
                     area="県内各地", participants=part)
    # 8(1) 産業復興相談: FY2022 and FY2023 records (new companies each year) on top of the 累計 before
    for i, fy in enumerate((2022, 2023)):
        consultations, companies, referred = (UNPRINTED[("reconstruction", k)][i] for k in
                                              ("consultations", "companies", "referred"))
        clients = ds.clients("G", companies, list("EIM"))
        cases = {}
        for client in clients:
            cases[client] = ds.ref("C")
            ds.rows["cases"].append({"ref": cases[client], "client_ref": client, "center": "reconstruction",
                                     "opened_on": FY[fy][0].isoformat()})
        for i in range(consultations):
            client = clients[i % companies]
            ds.consultation(client, "reconstruction", "window", ds.day(fy), case_ref=cases[client])
        for client in clients[:referred]:
            ds.rows["milestones"].append({"ref": ds.ref("L"), "case_ref": cases[client], "milestone": "計画策定支援部門への送付",
                                          "achieved_on": FY[fy][1].isoformat()})


def openings() -> list[dict]:
    """累計 of the years before FY2022 (as_of_fy 2022): the printed 累計 less the two years."""
    out = []
    for _number, (section, _title, rows) in FIGURES.items():
        for key, _label, _unit, before, current, *total in rows:
            if total:
                before, current = UNPRINTED.get((section, key), (before, current))
                out.append({"section": section, "row": key, "as_of_fy": 2022,
                            "value": total[0] - before - current, "note": "令和3年度までの累計"})
    return out


def expected() -> dict:
    tables = [{"number": number.replace("早期", ""), "section": section, "title": title, "rows": [
        {"key": key, "label": label, "unit": unit, "previous": before, "current": current,
         **({"cumulative": total[0]} if total else {})}
        for key, label, unit, before, current, *total in rows]} for number, (section, title, rows) in FIGURES.items()]
    lists = [{"number": n, "section": section, "title": t, "columns": c, "keys": keys, "rows": [list(r) for r in rows]}
             for n, (section, t, c, keys, rows) in LISTS.items()]
    breakdowns = [{"number": n, "label": label, "printed": printed if isinstance(printed, list) else
                   {str(k): v for k, v in printed.items()}} for n, (label, printed) in BREAKDOWNS.items()]
    headers = [{"number": n, "section": section, "headers": h} for n, (section, h) in YEAR_HEADERS.items()]
    return {"fiscal_year": 2023, "tables": tables, "lists": lists, "breakdowns": breakdowns, "year_headers": headers}


COLUMN_ORDER = {}


def render(rows: list[dict]) -> str:
    columns = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c, "") for c in columns])
    return out.getvalue()


def files() -> dict[str, str]:
    ds = Dataset()
    build(ds)
    ds.rows["opening_balances"] = openings()
    out = {f"{kind}.csv": render(rows) for kind, rows in ds.rows.items() if rows}
    out["expected.json"] = json.dumps(expected(), ensure_ascii=False, indent=1) + "\n"
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files here instead of writing")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    built = files()
    if args.check:
        stale = [name for name, text in built.items()
                 if not (args.out / name).exists() or (args.out / name).read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for name, text in built.items():
        (args.out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
