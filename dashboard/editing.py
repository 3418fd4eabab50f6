"""Changes made in the app: status, activity, location, briefing notes. Each is checked, then
written with its audit-log entry in one transaction (all or nothing).

``actor`` is who records the change, never a person's name:

- an :class:`~dashboard.accounts.Account` (the app's signed-in account): the
  write is refused unless :func:`dashboard.accounts.can_write` allows it at
  the place it touches (a hotspot's ward and former district, both the old
  and the new place of a move, a briefing note's unit). A refusal raises
  :class:`DomainError` naming the account and the place, and is kept in the
  audit log as ``denied`` (in a transaction of its own: nothing else is
  written). An allowed write records ``account.office`` as the acting office
  and adds ``[username]`` to the audit entry's summary;
- a ``str``, an office from :func:`actor_choices`: the server's administrator
  acting from the command line, or tests. No account check applies.

The helpers :func:`office_of`, :func:`signed`, :func:`require_write` and
:func:`require_city` are shared with the store and the imports.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
import unicodedata

from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.accounts import CITY_WRITERS, Account, can_admin, can_write
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
    row = store.hotspot_by_id(conn, hotspot_id)
    if row is None:
        raise DomainError(t("err.no_hotspot", id=hotspot_id))
    return row


# --------------------------------------------------------------------------
# Who acts, and whether they may

#: Who records a change: the signed-in account, or an office (command line, tests).
Actor = str | Account


def office_of(actor: Actor) -> str:
    """The office recorded as acting (``recorded_by``, the audit log's ``actor``)."""
    return actor.office if isinstance(actor, Account) else actor


def signed(summary: str, actor: Actor) -> str:
    """An audit summary with the account's username added (the log has no account column)."""
    if isinstance(actor, Account):
        return t("enforce.signed", summary=summary, username=actor.username)
    return summary


def unit_place(ward_code: str | None, district_code: str | None) -> str:
    """A place's name: its ward (and former district), or its former district."""
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    if ward_code and district_code:
        return f"{wards.get(ward_code, ward_code)} ({districts.get(district_code, district_code)})"
    if ward_code:
        return wards.get(ward_code, ward_code)
    if district_code:
        return districts.get(district_code, district_code)
    return t("enforce.place.none")


def _role(account: Account) -> str:
    return t(f"acct.role.{account.role.value}")


def deny(
    engine: Engine,
    account: Account,
    action: str,
    entity: str,
    place: str,
    *,
    entity_id: int | None = None,
    entity_code: str | None = None,
    message: str | None = None,
) -> DomainError:
    """Keep a refused write in the audit log (as ``denied``, in a transaction
    of its own) and return the error to raise. ``action`` is a key of
    ``enforce.action.*``."""
    what = t(f"enforce.action.{action}")
    with engine.begin() as conn:
        store.audit(
            conn, account.office, "denied", entity, entity_id=entity_id, entity_code=entity_code,
            summary=t("enforce.audit.denied", action=what, place=place, username=account.username),
            after={"action": action, "role": account.role.value, "place": place},
        )  # fmt: skip
    return DomainError(
        message or t("enforce.denied", username=account.username, role=_role(account), place=place)
    )


def require_write(
    engine: Engine,
    actor: Actor,
    action: str,
    entity: str,
    places: list[tuple[str | None, str | None, str]],
    *,
    entity_id: int | None = None,
    entity_code: str | None = None,
) -> None:
    """Refuse (see :func:`deny`) unless an account ``actor`` may write at every
    place: ``(ward_code, district_code, name)``. An office (``str``) passes."""
    if not isinstance(actor, Account):
        return
    for ward_code, district_code, name in places:
        if not can_write(actor, ward_code, district_code):
            raise deny(engine, actor, action, entity, name, entity_id=entity_id, entity_code=entity_code)


def require_city(engine: Engine, actor: Actor, action: str, entity: str, *, admin_only: bool) -> None:
    """Refuse (see :func:`deny`) a city-wide write unless an account ``actor``
    is an admin (``admin_only``) or an admin or department staff. An office (``str``) passes."""
    if not isinstance(actor, Account):
        return
    allowed = can_admin(actor) if admin_only else (actor.role in CITY_WRITERS and not actor.disabled)
    if allowed:
        return
    message = t(
        "enforce.denied_city", username=actor.username, role=_role(actor),
        action=t(f"enforce.action.{action}"),
        allowed=t("enforce.allowed.admin" if admin_only else "enforce.allowed.city_writers"),
    )  # fmt: skip
    raise deny(engine, actor, action, entity, t("enforce.place.city"), message=message)


def _hotspot_place(spot) -> tuple[str, str, str]:
    name = t("enforce.place.hotspot", code=spot.code, unit=unit_place(spot.ward_code, spot.district_code))
    return spot.ward_code, spot.district_code, name


def _permit_hotspot(engine: Engine, actor: Actor, action: str, hotspot_id: int, also=()) -> None:
    """Refuse unless an account ``actor`` may write at the hotspot (and at the places ``also``)."""
    if not isinstance(actor, Account):
        return
    with engine.connect() as conn:
        spot = _hotspot(conn, hotspot_id)
    require_write(
        engine, actor, action, "hotspot", [_hotspot_place(spot), *also], entity_id=hotspot_id,
        entity_code=spot.code,
    )  # fmt: skip


def _check_office(actor: Actor) -> None:
    """An office (``str``) must be one of :func:`actor_choices`; an account acts as its office."""
    if not isinstance(actor, Account) and actor not in actor_choices():
        raise DomainError(t("err.actor", actor=actor))


def _check(actor: Actor, date: dt.date, today: dt.date) -> None:
    _check_office(actor)
    if date > today:
        raise DomainError(t("err.future_date", date=fmt_date(date), today=fmt_date(today)))


def change_status(
    engine: Engine,
    hotspot_id: int,
    date: dt.date,
    new: Status,
    reason: str,
    actor: Actor,
    today: dt.date,
    *,
    handover: dict | None = None,
    expected_version: int | None = None,
) -> None:
    """Record a status change (a handover is the change to ``handed_over``;
    see :func:`hand_over` for the handover record).

    ``expected_version`` is the hotspot's version the officer's screen showed:
    if the hotspot changed since, :class:`dashboard.store.StaleEdit` is raised
    and nothing is written (see :func:`dashboard.store.claim_hotspot`)."""
    _check_office(actor)
    _permit_hotspot(engine, actor, "handover" if handover else "status_change", hotspot_id)
    _check(actor, date, today)
    if not reason.strip():
        raise DomainError(t("err.reason"))
    office = office_of(actor)
    with engine.begin() as conn:
        store.claim_hotspot(conn, hotspot_id, expected_version)
        spot = _hotspot(conn, hotspot_id)
        old = store.record_status(conn, hotspot_id, date, Status(new), reason.strip(), office)
        was = t(f"status.{old.value}") if old else "—"
        store.audit(
            conn, office, "status_change", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=signed(f"{was} → {t(f'status.{Status(new).value}')} ({fmt_date(date)})", actor),
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
    actor: Actor,
    today: dt.date,
    *,
    expected_version: int | None = None,
) -> None:
    """Hand a cleared hotspot over to a ward to keep clean: the change to
    ``handed_over`` with its record (receiving office, minutes number), kept
    in the status reason and, as fields, in the audit log (``expected_version``
    as in :func:`change_status`)."""
    _check_office(actor)
    _permit_hotspot(engine, actor, "handover", hotspot_id)
    if receiver not in actor_choices():
        raise DomainError(t("err.actor", actor=receiver))
    if not document.strip():
        raise DomainError(t("err.handover_document"))
    reason = t("edit.handover_reason", receiver=receiver, document=document.strip())
    if note.strip():
        reason = f"{reason} {note.strip()}"
    record = {"receiver": receiver, "document": document.strip()}
    change_status(
        engine, hotspot_id, date, Status.HANDED_OVER, reason, actor, today, handover=record,
        expected_version=expected_version,
    )  # fmt: skip


def add_activity(engine: Engine, hotspot_id: int, row: dict, actor: Actor, today: dt.date) -> None:
    """Record an activity on a hotspot; counts must be whole numbers ≥ 0."""
    _check_office(actor)
    _permit_hotspot(engine, actor, "activity_add", hotspot_id)
    date = row["date"]
    _check(actor, date, today)
    office = office_of(actor)
    kind = ActivityKind(row["kind"])
    counts = {c: row.get(c, 0) for c in store.COUNT_COLUMNS}
    for column, value in counts.items():
        # Whole numbers (numpy's too), not yes/no values.
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
            raise DomainError(t("err.count", column=t(f"count.{column}"), value=value))
    counts = {c: int(v) for c, v in counts.items()}
    with engine.begin() as conn:
        spot = _hotspot(conn, hotspot_id)
        unit = row.get("unit") or office
        store.add_activities(
            conn, [{"date": date, "hotspot_id": hotspot_id, "kind": kind, "unit": unit, **counts}]
        )
        store.audit(
            conn, office, "activity_add", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=signed(f"{t(f'activity.{kind.value}')} {fmt_date(date)}", actor),
            after={"date": date, "kind": kind.value, "unit": unit, **counts},
        )  # fmt: skip


def move_hotspot(
    engine: Engine,
    hotspot_id: int,
    lat: float,
    lon: float,
    reason: str,
    actor: Actor,
    *,
    expected_version: int | None = None,
) -> dict:
    """Move a hotspot; its ward and former district follow from the new point,
    for the hotspot and for the place of its activities (the unit that carried
    an activity out, ``unit_code``, stays as recorded).

    Returns the new location. A point outside Hà Nội raises and changes nothing.
    An account must be allowed to write at both the old and the new place;
    ``expected_version`` as in :func:`change_status`.
    """
    _check_office(actor)
    if not reason.strip():
        raise DomainError(t("err.reason"))
    where = locate(lat, lon).iloc[0]
    new_place = (where.ward_code, where.district_code, unit_place(where.ward_code, where.district_code))
    _permit_hotspot(engine, actor, "hotspot_move", hotspot_id, also=[new_place])
    after = {"lat": round(lat, 6), "lon": round(lon, 6), "ward_code": where.ward_code,
             "district_code": where.district_code}  # fmt: skip
    with engine.begin() as conn:
        store.claim_hotspot(conn, hotspot_id, expected_version)
        spot = _hotspot(conn, hotspot_id)
        before = {
            "lat": spot.lat,
            "lon": spot.lon,
            "ward_code": spot.ward_code,
            "district_code": spot.district_code,
        }
        store.update_hotspot(conn, hotspot_id, **after)
        store.relocate_activities(conn, hotspot_id, where.ward_code, where.district_code)
        store.audit(
            conn, office_of(actor), "hotspot_move", "hotspot", entity_id=hotspot_id, entity_code=spot.code,
            summary=signed(reason.strip(), actor), before=before, after=after,
        )  # fmt: skip
    return after


def _unit_label(level: UnitLevel, code: str) -> str:
    return unit_names(level).get(code, code)


def _hotspot_list(value) -> list[str]:
    """Hotspot codes from text (spaces, commas or semicolons between them) or a list; in order, once each."""
    parts = re.split(r"[\s,;]+", value) if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def save_briefing_note(engine: Engine, row: dict, actor: Actor, today: dt.date) -> str:
    """Record the briefing note of a unit for a month, or update the stored one.

    ``row`` holds ``month`` (any day of it), ``unit_code`` and ``level`` (a
    former district before 01/07/2025, a ward from then on; by default the
    level in force), the texts
    ``difficulties``, ``proposals``, ``decisions`` (at least one; each at most
    :data:`store.NOTE_MAX_CHARS` characters) and optionally ``hotspot_codes``
    (text or list of stored hotspot codes). The note and its audit entry (with
    before and after for an update) are written together, or nothing is.

    An account must be allowed to write at the note's unit (a ward note: the
    ward; a district note: the former district), see :func:`note_writable`.

    Returns the message to show; raises :class:`DomainError` saying what is wrong.
    """
    _check_office(actor)
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
    place = (code, None, unit) if level == UnitLevel.WARD else (None, code, unit)
    require_write(engine, actor, "note_save", "briefing_note", [place], entity_code=code)
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
              "recorded_by": office_of(actor), "hotspot_codes": " ".join(codes)}  # fmt: skip
    after = {k: values[k] for k in store.NOTE_FIELDS}
    with engine.begin() as conn:
        known = store.known_codes(conn, codes)
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise DomainError(t("notes.err.unknown_hotspots", codes=", ".join(f"«{c}»" for c in unknown)))
        stored = store.find_note(conn, month, level.value, code)
        if stored == after:
            return t("notes.unchanged", month=shown, unit=unit)
        note_id, before = store.save_note(conn, values)
        store.audit(
            conn, office_of(actor), "note_update" if before else "note_add", "briefing_note",
            entity_id=note_id, entity_code=code,
            summary=signed(t("notes.audit.summary", month=shown, unit=unit), actor),
            before=before, after={"month": shown, "level": level.value, "unit_code": code, **after},
        )  # fmt: skip
    return t("notes.updated" if before else "notes.saved", month=shown, unit=unit)


def note_writable(account: Account, level: UnitLevel, code: str) -> bool:
    """Whether ``account`` may record the note of a unit: a ward note at its
    ward, a district note at its former district."""
    level = UnitLevel(level)
    return can_write(account, code, None) if level == UnitLevel.WARD else can_write(account, None, code)


def hotspot_writable(account: Account, ward_code: str, district_code: str) -> bool:
    """Whether ``account`` may record changes on a hotspot at this place."""
    return can_write(account, ward_code, district_code)
