"""Errors of the JSON API as RFC 9457 problem details (application/problem+json).

Every refusal and error of /api/v1/ answers

    {"type": "/api/v1/problems/validation", "status": 422,
     "title": "入力内容に誤りがあります", "title_en": "Validation failed",
     "detail": "…", "errors": [{"field": "name", "message": "必須の項目です。", "message_en": "…"}]}

`title` and `detail` are Japanese (what staff read); `title_en` repeats the title in English for
tools and logs. Validation errors list each field. A stale edit adds `current_version` and
`changes` ({field: {"stored": …, "submitted": …}}).
"""
from __future__ import annotations

import re

from flask import jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"

# status -> (type slug, Japanese title, English title, Japanese detail)
TITLES = {
    400: ("bad-request", "リクエストが不正です", "Bad request", "リクエストの形式を読み取れませんでした。"),
    401: ("unauthenticated", "認証が必要です", "Authentication required",
          "Authorization: Bearer <トークン> を付けてください。トークンはアカウント → API トークンで発行します。"),
    403: ("forbidden", "この操作は許可されていません", "Forbidden", "この操作をする権限がありません。"),
    404: ("not-found", "見つかりません", "Not found", "指定された記録またはページはありません。"),
    405: ("method-not-allowed", "この操作には対応していません", "Method not allowed",
          "このURLではこのメソッドを使えません。"),
    406: ("not-acceptable", "応答の形式に対応していません", "Not acceptable", "応答は JSON だけです。"),
    409: ("conflict", "他の変更と衝突しました", "Conflict", "他の職員がこの記録を先に更新しました。"),
    412: ("precondition-failed", "記録が更新されています", "Precondition failed",
          "If-Match の版が保存されている版と違います。取得し直してからもう一度送ってください。"),
    413: ("too-large", "送信内容が大きすぎます", "Payload too large", "送信内容を小さくしてください。"),
    415: ("unsupported-media-type", "JSON で送ってください", "Unsupported media type",
          "Content-Type: application/json で送ってください。"),
    422: ("validation", "入力内容に誤りがあります", "Validation failed", "各項目の誤りを直してから送ってください。"),
    428: ("precondition-required", "版の指定が必要です", "Precondition required",
          "更新には If-Match ヘッダー（取得時の ETag）か version 項目が必要です。"),
    429: ("too-many-requests", "リクエストが多すぎます", "Too many requests", "しばらく待ってから送ってください。"),
    500: ("server-error", "サーバーの内部エラーです", "Internal server error",
          "処理中にエラーが起きました。何も保存されていません。"),
}

# marshmallow's messages, as staff read them
_MESSAGES = [
    (r"Missing data for required field\.", "必須の項目です。"),
    (r"Unknown field\.", "この項目はありません。"),
    (r"Field may not be null\.", "空（null）にはできません。"),
    (r"Not a valid integer\.", "整数で指定してください。"),
    (r"Not a valid string\.", "文字列で指定してください。"),
    (r"Not a valid boolean\.", "true か false で指定してください。"),
    (r"Not a valid list\.", "配列で指定してください。"),
    (r"Not a valid date\.", "日付で指定してください。"),
    (r"Invalid input type\.", "形式が不正です（オブジェクトで送ってください）。"),
    (r"Invalid value\.", "値が不正です。"),
    (r"Invalid JSON body\.", "JSON として読めません。"),
    (r"Must be one of: (.*)\.", r"次のいずれかを指定してください: \1"),
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.", r"\1以上\2以下で指定してください。"),
    (r"Must be greater than or equal to (\S+)\.", r"\1以上で指定してください。"),
    (r"Must be less than or equal to (\S+)\.", r"\1以下で指定してください。"),
    (r"Longer than maximum length (\d+)\.", r"\1文字以内で指定してください。"),
    (r"Shorter than minimum length (\d+)\.", r"\1文字以上で指定してください。"),
    (r"Length must be between (\d+) and (\d+)\.", r"\1〜\2文字で指定してください。"),
]


def japanese(message: str) -> str:
    for pattern, text in _MESSAGES:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, text, message)
    return message if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message) else "値が不正です。"


def field_errors(messages, prefix: str = "") -> list[dict]:
    """webargs/marshmallow's nested messages as one list of {field, message, message_en}."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "headers", "path") and not prefix:
                out += field_errors(value, "" if key == "json" else f"{key}:")
            else:
                name = f"{prefix}{key}" if not prefix or prefix.endswith(":") else f"{prefix}.{key}"
                out += field_errors(value, name)
    elif isinstance(messages, (list, tuple)):
        if all(isinstance(m, str) for m in messages):
            for message in messages:
                out.append({"field": prefix.rstrip(":") or None, "message": japanese(message), "message_en": message})
        else:
            for item in messages:
                out += field_errors(item, prefix)
    else:
        out.append({"field": prefix.rstrip(":") or None, "message": japanese(str(messages)), "message_en": str(messages)})
    return out


def problem(status: int, detail: str | None = None, *, headers=None, **extra):
    slug, title, title_en, default_detail = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    body = {"type": f"/api/v1/problems/{slug}", "status": status, "title": title, "title_en": title_en,
            "detail": detail or default_detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def http_error(error: HTTPException):
    """The API's handler of every HTTPException (aborts, webargs' 422, routing's 404/405)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    extra = {}
    if "messages" in data:
        errors = field_errors(data["messages"])
        extra["errors"] = errors
        if status == 400:  # unreadable JSON: webargs says 400; it is the body that is wrong
            status = 422
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="casework"'
    detail = data.get("detail")
    if detail is None and status == 400 and getattr(error, "description", "").startswith("The CSRF"):
        detail = "CSRF トークンがありません（画面のセッションで書き込むときは X-CSRFToken ヘッダーが必要です）。"
    for key in ("errors", "changes", "current_version", "duplicates"):
        if key in data:
            extra[key] = data[key]
    return problem(status, detail, headers=headers, **extra)


def server_error(_error):
    return problem(500)
