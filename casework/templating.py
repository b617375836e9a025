"""Jinja filters and globals shared by every template."""
import datetime as dt

from flask import request, url_for
from markupsafe import Markup, escape

from .dates import fy_label, today_jst, wareki
from .models import CLIENT_KINDS, ROLES


def register(app):
    app.jinja_env.filters.update(
        ymd=lambda d: d.strftime("%Y-%m-%d") if d else "",
        md=lambda d: f"{d.month}/{d.day}" if d else "",
        wareki=lambda d: wareki(d) if d else "",
        fy_label=fy_label,
        yen=lambda n: "" if n is None else f"{int(n):,}円",
        num=lambda n: "" if n is None else f"{int(n):,}",
        jst=_jst,
        nl2br=_nl2br,
        json_text=_json_text,
    )
    app.jinja_env.globals.update(
        today_jst=today_jst, url_with=url_with, id_url=id_url, CLIENT_KINDS=CLIENT_KINDS, ROLES=ROLES, nav_items=nav_items, url_endpoints=url_endpoints,
        may_void=may_void,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.finalize = _blank_none  # a missing value shows as nothing, never as "None"


# endpoint: (label, Alt+key). An entry is shown to whoever the permission table lets open its
# endpoint (casework/permissions.py may_open); entries whose blueprint is absent are skipped.
NAV = {
    "main.home": ("ホーム", "h"), "consultations.new": ("相談を記録", "n"), "clients.index": ("相談先", "c"),
    "cases.index": ("案件", "k"), "consultations.index": ("相談記録", "l"), "events.index": ("相談会・セミナー", "e"),
    "outreach.index": ("出張相談会", None),
    "dispatch.index": ("専門家派遣", None), "registrations.index": ("登録企業", None),
    "introductions.index": ("あっせん紹介", None), "grants.index": ("助成金", None), "milestones.index": ("到達段階", None),
    "succession.index": ("事業承継", None), "founders.index": ("創業支援", None),
    "followups.index": ("フォローアップ", None), "reports.index": ("報告書", "r"), "tallies.index": ("月次集計", None),
    "admin.index": ("管理", None), "programs.index": ("事業の管理", None), "audit.index": ("監査ログ", None),
}


def nav_items(user=None):
    from flask import current_app
    from flask_login import current_user

    from .permissions import may_open

    user = user if user is not None else current_user

    def entries():
        return [(endpoint, label, key) for endpoint, (label, key) in NAV.items()
                if endpoint in current_app.view_functions and may_open(user, endpoint)]

    if getattr(user, "is_authenticated", False):
        # what may_open answers depends on the role and the centers (their confidentiality: the
        # vocabulary cache's business), so a worker asks once per role and centers
        from .services.vocab_cache import remember

        items = remember(("nav", user.role, frozenset(c.id for c in user.centers)), entries)
    else:
        items = entries()
    here = request.endpoint or ""
    exact = here in {endpoint for endpoint, _label, _key in items}
    return [(endpoint, label, key, _nav_current(endpoint, here, exact)) for endpoint, label, key in items]


def _nav_current(endpoint: str, here: str, exact: bool) -> bool:
    """The entry of the page shown: the page itself when it is in the menu, otherwise its
    blueprint's entry (相談記録 for a consultation's edit page, not 相談を記録 too)."""
    if exact:
        return endpoint == here
    blueprint = here.split(".")[0]
    same = [e for e in NAV if e.split(".")[0] == blueprint]
    return endpoint.split(".")[0] == blueprint and (len(same) == 1 or endpoint.endswith(".index"))


def may_void(record) -> bool:
    """Whether the current user may void this record (services.voiding.may_void), for 取消 links."""
    from flask_login import current_user

    from .services.voiding import may_void as rule

    return bool(current_user and current_user.is_authenticated) and rule(current_user, record)


def url_endpoints():
    """Endpoints registered in this app, so templates can link to optional blueprints."""
    from flask import current_app

    return current_app.view_functions


_MARK = 2_147_483_647  # an id no record has (INT_URL_MAX), marking where an id goes


def id_url(endpoint: str, name: str):
    """`url_for(endpoint, name=id)` for a list's many rows: the URL is built once, and each
    row's link puts its id in (`{% set case_url = id_url('cases.detail', 'case_id') %}` …
    `case_url(k.id)`): the same text as url_for gives, without routing each link."""
    url = url_for(endpoint, **{name: _MARK})
    head, mark, tail = url.partition(str(_MARK))
    if not mark or str(_MARK) in tail:
        return lambda value: url_for(endpoint, **{name: value})
    return lambda value: f"{head}{int(value)}{tail}"


def url_with(**changes):
    """The current URL with some query arguments replaced (for pagination and filters)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _jst(value: dt.datetime | None) -> str:
    """Stored datetimes are naive UTC (or their ISO text, as JSON carries them); show them in Japan time."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    from .dates import JST

    return value.replace(tzinfo=dt.timezone.utc).astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _json_text(value) -> str:
    """JSON as people read it: Japanese as itself, not \\u escapes (the page escapes the HTML)."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def _nl2br(text: str | None) -> Markup:
    if not text:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in text.splitlines())


def _blank_none(value):
    return "" if value is None else value
