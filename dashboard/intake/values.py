"""Reading single cell values: dates, whole numbers, text, choices.

Each parser returns the value or raises :class:`ValueProblem` with a
Vietnamese message that names what is wrong; the caller adds row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from dashboard.i18n import fmt_date, t
from dashboard.textfix import LegacyTextError, fix_text, fold

#: Excel's day zero (serial 1 is 01/01/1900; 1900 is treated as a leap year,
#: so serials from 61 on are counted from 30/12/1899).
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: The oldest date the programme's records go back to.
EARLIEST = dt.date(2000, 1, 1)


class ValueProblem(ValueError):
    """One cell's value is not usable; the message says why, in Vietnamese."""


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def shown(value) -> str:
    """A cell value as the user would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value, *, max_length: int | None = None) -> tuple[str, str | None]:
    """Clean text (NFC, legacy encodings converted); returns (text, note)."""
    if is_blank(value):
        return "", None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        cleaned, note = fix_text(str(value))
    except LegacyTextError as exc:
        raise ValueProblem(str(exc)) from exc
    if max_length is not None and len(cleaned) > max_length:
        raise ValueProblem(t("intake.value.too_long", length=len(cleaned), max_length=max_length))
    return cleaned, note


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SERIAL = re.compile(r"^\d{1,6}(?:\.0+)?$")
_DMY_TIME = re.compile(r"^(.+?)\s+\d{1,2}:\d{2}(?::\d{2})?$")


def _make(year: int, month: int, day: int, raw: str) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueProblem(t("intake.value.no_month", raw=raw, month=month))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(t("intake.value.no_day", raw=raw, month=month, year=year, day=day)) from None


#: Excel's last day, 31/12/9999.
LAST_SERIAL = 2958465
#: The largest count the store holds (64-bit integer).
MAX_COUNT = 2**63 - 1


def _from_serial(serial: float, raw: str) -> dt.date:
    if serial > LAST_SERIAL:
        raise ValueProblem(t("intake.value.serial_too_large", raw=raw))
    if serial != int(serial):
        serial = math.floor(serial)  # a date-time serial: keep the day
    serial = int(serial)
    if serial < 1:
        raise ValueProblem(t("intake.value.serial_not_date", raw=raw))
    if serial < 61:  # Excel's phantom 29/02/1900 lies below 61
        return dt.date(1899, 12, 31) + dt.timedelta(days=serial)
    return EXCEL_EPOCH + dt.timedelta(days=serial)


def date(value, today: dt.date) -> dt.date:
    """A date from a cell: a date or date-time, dd/mm/yyyy (also with ``-`` or
    ``.``), ISO ``yyyy-mm-dd``, or an Excel serial number.

    Two-digit years are refused as ambiguous, impossible dates (31/02) and
    dates outside 01/01/2000 – ``today`` are refused.
    """
    if is_blank(value):
        raise ValueProblem(t("intake.value.date_missing"))
    if isinstance(value, bool):
        raise ValueProblem(t("intake.value.not_date", value=value))
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblem(t("intake.value.not_date", value=value))
        result = _from_serial(float(value), shown(value))
    else:
        raw = unicodedata.normalize("NFKC", str(value)).strip()
        match = _DMY_TIME.match(raw)
        core = match.group(1) if match and _DMY.match(match.group(1)) else raw
        if m := _DMY.match(core):
            day, month, year = (int(g) for g in m.groups())
            if len(m.group(3)) != 4:
                raise ValueProblem(t("intake.value.two_digit_year", raw=raw))
            result = _make(year, month, day, raw)
        elif m := _ISO.match(raw):
            year, month, day = (int(g) for g in m.groups())
            result = _make(year, month, day, raw)
        elif _SERIAL.match(raw):
            result = _from_serial(float(raw), raw)
        else:
            raise ValueProblem(t("intake.value.bad_date", raw=raw))
    if result < EARLIEST:
        raise ValueProblem(t("intake.value.too_early", date=fmt_date(result), earliest=fmt_date(EARLIEST)))
    if result > today:
        raise ValueProblem(t("intake.value.future", date=fmt_date(result), today=fmt_date(today)))
    return result


def whole_number(value) -> int:
    """A count: a whole number ≥ 0; blank is 0. Accepts ``1.234`` and ``1 234``
    as thousands (Vietnamese style), refuses fractions and negatives."""
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        raise ValueProblem(t("intake.value.not_whole", value=value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueProblem(t("intake.value.not_whole", value=shown(value)))
        number = int(value)
    else:
        raw = unicodedata.normalize("NFKC", str(value)).strip()
        compact = raw
        # Thousands grouped by one kind of separator: "1.234", "1 234", "1,234,567".
        grouped = re.fullmatch(r"-?\d{1,3}(?:([ .,])\d{3})(?:\1\d{3})*", raw)
        if grouped:
            compact = raw.replace(grouped.group(1), "")
        compact = re.sub(r"[.,]0+$", "", compact)
        if not re.fullmatch(r"-?\d+", compact):
            raise ValueProblem(t("intake.value.not_whole", value=raw))
        number = int(compact)
    if number > MAX_COUNT:
        raise ValueProblem(t("intake.value.too_large", number=number))
    if number < 0:
        raise ValueProblem(t("intake.value.negative", number=number))
    return number


def choice(value, options: dict[str, str], what: str) -> str:
    """One of ``options`` (code -> label), given as its label or its code, in
    any case, with or without diacritics."""
    if is_blank(value):
        raise ValueProblem(t("intake.value.missing", what=what))
    try:
        key = fold(fix_text(str(value))[0])
    except LegacyTextError as exc:
        raise ValueProblem(str(exc)) from exc
    for code, label in options.items():
        if key in (fold(code), fold(label)):
            return code
    listed = "; ".join(options.values())
    raise ValueProblem(t("intake.value.bad_choice", value=shown(value), what=what, options=listed))


_MONTH = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_WORD = re.compile(r"^(tháng|thang|th\.?|t)\s*", re.IGNORECASE)


def month(value, today: dt.date) -> dt.date:
    """The first day of the month a cell names: ``mm/yyyy`` (also with ``-`` or
    ``.``, or after "Tháng"), ``yyyy-mm``, or any date :func:`date` reads
    (dd/mm/yyyy, ISO, Excel serial, a date cell), taken as its month.

    Months before 01/2000 and after today's are refused.
    """
    if is_blank(value):
        raise ValueProblem(t("notes.value.missing"))
    if isinstance(value, str):
        raw = _MONTH_WORD.sub("", unicodedata.normalize("NFKC", value).strip())
        if m := _MONTH.match(raw):
            number, year = int(m.group(1)), m.group(2)
            if len(year) != 4:
                raise ValueProblem(t("notes.value.two_digit_year", raw=value.strip()))
            result = _month_of(int(year), number, value.strip())
        elif m := _ISO_MONTH.match(raw):
            result = _month_of(int(m.group(1)), int(m.group(2)), value.strip())
        else:
            result = _any_date(raw or value)
    else:
        result = _any_date(value)
    shown_month = result.strftime("%m/%Y")
    if result < EARLIEST:
        raise ValueProblem(t("notes.value.too_early", month=shown_month, earliest=EARLIEST.strftime("%m/%Y")))
    if result > today.replace(day=1):
        raise ValueProblem(t("notes.value.future", month=shown_month, today=fmt_date(today)))
    return result


def _month_of(year: int, number: int, raw: str) -> dt.date:
    if not 1 <= number <= 12:
        raise ValueProblem(t("notes.value.no_month", raw=raw, month=number))
    return dt.date(year, number, 1)


def _any_date(value) -> dt.date:
    """A date as :func:`date` reads it (the upper bound is checked on the month), as its month."""
    try:
        day = date(value, dt.date.max)
    except ValueProblem as exc:
        if isinstance(value, str) and str(exc) == t("intake.value.bad_date", raw=value):
            raise ValueProblem(t("notes.value.bad_month", raw=value)) from None
        raise
    return day.replace(day=1)
