"""Fillable Word forms: content controls (w:sdt) that a team fills in Word, or writes in on paper.

Each field is a plain-text content control (a drop-down list for a choice) whose tag is the field's
stable name and whose title is its label. It sits in a bordered table cell tall enough to write in by
hand. Its content is a run of no-break spaces marked as placeholder text: it prints as an empty box,
and a click selects it, so typing replaces it.
"""

from __future__ import annotations

from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Mm, Pt

from briefpack.document import Choice, Field, FieldTable
from briefpack.render import ooxml
from briefpack.render.docx import compact, set_widths

BLANK = "\u00a0" * 24
"""The placeholder: invisible on paper, wide enough to click."""
LINE_MM = 6.5
"""Height of one handwritten line."""


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _element(parent, tag: str, **attrs: str):  # noqa: ANN001, ANN202 - lxml elements
    """A new w:*tag* child at the end of *parent*, with w:*key* attributes in the order given."""
    from lxml.etree import SubElement

    el = SubElement(parent, W + tag)
    for key, value in attrs.items():
        el.set(W + key, value)
    return el


def spacer(renderer, points: float) -> None:  # noqa: ANN001 - the Word Renderer
    """An empty paragraph *points* high: it keeps a table from joining the next, and is the gap between them."""
    paragraph = renderer.new_paragraph("Normal")
    ooxml.set_spacing(paragraph, before=Pt(0), after=Pt(0))
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(points)


def keep_together(table) -> None:  # noqa: ANN001 - a python-docx Table
    """Never break the table across pages when it fits on one (Word and LibreOffice alike)."""
    for tr in table._tbl.tr_lst[:-1]:  # compact() keeps each row whole; no cells are merged (see compact)
        for tc in tr.tc_lst:
            for p in tc.p_lst:
                ooxml.paragraph_property(p, "w:keepNext").val = True


class FormWriter:
    """Adds content controls to one Word document, numbering them."""

    def __init__(self) -> None:
        self.next_id = 1

    def control(self, paragraph, name: str, label: str, *, multiline: bool = False,  # noqa: ANN001
                options: tuple[str, ...] = ()) -> None:
        """Append an empty content control tagged *name*, titled *label*, to *paragraph*."""
        sdt = _element(paragraph._p, "sdt")
        pr = _element(sdt, "sdtPr")
        _element(pr, "alias", val=label)
        _element(pr, "tag", val=name)
        _element(pr, "id", val=str(self.next_id))
        self.next_id += 1
        _element(pr, "showingPlcHdr")
        if options:
            choices = _element(pr, "dropDownList")
            for option in options:
                _element(choices, "listItem", displayText=option, value=option)
        else:
            _element(pr, "text", multiLine="1" if multiline else "0")
        text = _element(_element(_element(sdt, "sdtContent"), "r"), "t")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = BLANK

    def boxed(self, renderer, field_name: str, label: str, lines: int, options: tuple[str, ...] = ()) -> None:  # noqa: ANN001
        """A one-cell bordered table holding one control, *lines* handwritten lines tall."""
        table = renderer.add_table(1, 1)
        renderer.table_grid(table)
        row = table.rows[0]
        row.height = Mm(max(lines, 1) * LINE_MM + 2)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        self.control(row.cells[0].paragraphs[0], field_name, label, multiline=lines > 1, options=options)

    def block(self, renderer, block: Field | FieldTable | Choice) -> None:  # noqa: ANN001 - the Word Renderer
        """Write a form block: its label, and a box or a table of boxes to fill in."""
        if isinstance(block, Field) and block.lines == 1 and block.show_label:
            table = renderer.add_table(1, 2)
            renderer.table_grid(table)
            row = table.rows[0]
            row.height = Mm(LINE_MM + 2)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            label_width = Mm(45)
            table.columns[0].width = row.cells[0].width = label_width
            table.columns[1].width = row.cells[1].width = renderer.text_width_emu - label_width
            row.cells[0].paragraphs[0].add_run(block.label).bold = True
            self.control(row.cells[1].paragraphs[0], block.name, block.label)
            compact(table)
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            spacer(renderer, 4)
            return
        if isinstance(block, Field):
            if block.show_label:
                label = renderer.plain(block.label, "Normal")
                label.runs[0].bold = True
                ooxml.set_keep_with_next(label)
                ooxml.set_spacing(label, before=Pt(6), after=Pt(2))
            self.boxed(renderer, block.name, block.label, block.lines)
            spacer(renderer, 2)
            return
        if isinstance(block, Choice):
            label = renderer.plain(block.label, "Normal")
            label.runs[0].bold = True
            ooxml.set_keep_with_next(label)
            self.boxed(renderer, block.name, block.label, 1, block.options)
            renderer.plain(block.choose or block.hint, "Small Print")
            return
        table = renderer.headed_table(block.header, len(block.rows))
        set_widths(table, block.widths, renderer.text_width_emu)
        for row, fields in zip(table.rows[1:], block.rows, strict=True):
            row.height = Mm(LINE_MM + 2)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell, field in zip(row.cells, fields, strict=True):
                self.control(cell.paragraphs[0], field.name, field.label)
        compact(table)
        keep_together(table)
        ooxml.mark_header_row(table)
        renderer.new_paragraph("Normal")
