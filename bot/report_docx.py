"""A bulletin as a Word document (python-docx, imported only here and only when a DOCX is made).

Cover (title, period, counts, the /stats chart, articles per topic), a table of contents
field that Word fills in on opening, then one Heading 1 per topic and one Heading 2 per
province or country, each article a Heading 3 title, a meta line with a link, its summary
and its tags. Links are HYPERLINK fields, not relationships: python-docx numbers a new
relationship by scanning every existing one, which made 10,000 links quadratic.
"""

from __future__ import annotations

import io
from typing import IO

from bot.bulletin import TITLE, Bulletin, Entry

CHART_WIDTH_CM = 16


def _field(paragraph, instruction: str, shown: str):
    """A complex field (`TOC …`, `HYPERLINK "…"`) in `paragraph`, showing `shown` until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)
        return r

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run(instr)
    run(char("separate"))
    shown_run = paragraph.add_run(shown)
    run(char("end"))
    return shown_run


def _update_fields_on_open(document) -> None:
    """Ask Word to fill in the table of contents when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    document.settings.element.append(element)


def _styles(document):
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
    return {name: styles[name] for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title")} | {
        "meta": meta, "link": link}


def _cover(document, bulletin: Bulletin, styles) -> None:
    from docx.shared import Cm

    document.add_paragraph(TITLE, style=styles["Title"])
    for line in bulletin.cover_lines():
        document.add_paragraph(line, style=styles["Normal"])
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
    document.add_paragraph("Mục lục", style=styles["Heading 1"])
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u',
           "Mục lục được cập nhật khi mở tệp trong Word (hoặc nhấn F9).")
    document.add_page_break()


def _entry(document, e: Entry, styles) -> None:
    document.add_paragraph(e.title, style=styles["Heading 3"])
    meta = document.add_paragraph(" · ".join(x for x in (e.day_vn, e.outlet) if x), style=styles["meta"])
    if e.link:
        meta.add_run(" · ")
        _field(meta, f'HYPERLINK "{e.link.replace(chr(34), "%22")}"', e.link).style = styles["link"]
    if e.summary:
        document.add_paragraph(e.summary, style=styles["Normal"])
    tags = " · ".join(e.tag_texts())
    if tags:
        document.add_paragraph(tags, style=styles["meta"])


def write_docx(bulletin: Bulletin, out: IO[bytes], progress=None) -> None:
    """The bulletin as DOCX into `out`; `progress(n)` is called as articles are written."""
    from docx import Document

    document = Document()
    document.core_properties.title = f"{TITLE} {bulletin.period.span}"
    document.core_properties.language = "vi-VN"
    styles = _styles(document)
    _update_fields_on_open(document)
    _cover(document, bulletin, styles)
    for topic, groups in bulletin.sections():
        document.add_paragraph(topic, style=styles["Heading 1"])
        for place, entries in groups:
            document.add_paragraph(place, style=styles["Heading 2"])
            for e in entries:
                _entry(document, e, styles)
            if progress is not None:
                progress(len(entries))
    document.save(out)
