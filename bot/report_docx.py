"""A bulletin as a Word document (python-docx, imported only here and only when a DOCX is made).

Cover (title, period, counts, the /stats chart, articles per topic), a table of contents
field that Word fills in on opening, then one Heading 1 per topic and one Heading 2 per
province or country, each article a Heading 3 title, a meta line with a link, its summary
and its tags.

The cover goes through python-docx's API; the articles' paragraphs are built as elements
(`Body`), because three of its conveniences are linear in the document's size and made
10,000 articles quadratic (238 s): `add_paragraph` scans the body's children for its end,
a run's `style` setter scans every style for the default, and a hyperlink relationship
scans every relationship for a free id. Links are therefore HYPERLINK fields.
"""

from __future__ import annotations

import io
import re
from typing import IO

from bot.bulletin import TITLE, Bulletin, Entry

CHART_WIDTH_CM = 16
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 document may hold these


def _text(value: str) -> str:
    """One line of text a Word run can hold: XML-illegal characters and line breaks become spaces."""
    return " ".join(_NOT_XML.sub(" ", value).split())


class Body:
    """Paragraphs appended at the end of the document body in constant time each (see the module's note)."""

    def __init__(self, document, style_ids: dict[str, str]):
        from docx.oxml.ns import qn

        self.qn = qn
        self.end = document.element.body.sectPr
        self.style_ids = style_ids

    def _sub(self, parent, tag: str, **attrs: str):
        from lxml.etree import SubElement

        element = SubElement(parent, self.qn(tag))
        for name, value in attrs.items():
            element.set(self.qn(name.replace("_", ":", 1)), value)
        return element

    def run(self, p, text: str, style: str | None = None) -> None:
        r = self._sub(p, "w:r")
        if style:
            self._sub(self._sub(r, "w:rPr"), "w:rStyle", w_val=self.style_ids[style])
        t = self._sub(r, "w:t", xml_space="preserve")
        t.text = _text(text)

    def paragraph(self, text: str, style: str):
        from docx.oxml import OxmlElement

        p = OxmlElement("w:p")
        self.end.addprevious(p)
        self._sub(self._sub(p, "w:pPr"), "w:pStyle", w_val=self.style_ids[style])
        if text:
            self.run(p, text)
        return p

    def field(self, p, instruction: str, shown: str, style: str | None = None) -> None:
        """A complex field (`TOC …`, `HYPERLINK "…"`) showing `shown` until Word updates it."""
        self._sub(self._sub(p, "w:r"), "w:fldChar", w_fldCharType="begin")
        self._sub(self._sub(p, "w:r"), "w:instrText", xml_space="preserve").text = f" {instruction} "
        self._sub(self._sub(p, "w:r"), "w:fldChar", w_fldCharType="separate")
        self.run(p, shown, style)
        self._sub(self._sub(p, "w:r"), "w:fldChar", w_fldCharType="end")

    def entry(self, e: Entry) -> None:
        self.paragraph(e.title, "Heading 3")
        meta = self.paragraph(" · ".join(x for x in (e.day_vn, e.outlet) if x), "meta")
        if e.link:
            self.run(meta, " · ")
            self.field(meta, f'HYPERLINK "{e.link.replace(chr(34), "%22")}"', e.link, "link")
        if e.summary:
            self.paragraph(e.summary, "Normal")
        tags = " · ".join(e.tag_texts())
        if tags:
            self.paragraph(tags, "meta")


def _update_fields_on_open(document) -> None:
    """Ask Word to fill in the table of contents when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    document.settings.element.append(element)


def _styles(document) -> dict[str, str]:
    """Style ids by short name: the built-in ones used, and a grey meta line and a link look of our own."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    meta = styles.add_style("Diplobot Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = styles["Normal"]
    meta.font.size = Pt(9)
    meta.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    meta.paragraph_format.space_after = Pt(2)
    link = styles.add_style("Diplobot Link", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    names = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3")
    return {name: styles[name].style_id for name in names} | {"meta": meta.style_id, "link": link.style_id}


def _cover(document, bulletin: Bulletin, body: Body) -> None:
    from docx.shared import Cm

    body.paragraph(TITLE, "Title")
    for line in bulletin.cover_lines():
        body.paragraph(line, "Normal")
    chart = bulletin.coverage.chart
    if chart is not None:
        document.add_picture(io.BytesIO(chart.png), width=Cm(CHART_WIDTH_CM))
    counts = bulletin.topic_counts()
    table = document.add_table(rows=1 + len(counts), cols=2)
    table.style = document.styles["Table Grid"]
    table.cell(0, 0).text, table.cell(0, 1).text = "Chủ đề", "Số bài"
    for i, (topic, n) in enumerate(counts, 1):
        table.cell(i, 0).text, table.cell(i, 1).text = topic, str(n)
    document.add_page_break()
    body.paragraph("Mục lục", "Heading 1")
    body.field(body.paragraph("", "Normal"), 'TOC \\o "1-2" \\h \\z \\u',
               "Mục lục được cập nhật khi mở tệp trong Word (hoặc nhấn F9).")
    document.add_page_break()


def write_docx(bulletin: Bulletin, out: IO[bytes], progress=None) -> None:
    """The bulletin as DOCX into `out`; `progress(n)` is called as articles are written."""
    from docx import Document

    document = Document()
    document.core_properties.title = f"{TITLE} {bulletin.period.span}"
    document.core_properties.language = "vi-VN"
    body = Body(document, _styles(document))
    _update_fields_on_open(document)
    _cover(document, bulletin, body)
    for topic, groups in bulletin.sections():
        body.paragraph(topic, "Heading 1")
        for place, entries in groups:
            body.paragraph(place, "Heading 2")
            for e in entries:
                body.entry(e)
            if progress is not None:
                progress(len(entries))
    document.save(out)
