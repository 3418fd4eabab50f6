"""Local plans and their tasks (seed item 1): checked, then written with their
audit entry in one transaction (all or nothing).

A former district (plan years to 2025) or a ward (from 2025) draws up its own
plan for a year under the city plan: the hotspots it sets out to clear or keep
clean, and the tasks it gives to wards and agencies: what, which unit is
responsible, on which hotspot or ward (or the whole unit), by when, in which
state, with a short result note. Whether a task is overdue is never stored
(:mod:`dashboard.tasks`).

``actor`` is as in :mod:`dashboard.editing`: an account (may write at the
plan's unit, see :func:`plan_writable`) or an office (command line, tests).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from dashboard import store
from dashboard.accounts import Account, can_write
from dashboard.domain import REFORM_DATE, DomainError, TargetType, UnitLevel
from dashboard.editing import Actor, _check_office, office_of, require_write, signed
from dashboard.geo import unit_names, ward_districts
from dashboard.i18n import fmt_date, t
from dashboard.tasks import TaskState

#: The first plan year a local plan may be for (the programme's first year on record).
FIRST_YEAR = 2019
#: The last plan year in which former districts held plans, and the first of wards.
LAST_DISTRICT_YEAR = REFORM_DATE.year
FIRST_WARD_YEAR = REFORM_DATE.year


def levels_for_year(year: int) -> list[UnitLevel]:
    """The levels that hold local plans in ``year``: former districts up to
    2025, wards from 2025 (both in 2025, the year of the reform)."""
    levels = []
    if year <= LAST_DISTRICT_YEAR:
        levels.append(UnitLevel.DISTRICT)
    if year >= FIRST_WARD_YEAR:
        levels.append(UnitLevel.WARD)
    return levels


def unit_label(level: UnitLevel | str, code: str) -> str:
    return unit_names(UnitLevel(level)).get(code, code)


def plan_key(year: int, level: UnitLevel | str, code: str) -> str:
    """How a plan is named in messages and the audit log: "Kế hoạch 2026 · Phường X"."""
    return t("plans.key", year=year, unit=unit_label(level, code))


def plan_writable(account: Account, level: UnitLevel | str, code: str) -> bool:
    """Whether ``account`` may write the plan (and its tasks) of a unit: a ward
    plan at its ward, a former district's plan at that district."""
    level = UnitLevel(level)
    return can_write(account, code, None) if level == UnitLevel.WARD else can_write(account, None, code)


def _place(level: UnitLevel, code: str) -> tuple[str | None, str | None, str]:
    name = unit_label(level, code)
    return (code, None, name) if level == UnitLevel.WARD else (None, code, name)


#: The longest name of a task's responsible unit or agency.
RESPONSIBLE_MAX = 200


def check_text(value, field: str, max_chars: int, *, required: bool = False, where: str = "") -> str:
    """``value`` as text (NFC, trimmed), or :class:`DomainError` when it is
    required and blank or longer than ``max_chars``; ``field`` is the text key
    of the field's name."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    if required and not text:
        raise DomainError(t("plans.err.required", field=t(field), where=where))
    if len(text) > max_chars:
        raise DomainError(
            t("plans.err.too_long", field=t(field), length=len(text), max_length=max_chars, where=where)
        )
    return text


def _date(value) -> dt.date | None:
    if value is None or value != value:  # None, NaN or NaT
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "date") and not isinstance(value, dt.date):  # pandas Timestamp
        return value.date()
    return value


@dataclass(frozen=True)
class PlanUnit:
    """A checked ``(year, level, unit code)`` of a local plan."""

    year: int
    level: UnitLevel
    code: str

    @property
    def label(self) -> str:
        return plan_key(self.year, self.level, self.code)

    def holds(self, ward_code: str | None, district_code: str | None) -> bool:
        """Whether a place (a hotspot's or a ward's codes) lies in the unit."""
        if self.level == UnitLevel.WARD:
            return ward_code == self.code
        return district_code == self.code


def check_year(year, today: dt.date) -> int:
    """The plan year, or :class:`DomainError`: from :data:`FIRST_YEAR` to next year."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(t("plans.err.year", year=year)) from None
    if not FIRST_YEAR <= year <= today.year + 1:
        raise DomainError(t("plans.err.year_range", year=year, first=FIRST_YEAR, last=today.year + 1))
    return year


def check_level(year: int, level) -> UnitLevel:
    """The level of a plan for ``year`` (:func:`levels_for_year`), or :class:`DomainError`."""
    try:
        level = UnitLevel(level)
    except ValueError:
        raise DomainError(t("plans.err.level", level=level)) from None
    if level not in levels_for_year(year):
        allowed = " ".join(t(f"plans.level.{lv.value}") for lv in levels_for_year(year))
        raise DomainError(t("plans.err.level_for_year", year=year, level=t(f"plans.level.{level.value}"),
                            allowed=allowed))  # fmt: skip
    return level


def check_unit_code(level: UnitLevel, code) -> str:
    """The code of a unit of ``level``, or :class:`DomainError` when there is none."""
    code = str(code or "").strip()
    if code not in unit_names(level):
        raise DomainError(t("plans.err.unknown_unit", level=t(f"plans.level.{level.value}"), code=code))
    return code


def check_unit(year, level, code, today: dt.date) -> PlanUnit:
    """The plan unit, or :class:`DomainError` saying what is wrong."""
    year = check_year(year, today)
    level = check_level(year, level)
    return PlanUnit(year, level, check_unit_code(level, code))


def save_local_plan(engine: Engine, row: dict, actor: Actor, today: dt.date) -> str:
    """Record a unit's plan for a year, or update the stored one.

    ``row``: ``year``, ``level``, ``unit_code``; ``doc_number``, ``doc_date``
    (not after today), ``title``; ``targets``: {hotspot code: target type}, each
    hotspot within the unit. Returns the message to show; raises
    :class:`DomainError` saying what is wrong (nothing written)."""
    _check_office(actor)
    unit = check_unit(row.get("year"), row.get("level"), row.get("unit_code"), today)
    require_write(
        engine, actor, "plan_save", "local_plan", [_place(unit.level, unit.code)], entity_code=unit.code
    )
    doc_date = _date(row.get("doc_date"))
    if doc_date is not None and doc_date > today:
        raise DomainError(t("plans.err.doc_date_future", date=fmt_date(doc_date), today=fmt_date(today)))
    values = {
        "year": unit.year,
        "level": unit.level.value,
        "unit_code": unit.code,
        "doc_number": check_text(row.get("doc_number"), "plans.field.doc_number", 64),
        "doc_date": doc_date,
        "title": check_text(row.get("title"), "plans.field.title", store.LOCAL_PLAN_TITLE_MAX),
        "recorded_by": office_of(actor),
    }
    wanted = {}
    for code, kind in (row.get("targets") or {}).items():
        try:
            wanted[str(code).strip()] = TargetType(kind).value
        except ValueError:
            raise DomainError(t("plans.err.target_type", code=code, kind=kind)) from None
    with engine.begin() as conn:
        spots = store.hotspots_by_code(conn, wanted)
        unknown = [c for c in wanted if c not in spots]
        if unknown:
            raise DomainError(t("plans.err.unknown_hotspots", codes=", ".join(f"«{c}»" for c in unknown)))
        outside = [c for c in wanted if not unit.holds(spots[c].ward_code, spots[c].district_code)]
        if outside:
            raise DomainError(
                t(
                    "plans.err.target_outside",
                    codes=", ".join(f"«{c}»" for c in outside),
                    unit=unit_label(unit.level, unit.code),
                )
            )
        stored = store.find_local_plan(conn, unit.year, unit.level.value, unit.code)
        new_targets = {int(spots[c].id): k for c, k in wanted.items()}
        code_of = {int(spots[c].id): c for c in spots}
        after = {k: values[k] for k in store.LOCAL_PLAN_FIELDS}
        if stored is not None:
            old_targets = store.local_targets_of(conn, stored["id"])
            code_of |= store.hotspot_codes(conn, old_targets)
            fields = {k: stored[k] for k in store.LOCAL_PLAN_FIELDS if k != "recorded_by"}
            if (
                fields == {k: v for k, v in after.items() if k != "recorded_by"}
                and old_targets == new_targets
            ):
                return t("plans.unchanged", plan=unit.label)
        plan_id, before = store.save_local_plan(conn, values)
        old_targets, new_targets = store.set_local_targets(conn, plan_id, new_targets)
        store.audit(
            conn,
            office_of(actor),
            "plan_update" if stored else "plan_add",
            "local_plan",
            entity_id=plan_id,
            entity_code=unit.code,
            summary=signed(unit.label, actor),
            before=None if stored is None else {**before, "targets": _named(old_targets, code_of)},
            after={
                "year": unit.year,
                "level": unit.level.value,
                "unit_code": unit.code,
                **after,
                "targets": _named(new_targets, code_of),
            },
        )
    return t("plans.updated" if stored else "plans.saved", plan=unit.label)


def _named(targets: dict[int, str], code_of: dict[int, str]) -> dict[str, str]:
    return {
        code_of.get(h, str(h)): k for h, k in sorted(targets.items(), key=lambda x: code_of.get(x[0], ""))
    }


def _stored_plan(conn: Connection, plan_id: int) -> dict:
    row = store.local_plan_by_id(conn, plan_id)
    if row is None:
        raise DomainError(t("plans.err.no_plan", id=plan_id))
    return row


def task_place(conn: Connection, plan: dict, hotspot_code, ward_code, where: str = "") -> dict:
    """``hotspot_id, ward_code, district_code`` of a task in ``plan``: its
    hotspot's place, its ward's, or the plan's unit's; the hotspot or ward must
    lie in the plan's unit."""
    unit = PlanUnit(int(plan["year"]), UnitLevel(plan["level"]), plan["unit_code"])
    hotspot_code = str(hotspot_code or "").strip()
    ward_code = str(ward_code or "").strip()
    if hotspot_code:
        spot = store.hotspots_by_code(conn, [hotspot_code]).get(hotspot_code)
        if spot is None:
            raise DomainError(t("plans.err.unknown_hotspots", codes=f"«{hotspot_code}»") + where)
        if not unit.holds(spot.ward_code, spot.district_code):
            raise DomainError(
                t(
                    "plans.err.task_outside",
                    what=t("plans.err.what_hotspot", code=hotspot_code),
                    unit=unit_label(unit.level, unit.code),
                )
                + where
            )
        return {"hotspot_id": int(spot.id), "ward_code": spot.ward_code, "district_code": spot.district_code}
    if ward_code:
        districts = ward_districts()
        if ward_code not in districts:
            raise DomainError(
                t("plans.err.unknown_unit", level=t("plans.level.ward"), code=ward_code) + where
            )
        if not unit.holds(ward_code, districts[ward_code]):
            raise DomainError(
                t(
                    "plans.err.task_outside",
                    what=unit_label(UnitLevel.WARD, ward_code),
                    unit=unit_label(unit.level, unit.code),
                )
                + where
            )
        return {"hotspot_id": None, "ward_code": ward_code, "district_code": districts[ward_code]}
    place = store.unit_place(unit.level, unit.code)
    return {"hotspot_id": None, "ward_code": place["ward_code"], "district_code": place["district_code"]}


def check_state(value) -> str:
    """A stored task state (:class:`~dashboard.tasks.TaskState`; blank: not
    started), or :class:`DomainError`."""
    try:
        return TaskState(value or TaskState.NOT_STARTED).value
    except ValueError:
        raise DomainError(t("plans.err.state", state=value)) from None


def check_deadline(value, year: int) -> dt.date:
    """A task's deadline under a plan of ``year``: in that year, the one before
    or the one after; :class:`DomainError` otherwise or when it is missing."""
    deadline = _date(value)
    if deadline is None:
        raise DomainError(t("plans.err.required", field=t("plans.field.deadline"), where=""))
    if deadline.year < int(year) - 1 or deadline.year > int(year) + 1:
        raise DomainError(t("plans.err.deadline_year", date=fmt_date(deadline), year=int(year)))
    return deadline


def _deadline(value, plan: dict) -> dt.date:
    return check_deadline(value, plan["year"])


def add_task(engine: Engine, plan_id: int, row: dict, actor: Actor, today: dt.date) -> str:
    """Give a task under the plan ``plan_id``.

    ``row``: ``title``, ``responsible`` (a unit or agency), ``deadline`` (in the
    plan's year, or the year before or after), optionally ``hotspot_code`` or
    ``ward_code`` (in the plan's unit; neither: the whole unit), ``state`` (a
    :class:`~dashboard.tasks.TaskState`, not started by default) and ``result``.
    Returns the message to show."""
    _check_office(actor)
    with engine.connect() as conn:
        plan = _stored_plan(conn, plan_id)
    level, code = UnitLevel(plan["level"]), plan["unit_code"]
    key = plan_key(int(plan["year"]), level, code)
    require_write(engine, actor, "task_save", "task", [_place(level, code)], entity_code=code)
    title = check_text(row.get("title"), "plans.field.task", store.TASK_TITLE_MAX, required=True)
    values = {
        "local_plan_id": int(plan_id),
        "title": title,
        "responsible": check_text(
            row.get("responsible"), "plans.field.responsible", RESPONSIBLE_MAX, required=True
        ),
        "deadline": _deadline(row.get("deadline"), plan),
        "state": check_state(row.get("state")),
        "result": check_text(row.get("result"), "plans.field.result", store.TASK_RESULT_MAX),
        "updated_on": today,
        "recorded_by": office_of(actor),
    }
    with engine.begin() as conn:
        values |= task_place(conn, plan, row.get("hotspot_code"), row.get("ward_code"), "")
        task_id = store.insert_task(conn, values)
        store.audit(
            conn,
            office_of(actor),
            "task_add",
            "task",
            entity_id=task_id,
            entity_code=code,
            summary=signed(t("plans.audit.task", plan=key, task=title), actor),
            after={k: values[k] for k in store.TASK_FIELDS},
        )
    return t("plans.task_saved", task=title, plan=key)


class StaleTask(store.StaleEdit):
    """The task changed after the officer read it (optimistic locking): the page
    reloads the data and shows this refusal."""


def update_task(
    engine: Engine,
    task_id: int,
    changes: dict,
    actor: Actor,
    today: dt.date,
    *,
    expected_version: int | None = None,
) -> str:
    """Change a task: any of ``title, responsible, deadline, state, result,
    hotspot_code, ward_code`` (the place only when a key is given). With
    ``expected_version`` (what the officer's screen showed) a task changed
    meanwhile is refused with :class:`StaleTask` and nothing is written."""
    _check_office(actor)
    with engine.connect() as conn:
        stored = store.task_by_id(conn, task_id)
        if stored is None:
            raise DomainError(t("plans.err.no_task", id=task_id))
        plan = _stored_plan(conn, stored["local_plan_id"])
    level, code = UnitLevel(plan["level"]), plan["unit_code"]
    key = plan_key(int(plan["year"]), level, code)
    require_write(
        engine, actor, "task_save", "task", [_place(level, code)], entity_id=int(task_id), entity_code=code
    )
    values = {k: stored[k] for k in store.TASK_FIELDS}
    if "title" in changes:
        values["title"] = check_text(
            changes["title"], "plans.field.task", store.TASK_TITLE_MAX, required=True
        )
    if "responsible" in changes:
        values["responsible"] = check_text(
            changes["responsible"], "plans.field.responsible", RESPONSIBLE_MAX, required=True
        )
    if "deadline" in changes:
        values["deadline"] = _deadline(changes["deadline"], plan)
    if "state" in changes:
        values["state"] = check_state(changes["state"])
    if "result" in changes:
        values["result"] = check_text(changes["result"], "plans.field.result", store.TASK_RESULT_MAX)
    with engine.begin() as conn:
        if "hotspot_code" in changes or "ward_code" in changes:
            values |= task_place(conn, plan, changes.get("hotspot_code"), changes.get("ward_code"), "")
        if all(values[k] == stored[k] for k in store.TASK_FIELDS if k not in ("updated_on", "recorded_by")):
            return t("plans.task_unchanged", task=values["title"])
        values["updated_on"] = today
        values["recorded_by"] = office_of(actor)
        before = store.update_task(conn, int(task_id), values, expected_version)
        if before is None:
            raise StaleTask(t("plans.err.stale_task", task=stored["title"]), {})
        store.audit(
            conn,
            office_of(actor),
            "task_update",
            "task",
            entity_id=int(task_id),
            entity_code=code,
            summary=signed(t("plans.audit.task", plan=key, task=values["title"]), actor),
            before=before,
            after={k: values[k] for k in store.TASK_FIELDS},
        )
    return t("plans.task_updated", task=values["title"])
