"""Reading funding calls from a spreadsheet's CSV export: columns, delimiters, lines."""

from __future__ import annotations

from bot.features.funding.calls import CallInput
from bot.features.funding.sheet import SheetProblem, SheetRow, decode, read_sheet


def test_a_semicolon_sheet_with_columns_in_any_order_and_case_reads_every_row() -> None:
    """``;`` as German Excel writes it; a missing trailing cell is empty, no topic is ``None``."""
    text = "Deadline;TITLE;url;description;Funder\n2027-01-31;T;https://e.org/;B\n"
    assert read_sheet(text) == [SheetRow(2, CallInput("T", "2027-01-31", "https://e.org/", "B"))]


def test_line_numbers_are_the_files_even_after_a_cell_spanning_lines() -> None:
    """A quoted description over two lines: the next row is named by its own first line."""
    text = 'title,deadline,url,description\nA,2027-01-31,u,"zwei\nZeilen"\n\nB,2027-01-31,u,x\n'
    rows = read_sheet(text)
    assert [(row.line, row.call.title) for row in rows if isinstance(row, SheetRow)] == [
        (2, "A"),
        (5, "B"),
    ]


def test_a_row_with_more_cells_than_columns_is_named() -> None:
    """A stray delimiter would shift every later cell: refused, not guessed."""
    text = "title,deadline,url,description\nA,2027-01-31,u,x,extra\n"
    assert read_sheet(text) == [SheetProblem(2, "radar_sheet_cells")]


def test_a_doubled_column_and_an_empty_file_are_refused_at_line_1() -> None:
    """Which of two ``title`` columns counts is no guess either."""
    doubled = read_sheet("title,title,deadline,url,description\n")
    assert doubled == [SheetProblem(1, "radar_sheet_doubled", "title")]
    assert read_sheet("") == [SheetProblem(1, "radar_sheet_empty")]


def test_decode_drops_the_byte_order_mark_and_names_the_line_that_is_not_utf8() -> None:
    """Excel's "CSV UTF-8" starts with a BOM; a Latin-1 file fails where its first umlaut is."""
    assert decode("\ufefftitle".encode()) == "title"
    assert decode("title\nFörderung".encode("latin-1")) == SheetProblem(2, "radar_sheet_encoding")
