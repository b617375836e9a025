"""What a record's fields are called on screen: the label its form shows (the one a user saw
when entering it), with the names only stored details and exports use. The audit log, the
privacy export's CSV headers and the merge preview all read them from here."""
from __future__ import annotations

from functools import cache

# Names the forms do not show (ids, stamps, stored details); the forms name the rest.
DETAIL_LABELS = {
    "path": "画面", "method": "操作", "status": "応答", "reason": "理由", "before": "変更前", "after": "変更後",
    "client_id": "相談先", "case_id": "案件", "dispatch_id": "派遣", "event_id": "催し", "expert_id": "専門家",
    "program_id": "事業", "program": "事業", "center_id": "センター", "centers": "センター", "staff_id": "担当職員",
    "assignee_id": "担当者", "user_id": "職員", "login": "ログインID", "role": "役割", "active": "有効",
    "name": "名称", "label": "表示名", "code": "コード", "title": "件名", "month": "月", "rows": "行数",
    "file": "ファイル", "kind": "種類", "source": "出所", "auto": "自動", "from": "変更前", "to": "変更後",
    "on": "日付", "note": "メモ", "outcome": "結果", "side": "区分", "seller": "譲渡側", "buyer": "譲受側",
    "section": "報告書の事業", "sort_order": "表示順", "fee": "謝金", "company_share": "企業負担",
    "received_on": "受領日", "closed_on": "終了日", "email_notifications": "メール通知", "milestone_id": "到達段階",
    "corporate_number": "法人番号", "business_name": "屋号", "records": "記録", "count": "件数",
    "format": "形式", "fy": "年度", "view": "表示", "decision": "決定", "decided_on": "決定日", "amount": "金額",
    "version": "版", "stage": "段階", "stage_on": "段階の日付",
    "id": "番号", "created_at": "登録日時（UTC）", "updated_at": "更新日時（UTC）", "voided_at": "取消日時（UTC）",
    "voided_by_id": "取消した職員", "void_reason": "取消の理由", "created_by_id": "登録した職員", "ref": "移行元の番号",
    "at": "日時（UTC）", "action": "操作", "object_type": "記録の種類", "object_id": "記録の番号", "detail": "内容",
    "ip": "接続元", "founded_on": "設立・開業日", "closing_amount": "成約金額",
}
PEOPLE = {"staff_id", "assignee_id", "user_id", "requested_by_id", "decided_by_id", "created_by_id", "voided_by_id"}
METHODS = {"GET": "表示", "POST": "送信"}


@cache
def _form_labels() -> dict[str, str]:
    """field name → the label its form shows, from every form class of the app."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    from .. import blueprints  # noqa: F401  (the forms are imported with the app's blueprints)

    labels: dict[str, str] = {}
    todo = list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        for name, field in vars(form).items():
            if isinstance(field, UnboundField):
                label = field.args[0] if field.args else field.kwargs.get("label")
                if isinstance(label, str) and label and name not in labels:
                    labels[name] = label
    return labels


# Where one field name means different things by record kind.
MODEL_LABELS = {
    "Consultation": {"held_on": "相談日", "notes": "相談内容"},
    "Event": {"held_on": "開催日", "title": "名称"},
    "DispatchVisit": {"held_on": "訪問日"},
    "Diagnosis": {"held_on": "実施日"},
    "Case": {"title": "件名", "opened_on": "開始日", "closed_on": "終了日"},
}


def field_label(name: str, model: str | None = None) -> str:
    if model and name in MODEL_LABELS.get(model, {}):
        return MODEL_LABELS[model][name]
    return _field_label(name)


def _field_label(name: str) -> str:
    return DETAIL_LABELS.get(name) or _form_labels().get(name) or _form_labels().get(name.removesuffix("_id")) or name




def column_headers(names, model: str | None = None) -> list[str]:
    """Japanese headers for these columns; a label two columns share keeps its key beside it."""
    labels = [field_label(n, model) for n in names]
    return [f"{label}（{name}）" if labels.count(label) > 1 else label for label, name in zip(labels, names)]


def value_labels() -> dict[str, dict[str, str]]:
    """field name → {stored code: what the screens call it}, for showing stored details."""
    from ..extensions import db
    from ..models import (CLIENT_KINDS, DEAL_STAGES, DISPATCH_STATUSES, FOUNDER_STAGES, GRANT_DECISION_LABELS,
                          INTRODUCTION_OUTCOMES, PROFILE_SIDES, ROLES, Channel, Industry, Outcome, Theme)

    stages = {**FOUNDER_STAGES, **DEAL_STAGES}
    outcomes = dict(db.session.execute(db.select(Outcome.code, Outcome.label)).all())
    channels = dict(db.session.execute(db.select(Channel.code, Channel.label)).all())
    sources = {"manual": "手入力", "dispatch_report": "専門家報告書",
               **{f"{code}+{m}m": f"{label}後{m}か月" for code, label in outcomes.items() for m in (3, 6, 12)}}
    return {
        "kind": CLIENT_KINDS, "stage": stages, "from": stages, "to": stages, "decision": GRANT_DECISION_LABELS,
        "status": DISPATCH_STATUSES, "side": PROFILE_SIDES, "role": {k: v for k, v in ROLES.items()},
        "outcome": {**INTRODUCTION_OUTCOMES, **outcomes}, "outcome_code": outcomes, "channel_code": channels,
        "theme_codes": dict(db.session.execute(db.select(Theme.code, Theme.label)).all()),
        "industry_code": dict(db.session.execute(db.select(Industry.code, Industry.name)).all()),
        "source": sources,
    }
