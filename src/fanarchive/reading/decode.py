"""Turn an uploaded file's bytes into clean text, or say why it cannot be.

Fan works arrive as UTF-8, as Windows-1252 from old word processors, with
mojibake from a past mis-decoding ("donâ€™t"), or as something that is not
text at all (a PDF, an image). :func:`decode` handles the first three and
refuses the last with a :class:`ReaderError` whose message a person can act on.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer
import ftfy

from .model import ReaderError

DEFAULT_MAX_BYTES = 20_000_000

# Leading bytes of common binary formats people upload by mistake.
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "a ZIP archive, e.g. DOCX or EPUB"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "old Word document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, form feed and carriage return, plus DEL.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BINARY_CONTROL_RATIO = 0.05
_BINARY_UNDECODABLE_RATIO = 0.25
_SAMPLE_CHARS = 65_536
# A character that only appears in text decoded with the wrong codec:
# UTF-8 lead bytes read as Latin-1/Windows-1252, then a continuation byte.
_MOJIBAKE_HINT_RE = re.compile(
    "[\u00c2\u00c3\u00c5\u00c6\u00ce\u00cf\u00d0\u00d1\u00e2\u00ef]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Non-ASCII characters Western European text in Windows-1252 is made of.
_CP1252_WESTERN = frozenset(
    [chr(c) for c in range(0xA0, 0x100)] + list("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
)


@dataclass
class Decoded:
    """Text ready for the structure reader, with how it was obtained."""

    text: str
    encoding: str
    repaired_mojibake: bool = False


def decode(source: str | bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode ``source`` to normalised text (``\\n`` newlines, NFC).

    Raises :class:`ReaderError` for empty, oversized or binary input. Never
    fails on invalid UTF-8: undecodable bytes become U+FFFD.
    """
    if isinstance(source, str):
        size = len(source) if source.isascii() else len(source.encode("utf-8", "surrogatepass"))
        _check_size(size, max_bytes)
        _check_not_binary(source[:_SAMPLE_CHARS])
        text, encoding = _drop_surrogates(source), "unicode"
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        _check_size(len(data), max_bytes)
        text, encoding = _decode_bytes(data)
        _check_not_binary(text[:_SAMPLE_CHARS])
    else:
        raise TypeError(f"expected str or bytes, got {type(source).__name__}")

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReaderError("file is empty" if not text else "file is empty (only whitespace)")
    text, repaired = _repair_mojibake(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Decoded(text=text, encoding=encoding, repaired_mojibake=repaired)


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise ReaderError("file is empty")
    if size > max_bytes:
        raise ReaderError(f"file is {_human_size(size)}, over the {_human_size(max_bytes, exact=True)} limit")


def _human_size(size: int, *, exact: bool = False) -> str:
    """'31.2 MB', '12.0 KB', '80 bytes' (``exact`` drops a needless '.0': '20 MB')."""
    for unit, scale in (("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:g} {unit}" if exact else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _check_not_binary(sample: str) -> None:
    """Refuse text whose sample is full of control or undecodable characters (a binary file)."""
    controls = len(_CONTROL_RE.findall(sample))
    undecodable = sample.count("\ufffd")
    if (
        "\x00" in sample
        or controls > _BINARY_CONTROL_RATIO * len(sample)
        or undecodable > _BINARY_UNDECODABLE_RATIO * len(sample)
    ):
        raise ReaderError("file looks binary, not text")


def _decode_bytes(data: bytes) -> tuple[str, str]:
    """Return the text and the name of the encoding used."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise ReaderError(f"file looks binary ({kind}?), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16 is None:
            raise ReaderError("file looks binary (it contains NUL bytes), not text")
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    good_multibyte = _count_non_ascii(lenient) - lenient.count("\ufffd")
    if good_multibyte and good_multibyte >= bad:
        return lenient, "utf-8"  # mostly UTF-8 with a few damaged bytes
    western = _try_cp1252(data)
    if western is not None:
        return western, "cp1252"
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return lenient, "utf-8"
    return data.decode(best.encoding, errors="replace"), best.encoding


def _guess_utf16(data: bytes) -> str | None:
    """Name UTF-16 without a BOM when NULs sit in every other byte, else None."""
    sample = data[:4096]
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def _try_cp1252(data: bytes) -> str | None:
    """Decode as Windows-1252 when the result looks like Western text.

    charset-normalizer cannot tell the Western code pages apart on short
    English text (it may pick cp1250 and turn "è" into "č"), so the common
    case is checked first: few non-ASCII letters, all of them Western.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if not set(_NON_ASCII_RE.findall(text)) <= _CP1252_WESTERN:
        return None
    if _count_non_ascii(text) > 0.5 * max(1, len(_LETTER_RE.findall(text))):
        return None  # mostly accented letters: probably Cyrillic or Greek
    return text


def _count_non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _drop_surrogates(text: str) -> str:
    """Replace lone surrogates (from a broken upstream decode) with U+FFFD."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _repair_mojibake(text: str) -> tuple[str, bool]:
    """Fix lines garbled by an earlier wrong decoding, e.g. "donâ€™t".

    Only lines that contain a mojibake signature are handed to ftfy, so
    clean text costs one regex scan.
    """
    if text.isascii() or not _MOJIBAKE_HINT_RE.search(text):
        return text, False
    lines = text.split("\n")
    repaired = False
    for index, line in enumerate(lines):
        if _MOJIBAKE_HINT_RE.search(line):
            fixed = ftfy.fix_encoding(line)
            if fixed != line:
                lines[index] = fixed
                repaired = True
    return "\n".join(lines), repaired
