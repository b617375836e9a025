"""What the API reads and writes (marshmallow; the OpenAPI document is generated from these).

Output schemas name every field a record shows; input schemas are strict (an unknown field is
a 422 naming it) and bounded: text to its column's size, ids and counts to 32 bits, dates
through casework/dates.py. PATCH bodies are the same schemas, partial, plus `version`.
"""
from __future__ import annotations

import datetime as dt

import marshmallow as ma
import sqlalchemy as sa
from marshmallow import validate

from ..models import CLIENT_KINDS, Case, Client, Consultation, Dispatch, DispatchVisit, Event, FollowUp
from ..services.followups import SALES_TRENDS
from flask_smorest.fields import Upload

from .common import Count, Day, Id, Query, Strict, Text, length_of

F = ma.fields
NULL = {"allow_none": True}


def text_of(model, name, **kwargs):
    return Text(length_of(model, name), **kwargs)


class UtcDateTime(F.DateTime):
    """A stored timestamp (UTC, kept naive in the database) written as ISO 8601 with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


class Ordered(ma.Schema):
    class Meta:
        ordered = True


def RecordId():
    return F.Integer(required=True)


def StoredVersion():
    return F.Integer(required=True, metadata={"description": "楽観的ロックの版（ETag と同じ）"})


class Record(Ordered):
    id = RecordId()
    version = StoredVersion()
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


_FIELD_OF_COLUMN = [(sa.Boolean, F.Boolean), (sa.DateTime, UtcDateTime), (sa.Date, F.Date), (sa.Integer, F.Integer),
                    (sa.Numeric, F.Float), (sa.String, F.String)]


def record_schema(name: str, model, columns: str, **computed):
    """The output schema of a record: Record's fields, then these columns as the model has them
    (their type; null exactly when the column is nullable), in this order; a name that is not a
    column (or wants a description) is given in `computed`."""
    fields = {}
    for column in columns.split():
        if column in computed:
            fields[column] = computed[column]
            continue
        col = model.__table__.c[column]
        kind = next(field for sql, field in _FIELD_OF_COLUMN if isinstance(col.type, sql))
        fields[column] = kind(allow_none=True) if col.nullable else kind(required=True)
    return Record.from_dict(fields, name=name)


def Version(**kwargs):
    """The version the client edited (instead of If-Match)."""
    return F.Integer(strict=True, validate=validate.Range(0, 2**31 - 1), **kwargs)


def Codes():
    return F.List(F.String(), required=True)


# --- clients ---------------------------------------------------------------------------------

CLIENT_TEXT = ("name_kana", "corporate_number", "industry_code", "municipality_code", "address",
               "representative", "contact_name", "contact_phone", "contact_email")


ClientOut = record_schema("ClientOut", Client, (
    "kind kind_label name name_kana corporate_number industry_code industry_division_code municipality_code address "
    "employees representative contact_name contact_phone contact_email notes"),
    kind=F.String(required=True, metadata={"description": "corporation / sole_proprietor / prospective_founder"}),
    kind_label=F.String(required=True))


class ClientIn(Strict):
    name = text_of(Client, "name", required=True)
    kind = F.String(validate=validate.OneOf(list(CLIENT_KINDS)), load_default="corporation")
    name_kana = text_of(Client, "name_kana", **NULL)
    corporate_number = Text(20, **NULL)  # hyphens and spaces are taken out by the service
    industry_code = text_of(Client, "industry_code", **NULL)
    industry_division_code = text_of(Client, "industry_division_code", **NULL)  # JSIC 中分類; names its major
    municipality_code = text_of(Client, "municipality_code", **NULL)
    address = text_of(Client, "address", **NULL)
    employees = Count(**NULL)
    representative = text_of(Client, "representative", **NULL)
    contact_name = text_of(Client, "contact_name", **NULL)
    contact_phone = text_of(Client, "contact_phone", **NULL)
    contact_email = text_of(Client, "contact_email", **NULL)
    notes = Text(20000, **NULL)
    confirm_duplicate = F.Boolean(load_default=False, metadata={
        "description": "似た名称・同じ法人番号の相談先があっても登録する（画面の確認と同じ）"})


class ClientPatch(ClientIn):
    version = Version()


class ClientArgs(Query):
    q = Text(100, metadata={"description": "名称・フリガナ・法人番号の部分一致"})
    kind = F.String(validate=validate.OneOf(list(CLIENT_KINDS)))


# --- cases -----------------------------------------------------------------------------------

CaseOut = record_schema("CaseOut", Case, (
    "client_id center_id center_code assignee_id title opened_on closed_on outcome_code "
    "outcome_on stage program_id theme_codes"),
    center_code=F.Function(lambda c: c.center.code, required=True),
    theme_codes=F.Function(lambda c: [t.code for t in c.themes], required=True))


class CaseIn(Strict):
    client_id = Id(required=True)
    center_id = Id(metadata={"description": "省略時: 自分の既定のセンター"})
    opened_on = Day(metadata={"description": "省略時: 今日"})
    assignee_id = Id(**NULL)
    title = text_of(Case, "title", **NULL)
    theme_codes = F.List(Text(32), validate=validate.Length(max=50))
    program_id = Id(**NULL)


class CasePatch(Strict):
    opened_on = Day()
    assignee_id = Id(**NULL)
    title = text_of(Case, "title", **NULL)
    theme_codes = F.List(Text(32), validate=validate.Length(max=50))
    program_id = Id(**NULL)
    version = Version()


class CaseArgs(Query):
    client_id = Id()
    center_id = Id()
    status = F.String(validate=validate.OneOf(["open", "closed"]))


# --- consultations ---------------------------------------------------------------------------

ConsultationOut = record_schema("ConsultationOut", Consultation, (
    "client_id case_id center_id channel_code held_on staff_id event_id notes next_action "
    "next_action_on program_id activity_id category_id theme_codes"),
    theme_codes=F.Function(lambda c: [t.code for t in c.themes], required=True))


class ConsultationFields(Strict):
    held_on = Day(required=True)
    channel_code = Text(32, required=True)
    center_id = Id(**NULL)
    case_id = Id(**NULL)
    staff_id = Id(**NULL)
    theme_codes = F.List(Text(32), validate=validate.Length(max=50))
    notes = Text(20000, **NULL)
    next_action = text_of(Consultation, "next_action", **NULL)
    next_action_on = Day(**NULL)
    event_id = Id(**NULL)
    program_id = Id(**NULL)
    activity_id = Id(**NULL)
    category_id = Id(**NULL)


class ConsultationIn(ConsultationFields):
    client_id = Id(required=True)


class ConsultationPatch(ConsultationFields):
    version = Version()


class ConsultationArgs(Query):
    client_id = Id()
    case_id = Id()
    center_id = Id()
    held_from = Day()
    held_to = Day()


# --- events ----------------------------------------------------------------------------------

EventOut = record_schema("EventOut", Event, (
    "center_id kind_code held_on ends_on title place municipality_code participants "
    "companies partners area speaker notes program_id"))


class EventIn(Strict):
    center_id = Id(required=True)
    kind_code = Text(32, required=True)
    held_on = Day(required=True)
    ends_on = Day(**NULL)
    title = text_of(Event, "title", **NULL)
    place = text_of(Event, "place", **NULL)
    municipality_code = Text(16, **NULL)
    participants = Count(**NULL)
    companies = Count(**NULL)
    partners = text_of(Event, "partners", **NULL)
    area = text_of(Event, "area", **NULL)
    speaker = text_of(Event, "speaker", **NULL)  # 講師 of a 講演 (kind lecture)
    notes = Text(20000, **NULL)
    program_id = Id(**NULL)


class EventPatch(EventIn):
    version = Version()


class EventArgs(Query):
    center_id = Id()
    kind_code = Text(32)
    held_from = Day()
    held_to = Day()


# --- dispatches and follow-ups ------------------------------------------------------------------

DispatchOut = record_schema("DispatchOut", Dispatch, (
    "case_id client_id center_id expert_id expert_name program_id purpose planned_visits "
    "status requested_on decided_on decision_note"),
    expert_name=F.Function(lambda d: d.expert.name, required=True),
    status=F.String(required=True, metadata={"description": "requested / approved / rejected / completed"}))


class DispatchIn(Strict):
    case_id = Id(required=True)
    expert_id = Id(required=True)
    requested_on = Day(metadata={"description": "省略時: 今日"})
    program_id = Id(**NULL)
    purpose = Text(20000, **NULL)
    planned_visits = ma.fields.Integer(strict=True, validate=validate.Range(1, 1000), **NULL)


class DispatchArgs(Query):
    center_id = Id()
    status = F.String(validate=validate.OneOf(["requested", "approved", "rejected", "completed"]))


FollowUpOut = record_schema("FollowUpOut", FollowUp, (
    "client_id case_id center_id assignee_id due_on reason source completed_on "
    "still_in_business employees sales_trend jobs_retained findings"))


class FollowUpIn(Strict):
    case_id = Id(required=True)
    due_on = Day(required=True)
    reason = text_of(FollowUp, "reason", required=True)
    assignee_id = Id(**NULL)


class FollowUpArgs(Query):
    scope = F.String(validate=validate.OneOf(["mine", "all"]), load_default="all",
                     metadata={"description": "mine: 自分が担当 / all: 所属センターのすべて"})
    status = F.String(validate=validate.OneOf(["open", "done", "all"]), load_default="all")


class CompleteIn(Strict):
    completed_on = Day(metadata={"description": "実施日（省略時: 今日）"})
    still_in_business = F.Boolean(**NULL)
    employees = Count(**NULL)
    sales_trend = F.String(validate=validate.OneOf(list(SALES_TRENDS)), **NULL)
    jobs_retained = Count(**NULL)
    findings = Text(20000, **NULL)
    version = Version()


# --- steps: dispatch decisions, visits and reports; closing cases; voiding ----------------------

class VersionIn(Strict):
    version = Version()


class DecisionIn(Strict):
    decision = F.String(required=True, validate=validate.OneOf(["approve", "reject"]),
                        metadata={"description": "approve: 承認 / reject: 却下"})
    decided_on = Day(past_only=True, metadata={"description": "決定日（省略時: 今日）"})
    note = Text(20000, **NULL, metadata={"description": "コメント（却下の場合は理由が必須）"})
    version = Version()


VisitOut = record_schema("VisitOut", DispatchVisit, (
    "dispatch_id case_id client_id center_id expert_id held_on hours fee company_share "
    "report_due_on report_received_on notes"))


class VisitIn(Strict):
    held_on = Day(required=True, past_only=True, metadata={"description": "訪問日"})
    hours = F.Float(allow_nan=False, validate=validate.Range(0.25, 24), **NULL, metadata={"description": "時間"})
    fee = Count(**NULL, metadata={"description": "謝金（円、省略時: 専門家の標準謝金）"})
    company_share = Count(**NULL, metadata={"description": "企業負担額（円、省略時: 派遣事業の負担割合で計算）"})
    notes = Text(20000, **NULL)


class ReportIn(Strict):
    """The report step's multipart/form-data body, as the web's form: the date, the version and the file."""
    received_on = Day(required=True, past_only=True, metadata={"description": "報告書受領日"})
    version = F.Integer(validate=validate.Range(0, 2**31 - 1), metadata={"description": "訪問記録の版"})
    report_file = Upload(metadata={"description": "報告書ファイル（任意; PDF・Office・画像・テキスト）。派遣の添付書類になる"})


class CloseIn(Strict):
    closed_on = Day(required=True, past_only=True, metadata={"description": "終了日"})
    outcome_code = Text(32, **NULL, metadata={"description": "成果（founded, succeeded …）"})
    outcome_on = Day(past_only=True, **NULL, metadata={"description": "成果の日付"})
    note = Text(20000, **NULL)
    version = Version()


class VoidIn(Strict):
    reason = Text(20000, required=True, metadata={"description": "取消の理由"})
    version = Version()


class VoidOut(Ordered):
    id = RecordId()
    version = StoredVersion()
    kind = F.String(required=True, metadata={"description": "記録の種類（相談記録 …）"})
    voided_at = UtcDateTime(required=True)
    void_reason = F.String(required=True)
    along = F.List(F.String(), required=True, metadata={"description": "あわせて取り消した記録"})
