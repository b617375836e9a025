"""The digest by email, received by a real SMTP server on 127.0.0.1 (aiosmtpd)."""
import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from casework import jobs
from casework.models import Notification

from . import factories
from .scheduling import followup

TODAY = dt.date(2024, 5, 7)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, msg))
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_SENDER="casework@center.example.jp",
                      BASE_URL="https://casework.center.example.jp")
    yield handler
    controller.stop()


def test_one_digest_per_person_with_html_and_text(app, inbox):
    coord = factories.user("coord", centers=["onestop"], email="coord@center.example.jp", name="相談 次郎")
    quiet = factories.user("quiet", centers=["onestop"], email="quiet@center.example.jp")
    quiet.email_notifications = False
    noaddr = factories.user("noaddr", centers=["onestop"])
    case = factories.case(factories.client("株式会社青森りんご"), assignee_id=coord.id)
    first = followup(case, coord, TODAY, reason="創業3か月後の確認")
    followup(case, coord, dt.date(2024, 4, 1), reason="補助金の結果確認")
    followup(case, quiet, TODAY)
    followup(case, noaddr, TODAY)

    result = jobs.run_digest(TODAY)
    assert result.detail["emails_sent"] == 1
    assert len(inbox.messages) == 1  # the user with email off and the one without an address get none
    rcpt, msg = inbox.messages[0]
    assert rcpt == ["coord@center.example.jp"]
    assert msg["Subject"] == "【casework】本日の対応事項 2件"
    assert msg["From"] == "casework@center.example.jp"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "相談 次郎 さん" in text and "令和6年5月7日" in text
    assert "フォローアップ: 株式会社青森りんご — 創業3か月後の確認" in text
    assert "期限 2024-04-01（36日超過）" in text
    assert f"https://casework.center.example.jp/followups/{first.id}" in text
    assert f'<a href="https://casework.center.example.jp/followups/{first.id}">' in html
    assert "補助金の結果確認" in html and "<strong>2件</strong>" in html
    # in-app notifications exist for everyone regardless of email
    assert Notification.query.filter_by(user_id=quiet.id).count() == 1

    # a second run the same day sends nothing more
    assert not jobs.run_digest(TODAY).ran
    assert jobs.run_digest(TODAY, force=True).detail.get("emails_sent") == 0
    assert len(inbox.messages) == 1


def test_no_mail_server_means_no_email(app):
    coord = factories.user("coord", centers=["onestop"], email="coord@center.example.jp")
    followup(factories.case(assignee_id=coord.id), coord, TODAY)
    assert jobs.run_digest(TODAY).detail["mail"] == "off"
    assert Notification.query.filter_by(user_id=coord.id, emailed_at=None).count() == 1


def test_unreachable_mail_server_is_retried_by_a_forced_run(app, inbox):
    coord = factories.user("coord", centers=["onestop"], email="coord@center.example.jp")
    followup(factories.case(assignee_id=coord.id), coord, TODAY)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _free_port()  # nobody listens there
    assert jobs.run_digest(TODAY).detail["emails_failed"] == 1
    app.config["MAIL_PORT"] = port
    assert jobs.run_digest(TODAY, force=True).detail["emails_sent"] == 1
    assert inbox.messages[0][1]["Subject"] == "【casework】本日の対応事項 1件"
