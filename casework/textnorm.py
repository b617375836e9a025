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
