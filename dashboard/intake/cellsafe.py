"""Text cells that no spreadsheet program evaluates, and cells that are not data.

One guard for every file the project writes (OWASP "CSV injection"): a text
beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
as a formula by Excel, LibreOffice or Google Sheets.

- In an .xlsx the text is written as a string cell (``data_type="s"``, never
  ``"f"``) with Excel's quote prefix, so it is shown and re-read exactly as
  stored and stays text even when someone edits the cell (:func:`put_text`).
- Where a file has no cell types (CSV) or the text is only shown (the report
  spreadsheets), it gets a leading apostrophe (:func:`safe_text`);
  :func:`unguard` takes exactly that apostrophe off again when a CSV is read,
  and nothing else, so ``unguard(safe_text(x)) == x`` for every text.

:data:`ERROR_VALUES` are the values Excel caches for a broken formula
(``#REF!``, ``#N/A``…): such a cell holds no data and an import refuses it.
"""

from __future__ import annotations

#: Leading characters that make a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Excel's error values (openpyxl reads them as data_type "e"; xlrd as error
#: codes; a CSV saved from Excel holds them as plain text), upper case.
ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _guarded(text: str) -> bool:
    """Whether :func:`safe_text` adds an apostrophe to ``text``: it starts a
    formula, possibly behind apostrophes (so that a text that really begins
    with ``'=`` survives :func:`unguard`)."""
    return starts_formula(text.lstrip("'"))


def safe_text(value: str) -> str:
    """``value`` with a leading ``'`` when it would otherwise start a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    is read as a formula by Excel, LibreOffice or Google Sheets (CSV/Excel
    injection); the apostrophe keeps it literal text everywhere. Text already
    starting with apostrophes before such a character gets one more, so
    :func:`unguard` gives the original back in every case.
    """
    return f"'{value}" if _guarded(value) else value


def unguard(value: str) -> str:
    """The text :func:`safe_text` was given: its one added apostrophe removed.

    Only an apostrophe that :func:`safe_text` would have added is taken off
    (one followed by a formula start); ``'quoted`` and ``1-2`` stay as they are.
    """
    if value.startswith("'") and _guarded(value[1:]):
        return value[1:]
    return value


def put_text(cell, value: str):
    """Write ``value`` into an openpyxl cell as text that is never a formula.

    The cell holds exactly ``value`` (no apostrophe is added to the data); a
    value that would start a formula also gets Excel's quote prefix, which keeps
    it text when the cell is edited.
    """
    cell.value = value
    cell.data_type = "s"
    if starts_formula(value):
        cell.quotePrefix = True
    return cell


def error_value(value) -> str | None:
    """The Excel error value a cell holds (``#REF!``…), or None for data."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if code in ERROR_VALUES else None
