"""Plain text from stored (sanitized) chapter HTML, for the full-text index.

Stored bodies have passed nh3, which escapes ``<`` and ``>`` everywhere but in
tags, so a regular expression strips tags safely and much faster than an HTML
parser (this runs once per chapter written).
"""

from __future__ import annotations

import html
import re

_BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|br|div|h[1-6]|li|ul|ol|blockquote|hr|tr|td|th|table|pre|dd|dt|figcaption)\b)[^>]*>", re.I
)
_ANY_TAG = re.compile(r"<[^>]*>")


def plaintext(body: str | None) -> str:
    """The words of sanitized HTML ``body``: tags dropped, entities decoded."""
    if not body:
        return ""
    return html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", body)))
