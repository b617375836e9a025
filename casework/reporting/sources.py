"""The record kinds a report row can count, and what each offers to filter, sum and list.

A report definition names a record kind by key (`consultations`, `events`, …); this registry
says which table that is, which date places a record in a fiscal year, which of the row's
filters apply to it (and through which column), which numbers can be added up and which
columns a list table may show. Admin screens offer exactly these, in Japanese.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Case, Consultation, Diagnosis, DispatchVisit, Event, Grant


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

    @property
    def has_client(self) -> bool:
        return hasattr(self.model, "client_id")


# The filters a row can carry, with the labels the admin screen shows.
FILTERS = {
    "channels": "相談方法", "event_kinds": "催しの種類", "outcome": "結果", "decision": "採択・不採択",
    "program": "事業", "activity": "活動の種類", "category": "相談の区分", "side": "区分（発注・受注など）",
}

SUM_LABELS = {"amount": "金額", "participants": "参加人数", "number": "数"}

EVENT_LIST_COLUMNS = {"title": "研修名", "partners": "連携機関", "dates": "日程", "area": "開催地区",
                      "participants": "参加人数"}

SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.key] = source
    return source


register(Source("consultations", "相談", Consultation, "held_on", "相談日",
                filters={"channels": "channel_code"}))
register(Source("events", "催し（出張相談会・セミナー・研修・商談会）", Event, "held_on", "開催日",
                filters={"event_kinds": "kind_code"}, sums={"participants": "参加人数"},
                list_columns=EVENT_LIST_COLUMNS))
register(Source("dispatch_visits", "専門家派遣（訪問）", DispatchVisit, "held_on", "訪問日",
                sums={"fee": "謝金", "company_share": "企業負担額"}))
register(Source("cases", "案件の結果（創業など）", Case, "outcome_on", "結果の日付",
                filters={"outcome": "outcome_code"}))
register(Source("diagnoses", "事業承継診断", Diagnosis, "held_on", "診断日"))
register(Source("grants", "助成・補助金", Grant, "decided_on", "決定日",
                filters={"decision": "decision"}, sums={"amount": "金額"}))


def source_of_model(model) -> Source | None:
    return next((s for s in SOURCES.values() if s.model is model), None)
