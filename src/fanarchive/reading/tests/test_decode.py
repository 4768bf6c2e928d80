"""Decoding uploaded bytes: encodings, mojibake, and refusing what is not text."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanarchive.reading.decode import decode
from fanarchive.reading.model import ReaderError

FIXTURES = Path(__file__).parent / "fixtures"


def test_utf8_passes_through_with_newlines_normalised():
    decoded = decode("“Hi,” said Willow.\r\nBye.\r".encode("utf-8"))
    assert decoded.text == "“Hi,” said Willow.\nBye.\n"
    assert decoded.encoding == "utf-8"
    assert not decoded.repaired_mojibake


def test_str_input_is_accepted_and_bom_dropped():
    decoded = decode("\ufeffPlain words.")
    assert decoded.text == "Plain words."
    assert decoded.encoding == "unicode"


def test_windows_1252_file_is_read_as_western_text():
    decoded = decode((FIXTURES / "latin1.txt").read_bytes())
    assert decoded.encoding == "cp1252"
    assert "café crème" in decoded.text
    assert "façade" in decoded.text and "Très" in decoded.text


def test_mojibake_is_repaired_and_reported():
    decoded = decode((FIXTURES / "mojibake.txt").read_bytes())
    assert decoded.repaired_mojibake
    assert "Cordelia didn’t wait" in decoded.text
    assert "“We’re going,”" in decoded.text
    assert "â€" not in decoded.text


def test_invalid_utf8_bytes_are_replaced_not_fatal():
    data = "It’s fine — mostly.".encode("utf-8") + b"\xff\xfe oops"
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("It’s fine — mostly.")
    assert "\ufffd" in decoded.text


def test_utf16_with_bom_is_decoded():
    decoded = decode("Dawn sighed.".encode("utf-16"))
    assert decoded.text == "Dawn sighed."
    assert decoded.encoding.startswith("utf-16")


def test_utf16_without_bom_is_not_mistaken_for_binary():
    decoded = decode("Anya counted the till twice.".encode("utf-16-le"))
    assert decoded.text == "Anya counted the till twice."


def test_cyrillic_windows_1251_is_detected():
    text = "Она закрыла книгу и посмотрела в окно. Было уже темно, и дождь не переставал."
    decoded = decode(text.encode("cp1251"))
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\t \r\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary (PDF?)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary (a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary (PNG image?)"),
        (b"abc\x00def\x00\x01\x02ghi", "binary"),
        (bytes(range(1, 9)) * 50 + b"some text", "binary"),
        (b"ok " + b"\xff\xfe\xfd" * 40, "binary"),
    ],
)
def test_unreadable_input_is_refused_with_a_clear_message(data, message):
    with pytest.raises(ReaderError) as raised:
        decode(data)
    assert message in str(raised.value)


def test_size_limit_message_names_both_sizes():
    with pytest.raises(ReaderError) as raised:
        decode(b"a" * 31_234_567, max_bytes=20_000_000)
    assert str(raised.value) == "file is 31.2 MB, over the 20 MB limit"


def test_size_limit_counts_utf8_bytes_of_str_input():
    decode("é" * 10, max_bytes=20)  # exactly 20 bytes: allowed
    with pytest.raises(ReaderError, match="over the 20 bytes limit"):
        decode("é" * 11, max_bytes=20)


def test_lone_surrogates_in_str_become_replacement_characters():
    decoded = decode("Spike\ud800 left.")
    assert decoded.text.startswith("Spike") and decoded.text.endswith(" left.")
    decoded.text.encode("utf-8")  # now encodable
