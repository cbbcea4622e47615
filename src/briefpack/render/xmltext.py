"""Escape text for XML and reportlab's paragraph markup, exactly as xml.sax.saxutils does.

Not imported from xml.sax.saxutils because that module imports urllib.request, and with it http.client,
email and ssl: about 30 ms of a PDF build spent on modules briefpack never uses.
"""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """*text* with &, < and > escaped."""
    return text.translate(_TEXT)


def quoteattr(text: str) -> str:
    """*text* escaped and quoted as an attribute value, in double quotes unless it holds one."""
    text = text.translate(_ATTRIBUTE)
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
