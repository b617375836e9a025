"""Text folding for search: full/half width, hiragana/katakana and case are made equal."""
import re
import unicodedata

_KATAKANA = re.compile(r"[\u30a1-\u30f6]")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """NFKC (half-width kana → full, full-width ASCII → half), katakana → hiragana, lower case,
    spaces removed: 'ｶﾌﾞｼｷｶﾞｲｼｬ' and 'かぶしき がいしゃ' fold to the same string."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).lower()
    s = _KATAKANA.sub(lambda m: chr(ord(m.group()) - 0x60), s)
    return _SPACES.sub("", s)


def client_search_text(name: str | None, kana: str | None, corporate_number: str | None) -> str:
    return " ".join(part for part in (fold(name), fold(kana), corporate_number or "") if part)


def valid_corporate_number(number: str) -> bool:
    """法人番号: 13 digits, the first is a check digit over the other 12 (国税庁 specification)."""
    if not re.fullmatch(r"\d{13}", number or ""):
        return False
    digits = [int(c) for c in number[1:]]  # 12 base digits, most significant first
    total = sum(d * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(digits)))
    return int(number[0]) == 9 - total % 9


# ---------------------------------------------------------------------------------------------
# One normaliser for names and text typed by people (forms; imports use the same functions)
# ---------------------------------------------------------------------------------------------

# Bidi embedding/override/isolate controls: they reorder what a reader sees (U+202E makes
# "txt.exe" read "exe.txt") and never belong in a name.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that render as nothing (zero-width space/joiners, word joiner, BOM…).
INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063"
                      "\u2064\u3164\ufeff\uffa0")


class NameRefused(ValueError):
    """A name that would show as nothing; str() is the Japanese message."""


def clean_text(text: str | None, *, multiline: bool = True) -> str:
    """NFC; NUL and other control characters dropped (newlines and tabs kept in multi-line
    text, turned into spaces in one line); bidi controls dropped."""
    if not text:
        return ""
    s = unicodedata.normalize("NFC", text)
    out = []
    for ch in s:
        if ch in BIDI_CONTROLS:
            continue
        if ch in "\r\n\t":
            out.append(ch if multiline else " ")
            continue
        if unicodedata.category(ch) == "Cc":
            continue
        out.append(ch)
    s = "".join(out)
    if multiline:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s


def has_visible(text: str | None) -> bool:
    """Whether any character of text shows as something (not space, control, format or invisible)."""
    for ch in text or "":
        if ch in INVISIBLE or ch.isspace():
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn", "Cs"):
            continue
        return True
    return False


def clean_name(text: str | None) -> str:
    """A name as stored: clean_text on one line, invisible and format characters dropped, trimmed. Raises NameRefused when nothing visible is left (U+200B, U+202E U+202E…)."""
    s = clean_text(text, multiline=False)
    s = "".join(ch for ch in s if ch not in INVISIBLE and unicodedata.category(ch) != "Cf")
    s = s.strip()
    if s and not has_visible(s):
        raise NameRefused("名前に表示できる文字がありません。")
    if not s and text and text.strip(" \u3000"):
        raise NameRefused("名前に表示できる文字がありません。")
    return s
