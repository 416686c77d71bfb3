"""OPML 2.0 in and out: moving sources between installations, and to or from any feed reader.

A feed is `<outline type="rss" text=… xmlUrl=…>`, as every feed reader writes it; a section
page (ingest.sections) is `<outline type="link" text=… url=…>`, the OPML 2.0 type for a link
(feed readers skip it; Diplobot reads it as a section source). Outlines may nest in folders.

Reading goes through defusedxml: an OPML file comes from elsewhere, and an entity bomb or an
external entity must not expand here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class OpmlError(ValueError):
    """The file is not OPML we can read; the message says why in a line."""


@dataclass(frozen=True)
class OpmlSource:
    url: str
    kind: str  # feed | section
    title: str = ""


def _http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def write_opml(sources: list[OpmlSource], title: str = "Diplobot sources", now: datetime | None = None) -> bytes:
    """An OPML 2.0 document listing `sources` (UTF-8 bytes)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(timezone.utc))
    body = ET.SubElement(root, "body")
    for source in sources:
        text = source.title or source.url
        if source.kind == "section":
            ET.SubElement(body, "outline", type="link", text=text, title=text, url=source.url)
        else:
            ET.SubElement(body, "outline", type="rss", text=text, title=text, xmlUrl=source.url)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def read_opml(data: bytes) -> tuple[list[OpmlSource], list[str]]:
    """(sources, skipped): every feed and section outline, folders flattened, in file order.

    An outline without an http(s) URL is skipped with a line saying why; a URL listed twice
    is kept once. Raises `OpmlError` for a file that is not OPML at all.
    """
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise OpmlError(f"refused: {type(exc).__name__} (entities or DTDs are not allowed)") from None
    except ET.ParseError as exc:
        raise OpmlError(f"not XML: {exc}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError(f"not OPML: the root is <{root.tag}>, with no <body>")
    sources: dict[str, OpmlSource] = {}
    skipped = []
    for outline in root.find("body").iter("outline"):
        kind_attr = (outline.get("type") or "").lower()
        title = (outline.get("title") or outline.get("text") or "").strip()
        if outline.get("xmlUrl"):
            url, kind = outline.get("xmlUrl").strip(), "feed"
        elif kind_attr == "link" and outline.get("url"):
            url, kind = outline.get("url").strip(), "section"
        else:
            if kind_attr or outline.get("url"):  # a folder (no type, no URL) is not worth a line
                skipped.append(f"{title or '(untitled)'}: no feed or link URL")
            continue
        if not _http(url):
            skipped.append(f"{url}: not an http(s) URL")
            continue
        sources.setdefault(url, OpmlSource(url=url, kind=kind, title=title))
    return list(sources.values()), skipped


def read_opml_file(path: str | Path) -> tuple[list[OpmlSource], list[str]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OpmlError(f"cannot read it: {exc.strerror or exc}") from None
    return read_opml(data)
