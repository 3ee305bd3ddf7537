"""Which text encoding a file is written in, decided so that a person never sees mojibake.

`detect(data) -> (encoding, has_bom)`; `decode(data, filename) -> (text, encoding)`.

Order: byte-order marks; UTF-16 without a BOM (NUL bytes in every other position); strict UTF-8
(which never decodes legacy text by accident); then each legacy code page our users' spreadsheets
come in is tried strictly on the lines that hold non-ASCII bytes, and the one whose text is most
plausible wins. Plausibility counts characters that real names and words in that code page's
languages use (Polish ł ą ż, Cyrillic, kana, common hanzi/kanji) and penalises what mis-decoding
produces (symbols inside words, private-use characters, rare ideographs, half-width katakana).
General-purpose detectors guess wrong on the short files that are typical here (a few dozen
rows of names); charset-normalizer is only asked when no candidate decodes at all.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from retention.ingest.errors import IngestError

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Legacy code pages, most common first (ties go to the earlier one).
CANDIDATES = ["cp1252", "cp1250", "cp1251", "cp932", "gb18030", "cp950", "iso8859_2", "koi8_r"]
SAMPLE_BYTES = 256_000

# How often a letter occurs in the languages written in each Latin code page (1 common … 0.3 rare);
# letters of a code page not listed score 0.5.
_LATIN_WEIGHTS = {
    "cp1252": {**dict.fromkeys("éèàçüöäßñáíóúêâôîûëïÉÈÀÇÜÖÄÑÁÍÓÚÊÂÔÎÛ", 1.0),
               **dict.fromkeys("øåæØÅÆ", 0.9), **dict.fromkeys("õãòìùœÕÃŒšžŠŽ", 0.7), **dict.fromkeys("ÒÌÙÿýÝþðÞÐ", 0.4)},
    "cp1250": {**dict.fromkeys("ąćęłńóśźżĄĆĘŁŃÓŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽáéíóúýäöüôőűÁÉÍÓÚÝÄÖÜÔŐŰ", 1.0),
               **dict.fromkeys("ăâîșțşţĂÂÎŞŢđĐ", 0.7), **dict.fromkeys("ĺľĹĽŕŔ", 0.4)},
}
_LATIN_WEIGHTS["iso8859_2"] = _LATIN_WEIGHTS["cp1250"]
# Cyrillic letters of Russian, Ukrainian and Belarusian; the rest of the block is rare in our files.
_CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐўЎ")
# Non-letter characters that real spreadsheets contain.
_COMMON_MARKS = set("\u00a0«»„“”‘’‚–—…€£¥§°·×№₽₴₹¢\u202f、。，・「」『』（）：；！？～ー〜　【】")


def _bom(data: bytes) -> str | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) > 0.3 * len(head) / 2:
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


def _non_ascii_lines(data: bytes, around: int = 0) -> bytes:
    """Lines holding non-ASCII bytes (what tells encodings apart), up to SAMPLE_BYTES, from the start of
    the file and from around byte `around` (where UTF-8 first failed)."""
    out, size = [], 0
    for start in sorted({0, max(0, around - SAMPLE_BYTES)}):
        for match in re.finditer(rb"[^\n]*[\x80-\xff][^\n]*", data[start:start + 8 * SAMPLE_BYTES]):
            out.append(match.group())
            size += len(out[-1])
            if size >= SAMPLE_BYTES:
                return b"\n".join(out)
    return b"\n".join(out)


def _cjk_score(ch: str, encoding: str) -> float:
    """Common ideographs of the code page's language score 1, rare ones little: mis-decoded
    double-byte text lands mostly on rare ideographs."""
    try:
        code = ch.encode(encoding)
    except UnicodeEncodeError:
        return 0.1
    if len(code) != 2:
        return 0.1
    value = code[0] << 8 | code[1]
    if encoding == "gb18030":  # GB2312 level 1 and 2: the 6,763 hanzi in everyday use
        return 1.0 if 0xB0A1 <= value <= 0xF7FE and code[1] >= 0xA1 else 0.15
    if encoding == "cp950":  # Big5 level 1: the 5,401 frequent traditional characters
        return 1.0 if 0xA440 <= value <= 0xC67E else 0.2
    if encoding == "cp932":  # JIS X 0208 level 1 and 2 kanji
        return 1.0 if 0x889F <= value <= 0x9872 else 0.5 if 0x989F <= value <= 0xEAA4 else 0.1
    return 0.1


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin"
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff61" <= ch <= "\uff9f":
        return "cjk"
    if unicodedata.category(ch).startswith("L") and ch < "\u0250":
        return "latin"
    return "other"


def _char_score(ch: str, encoding: str, after_letter: bool) -> float:
    if "\u3040" <= ch <= "\u30ff":  # hiragana, katakana
        return 1.0 if encoding == "cp932" else 0.3
    if "\u4e00" <= ch <= "\u9fff":
        return _cjk_score(ch, encoding)
    if "\uff61" <= ch <= "\uff9f":  # half-width katakana: what Cyrillic or Latin becomes in Shift-JIS
        return 0.2 if encoding == "cp932" else -1.0
    if "\u0400" <= ch <= "\u04ff":
        return (1.0 if ch in _CYRILLIC else 0.3) if encoding in ("cp1251", "koi8_r") else 0.5
    category = unicodedata.category(ch)
    if category.startswith("L"):
        return _LATIN_WEIGHTS.get(encoding, {}).get(ch, 0.5 if ch < "\u0250" else 0.1)
    if ch in _COMMON_MARKS or "\uff01" <= ch <= "\uff5e":  # full-width ASCII forms
        return 0.0 if after_letter and ch in "€£¥§°·×№¢" else 0.6
    if category in ("Co", "Cn", "Cc", "Cs") or ch == "\ufffd":
        return -2.0
    return -1.0  # symbols such as ¹ ³ ¿ ¯ Ÿ: what ą ł ż Ż ź look like in the wrong code page


def _word_penalty(word: str) -> float:
    """Per non-ASCII character of a word whose letters could not be a real word: scripts mixed
    (Franзois), a capital after a small letter (нКЪ), or a Latin word made only of accented letters (êëèåíò)."""
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return 0.0
    scripts = {_script(ch) for ch in letters}
    if len(scripts - {"other"}) > 1 and "cjk" not in scripts:
        return 1.5
    if any(a.islower() and b.isupper() for a, b in zip(letters, letters[1:])):
        return 1.0
    if scripts == {"latin"} and len(letters) >= 4 and not any(ch.isascii() for ch in letters):
        return 1.0
    return 0.0


def _glued_to_digit(token: str, i: int) -> bool:
    ch = token[i]
    if not ch.isalpha() or _script(ch) == "cjk" and not "\uff61" <= ch <= "\uff9f":
        return False
    return (i > 0 and token[i - 1].isdigit()) or (i + 1 < len(token) and token[i + 1].isdigit())


def plausibility(text: str, encoding: str) -> float:
    """Mean plausibility of the non-ASCII characters of `text` decoded as `encoding` (higher is better)."""
    score, count = 0.0, 0
    for word in text.split():
        for token in word.replace(",", " ").replace(";", " ").replace("|", " ").split():
            extra = [i for i, ch in enumerate(token) if ch >= "\x80"]
            if not extra:
                continue
            penalty = _word_penalty(token)
            for i in extra:
                score += _char_score(token[i], encoding, i > 0 and token[i - 1].isalpha()) - penalty
                if _glued_to_digit(token, i):  # 0.00Ą is a mis-decoded 0.00¥; 1200円 is fine
                    score -= 0.5
            count += len(extra)
    return score / count if count else 1.0


def detect(data: bytes) -> str:
    """The Python codec name for the bytes of a text file; ValueError("binary" | "unknown") when none fits."""
    bom = _bom(data)
    if bom:
        return bom
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    if b"\x00" in data[:4096]:
        raise ValueError("binary")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # a file cut in the middle of its last character
        failed_at = exc.start
    sample = _non_ascii_lines(data, failed_at)
    ranked = []
    for rank, encoding in enumerate(CANDIDATES):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        ranked.append((plausibility(text, encoding), -rank, encoding))
    if ranked:
        return max(ranked)[2]
    from charset_normalizer import from_bytes

    match = from_bytes(data[:SAMPLE_BYTES]).best()
    if match is None:
        raise ValueError("unknown")
    return match.encoding


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """Bytes of a text file → (text without BOM, codec name). IngestError when it is not text."""
    encoding = detect_or_fail(data, filename)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        # The sample chose a code page that a later line contradicts: take the next one that fits.
        text = None
        for other in CANDIDATES:
            try:
                text, encoding = data.decode(other), other
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding


def detect_or_fail(data: bytes, filename: str) -> str:
    """detect(), with a sentence for the person when the bytes are not text."""
    try:
        return detect(data)
    except ValueError as exc:
        raise IngestError(filename, "binary" if str(exc) == "binary" else "unknown_encoding") from exc


def display_name(encoding: str) -> str:
    """Codec name → the name people know (Windows-1250, Shift-JIS, UTF-16, …)."""
    names = {
        "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
        "utf-16-be": "UTF-16 BE", "utf-32": "UTF-32", "cp1250": "Windows-1250", "cp1251": "Windows-1251",
        "cp1252": "Windows-1252", "cp932": "Shift-JIS", "gb18030": "GB18030 (GBK)", "cp950": "Big5",
        "iso8859_2": "ISO-8859-2", "koi8_r": "KOI8-R",
    }
    return names.get(encoding, encoding)
