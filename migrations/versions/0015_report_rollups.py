"""stored monthly figures for the annual report: report_rollups (a closed month's count of each
consultation rule and breakdown entry), report_rollup_months (what each was computed from, and
its restatements) and report_month_changes, kept by triggers on consultations, their themes and
clients (migrations/frozen/report_month_changes_v1.py). Nothing is stored by the upgrade: the
nightly refresh (casework report refresh) fills the closed months.

Revision ID: 0015
Revises: 0014
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def load(name):
    path = Path(__file__).resolve().parent.parent / "frozen" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"casework_migrations_frozen_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    op.create_table(
        "report_month_changes",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("changes", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "report_rollup_months",
        sa.Column("figure", sa.String(40), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("changes_seen", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("restated_at", sa.DateTime()),
        sa.Column("restatements", sa.Integer(), nullable=False),
    )
    op.create_index("ix_report_rollup_months_month", "report_rollup_months", ["month"])
    op.create_table(
        "report_rollups",
        sa.Column("figure", sa.String(40), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("entry", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    load("report_month_changes_v1").install(op.get_bind())


def downgrade():
    load("report_month_changes_v1").uninstall(op.get_bind())
    op.drop_table("report_rollups")
    op.drop_index("ix_report_rollup_months_month", table_name="report_rollup_months")
    op.drop_table("report_rollup_months")
    op.drop_table("report_month_changes")
