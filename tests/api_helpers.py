"""Helpers of the API tests (tests/test_api_*.py): tokens made through the service, bearer headers."""
from __future__ import annotations

from casework.extensions import db
from casework.services.api_tokens import TokenData, create_token


def token_for(user, scope: str = "write", **kw) -> str:
    _row, token = create_token(user, TokenData(name=kw.pop("name", f"テスト{scope}"), scope=scope, **kw))
    db.session.commit()
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}
