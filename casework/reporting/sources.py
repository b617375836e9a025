"""The record kinds a report row can count, and what each offers to filter, sum and list.

A report definition names a record kind by key (`consultations`, `events`, …); this registry
says which table that is, which date places a record in a fiscal year, which of the row's
filters apply to it (and through which column), which numbers can be added up and which
columns a list table may show. Admin screens offer exactly these, in Japanese.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import (
    Case, CaseMilestone, Consultation, Diagnosis, DispatchVisit, Event, EventAttendance, Grant, Introduction,
    Registration,
)


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # Japanese, as the admin screen shows it
    model: type
    date_column: str
    date_label: str
    filters: dict = field(default_factory=dict)  # filter name -> column of the model
    sums: dict = field(default_factory=dict)  # column -> label
    list_columns: dict = field(default_factory=dict)  # list column -> label
    # A record counted at a period's end rather than within it: registered_on < end and
    # (ended_on is NULL or ended_on >= end) — 登録企業数 at the fiscal year's end.
    until_column: str | None = None
    # sums with a うち県内 part: column -> the column holding the part (a section's second column)
    in_prefecture: dict = field(default_factory=dict)
    # parents a section can split its tables by (ReportSection.split_by): name -> column of the model
    splits: dict = field(default_factory=dict)
    # list columns that are amounts in 円, printed in 千円 (千円未満四捨五入)
    money_columns: tuple = ()

    @property
    def has_client(self) -> bool:
        return hasattr(self.model, "client_id")


# The filters a row can carry, with the labels the admin screen shows.
FILTERS = {
    "channels": "相談方法", "event_kinds": "催しの種類", "outcome": "結果", "decision": "採択・不採択",
    "program": "事業", "activity": "活動の種類", "category": "相談の区分", "side": "区分（発注・受注など）",
    "course": "コース・枠", "milestone": "到達段階",
}
# Filters whose values are program vocabulary codes (program_terms of that kind), stored as ids.
TERM_FILTERS = {"activity": "activity", "category": "category", "side": "side", "course": "course",
                "milestone": "milestone"}

SUM_LABELS = {"amount": "金額", "participants": "参加人数", "number": "数", "granted_amount": "交付金額",
              "companies": "企業数", "fee": "謝金", "company_share": "企業負担額"}

EVENT_LIST_COLUMNS = {"title": "研修名", "partners": "連携機関", "dates": "日程", "area": "開催地区",
                      "participants": "参加人数", "companies": "出展企業",
                      # 参加人数 in 名 or, for an event of companies, 企業数 in 社 (「58名」「4社」)
                      "attendance": "参加者",
                      # the event's attendances: 「取引成立9社 見積依頼1社」
                      "dealings": "商談等",
                      "speaker": "講師"}  # a lecture's (title=テーマ)
# "{year}" in a label: the report's fiscal year as printed (「令和5年度 交付決定額」)
GRANT_LIST_COLUMNS = {"title": "研究テーマ", "project_years": "事業実施期間", "partners": "研究等実施機関",
                      "amount": "採択金額", "granted_amount": "{year} 交付決定額"}
# a list column's printed unit (a number column without one is text)
LIST_UNITS = {"participants": "名", "companies": "社", "amount": "千円", "granted_amount": "千円", "meetings": "件",
              "deals": "件"}

SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.key] = source
    return source


register(Source("consultations", "相談", Consultation, "held_on", "相談日",
                filters={"channels": "channel_code", "activity": "activity_id", "category": "category_id"}))
register(Source("events", "催し（出張相談会・セミナー・研修・商談会）", Event, "held_on", "開催日",
                filters={"event_kinds": "kind_code"}, sums={"participants": "参加人数", "companies": "企業数"},
                list_columns=EVENT_LIST_COLUMNS))
register(Source("dispatch_visits", "専門家派遣（訪問）", DispatchVisit, "held_on", "訪問日",
                sums={"fee": "謝金", "company_share": "企業負担額"}))
register(Source("cases", "案件の結果（創業など）", Case, "outcome_on", "結果の日付",
                filters={"outcome": "outcome_code"}))
register(Source("diagnoses", "事業承継診断", Diagnosis, "held_on", "診断日"))
register(Source("grants", "助成・補助金", Grant, "decided_on", "決定日",
                filters={"decision": "decision", "course": "course_id"},
                sums={"amount": "採択金額", "granted_amount": "交付金額"}, list_columns=GRANT_LIST_COLUMNS,
                money_columns=("amount", "granted_amount")))
register(Source("registrations", "登録企業（年度末に登録中）", Registration, "registered_on", "登録日",
                filters={"side": "side_id"}, until_column="ended_on"))
register(Source("introductions", "あっせん紹介", Introduction, "introduced_on", "紹介日",
                filters={"outcome": "outcome"}, sums={"amount": "成立金額"}))
register(Source("case_milestones", "案件の到達段階（活性化・経営改善計画など）", CaseMilestone, "achieved_on", "到達日",
                filters={"milestone": "milestone_id"}, sums={"number": "数（雇用維持効果など）"}))

register(Source("event_attendances", "商談会等の出席企業（催しの日で数える）", EventAttendance, "held_on", "開催日",
                filters={"side": "side_id", "event_kinds": "kind_code"},
                sums={"companies": "企業数", "meetings": "商談件数", "deals": "商談成立件数", "amount": "商談成立金額",
                      "quote_requests": "見積依頼"},
                in_prefecture={"companies": "companies_in_prefecture", "meetings": "meetings_in_prefecture",
                               "deals": "deals_in_prefecture", "amount": "amount_in_prefecture"},
                splits={"event": "event_id"},
                # a list of an event's attendances: 「21あおりアワード」表彰 部門 / 企業名 (side: the award's 部門)
                list_columns={"side": "部門", "company": "企業名", "companies": "企業数", "meetings": "商談件数",
                              "deals": "商談成立件数", "amount": "商談成立金額"},
                money_columns=("amount",)))

SPLITS = {"event": "催しごとに表を分ける（商談会ごとの表）"}


def source_of_model(model) -> Source | None:
    return next((s for s in SOURCES.values() if s.model is model), None)
