"""The 'raw' side of the HTTP benchmark: a bare WSGI app serving the same case-list page with
hand-written keyset SQL and string formatting (no Flask, no ORM, no session). Same gunicorn setup."""
import datetime as dt
import html
import os

import sqlalchemy as sa

engine = sa.create_engine(os.environ["BENCH_DB_URL"])

SQL = sa.text("""
SELECT k.id, k.opened_on, cl.name, ce.name, k.title, u.name, k.closed_on, o.label
FROM cases k JOIN clients cl ON cl.id = k.client_id JOIN centers ce ON ce.id = k.center_id
LEFT JOIN users u ON u.id = k.assignee_id LEFT JOIN outcomes o ON o.code = k.outcome_code
WHERE k.voided_at IS NULL AND cl.voided_at IS NULL AND k.center_id = :center AND k.closed_on IS NOT NULL
  AND (k.opened_on < :d OR (k.opened_on = :d AND k.id < :id))
ORDER BY k.opened_on DESC, k.id DESC LIMIT 26""")


def app(environ, start_response):
    from urllib.parse import parse_qs

    args = parse_qs(environ.get("QUERY_STRING", ""))
    d, i = args["after"][0].split("~")
    d = dt.date.fromisoformat(d)
    with engine.connect() as conn:
        rows = conn.execute(SQL, {"center": int(args["center_id"][0]), "d": d, "id": int(i)}).all()
    body = "<table>" + "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v or ''))}</td>" for v in row) + "</tr>" for row in rows[:25]) + "</table>"
    data = f"<!doctype html><title>案件</title>{body}".encode()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
