"""Writing a validated import: every accepted row in one transaction, or
nothing, with the import and each change in the audit log.

Rows that are already stored exactly so are not written again, so importing
the same file twice changes nothing the second time.

``actor`` is an :class:`~dashboard.accounts.Account` (the app) or an office
(``str``: the server's administrator on the command line, tests). An account
must be allowed to import, and to write at every row's place (checked again
here, whatever the dry run said): otherwise the import is refused, audited
as ``denied``, and nothing is written. The office recorded is the account's,
and every audit summary ends with ``[username]``.
"""

from __future__ import annotations

from functools import partial

from sqlalchemy.engine import Engine

from dashboard import dberrors, store
from dashboard.accounts import Account, can_write
from dashboard.domain import Status, UnitLevel
from dashboard.editing import Actor, deny, office_of, signed, unit_place
from dashboard.geo import locate, unit_names
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.intake.files import IntakeError
from dashboard.intake.reach import cannot_import, outside, stored_places
from dashboard.intake.schema import KIND_LABELS, Kind
from dashboard.intake.validate import IMPORTED_REASON, Progress, Record, Report


def _permit(engine: Engine, account: Account, report: Report, todo: list[Record]) -> None:
    """Refuse (audited as ``denied``) an import that ``account`` may not make."""
    entity, code = "file", report.table.sha256[:32]
    if not can_write(account):
        city = t("enforce.place.city")
        raise deny(engine, account, "import", entity, city, entity_code=code, message=cannot_import(account))
    stored = stored_places(engine)
    for record in todo:
        place = outside(account, report.kind, record, stored)
        if place is not None:
            raise deny(engine, account, "import", entity, unit_place(*place), entity_code=code)


def apply(engine: Engine, report: Report, actor: Actor, progress: Progress | None = None) -> dict[str, int]:
    """Write the report's accepted rows; returns what was done.

    Raises :class:`IntakeError` (and writes nothing) if the store refuses
    any row, for example because it changed since the dry run; a
    :class:`DomainError` when an account ``actor`` may not write them.
    """
    progress = progress or (lambda *_: None)
    counts = report.counts()
    update = report.options.on_duplicate == "update"
    todo = [
        r
        for r in report.records
        if r.action == "new" or r.action == "update" or (update and r.action == "duplicate")
    ]
    writer = {
        Kind.HOTSPOTS: _hotspots,
        Kind.STATUS: _status,
        Kind.ACTIVITIES: _activities,
        Kind.NOTES: _notes,
        Kind.TASKS: partial(_tasks, today=report.options.today),
    }[report.kind]
    if isinstance(actor, Account):
        _permit(engine, actor, report, todo)
    account, actor = actor, office_of(actor)
    sign = (lambda summary: signed(summary, account)) if isinstance(account, Account) else (lambda s: s)
    try:
        with engine.begin() as conn:
            store.write_lock(conn, "import")  # two imports at once: one waits for the other
            now = store.data_changes(conn)  # a sign-in elsewhere is no change to the data
            if report.audit_mark is not None and now != report.audit_mark:
                raise IntakeError(t("intake.apply.store_changed"))
            done = writer(conn, todo, actor, progress, sign)
            store.audit(
                conn,
                actor,
                "import",
                "file",
                entity_code=report.table.sha256[:32],
                summary=sign(
                    t(
                        "intake.apply.summary",
                        kind=KIND_LABELS[report.kind].lower(),
                        name=report.table.name,
                        new=fmt_number(done["new"]),
                        updated=fmt_number(done["updated"]),
                        skipped=fmt_number(counts["skip"]),
                        unchanged=fmt_number(counts["unchanged"]),
                        rejected=fmt_number(counts["rejected"]),
                    )
                ),
                after={
                    "file": report.table.name,
                    "sha256": report.table.sha256,
                    "kind": report.kind.value,
                    **done,
                    "skipped": counts["skip"],
                    "unchanged": counts["unchanged"],
                    "rejected": counts["rejected"],
                },
            )
    except IntakeError:
        raise
    except Exception as exc:  # any refusal: nothing was written, say why
        raise IntakeError(t("intake.apply.failed", reason=dberrors.refusal(exc))) from exc
    progress(1.0, t("intake.apply.progress.done"))
    return {
        **done,
        "skipped": counts["skip"],
        "unchanged": counts["unchanged"],
        "rejected": counts["rejected"],
    }


def _hotspot_row(v: dict) -> dict:
    return {
        k: v[k]
        for k in ("code", "name", "kind", "lat", "lon", "status", "responsible_unit", "notes", "area_geojson")
    }


def _hotspots(conn, todo: list[Record], actor: str, progress, sign=lambda s: s) -> dict[str, int]:
    new = [r for r in todo if r.action == "new"]
    ids = store.add_hotspots(conn, [_hotspot_row(r.values) for r in new])
    for i, (record, hotspot_id) in enumerate(zip(new, ids, strict=True)):
        v = record.values
        store.record_status(conn, hotspot_id, v["date"], Status(v["status"]), IMPORTED_REASON, actor)
        store.audit(
            conn,
            actor,
            "import_create",
            "hotspot",
            entity_id=hotspot_id,
            entity_code=v["code"],
            summary=sign(t("intake.apply.row_created", row=record.row, name=v["name"])),
            after=_hotspot_row(v),
        )
        if i % 200 == 0:
            progress(
                0.5 * i / max(len(new), 1),
                t("intake.apply.progress.hotspots", row=fmt_number(i + 1), total=fmt_number(len(new))),
            )
    updated = 0
    for record in (r for r in todo if r.action != "new"):
        v = record.values
        spot = store.hotspots_by_code(conn, [record.match])[record.match]._mapping
        fields = {k: v[k] for k in ("name", "kind", "responsible_unit", "notes") if k in record.changes}
        if "area_geojson" in record.changes:
            fields["area_geojson"] = v["area_geojson"]
        if "location" in record.changes:
            where = locate(v["lat"], v["lon"]).iloc[0]
            fields |= {
                "lat": v["lat"],
                "lon": v["lon"],
                "ward_code": where.ward_code,
                "district_code": where.district_code,
            }
            store.relocate_activities(conn, spot["id"], where.ward_code, where.district_code)
        if fields:
            store.update_hotspot(conn, spot["id"], **fields)
        if "status" in record.changes:
            store.record_status(conn, spot["id"], v["date"], Status(v["status"]), IMPORTED_REASON, actor)
        before = {k: spot[k] for k in fields} | (
            {"status": spot["status"]} if "status" in record.changes else {}
        )
        after = dict(fields) | (
            {"status": v["status"], "date": v["date"]} if "status" in record.changes else {}
        )
        store.audit(
            conn,
            actor,
            "import_update",
            "hotspot",
            entity_id=spot["id"],
            entity_code=spot["code"],
            summary=sign(t("intake.apply.row_updated", row=record.row, fields=", ".join(record.changes))),
            before=before,
            after=after,
        )
        updated += 1
    return {"new": len(new), "updated": updated}


def _status(conn, todo: list[Record], actor: str, progress, sign=lambda s: s) -> dict[str, int]:
    ids = store.hotspot_ids(conn)
    reworded = [r for r in todo if r.action != "new"]
    for record in reworded:  # a stored change with new wording (reason, recording office)
        v = record.values
        after = {k: new for k, (_, new) in record.changes.items()}
        store.update_status_change(conn, record.match, **after)
        store.audit(
            conn,
            actor,
            "import_status_update",
            "hotspot",
            entity_id=ids[v["code"]],
            entity_code=v["code"],
            summary=sign(t("intake.apply.row_dated", row=record.row, date=fmt_date(v["date"]))),
            before={k: old for k, (old, _) in record.changes.items()},
            after=after,
        )
    ordered = sorted((r for r in todo if r.action == "new"), key=lambda r: (r.values["date"], r.row))
    for i, record in enumerate(ordered):
        v = record.values
        # The whole sequence was checked by the dry run (validate._status_sequences).
        old = store.record_status(
            conn,
            ids[v["code"]],
            v["date"],
            Status(v["status"]),
            v["reason"],
            v["recorded_by"] or actor,
            check=False,
        )
        store.audit(
            conn,
            actor,
            "import_status",
            "hotspot",
            entity_id=ids[v["code"]],
            entity_code=v["code"],
            summary=sign(t("intake.apply.row_dated", row=record.row, date=fmt_date(v["date"]))),
            before={"status": old.value if old else None},
            after={"status": v["status"], "date": v["date"], "reason": v["reason"]},
        )
        if i % 200 == 0:
            progress(
                i / max(len(ordered), 1),
                t("intake.apply.progress.changes", row=fmt_number(i + 1), total=fmt_number(len(ordered))),
            )
    return {"new": len(ordered), "updated": len(reworded)}


def _activities(conn, todo: list[Record], actor: str, progress, sign=lambda s: s) -> dict[str, int]:
    rows = []
    for record in todo:
        row = dict(record.values)
        row.pop("code", None)
        rows.append(row)
    progress(0.3, t("intake.apply.progress.activities", count=fmt_number(len(rows))))
    before = store.last_activity_id(conn)
    store.add_activities(conn, rows)
    after = store.last_activity_id(conn)
    if rows:
        store.audit(
            conn,
            actor,
            "import_activities",
            "activity",
            summary=sign(t("intake.apply.activities_added", count=fmt_number(len(rows)))),
            after={"first_id": before + 1, "last_id": after, "count": len(rows)},
        )
    return {"new": len(rows), "updated": 0}


def _notes(conn, todo: list[Record], actor: str, progress, sign=lambda s: s) -> dict[str, int]:
    """Each note (new, or replacing the stored one of its unit and month) with its audit entry."""
    new = updated = 0
    for i, record in enumerate(todo):
        v = dict(record.values)
        v["recorded_by"] = v["recorded_by"] or actor
        note_id, before = store.save_note(conn, v)
        month = v["month"].strftime("%m/%Y")
        unit = unit_names(UnitLevel(v["level"])).get(v["unit_code"], v["unit_code"])
        after = {k: v[k] for k in store.NOTE_FIELDS}
        store.audit(
            conn,
            actor,
            "import_note_update" if before else "import_note",
            "briefing_note",
            entity_id=note_id,
            entity_code=v["unit_code"],
            summary=sign(t("notes.audit.import_summary", row=record.row, month=month, unit=unit)),
            before=before,
            after={"month": month, "level": v["level"], "unit_code": v["unit_code"], **after},
        )
        if before:
            updated += 1
        else:
            new += 1
        if i % 200 == 0:
            progress(
                i / max(len(todo), 1),
                t("notes.apply.progress", row=fmt_number(i + 1), total=fmt_number(len(todo))),
            )
    return {"new": new, "updated": updated}


def _tasks(conn, todo: list[Record], actor: str, progress, sign=lambda s: s, *, today) -> dict[str, int]:
    """Each task (new, or changing the stored one it names) with its audit entry;
    a plan not stored yet is made first (its document fields blank), with its own entry."""
    from dashboard.localplans import plan_key

    plan_ids: dict[tuple, int] = {}
    new = updated = 0
    for i, record in enumerate(todo):
        v = record.values
        unit = (v["year"], v["level"], v["unit_code"])
        label = plan_key(*unit)
        plan_id = v["plan_id"] or plan_ids.get(unit)
        if plan_id is None:
            stored = store.find_local_plan(conn, *unit)
            if stored is not None:
                plan_id = stored["id"]
            else:
                plan = {"year": v["year"], "level": v["level"], "unit_code": v["unit_code"],
                        "doc_number": "", "doc_date": None, "title": "", "recorded_by": actor}  # fmt: skip
                plan_id, _ = store.save_local_plan(conn, plan)
                store.audit(
                    conn,
                    actor,
                    "import_plan_add",
                    "local_plan",
                    entity_id=plan_id,
                    entity_code=v["unit_code"],
                    summary=sign(t("plans.import.audit.new_plan", row=record.row, plan=label)),
                    after={k: plan[k] for k in ("year", "level", "unit_code", *store.LOCAL_PLAN_FIELDS)},
                )
        plan_ids[unit] = plan_id
        values = {
            "local_plan_id": plan_id,
            **{k: v[k] for k in store.TASK_FIELDS if k not in ("updated_on", "recorded_by")},
            "updated_on": today,
            "recorded_by": actor,
        }
        after = {k: values[k] for k in store.TASK_FIELDS}
        what = t("plans.audit.task", plan=label, task=v["title"])
        summary = sign(t("plans.import.audit.row", row=record.row, what=what))
        if record.match is None:
            task_id = store.insert_task(conn, values)
            store.audit(conn, actor, "import_task_add", "task", entity_id=task_id,
                        entity_code=v["unit_code"], summary=summary, after=after)  # fmt: skip
            new += 1
        else:
            before = store.update_task(conn, int(record.match), values, v.get("version"))
            if before is None:  # changed or removed since the dry run
                raise IntakeError(t("intake.apply.store_changed"))
            store.audit(conn, actor, "import_task_update", "task", entity_id=int(record.match),
                        entity_code=v["unit_code"], summary=summary, before=before, after=after)  # fmt: skip
            updated += 1
        if i % 200 == 0:
            progress(
                i / max(len(todo), 1),
                t("plans.import.apply.progress", row=fmt_number(i + 1), total=fmt_number(len(todo))),
            )
    return {"new": new, "updated": updated}
