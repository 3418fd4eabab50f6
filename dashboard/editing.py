"""Changes made in the app: status, activity, location, briefing notes. Each is checked, then
written with its audit-log entry in one transaction (all or nothing).

``actor`` is always the acting office or role, chosen from
:func:`actor_choices`, never a person's name.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.domain import TRANSITIONS, ActivityKind, DomainError, Status, UnitLevel
from dashboard.geo import locate, unit_names
from dashboard.i18n import fmt_date, t

#: The oldest month a briefing note may be for.
NOTE_EARLIEST = dt.date(2000, 1, 1)

DEPARTMENT_OFFICES = (
    "Sở Lao động - Thương binh và Xã hội Hà Nội",
    "Chi cục Phòng, chống tệ nạn xã hội Hà Nội",
    "Công an thành phố Hà Nội",
)


def actor_choices() -> list[str]:
    """Offices that may record a change: city bodies, then every ward's People's Committee."""
    wards = unit_names(UnitLevel.WARD)
    return [*DEPARTMENT_OFFICES, *(f"UBND {wards[c]}" for c in sorted(wards, key=wards.get))]


def next_statuses(current: Status | None) -> list[Status]:
    """Statuses a hotspot may move to from ``current`` (any, for a first status)."""
    if current is None:
        return list(Status)
    return [s for s in Status if s in TRANSITIONS[Status(current)]]


def _hotspot(conn, hotspot_id: int):
    row = conn.execute(sa.select(store.hotspot).where(store.hotspot.c.id == hotspot_id)).first()
    if row is None:
        raise DomainError(t("err.no_hotspot", id=hotspot_id))
    return row


def _check(actor: str, date: dt.date, today: dt.date) -> None:
    if actor not in actor_choices():
        raise DomainError(t("err.actor", actor=actor))
    if date > today:
        raise DomainError(t("err.future_date", date=fmt_date(date), today=fmt_date(today)))


def change_status(
    engine: Engine,
    hotspot_id: int,
    date: dt.date,
    new: Status,
    reason: str,
    actor: str,
    today: dt.date,
    *,
    handover: dict | None = None,
) -> None:
    """Record a status change (a handover is the change to ``handed_over``;
    see :func:`hand_over` for the handover record)."""
    _check(actor, date, today)
    if not reason.strip():
        raise DomainError(t("err.reason"))
    with engine.begin() as conn:
        spot = _hotspot(conn, hotspot_id)
        old = store.record_status(conn, hotspot_id, date, Status(new), reason.strip(), actor)
        was = t(f"status.{old.value}") if old else "—"
        store.audit(
            conn, actor, "status_change", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=f"{was} → {t(f'status.{Status(new).value}')} ({fmt_date(date)})",
            before={"status": old.value if old else None},
            after={"status": Status(new).value, "date": date, "reason": reason.strip()}
            | ({"handover": handover} if handover else {}),
        )  # fmt: skip


def hand_over(
    engine: Engine,
    hotspot_id: int,
    date: dt.date,
    receiver: str,
    document: str,
    note: str,
    actor: str,
    today: dt.date,
) -> None:
    """Hand a cleared hotspot over to a ward to keep clean: the change to
    ``handed_over`` with its record (receiving office, minutes number), kept
    in the status reason and, as fields, in the audit log."""
    if receiver not in actor_choices():
        raise DomainError(t("err.actor", actor=receiver))
    if not document.strip():
        raise DomainError(t("err.handover_document"))
    reason = t("edit.handover_reason", receiver=receiver, document=document.strip())
    if note.strip():
        reason = f"{reason} {note.strip()}"
    record = {"receiver": receiver, "document": document.strip()}
    change_status(engine, hotspot_id, date, Status.HANDED_OVER, reason, actor, today, handover=record)


def add_activity(engine: Engine, hotspot_id: int, row: dict, actor: str, today: dt.date) -> None:
    """Record an activity on a hotspot; counts must be whole numbers ≥ 0."""
    date = row["date"]
    _check(actor, date, today)
    kind = ActivityKind(row["kind"])
    counts = {c: row.get(c, 0) for c in store.COUNT_COLUMNS}
    for column, value in counts.items():
        # Whole numbers (numpy's too), not yes/no values.
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise DomainError(t("err.count", column=t(f"count.{column}"), value=value))
    counts = {c: int(v) for c, v in counts.items()}
    with engine.begin() as conn:
        spot = _hotspot(conn, hotspot_id)
        unit = row.get("unit") or actor
        store.add_activities(
            conn, [{"date": date, "hotspot_id": hotspot_id, "kind": kind, "unit": unit, **counts}]
        )
        store.audit(
            conn, actor, "activity_add", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=f"{t(f'activity.{kind.value}')} {fmt_date(date)}",
            after={"date": date, "kind": kind.value, "unit": unit, **counts},
        )  # fmt: skip


def move_hotspot(engine: Engine, hotspot_id: int, lat: float, lon: float, reason: str, actor: str) -> dict:
    """Move a hotspot; its ward and former district follow from the new point,
    for the hotspot and for the place of its activities (the unit that carried
    an activity out, ``unit_code``, stays as recorded).

    Returns the new location. A point outside Hà Nội raises and changes nothing.
    """
    if actor not in actor_choices():
        raise DomainError(t("err.actor", actor=actor))
    if not reason.strip():
        raise DomainError(t("err.reason"))
    where = locate(lat, lon).iloc[0]
    after = {"lat": round(lat, 6), "lon": round(lon, 6), "ward_code": where.ward_code,
             "district_code": where.district_code}  # fmt: skip
    with engine.begin() as conn:
        spot = _hotspot(conn, hotspot_id)
        before = {
            "lat": spot.lat,
            "lon": spot.lon,
            "ward_code": spot.ward_code,
            "district_code": spot.district_code,
        }
        conn.execute(store.hotspot.update().where(store.hotspot.c.id == hotspot_id).values(**after))
        conn.execute(
            store.activity.update()
            .where(store.activity.c.hotspot_id == hotspot_id)
            .values(ward_code=where.ward_code, district_code=where.district_code)
        )
        store.audit(
            conn, actor, "hotspot_move", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=reason.strip(), before=before, after=after,
        )  # fmt: skip
    return after


def _unit_label(level: UnitLevel, code: str) -> str:
    return unit_names(level).get(code, code)


def _hotspot_list(value) -> list[str]:
    """Hotspot codes from text (spaces, commas or semicolons between them) or a list; in order, once each."""
    parts = re.split(r"[\s,;]+", value) if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def save_briefing_note(engine: Engine, row: dict, actor: str, today: dt.date) -> str:
    """Record the briefing note of a unit for a month, or update the stored one.

    ``row`` holds ``month`` (any day of it), ``unit_code`` and ``level`` (a
    former district before 01/07/2025, a ward from then on; by default the
    level in force), the texts
    ``difficulties``, ``proposals``, ``decisions`` (at least one; each at most
    :data:`store.NOTE_MAX_CHARS` characters) and optionally ``hotspot_codes``
    (text or list of stored hotspot codes). The note and its audit entry (with
    before and after for an update) are written together, or nothing is.

    Returns the message to show; raises :class:`DomainError` saying what is wrong.
    """
    if actor not in actor_choices():
        raise DomainError(t("err.actor", actor=actor))
    month = row["month"]
    month = (month.date() if isinstance(month, dt.datetime) else month).replace(day=1)
    shown = month.strftime("%m/%Y")
    if month > today.replace(day=1):
        raise DomainError(t("notes.err.month_future", month=shown, today=fmt_date(today)))
    if month < NOTE_EARLIEST:
        raise DomainError(t("notes.err.month_early", month=shown, earliest=NOTE_EARLIEST.strftime("%m/%Y")))
    expected = store.note_level(month)
    try:
        level = UnitLevel(row.get("level") or expected)
    except ValueError:
        raise DomainError(t("notes.err.level", level=row["level"])) from None
    if level != expected:
        raise DomainError(
            t(
                "notes.err.level_for_month",
                month=shown,
                expected=t(f"notes.level.{expected.value}"),
                level=t(f"notes.level.{level.value}"),
            )
        )
    code = str(row["unit_code"])
    if code not in unit_names(level):
        raise DomainError(t("notes.err.unknown_unit", level=t(f"notes.level.{level.value}"), code=code))
    unit = _unit_label(level, code)
    texts = {c: unicodedata.normalize("NFC", str(row.get(c) or "")).strip() for c in store.NOTE_TEXTS}
    for column, text in texts.items():
        if len(text) > store.NOTE_MAX_CHARS:
            raise DomainError(
                t("notes.err.too_long", field=t(f"notes.{column}"), length=len(text),
                  max_length=store.NOTE_MAX_CHARS)
            )  # fmt: skip
    if not any(texts.values()):
        raise DomainError(t("notes.err.no_text", unit=unit, month=shown))
    codes = _hotspot_list(row.get("hotspot_codes"))
    values = {"month": month, "level": level, "unit_code": code, **texts,
              "recorded_by": actor, "hotspot_codes": " ".join(codes)}  # fmt: skip
    after = {k: values[k] for k in store.NOTE_FIELDS}
    with engine.begin() as conn:
        query = sa.select(store.hotspot.c.code).where(store.hotspot.c.code.in_(codes))
        known = set(conn.execute(query).scalars())
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise DomainError(t("notes.err.unknown_hotspots", codes=", ".join(f"«{c}»" for c in unknown)))
        stored = conn.execute(
            sa.select(*(store.briefing_note.c[k] for k in store.NOTE_FIELDS)).where(
                (store.briefing_note.c.month == month)
                & (store.briefing_note.c.level == level.value)
                & (store.briefing_note.c.unit_code == code)
            )
        ).mappings().first()
        if stored is not None and dict(stored) == after:
            return t("notes.unchanged", month=shown, unit=unit)
        note_id, before = store.save_note(conn, values)
        store.audit(
            conn, actor, "note_update" if before else "note_add", "briefing_note", entity_id=note_id,
            entity_code=code, summary=t("notes.audit.summary", month=shown, unit=unit),
            before=before, after={"month": shown, "level": level.value, "unit_code": code, **after},
        )  # fmt: skip
    return t("notes.updated" if before else "notes.saved", month=shown, unit=unit)
