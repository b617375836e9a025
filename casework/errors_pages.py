"""The error pages, in Japanese: what happened and what the user can do about it."""
from __future__ import annotations

from flask import render_template, request

PAGES: dict[int, tuple[str, tuple[str, ...]]] = {
    400: ("リクエストが正しくありません", ("画面を開き直してから、もう一度操作してください。",)),
    403: ("この操作は許可されていません", ("この操作には別の権限が必要です。必要なら管理者に相談してください。",)),
    404: ("ページが見つかりません", ("アドレスが正しいか確認してください。",)),
    405: ("この方法では操作できません", ("画面のボタンから操作してください。",)),
    409: ("他の更新と競合しました", ("他の職員が同じ記録を先に更新しました。最新の内容を確認してから、もう一度操作してください。",)),
    413: ("ファイルが大きすぎます", ("ファイルを分けるか、小さくしてからもう一度お試しください。",)),
    429: ("操作が多すぎます。しばらく待ってから再度お試しください", ()),
    500: ("システムエラーが発生しました", ("入力した内容は保存されていません。時間をおいてもう一度お試しください。",)),
}
BUSY = ("混み合っていたため保存できませんでした",
        ("同じ時刻に他の職員の保存が重なったため、この操作は保存されていません（何も書き込まれていません）。",
         "元のページへ戻り、もう一度保存してください。"))


def render_error(code: int, *, busy: bool = False):
    title, lines = BUSY if busy else PAGES.get(code, PAGES[500])
    back = request.referrer if busy and _same_site(request.referrer) else None
    return render_template("errors/error.html", code=code, title=title, lines=lines, back=back), code


def _same_site(url: str | None) -> bool:
    return bool(url) and (url.startswith("/") and not url.startswith("//") or url.startswith(request.host_url))
