"""Ward and district names as typed by people, to codes.

Names are compared folded (NFC/NFD, case and diacritics ignored). Current
wards (from 01/07/2025) and the 30 former districts come from the bundled
boundary layers; pre-2025 ward names ("Phường Hàng Bạc, Quận Hoàn Kiếm") are
resolved to the current ward through the maintained 2025 conversion table of
``vietnamadminunits``. A pre-2025 ward named without its district is resolved
when Hà Nội had only one ward of that name; otherwise the message lists the
districts that had one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.caches import boundary_cache
from dashboard.domain import REFORM_DATE, UnitLevel
from dashboard.geo import load_units
from dashboard.i18n import t
from dashboard.textfix import fold

_WARD_TYPES = ("phuong", "xa", "thi tran")
_DISTRICT_TYPES = ("quan", "huyen", "thi xa", "tx", "q", "h")
_CITY = re.compile(r"\b(thanh pho ha noi|tp ha noi|tp hn|ha noi)\b")


@dataclass(frozen=True)
class Area:
    level: UnitLevel
    code: str
    name: str
    #: set when a former name was converted or a choice was made
    note: str | None = None


class UnitNotFound(ValueError):
    pass


def _split_type(folded: str, types: tuple[str, ...]) -> tuple[str | None, str]:
    for kind in sorted(types, key=len, reverse=True):
        if folded.startswith(kind + " "):
            return kind, folded[len(kind) + 1 :].strip()
    return None, folded


@boundary_cache(maxsize=1)
def _tables():
    wards = load_units(UnitLevel.WARD)
    districts = load_units(UnitLevel.DISTRICT)
    ward_by_short: dict[str, list[str]] = {}
    ward_full: dict[str, str] = {}
    for code, name, short in zip(wards["code"], wards["name"], wards["short_name"], strict=True):
        ward_by_short.setdefault(fold(short), []).append(code)
        ward_full[fold(name)] = code
    district_by_short: dict[str, str] = {}
    district_full: dict[str, str] = {}
    for code, name in zip(districts["code"], districts["name"], strict=True):
        district_full[fold(name)] = code
        _, short = _split_type(fold(name), _DISTRICT_TYPES)
        district_by_short[short] = code
    names = {
        UnitLevel.WARD: dict(zip(wards["code"], wards["name"], strict=True)),
        UnitLevel.DISTRICT: dict(zip(districts["code"], districts["name"], strict=True)),
    }
    return ward_by_short, ward_full, district_by_short, district_full, names


def _area(level: UnitLevel, code: str, note: str | None = None) -> Area:
    return Area(level, code, _tables()[4][level][code], note)


def resolve(text: str, date: dt.date | None = None) -> Area:
    """The unit a name means. Before 01/07/2025 a former district is preferred
    when a name is both (for example "Long Biên"), from then on the ward.

    Raises :class:`UnitNotFound` with a Vietnamese message.
    """
    return _resolve(text, date is not None and date < REFORM_DATE)


@boundary_cache(maxsize=4096)
def _resolve(text: str, before_reform: bool) -> Area:
    """:func:`resolve`, cached by name and side of the reform (not by day)."""
    ward_by_short, ward_full, district_by_short, district_full, _ = _tables()
    # "Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội": parts split before folding
    # (folding drops the commas); the city itself is left out.
    parts = [_CITY.sub("", fold(p)).strip() for p in re.split(r"[,;]", text)]
    parts = [p for p in parts if p]
    folded = " ".join(parts)
    if len(parts) <= 1:
        if folded in ward_full:
            return _area(UnitLevel.WARD, ward_full[folded])
        if folded in district_full:
            return _area(UnitLevel.DISTRICT, district_full[folded])
        kind, short = _split_type(folded, _WARD_TYPES + _DISTRICT_TYPES)
        ward_codes = ward_by_short.get(short, []) if kind in (None, *_WARD_TYPES) else []
        district_code = district_by_short.get(short) if kind in (None, *_DISTRICT_TYPES) else None
        if district_code and (before_reform or not ward_codes):
            return _area(UnitLevel.DISTRICT, district_code)
        if len(ward_codes) == 1:
            return _area(UnitLevel.WARD, ward_codes[0])
        if len(ward_codes) > 1:
            options = ", ".join(_tables()[4][UnitLevel.WARD][c] for c in ward_codes)
            raise UnitNotFound(t("intake.unit.ambiguous", text=text, options=options))
    return _legacy(text, before_reform)


def _legacy(text: str, before_reform: bool) -> Area:
    from vietnamadminunits import convert_address, parse_address

    address = f"{text}, Thành phố Hà Nội"
    try:
        old = parse_address(address, mode="LEGACY")
    except Exception:  # the library raises on text it cannot parse
        old = None
    if old is None or not getattr(old, "province_code", None) == "01":
        raise UnitNotFound(_not_found(text))
    if old.ward_code is None and old.district_code is None:
        # A former ward named without its district: fine when Hà Nội had one ward of that name.
        candidates = _former_wards().get(_former_key(text), [])
        if len(candidates) == 1:
            ward, district = candidates[0]
            return _legacy(f"{ward}, {district}", before_reform)
        if len(candidates) > 1:
            listed = "; ".join(f"{ward}, {district}" for ward, district in candidates)
            example = ", ".join(candidates[0])
            message = t("intake_safety.legacy_ambiguous", text=text, options=listed, example=example)
            raise UnitNotFound(message)
    if old.ward_code is None and old.district_code:
        if old.district_code in _tables()[4][UnitLevel.DISTRICT]:
            return _area(UnitLevel.DISTRICT, old.district_code)
        raise UnitNotFound(_not_found(text))
    if old.ward_code is None:
        raise UnitNotFound(_not_found(text))
    try:
        new = convert_address(address)
    except Exception:
        new = None
    if new is None or new.ward_code not in _tables()[4][UnitLevel.WARD]:
        raise UnitNotFound(_not_found(text))
    old_name = f"{old.ward}, {old.district}"
    if before_reform and old.district_code in _tables()[4][UnitLevel.DISTRICT]:
        return _area(
            UnitLevel.DISTRICT,
            old.district_code,
            t("intake.unit.legacy_district", old=old_name, district=old.district),
        )
    ward = _area(UnitLevel.WARD, new.ward_code)
    return Area(
        UnitLevel.WARD, ward.code, ward.name, t("intake.unit.legacy_ward", old=old_name, ward=ward.name)
    )


def _former_key(text: str) -> tuple[str | None, str]:
    """(ward type or None, folded short name) of a name typed alone."""
    parts = [_CITY.sub("", fold(p)).strip() for p in re.split(r"[,;]", text)]
    return _split_type(" ".join(p for p in parts if p), _WARD_TYPES)


@lru_cache(maxsize=1)
def _former_wards() -> dict[tuple[str | None, str], list[tuple[str, str]]]:
    """Hà Nội's pre-2025 wards by (type, folded short name) and by (None, short
    name): the (ward, district) names holding it, in code order."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT ward, wardShort, wardType, district, wardCode FROM admin_units_legacy "
        "WHERE provinceCode = '01' ORDER BY wardCode"
    )
    table: dict[tuple[str | None, str], list[tuple[str, str]]] = {}
    for row in rows:
        short = fold(row["wardShort"])
        for key in ((fold(row["wardType"]), short), (None, short)):
            names = table.setdefault(key, [])
            if (row["ward"], row["district"]) not in names:
                names.append((row["ward"], row["district"]))
    return table


def _not_found(text: str) -> str:
    return t("intake.unit.not_found", text=text)
