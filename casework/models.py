"""All models, one section per domain.

Conventions (style.md habit 5): singular classes, plural tables, created_at/updated_at,
records voided (who, when, why) rather than deleted, an optimistic-lock `version` on every
editable record, vocabularies as tables seeded by migrations.
"""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import (
    JSON, BigInteger, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Time,
    Integer, Numeric, String, Table, Text, UniqueConstraint, false, func, select, text,
)
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, column_property, declared_attr, mapped_column, relationship

from . import confidential_index, month_changes, searchindex
from .extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------------
# Mixins
# ---------------------------------------------------------------------------------------------

class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)


class Versioned:
    """Optimistic locking: SQLAlchemy refuses an UPDATE whose version no longer matches."""
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class Voidable:
    """Records are voided, never erased; voided rows leave lists and counts."""
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def voided_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


# ---------------------------------------------------------------------------------------------
# Vocabularies (seeded by migrations, extensible by admins)
# ---------------------------------------------------------------------------------------------

class Center(Versioned, db.Model):
    __tablename__ = "centers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    report_title: Mapped[str | None] = mapped_column(String(100))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # succession / M&A
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self):
        return self.name


class Channel(db.Model):
    __tablename__ = "channels"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    aliases: Mapped[str | None] = mapped_column(String(200))  # ';'-separated alternative labels
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class Theme(db.Model):
    __tablename__ = "themes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Industry(db.Model):
    """JSIC major divisions A–T (revision 14 names; the report uses the revision 13 spelling)."""
    __tablename__ = "industries"
    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    report_label: Mapped[str] = mapped_column(String(60))
    middle_from: Mapped[str | None] = mapped_column(String(2))
    middle_to: Mapped[str | None] = mapped_column(String(2))


class IndustryDivision(db.Model):
    """JSIC middle divisions 01–99 (revision 14), each of one major: 主な業種 as the report prints
    them (食料品製造業, 繊維工業); report_label drops the name's trailing （…を除く）."""
    __tablename__ = "industry_divisions"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    major_code: Mapped[str] = mapped_column(ForeignKey("industries.code"))
    name: Mapped[str] = mapped_column(String(60))
    report_label: Mapped[str] = mapped_column(String(60))


class Municipality(db.Model):
    __tablename__ = "municipalities"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str | None] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(20))
    prefecture: Mapped[str] = mapped_column(String(10), default="青森県")
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class EventKind(db.Model):
    __tablename__ = "event_kinds"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class Outcome(db.Model):
    __tablename__ = "outcomes"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


# ---------------------------------------------------------------------------------------------
# Programs (事業) and their vocabularies: what the report's 事業実績 counts, as data
# ---------------------------------------------------------------------------------------------

PROGRAM_TERM_KINDS = {
    "activity": "活動区分",      # 企業訪問 / アドバイス / 申請支援 (consultations.activity_id)
    "category": "相談区分",      # 下請代金法関連 / 建設業法関連 / その他 (consultations.category_id)
    "course": "コース・枠",       # 新事業開発コース / 販路開拓コース (grants.course_id)
    "milestone": "到達段階",     # 事前相談 / 一次相談 / … (case_milestones.milestone_id)
    "side": "区分（発注・受注）",  # 発注企業 / 受注企業 (registrations, event_attendances)
}

# Record kinds a program can be the default of for its center (Program.default_for).
PROGRAM_RECORD_KINDS = {
    "consultation": "相談記録", "case": "案件", "event": "催し", "grant": "助成金", "dispatch": "専門家派遣",
    "diagnosis": "事業承継診断", "registration": "登録", "introduction": "あっせん紹介", "milestone": "到達段階",
}


class Program(Timestamped, Versioned, db.Model):
    """A program (事業) of a center, as the annual report's 事業実績 numbers and names it."""
    __tablename__ = "programs"
    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # ascii, stable (imports name it)
    name: Mapped[str] = mapped_column(String(100))  # short name on screens
    report_name: Mapped[str] = mapped_column(String(200))  # as the report prints it
    report_number: Mapped[str | None] = mapped_column(String(20))  # e.g. "2(3)" or "1(1)②"
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # like succession: center staff + admins only
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # offered on forms
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    started_fiscal_year: Mapped[int | None] = mapped_column(Integer)
    ended_fiscal_year: Mapped[int | None] = mapped_column(Integer)  # last fiscal year run (産業復興: 2023)
    # ';'-separated PROGRAM_RECORD_KINDS this program is its center's default for ("consultation;case;event")
    default_for: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    center: Mapped[Center] = relationship()
    terms: Mapped[list["ProgramTerm"]] = relationship(
        back_populates="program", order_by="(ProgramTerm.kind, ProgramTerm.sort_order, ProgramTerm.id)")

    __table_args__ = (
        CheckConstraint("ended_fiscal_year IS NULL OR started_fiscal_year IS NULL "
                        "OR ended_fiscal_year >= started_fiscal_year", name="years"),
    )

    def default_kinds(self) -> set[str]:
        return {k for k in (self.default_for or "").split(";") if k}

    def __str__(self):
        return self.name


class ProgramTerm(Timestamped, Versioned, db.Model):
    """One entry of a program's own vocabulary (PROGRAM_TERM_KINDS)."""
    __tablename__ = "program_terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(8))  # milestones that carry a number: 名, 回
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    program: Mapped[Program] = relationship(back_populates="terms")

    __table_args__ = (
        UniqueConstraint("program_id", "kind", "code", name="uq_program_terms_program_kind_code"),
        CheckConstraint("kind IN ('activity','category','course','milestone','side')", name="kind"),
    )

    @property
    def kind_label(self) -> str:
        return PROGRAM_TERM_KINDS.get(self.kind, self.kind)

    def __str__(self):
        return self.label


# ---------------------------------------------------------------------------------------------
# Staff, roles and center memberships
# ---------------------------------------------------------------------------------------------

ROLES = {
    "admin": "システム管理者",
    "manager": "統括責任者",
    "coordinator": "コーディネーター",
    "im": "インキュベーション・マネジャー",
    "succession": "事業承継 相談員",
}

memberships = Table(
    "memberships", db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("center_id", ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Timestamped, Versioned, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default="coordinator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    # Changing session_token ends every session of this user (logout, password change, disable).
    session_token: Mapped[str] = mapped_column(String(64))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    default_center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))

    centers: Mapped[list[Center]] = relationship(secondary=memberships, order_by=Center.sort_order, lazy="selectin")
    default_center: Mapped[Center | None] = relationship(foreign_keys=[default_center_id])

    __table_args__ = (CheckConstraint("role IN ('admin','manager','coordinator','im','succession')", name="role"),)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def home_center(self) -> Center | None:
        return self.default_center or (self.centers[0] if self.centers else None)

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------------------------
# Clients
# ---------------------------------------------------------------------------------------------

CLIENT_KINDS = {"corporation": "法人", "sole_proprietor": "個人事業主", "prospective_founder": "創業予定者"}


class Client(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)  # legacy key
    kind: Mapped[str] = mapped_column(String(24), default="corporation")
    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded name + kana + 法人番号
    corporate_number: Mapped[str | None] = mapped_column(String(13), index=True)
    industry_code: Mapped[str | None] = mapped_column(ForeignKey("industries.code"))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"))
    industry_division_code: Mapped[str | None] = mapped_column(ForeignKey("industry_divisions.code"))  # JSIC 中分類
    address: Mapped[str | None] = mapped_column(String(300))
    employees: Mapped[int | None] = mapped_column(Integer)
    representative: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)  # 設立・開業日 (set by the founding of a founder's case)
    # Known only through confidential records (casework/confidential_index.py): kept by triggers, never set here.
    confidential_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())

    industry: Mapped[Industry | None] = relationship()
    industry_division: Mapped[IndustryDivision | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()

    __table_args__ = (
        CheckConstraint("kind IN ('corporation','sole_proprietor','prospective_founder')", name="kind"),
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees"),
        # The few voided clients, so counts can exclude their records without a join per record.
        Index("ix_clients_voided", "id", sqlite_where=text("voided_at IS NOT NULL"),
              postgresql_where=text("voided_at IS NOT NULL")),
        # The few confidential-only clients, which client_filter asks the costly rule of.
        Index("ix_clients_confidential_only", "id", sqlite_where=text("confidential_only = 1"),
              postgresql_where=text("confidential_only")),
    )

    @property
    def kind_label(self) -> str:
        return CLIENT_KINDS.get(self.kind, self.kind)

    def __str__(self):
        return self.name


searchindex.register(Client.__table__)  # FTS5 trigram (SQLite) / pg_trgm (PostgreSQL) on search_text
confidential_index.register(db.metadata)  # clients.confidential_only's triggers, once every table exists


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

case_themes = Table(
    "case_themes", db.metadata,
    Column("case_id", ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_code", ForeignKey("themes.code"), primary_key=True),
)

FOUNDER_STAGES = {"consultation": "相談", "business_plan": "事業計画", "funding_plan": "資金計画", "founded": "創業"}


class Case(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_code: Mapped[str | None] = mapped_column(ForeignKey("outcomes.code"))
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str | None] = mapped_column(String(24))  # founders: FOUNDER_STAGES
    last_activity_on: Mapped[dt.date | None] = mapped_column(Date)
    review_flagged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)

    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    outcome: Mapped[Outcome | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=case_themes, order_by=Theme.sort_order, lazy="selectin")
    program: Mapped[Program | None] = relationship()

    __table_args__ = (
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
        Index("ix_cases_center_opened", "center_id", "opened_on"),
        Index("ix_cases_opened", "opened_on"),  # the case list, newest first, keyset pages
        Index("ix_cases_center_outcome", "center_id", "outcome_code", "outcome_on"),
    )

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status_label(self) -> str:
        return "対応中" if self.is_open else "終了"

    def __str__(self):
        return self.title or f"{self.client.name}（{self.center.name}）"


class CaseStageChange(Timestamped, db.Model):
    """Dated, attributed stage changes of a case (founders: 相談 → 事業計画 → 資金計画 → 創業)."""
    __tablename__ = "case_stage_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(24))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    changed_by: Mapped[User | None] = relationship()


# ---------------------------------------------------------------------------------------------
# Consultations, events (outreach days, seminars)
# ---------------------------------------------------------------------------------------------

consultation_themes = Table(
    "consultation_themes", db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_code", ForeignKey("themes.code"), primary_key=True),
    Index("ix_consultation_themes_theme", "theme_code"),
)


class Event(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    kind_code: Mapped[str] = mapped_column(ForeignKey("event_kinds.code"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"))
    participants: Mapped[int | None] = mapped_column(Integer)  # 参加人数 (名)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)  # last day (a 研修 can run May–March); None: one day
    partners: Mapped[str | None] = mapped_column(String(300))  # 連携機関 / 参加機関
    area: Mapped[str | None] = mapped_column(String(100))  # 開催地区 as printed (青森市, オンライン, 県内各地)
    companies: Mapped[int | None] = mapped_column(Integer)  # 参加企業数 / 出展企業数 (社)
    speaker: Mapped[str | None] = mapped_column(String(200))  # 講師 (a lecture's; its テーマ is the title)

    center: Mapped[Center] = relationship()
    kind: Mapped[EventKind] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    program: Mapped[Program | None] = relationship()

    __table_args__ = (
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants"),
        Index("ix_events_center_held", "center_id", "held_on"),
    )

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.kind.label} {self.title or self.place or ''}".strip()


class Consultation(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "consultations"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))  # = case's center, kept for counting
    channel_code: Mapped[str] = mapped_column(ForeignKey("channels.code"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    next_action: Mapped[str | None] = mapped_column(String(300))
    next_action_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("program_terms.id"))  # 企業訪問 / アドバイス / 申請支援
    category_id: Mapped[int | None] = mapped_column(ForeignKey("program_terms.id"))  # 下請代金法関連 / …

    client: Mapped[Client] = relationship()
    case: Mapped[Case] = relationship()
    center: Mapped[Center] = relationship()
    channel: Mapped[Channel] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    event: Mapped[Event | None] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=consultation_themes, order_by=Theme.sort_order, lazy="selectin")
    program: Mapped[Program | None] = relationship()
    activity: Mapped[ProgramTerm | None] = relationship(foreign_keys=[activity_id])
    category: Mapped[ProgramTerm | None] = relationship(foreign_keys=[category_id])

    __table_args__ = (
        # Both cover what the reports count (casework/reporting): the counts read the index only.
        Index("ix_consultations_center_held", "center_id", "held_on", "channel_code", "client_id", "voided_at"),
        Index("ix_consultations_held_counted", "held_on", "center_id", "channel_code", "client_id", "voided_at"),
        Index("ix_consultations_held", "held_on"),  # the list's keyset order (held_on, id)
        Index("ix_consultations_program_held", "program_id", "held_on"),
    )


# ---------------------------------------------------------------------------------------------
# Expert dispatch (専門家派遣)
# ---------------------------------------------------------------------------------------------

class Expert(Timestamped, Versioned, db.Model):
    __tablename__ = "experts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    specialties: Mapped[str | None] = mapped_column(String(300))
    fee_per_visit: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self):
        return self.name


class DispatchProgram(Versioned, db.Model):
    """A dispatch program: who pays what share and when the expert's report is due."""
    __tablename__ = "dispatch_programs"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    share_numerator: Mapped[int] = mapped_column(Integer, default=1)
    share_denominator: Mapped[int] = mapped_column(Integer, default=3)
    report_due_days: Mapped[int] = mapped_column(Integer, default=14)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    center: Mapped[Center | None] = relationship()


DISPATCH_STATUSES = {"requested": "申請中", "approved": "承認済", "rejected": "却下", "completed": "完了"}


class Dispatch(Timestamped, Versioned, Voidable, db.Model):
    """A request to send an expert to a case; visits are logged under it once approved."""
    __tablename__ = "dispatches"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("dispatch_programs.id"))
    purpose: Mapped[str | None] = mapped_column(Text)
    planned_visits: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    requested_on: Mapped[dt.date] = mapped_column(Date)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship()
    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    expert: Mapped[Expert] = relationship()
    program: Mapped[DispatchProgram | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class DispatchVisit(Timestamped, Versioned, Voidable, db.Model):
    """One expert visit: the unit the report counts (派遣延べ回数)."""
    __tablename__ = "dispatch_visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    dispatch_id: Mapped[int | None] = mapped_column(ForeignKey("dispatches.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[float | None] = mapped_column(Numeric(5, 2))
    fee: Mapped[int | None] = mapped_column(Integer)
    company_share: Mapped[int | None] = mapped_column(Integer)
    report_due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    report_received_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # the report's program (専門家派遣事業, 事業承継…); dispatches.program_id is the dispatch scheme instead
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)

    dispatch: Mapped[Dispatch | None] = relationship()
    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    expert: Mapped[Expert] = relationship()
    program: Mapped[Program | None] = relationship()

    __table_args__ = (
        CheckConstraint("fee IS NULL OR fee >= 0", name="fee"),
        Index("ix_dispatch_visits_center_held", "center_id", "held_on"),
    )


# ---------------------------------------------------------------------------------------------
# Succession and M&A matching (confidential: succession center staff and admins only)
# ---------------------------------------------------------------------------------------------

class Diagnosis(Timestamped, Versioned, Voidable, db.Model):
    """事業承継診断."""
    __tablename__ = "diagnoses"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    by_org: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"))

    client: Mapped[Client] = relationship()
    program: Mapped[Program | None] = relationship()


PROFILE_SIDES = {"seller": "譲渡希望", "buyer": "譲受希望"}


class MatchProfile(Timestamped, Versioned, Voidable, db.Model):
    """A seller (譲渡希望) or buyer (譲受希望) on a succession case, with its non-name view."""
    __tablename__ = "match_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))
    code_name: Mapped[str] = mapped_column(String(40))  # e.g. "S-2024-007", shown instead of a name
    industry_code: Mapped[str | None] = mapped_column(ForeignKey("industries.code"))
    region: Mapped[str | None] = mapped_column(String(40))
    employees_band: Mapped[str | None] = mapped_column(String(20))
    sales_band: Mapped[str | None] = mapped_column(String(20))
    price_band: Mapped[str | None] = mapped_column(String(20))  # asking (seller) or budget (buyer)
    reasons: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # non-identifying description
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    case: Mapped[Case] = relationship()
    industry: Mapped[Industry | None] = relationship()

    __table_args__ = (CheckConstraint("side IN ('seller','buyer')", name="side"),)


DEAL_STAGES = {
    "proposed": "提案", "name_clear": "ネームクリア", "nda": "秘密保持契約", "disclosure": "企業概要書開示",
    "top_meeting": "トップ面談", "loi": "基本合意", "due_diligence": "デューデリジェンス",
    "final_contract": "最終契約", "closed": "成約", "broken": "破談",
}


class Deal(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "deals"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("match_profiles.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("match_profiles.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    stage: Mapped[str] = mapped_column(String(20), default="proposed")
    stage_on: Mapped[dt.date] = mapped_column(Date)
    broken_reason: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closing_amount: Mapped[int | None] = mapped_column(BigInteger)  # 成約金額（円）, optional

    seller: Mapped[MatchProfile] = relationship(foreign_keys=[seller_id])
    buyer: Mapped[MatchProfile] = relationship(foreign_keys=[buyer_id])
    steps: Mapped[list["DealStep"]] = relationship(order_by="DealStep.id", back_populates="deal")

    __table_args__ = (UniqueConstraint("seller_id", "buyer_id", name="uq_deals_pair"),
                      CheckConstraint("closing_amount IS NULL OR closing_amount >= 0", name="closing_amount"))

    def stage_dates(self) -> dict[str, dt.date]:
        """The date each stage was reached (the latest step of a stage), 提案 included."""
        dates = {"proposed": min((s.stepped_on for s in self.steps if s.stage == "proposed"), default=None)}
        for step in self.steps:
            dates[step.stage] = step.stepped_on
        return {k: v for k, v in dates.items() if v is not None}


class DealStep(Timestamped, db.Model):
    __tablename__ = "deal_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    stepped_on: Mapped[dt.date] = mapped_column(Date)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    deal: Mapped[Deal] = relationship(back_populates="steps")
    by: Mapped[User | None] = relationship()


# ---------------------------------------------------------------------------------------------
# Founders (創業支援) and grants
# ---------------------------------------------------------------------------------------------

class Founding(Timestamped, Versioned, db.Model):
    """The founding recorded on a startup case (its outcome `founded`)."""
    __tablename__ = "foundings"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    founded_on: Mapped[dt.date] = mapped_column(Date)
    business_name: Mapped[str] = mapped_column(String(200))
    corporate_number: Mapped[str | None] = mapped_column(String(13))
    industry_code: Mapped[str | None] = mapped_column(ForeignKey("industries.code"))
    industry: Mapped[Industry | None] = relationship()


GRANT_DECISION_LABELS = {"adopted": "採択", "rejected": "不採択"}


class Grant(Timestamped, Versioned, Voidable, db.Model):
    """Grants of any program and course: application, adoption (採択: decision, amount) and
    delivery (交付: granted_on, granted_amount). A round adopted in one fiscal year for the next
    year's project (「令和4年度 (令和5年度事業)」) keeps both years."""
    __tablename__ = "grants"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    program: Mapped[str] = mapped_column(String(100))  # 制度名 as written (e.g. あおもり移住起業支援金)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the report counts by decision date
    decision: Mapped[str | None] = mapped_column(String(16))  # adopted 採択 / rejected 不採択
    amount: Mapped[int | None] = mapped_column(BigInteger)  # 採択金額 (円)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"), index=True)  # the 事業 (Program)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("program_terms.id"))  # コース・枠
    title: Mapped[str | None] = mapped_column(String(300))  # 事業名 / 研究テーマ
    partners: Mapped[str | None] = mapped_column(String(300))  # 研究等実施機関 / 共同実施者
    round_fiscal_year: Mapped[int | None] = mapped_column(Integer)  # 採択の年度 (令和4年度 → 2022)
    project_fiscal_year: Mapped[int | None] = mapped_column(Integer)  # 事業実施の年度 (令和5年度事業 → 2023)
    project_end_fiscal_year: Mapped[int | None] = mapped_column(Integer)  # multi-year projects (サポイン)
    granted_on: Mapped[dt.date | None] = mapped_column(Date)  # 交付決定日
    granted_amount: Mapped[int | None] = mapped_column(BigInteger)  # 交付金額 (円)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    # `program` is the free-text 制度名 column (kept for the founders screens and imports)
    business_program: Mapped[Program | None] = relationship(foreign_keys=[program_id])
    course: Mapped[ProgramTerm | None] = relationship(foreign_keys=[course_id])

    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        CheckConstraint("granted_amount IS NULL OR granted_amount >= 0", name="granted_amount"),
        CheckConstraint("project_end_fiscal_year IS NULL OR project_fiscal_year IS NULL "
                        "OR project_end_fiscal_year >= project_fiscal_year", name="project_years"),
    )

    @property
    def decision_label(self) -> str:
        return GRANT_DECISION_LABELS.get(self.decision or "", "審査中")


# ---------------------------------------------------------------------------------------------
# Program records: registrations, introductions (あっせん), event attendance, case milestones
# ---------------------------------------------------------------------------------------------

class Registration(Timestamped, Versioned, Voidable, db.Model):
    """A company registered in a program on one side for a period (受発注: 発注登録 / 受注登録).
    Registered at a date when registered_on <= date and (ended_on is None or ended_on > date)."""
    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    side_id: Mapped[int] = mapped_column(ForeignKey("program_terms.id"))  # program term of kind 'side'
    registered_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)  # 登録抹消
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    program: Mapped[Program] = relationship()
    side: Mapped[ProgramTerm] = relationship()

    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= registered_on", name="ended_after_registered"),
        Index("ix_registrations_program_side", "program_id", "side_id", "registered_on"),
    )

    def __str__(self):
        return f"{self.side.label}登録 {self.client.name}"


INTRODUCTION_OUTCOMES = {"concluded": "成立", "not_concluded": "不成立", "ongoing": "継続"}


class Introduction(Timestamped, Versioned, Voidable, db.Model):
    """An introduction (あっせん紹介) of a supplier (受注側) to a buyer (発注側), with its outcome."""
    __tablename__ = "introductions"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    buyer_client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)  # 発注側
    supplier_client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)  # 受注側
    introduced_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16), default="ongoing")  # INTRODUCTION_OUTCOMES
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)  # when it was concluded / not concluded
    amount: Mapped[int | None] = mapped_column(BigInteger)  # 成立金額 (円)
    subject: Mapped[str | None] = mapped_column(String(200))  # 案件 (加工内容など)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    center: Mapped[Center] = relationship()
    program: Mapped[Program] = relationship()
    buyer: Mapped[Client] = relationship(foreign_keys=[buyer_client_id])
    supplier: Mapped[Client] = relationship(foreign_keys=[supplier_client_id])

    __table_args__ = (
        CheckConstraint("outcome IN ('concluded','not_concluded','ongoing')", name="outcome"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        CheckConstraint("outcome_on IS NULL OR outcome_on >= introduced_on", name="outcome_after_introduced"),
        CheckConstraint("buyer_client_id <> supplier_client_id", name="two_companies"),
        Index("ix_introductions_program_introduced", "program_id", "introduced_on"),
    )

    @property
    def outcome_label(self) -> str:
        return INTRODUCTION_OUTCOMES.get(self.outcome, self.outcome)

    def __str__(self):
        return f"あっせん {self.buyer.name} ← {self.supplier.name}"


class EventAttendance(Timestamped, Versioned, Voidable, db.Model):
    """Companies attending an event (商談会, 展示会) on one side, with meetings (商談件数),
    deals (成約件数) and amount (円), and how much of it was in the prefecture (うち県内).
    A row is one company (companies = 1, client or company_name) or a side's totals."""
    __tablename__ = "event_attendances"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))  # = the event's
    side_id: Mapped[int | None] = mapped_column(ForeignKey("program_terms.id"))  # 発注側 / 受注側 (kind 'side')
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    company_name: Mapped[str | None] = mapped_column(String(200))  # a company not registered as a client
    companies: Mapped[int] = mapped_column(Integer, default=1)
    companies_in_prefecture: Mapped[int | None] = mapped_column(Integer)
    meetings: Mapped[int | None] = mapped_column(Integer)
    meetings_in_prefecture: Mapped[int | None] = mapped_column(Integer)
    deals: Mapped[int | None] = mapped_column(Integer)
    deals_in_prefecture: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    amount_in_prefecture: Mapped[int | None] = mapped_column(BigInteger)
    quote_requests: Mapped[int | None] = mapped_column(Integer)  # 見積依頼 (専門アドバイザー商談会)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event: Mapped[Event] = relationship()
    center: Mapped[Center] = relationship()
    side: Mapped[ProgramTerm | None] = relationship()
    client: Mapped[Client | None] = relationship()

    __table_args__ = (
        CheckConstraint("companies >= 0 AND (companies_in_prefecture IS NULL OR companies_in_prefecture <= companies)",
                        name="companies"),
        CheckConstraint("meetings IS NULL OR meetings >= 0", name="meetings"),
        CheckConstraint("deals IS NULL OR deals >= 0", name="deals"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        CheckConstraint("quote_requests IS NULL OR quote_requests >= 0", name="quote_requests"),
    )

    # The event's day, program and kind, so the report counts attendances as it counts events (an
    # attendance of a voided event has no day: it falls in no period).
    held_on = column_property(select(Event.held_on).where(Event.id == event_id, Event.voided_at.is_(None))
                              .correlate_except(Event).scalar_subquery())
    program_id = column_property(select(Event.program_id).where(Event.id == event_id)
                                 .correlate_except(Event).scalar_subquery())
    kind_code = column_property(select(Event.kind_code).where(Event.id == event_id)
                                .correlate_except(Event).scalar_subquery())

    @property
    def company_label(self) -> str:
        if self.client is not None:
            return self.client.name
        return self.company_name or f"{self.companies}社（合計）"


class CaseMilestone(Timestamped, Versioned, Voidable, db.Model):
    """A dated step of a case in a program (活性化: 事前相談, 一次相談, 再生計画策定支援完了,
    雇用維持効果; 経営改善計画: 事業利用申請受付, …) with a number where the report sums one
    (雇用維持効果 名, 伴走支援実施回数 回)."""
    __tablename__ = "case_milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)  # = the case's
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))  # = the case's
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("program_terms.id"))  # program term of kind 'milestone'
    achieved_on: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship()
    client: Mapped[Client] = relationship()
    center: Mapped[Center] = relationship()
    program: Mapped[Program] = relationship()
    milestone: Mapped[ProgramTerm] = relationship()

    __table_args__ = (
        CheckConstraint("number IS NULL OR number >= 0", name="number"),
        Index("ix_case_milestones_program_achieved", "program_id", "milestone_id", "achieved_on"),
    )

    def __str__(self):
        return f"{self.milestone.label} {self.achieved_on:%Y-%m-%d}"


# ---------------------------------------------------------------------------------------------
# Follow-up and referrals
# ---------------------------------------------------------------------------------------------

class FollowUp(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(32), default="manual")  # manual, founded+3m, ...
    source_key: Mapped[str | None] = mapped_column(String(100), unique=True)  # makes auto-creation idempotent
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    still_in_business: Mapped[bool | None] = mapped_column(Boolean)
    employees: Mapped[int | None] = mapped_column(Integer)
    sales_trend: Mapped[str | None] = mapped_column(String(16))  # up / flat / down
    jobs_retained: Mapped[int | None] = mapped_column(Integer)
    findings: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship()
    case: Mapped[Case | None] = relationship()
    center: Mapped[Center] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])

    @property
    def is_auto(self) -> bool:
        return self.source != "manual"

    __table_args__ = (Index("ix_follow_ups_assignee_due", "assignee_id", "completed_on", "due_on"),)


class Referral(Timestamped, Versioned, Voidable, db.Model):
    """A referral between centers; consent is required (third-party provision, APPI art. 27)."""
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    from_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    from_center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    to_center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    to_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    referred_on: Mapped[dt.date] = mapped_column(Date)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_on: Mapped[dt.date] = mapped_column(Date)
    consent_method: Mapped[str] = mapped_column(String(50))  # 書面, 口頭, 電子メール
    note: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship()
    from_center: Mapped[Center] = relationship(foreign_keys=[from_center_id])
    to_center: Mapped[Center] = relationship(foreign_keys=[to_center_id])
    referred_by: Mapped[User | None] = relationship(foreign_keys=[referred_by_id])


# ---------------------------------------------------------------------------------------------
# Reminders, notifications and scheduled job runs
# ---------------------------------------------------------------------------------------------

class Notification(Timestamped, db.Model):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    digest_on: Mapped[dt.date | None] = mapped_column(Date)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # What the reminder is about ("followup:12"); one notification per user, item and day.
    item_key: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        UniqueConstraint("user_id", "item_key", "digest_on", name="uq_notifications_user_item_day"),
    )


class JobRun(db.Model):
    """One run of a scheduled job for one period; the unique key makes a run happen once."""
    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))  # e.g. 2024-05-07 or 2024-04
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    detail: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_runs_job_period"),)


class TallySnapshot(Timestamped, db.Model):
    """A stored monthly tally (same metrics as `casework tally`)."""
    __tablename__ = "tally_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    data: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))  # detects records changed since
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ReportMonthChange(db.Model):
    """How often a closed month's counted records changed: database triggers on consultations,
    their themes and clients add 1 (casework/reporting/month_changes.py), whatever wrote the row
    (the app, an import, a merge, SQL by hand). A stored month whose count moved on is stale."""
    __tablename__ = "report_month_changes"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    changes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class ReportRollupMonth(db.Model):
    """One stored month of one figure (a rule's count, or a breakdown): what it was computed
    from (the month's change count then) and whether it was restated after the month closed."""
    __tablename__ = "report_rollup_months"
    figure: Mapped[str] = mapped_column(String(40), primary_key=True)  # reporting/rollup.figure_key
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    changes_seen: Mapped[int] = mapped_column(BigInteger, nullable=False)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    restated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # last recount after a change
    restatements: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (Index("ix_report_rollup_months_month", "month"),)


class ReportRollup(db.Model):
    """A stored figure of a closed month: a rule's count or sum (entry ''), or one entry of a
    breakdown (entry = theme / industry code). Zeros are not stored."""
    __tablename__ = "report_rollups"
    figure: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    entry: Mapped[str] = mapped_column(String(40), primary_key=True, default="")
    value: Mapped[int] = mapped_column(BigInteger, nullable=False)


# ---------------------------------------------------------------------------------------------
# Audit log (append-only from the app's point of view)
# ---------------------------------------------------------------------------------------------

class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)  # UTC
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    login: Mapped[str | None] = mapped_column(String(64))  # kept for failed logins of unknown users
    action: Mapped[str] = mapped_column(String(32))  # view, create, change, void, export, login, ...
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    center_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    detail: Mapped[dict | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)


# ---------------------------------------------------------------------------------------------
# Program defaults: a record written without a program gets its center's default for its kind
# ---------------------------------------------------------------------------------------------

PROGRAM_KIND_OF = {Consultation: "consultation", Case: "case", Event: "event", Grant: "grant",
                   DispatchVisit: "dispatch", Diagnosis: "diagnosis"}


def default_program_id(session, center_id: int | None, kind: str) -> int | None:
    """The program a record of this kind gets at this center when none is chosen: the center's
    program whose default_for names the kind, else the one that takes its consultations, else
    its first. A record without a center (事業承継診断) gets the program that is default for the kind."""
    stmt = select(Program.id, Program.default_for).order_by(Program.sort_order, Program.id)
    stmt = stmt.where(Program.center_id == center_id) if center_id is not None else stmt
    rows = session.execute(stmt).all()
    if center_id is None:
        return next((pid for pid, d in rows if kind in (d or "").split(";")), None)
    for wanted in (kind, "consultation"):
        found = next((pid for pid, d in rows if wanted in (d or "").split(";")), None)
        if found is not None:
            return found
    return rows[0][0] if rows else None


@event.listens_for(Session, "before_flush")
def _assign_default_programs(session, _context, _instances):
    cache: dict = {}
    with session.no_autoflush:
        # cases first: a consultation takes its (possibly new) case's program
        for obj in sorted(session.new, key=lambda o: not isinstance(o, Case)):
            kind = PROGRAM_KIND_OF.get(type(obj))
            if kind is None or obj.program_id is not None:
                continue
            if isinstance(obj, Consultation):
                case = obj.case if obj.case is not None else (
                    session.get(Case, obj.case_id) if obj.case_id is not None else None)
                if case is not None and case.program_id is not None and case.center_id == obj.center_id:
                    obj.program_id = case.program_id
                    continue
            key = (obj.center_id, kind)
            if key not in cache:
                cache[key] = default_program_id(session, obj.center_id, kind)
            obj.program_id = cache[key]


# ---------------------------------------------------------------------------------------------
# Report definitions (the annual report's sections and rows as data, edited by admins;
# counted by casework/reporting — see docs/reporting.md)
# ---------------------------------------------------------------------------------------------

REPORT_ROW_KINDS = {"figure": "数値", "breakdown": "内訳（主な業種・主な相談テーマ）", "list": "一覧表"}
REPORT_AGGREGATIONS = {"records": "件数（延べ）", "clients": "企業数（実数）", "sum": "合計"}


class ReportSection(Timestamped, Versioned, db.Model):
    """A table of the annual report: 「(1) ① ワンストップ総合相談事業」 and its rows."""
    __tablename__ = "report_sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)  # the JSON/CSV section key
    number: Mapped[str | None] = mapped_column(String(20))  # as printed: 1(1)①
    title: Mapped[str] = mapped_column(String(200))
    center_code: Mapped[str | None] = mapped_column(String(32))  # whose records (None: every center)
    optional: Mapped[bool] = mapped_column(Boolean, default=False)  # shown only when it counts something
    note: Mapped[str | None] = mapped_column(Text)  # printed under the table (※「累計」欄は…)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 「令和4年度 (令和5年度事業)」: a round adopted in one fiscal year for the project of a later one
    project_year_offset: Mapped[int | None] = mapped_column(Integer)
    # "event": besides its rows, one table per event of the fiscal year whose records the rows count
    split_by: Mapped[str | None] = mapped_column(String(16))
    # those tables' columns: "全体;うち青森県（受注企業）" (the second sums the うち県内 counts)
    column_labels: Mapped[str | None] = mapped_column(String(200))

    rows: Mapped[list["ReportRow"]] = relationship(back_populates="section", order_by="ReportRow.sort_order")


class ReportRow(Timestamped, Versioned, db.Model):
    """A row of a report table: a figure (a metric), a breakdown or a list of records."""
    __tablename__ = "report_rows"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("report_sections.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="figure")  # REPORT_ROW_KINDS
    source: Mapped[str] = mapped_column(String(32))  # record kind (reporting.sources.SOURCES)
    date_column: Mapped[str | None] = mapped_column(String(32))  # None: the record kind's date
    center_code: Mapped[str | None] = mapped_column(String(32))
    program_code: Mapped[str | None] = mapped_column(String(32))
    channels: Mapped[str | None] = mapped_column(String(200))  # ';'-separated codes
    event_kinds: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(32))
    decision: Mapped[str | None] = mapped_column(String(16))
    activity: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(64))
    side: Mapped[str | None] = mapped_column(String(16))
    course: Mapped[str | None] = mapped_column(String(64))
    milestone: Mapped[str | None] = mapped_column(String(64))
    null_center_is: Mapped[str | None] = mapped_column(String(32))
    aggregation: Mapped[str] = mapped_column(String(16), default="records")  # REPORT_AGGREGATIONS
    sum_of: Mapped[str | None] = mapped_column(String(32))  # amount / participants / number
    unit: Mapped[str] = mapped_column(String(8), default="件")
    cumulative_from: Mapped[int | None] = mapped_column(Integer)  # 累計 from this fiscal year
    combine_with: Mapped[str | None] = mapped_column(String(40))  # 「4社（派遣延べ回数 16回）」
    breakdown_of: Mapped[str | None] = mapped_column(String(40))  # breakdowns: the row broken down
    breakdown_by: Mapped[str | None] = mapped_column(String(16))  # theme / industry
    list_columns: Mapped[str | None] = mapped_column(String(200))  # lists: ';'-separated columns
    sort_order: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    section: Mapped[ReportSection] = relationship(back_populates="rows")
    openings: Mapped[list["ReportOpeningBalance"]] = relationship(
        back_populates="row", order_by="ReportOpeningBalance.as_of_fy", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("section_id", "key", name="uq_report_rows_section_key"),
        CheckConstraint("kind IN ('figure','breakdown','list')", name="kind"),
        CheckConstraint("aggregation IN ('records','clients','sum')", name="aggregation"),
    )


# What the program rows of the report count read from one index (as ix_consultations_held_counted
# does for the center rows): a program's consultations by date, with the columns they filter on
# (center_id too since revision 0013: a program row may name its center as well).
Index("ix_consultations_program_counted", Consultation.program_id, Consultation.held_on, Consultation.activity_id,
      Consultation.category_id, Consultation.center_id, Consultation.channel_code, Consultation.client_id,
      Consultation.voided_at)


class ReportOpeningBalance(Timestamped, db.Model):
    """The 累計 of the years before casework: the total of every fiscal year before as_of_fy."""
    __tablename__ = "report_opening_balances"
    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("report_rows.id", ondelete="CASCADE"), index=True)
    as_of_fy: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(200))

    row: Mapped[ReportRow] = relationship(back_populates="openings")

    __table_args__ = (UniqueConstraint("row_id", "as_of_fy", name="uq_report_opening_balances_row_fy"),)


# ---------------------------------------------------------------------------------------------
# API tokens (issue 15: the JSON API, casework/api/): personal tokens a user creates and revokes
# at アカウント → API トークン. Only the SHA-256 of the token is stored; the token itself is shown
# once. A token acts as its user (same role, centers, visibility) within its scope.
# ---------------------------------------------------------------------------------------------

API_TOKEN_SCOPES = {"read": "読み取りのみ", "write": "読み取りと書き込み"}


class ApiToken(Timestamped, db.Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # what the user calls it (Excel 集計表 …)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the token
    prefix: Mapped[str] = mapped_column(String(12))  # the token's first characters, to tell tokens apart
    scope: Mapped[str] = mapped_column(String(8), default="read")
    expires_on: Mapped[dt.date] = mapped_column(Date)  # last day it works (Asia/Tokyo)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint("scope IN ('read','write')", name="scope"),)

    @property
    def scope_label(self) -> str:
        return API_TOKEN_SCOPES.get(self.scope, self.scope)


# ---------------------------------------------------------------------------------------------
# Documents on records (添付書類): the files live under ATTACHMENTS_DIR (random names, 0600),
# only their description is here — never the bytes. See casework/services/attachments.py.
# ---------------------------------------------------------------------------------------------

ATTACHMENT_RECORD_KINDS = {"client": "相談先", "case": "案件", "dispatch": "専門家派遣",
                           "profile": "譲渡・譲受希望", "deal": "ディール"}


class Attachment(Timestamped, Versioned, Voidable, db.Model):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(16))  # ATTACHMENT_RECORD_KINDS
    record_id: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)  # random; the file's name on disk
    original_name: Mapped[str] = mapped_column(String(255))  # sanitized, as shown and offered on download
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))  # detected from the content
    label: Mapped[str | None] = mapped_column(String(100))  # e.g. 報告書（訪問 2024-05-01）
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])

    __table_args__ = (
        CheckConstraint("record_kind IN ('client','case','dispatch','profile','deal')", name="record_kind"),
        CheckConstraint("size >= 0", name="size"),
        Index("ix_attachments_record", "record_kind", "record_id"),
    )


# ---------------------------------------------------------------------------------------------
# Outreach days (出張相談会) planned ahead with time slots, and each user's calendar feed
# ---------------------------------------------------------------------------------------------

outreach_day_staff = Table(
    "outreach_day_staff", db.metadata,
    Column("day_id", ForeignKey("outreach_days.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Index("ix_outreach_day_staff_user", "user_id"),
)


class OutreachDay(Timestamped, Versioned, Voidable, db.Model):
    """A planned 出張相談会: place, center, staff, slots. Its Event (kind outreach_day, what the
    report counts) is made when the first consultation is logged from one of its slots."""
    __tablename__ = "outreach_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    center: Mapped[Center] = relationship()
    event: Mapped[Event | None] = relationship()
    staff: Mapped[list[User]] = relationship(secondary=outreach_day_staff, order_by=User.id, lazy="selectin")
    slots: Mapped[list["OutreachSlot"]] = relationship(order_by="OutreachSlot.starts_at", back_populates="day")

    __table_args__ = (Index("ix_outreach_days_center_held", "center_id", "held_on"),)


class OutreachSlot(Timestamped, Versioned, db.Model):
    """One time slot of an outreach day; booked when it has a client, done when it has a consultation."""
    __tablename__ = "outreach_slots"
    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("outreach_days.id"), index=True)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(String(200))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))

    day: Mapped[OutreachDay] = relationship(back_populates="slots")
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    client: Mapped[Client | None] = relationship()
    consultation: Mapped[Consultation | None] = relationship()

    __table_args__ = (
        UniqueConstraint("day_id", "starts_at", name="uq_outreach_slots_day_start"),
        CheckConstraint("ends_at > starts_at", name="slot_times"),
    )


class CalendarFeed(Timestamped, db.Model):
    """A user's secret iCalendar URL: only the SHA-256 of its token is kept."""
    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # None: revoked
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


month_changes.register(db.metadata)  # report_month_changes kept by triggers (reporting/rollup.py)
