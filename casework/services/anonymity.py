"""The ノンネームシート check: before a seller's or buyer's sheet is shown or printed, its text
(概要, 理由) is checked against what identifies the company — name (with and without 株式会社 …),
kana, 法人番号, representative, address, phone. A sheet with a match is refused with the matches
highlighted, until staff confirm the anonymisation explicitly (audited, for this version of
the profile: an edit asks again)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, MatchProfile
from . import audit

CHECKED_FIELDS = {"summary": "概要", "reasons": "理由"}
LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)",
               "かぶしきがいしゃ", "ゆうげんがいしゃ", "ごうどうがいしゃ")
_SKIPPED = set("-‐‑‒–—―ー－()（）・.,、。") 


def _fold(text: str) -> tuple[str, str, list[int]]:
    """(NFKC text, folded text, position in the NFKC text of each folded character): lower case,
    katakana → hiragana, spaces and separators dropped, so '03-1234-5678' finds '0312345678'."""
    norm = unicodedata.normalize("NFKC", text or "")
    out, where = [], []
    for i, ch in enumerate(norm):
        if ch.isspace() or ch in _SKIPPED:
            continue
        ch = ch.lower()
        if "\u30a1" <= ch <= "\u30f6":
            ch = chr(ord(ch) - 0x60)
        out.append(ch)
        where.append(i)
    return norm, "".join(out), where


@dataclass
class Finding:
    field: str  # summary / reasons
    what: str  # 名称, フリガナ, …
    text: str  # as found in the sheet's text


def _needles(profile: MatchProfile) -> list[tuple[str, str]]:
    client = profile.case.client
    needles = []

    def add(what, value, minimum=2):
        folded = _fold(value or "")[1]
        if len(folded) >= minimum:
            needles.append((what, folded))

    add("名称", client.name)
    core = _fold(client.name or "")[1]
    kana = _fold(client.name_kana or "")[1]
    for word in LEGAL_FORMS:
        core, kana = core.replace(_fold(word)[1], ""), kana.replace(_fold(word)[1], "")
    add("名称", core)
    add("フリガナ", client.name_kana, 3)
    add("フリガナ", kana, 3)
    add("法人番号", client.corporate_number, 13)
    add("代表者", client.representative)
    for part in (client.representative or "").split():
        add("代表者", part)
    add("所在地", client.address, 4)
    for part in re.split(r"[\s　]+", client.address or ""):
        if re.search(r"\d", part):  # 番地 parts identify; a town name alone does not
            add("所在地", part, 4)
    add("電話番号", client.contact_phone, 6)
    add("担当者", client.contact_name)
    return needles


def findings(profile: MatchProfile) -> list[Finding]:
    found = []
    for field in CHECKED_FIELDS:
        norm, folded, where = _fold(getattr(profile, field) or "")
        for what, needle in _needles(profile):
            start = folded.find(needle)
            if start >= 0:
                end = where[start + len(needle) - 1] + 1
                found.append(Finding(field, what, norm[where[start]:end]))
    return found


def highlighted(profile: MatchProfile, field: str, found: list[Finding]) -> Markup:
    """The field's text with each finding marked (<mark>), escaped, newlines kept."""
    norm = unicodedata.normalize("NFKC", getattr(profile, field) or "")
    spans = []
    for f in found:
        if f.field == field:
            for m in re.finditer(re.escape(f.text), norm):
                spans.append((m.start(), m.end()))
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [escape(norm[last:start]), Markup("<mark>"), escape(norm[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(norm[last:]))
    return Markup("").join(out).replace("\n", Markup("<br>"))


def confirmed(profile: MatchProfile) -> bool:
    """Staff confirmed this version of the profile as anonymous."""
    entries = db.session.scalars(select(AuditEntry.detail).where(
        AuditEntry.action == "confirm_anonymous", AuditEntry.object_type == "MatchProfile",
        AuditEntry.object_id == profile.id))
    return any(isinstance(d, dict) and d.get("version") == profile.version for d in entries)


def confirm_anonymous(profile: MatchProfile, *, note: str | None, by) -> None:
    found = findings(profile)
    audit.record("confirm_anonymous", profile, user=by, center_id=profile.case.center_id, detail={
        "version": profile.version, "confidential": True, "note": (note or "").strip() or None,
        "matches": sorted({f.what for f in found})})
