"""``python -m dashboard backup --out FILE`` and ``python -m dashboard restore FILE``.

A backup is one zip file, portable between SQLite and PostgreSQL:

- ``manifest.json``: :data:`FORMAT` and :data:`FORMAT_VERSION`, the store's
  ``schema_version``, ``created_at`` (UTC, ISO 8601), the ``dialect`` it came
  from, and per table its row count (``rows``) and columns (``columns``);
- ``tables/<table>.jsonl``: one JSON object per row, columns by name, rows in
  primary-key order, dates and times as ISO strings; one member for every
  table of :data:`dashboard.store.metadata` (``meta`` included).

The backup reads every table in ONE read-only transaction (PostgreSQL:
``REPEATABLE READ``; SQLite: an explicit ``BEGIN``, so with write-ahead
logging the app's writers go on while the file shows one moment). It is
written to a temporary file beside FILE, renamed at the end: a failed backup
leaves no FILE. An existing FILE is kept unless ``--force``. The file holds
everything in the store, the accounts' password hashes included: keep it
where only the server's administrators can read it (it is created with mode
0600). A backup is not audited: it only reads the store.

A restore writes into an EMPTY store only (the one ``DATABASE_URL`` names,
created when missing), so nothing is ever lost; a store whose tables hold any
row (``meta`` aside) is refused with the tables and their row counts. The
file's schema version must equal :data:`dashboard.store.SCHEMA_VERSION`: a
newer one needs a newer app, an older one is restored with the app version
that wrote it and then upgraded by opening it with this one. Every row is
inserted in ONE transaction, tables in dependency order, primary keys kept
(all or nothing); on PostgreSQL each table's id sequence then starts after
the largest id. ``meta`` rows of the file are restored but the target's own
``schema_version``. Last, one audit entry is appended (action ``restore``,
entity ``store``, actor :data:`dashboard.cli_users.CLI_ACTOR`): the restored
audit log is the file's plus that entry.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dashboard import store
from dashboard.config import Settings
from dashboard.domain import DomainError
from dashboard.i18n import fmt_date, fmt_number, t

#: ``format`` of a backup's manifest.
FORMAT = "hotspot-dashboard-backup"
#: Version of the file layout (not of the store's schema).
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Rows inserted per statement on restore.
BATCH = 1000


def _member(table: sa.Table) -> str:
    return f"tables/{table.name}.jsonl"


def _encode(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _decoder(column: sa.Column):
    if isinstance(column.type, sa.DateTime):
        return dt.datetime.fromisoformat
    if isinstance(column.type, sa.Date):
        return dt.date.fromisoformat
    return None


# --------------------------------------------------------------------------
# Backup


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the store."""
    if engine.dialect.name == "postgresql":
        conn = engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        conn.begin()
    else:
        conn = engine.connect()
        if engine.dialect.name == "sqlite":
            # pysqlite opens no transaction for a SELECT: without this each
            # table would be read at a different moment.
            conn.exec_driver_sql("BEGIN")
        else:
            conn.begin()
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()


def write_backup(engine: Engine, out: str | os.PathLike, *, force: bool = False) -> dict:
    """Write the store's content to ``out``; returns the manifest."""
    out = Path(out)
    if out.exists() and not force:
        raise DomainError(t("backup.err.exists", name=out))
    directory = out.parent if str(out.parent) else Path(".")
    if not directory.is_dir():
        raise DomainError(t("backup.err.no_dir", dir=directory))
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{out.name}.", suffix=".tmp")  # mode 0600
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            manifest = _write_tables(engine, zf)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        if out.exists() and not force:  # appeared meanwhile
            raise DomainError(t("backup.err.exists", name=out))
        os.replace(tmp, out)
    except OSError as exc:
        raise DomainError(t("backup.err.write", name=out, reason=exc.strerror or exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _write_tables(engine: Engine, zf: zipfile.ZipFile) -> dict:
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows: dict[str, int] = {}
    columns: dict[str, list[str]] = {}
    try:
        with _snapshot(engine) as conn:
            version = store.schema_version(conn)
            for table in store.metadata.sorted_tables:
                query = sa.select(table).order_by(*table.primary_key.columns)
                count = 0
                with zf.open(_member(table), "w") as member:
                    for row in conn.execute(query).mappings():
                        line = json.dumps(dict(row), ensure_ascii=False, default=_encode) + "\n"
                        member.write(line.encode("utf-8"))
                        count += 1
                rows[table.name] = count
                columns[table.name] = [c.name for c in table.columns]
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DomainError(t("backup.err.read", reason=reason)) from exc
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": version,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "dialect": engine.dialect.name,
        "rows": rows,
        "columns": columns,
    }


# --------------------------------------------------------------------------
# Restore


def read_manifest(path: str | os.PathLike) -> dict:
    """The checked manifest of the backup at ``path`` (raises :class:`DomainError`)."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(t("backup.err.not_found", name=path))
    if not zipfile.is_zipfile(path):
        raise DomainError(t("backup.err.not_zip", name=path))
    try:
        with zipfile.ZipFile(path) as zf:
            if MANIFEST not in zf.namelist():
                raise DomainError(t("backup.err.no_manifest", name=path))
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DomainError(t("backup.err.corrupt", name=path, reason=exc)) from exc
    except ValueError as exc:  # JSON or UTF-8
        raise DomainError(t("backup.err.bad_manifest", name=path, reason=exc)) from exc
    _check_manifest(path, manifest, names)
    return manifest


def _check_manifest(path: Path, manifest, names: set[str]) -> None:
    if not isinstance(manifest, dict):
        raise DomainError(t("backup.err.bad_manifest", name=path, reason="không phải đối tượng JSON"))
    if manifest.get("format") != FORMAT:
        raise DomainError(t("backup.err.format", name=path, found=manifest.get("format"), expected=FORMAT))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            t(
                "backup.err.format_version",
                name=path,
                found=manifest.get("format_version"),
                supported=FORMAT_VERSION,
            )
        )
    found = manifest.get("schema_version")
    if not isinstance(found, int) or not isinstance(manifest.get("rows"), dict):
        raise DomainError(t("backup.err.bad_manifest", name=path, reason="thiếu schema_version hoặc rows"))
    if found > store.SCHEMA_VERSION:
        raise DomainError(
            t("backup.err.schema_newer", name=path, found=found, supported=store.SCHEMA_VERSION)
        )
    if found < store.SCHEMA_VERSION:
        raise DomainError(
            t("backup.err.schema_older", name=path, found=found, supported=store.SCHEMA_VERSION)
        )
    expected = {table.name for table in store.metadata.sorted_tables}
    listed = set(manifest["rows"])
    if listed != expected:
        detail = []
        if expected - listed:
            detail.append(t("backup.err.tables_missing", tables=", ".join(sorted(expected - listed))))
        if listed - expected:
            detail.append(t("backup.err.tables_extra", tables=", ".join(sorted(listed - expected))))
        raise DomainError(t("backup.err.tables", name=path, detail="; ".join(detail)))
    columns = manifest.get("columns") or {}
    for table in store.metadata.sorted_tables:
        if _member(table) not in names:
            raise DomainError(t("backup.err.member", name=path, member=_member(table), table=table.name))
        if not isinstance(manifest["rows"][table.name], int):
            raise DomainError(t("backup.err.bad_manifest", name=path, reason=f"rows.{table.name}"))
        want = [c.name for c in table.columns]
        if table.name in columns and sorted(columns[table.name]) != sorted(want):
            got = set(columns[table.name])
            detail = ", ".join(
                [f"-{c}" for c in want if c not in got] + [f"+{c}" for c in sorted(got - set(want))]
            )
            raise DomainError(t("backup.err.columns", name=path, table=table.name, detail=detail))


def _rows(path: Path, zf: zipfile.ZipFile, table: sa.Table, expected: int) -> Iterator[dict]:
    """The decoded rows of ``table`` in the backup."""
    decoders = {c.name: d for c in table.columns if (d := _decoder(c)) is not None}
    known = {c.name for c in table.columns}
    count = 0
    with zf.open(_member(table)) as raw:
        for number, line in enumerate(io.TextIOWrapper(raw, encoding="utf-8"), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("không phải đối tượng JSON")
                unknown = set(row) - known
                if unknown:
                    raise ValueError(f"cột lạ {', '.join(sorted(unknown))}")
                for name, decode in decoders.items():
                    if row.get(name) is not None:
                        row[name] = decode(row[name])
            except (ValueError, TypeError) as exc:
                raise DomainError(
                    t("backup.err.row", name=path, line=number, table=table.name, reason=exc)
                ) from exc
            count += 1
            yield row
    if count != expected:
        raise DomainError(t("backup.err.count", name=path, table=table.name, found=count, expected=expected))


def _check_empty(conn: Connection, url: str) -> None:
    held = []
    for table in store.metadata.sorted_tables:
        if table is store.meta:
            continue
        rows = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
        if rows:
            held.append(t("backup.err.table_rows", table=table.name, rows=fmt_number(rows)))
    if held:
        raise DomainError(t("backup.err.not_empty", url=store.safe_url(url), tables="; ".join(held)))


def _lock(conn: Connection) -> None:
    """Keep other writers out until the restore commits."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(
            conn.dialect.identifier_preparer.quote(t.name) for t in store.metadata.sorted_tables
        )
        conn.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    else:
        store.write_lock(conn, "restore")


def _reset_sequences(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for table in store.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].name != "id" or not isinstance(pk[0].type, sa.Integer):
            continue
        name = quote(table.name)
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE(MAX(id), 1), "
                f"MAX(id) IS NOT NULL) FROM {name}"
            ),
            {"table": name},
        )


def restore_backup(engine: Engine, path: str | os.PathLike, url: str = "", *, actor: str) -> dict:
    """Restore the backup at ``path`` into the empty store of ``engine``; returns the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    total = sum(n for name, n in manifest["rows"].items() if name != store.meta.name)
    created = manifest.get("created_at", "")
    try:
        when = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        created_text = f"{when:%H:%M} {fmt_date(when)} UTC"
    except (ValueError, AttributeError):
        created_text = str(created)
    try:
        with zipfile.ZipFile(path) as zf, engine.begin() as conn:
            _lock(conn)
            _check_empty(conn, url or str(engine.url))
            for table in store.metadata.sorted_tables:
                _restore_table(conn, path, zf, table, manifest["rows"][table.name])
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
            store.touch(conn, *store.DATA_KINDS)  # new generations: no cache keeps what was there
            store.audit(
                conn,
                actor,
                "restore",
                "store",
                summary=t("backup.audit.summary", name=path.name, created=created_text, rows=total),
            )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DomainError(t("backup.err.corrupt", name=path, reason=exc)) from exc
    manifest["created_text"] = created_text
    return manifest


def _restore_table(conn: Connection, path: Path, zf: zipfile.ZipFile, table: sa.Table, expected: int) -> None:
    batch: list[dict] = []

    def flush() -> None:
        try:
            conn.execute(table.insert(), batch)
        except sa.exc.SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise DomainError(t("backup.err.insert", name=path, table=table.name, reason=reason)) from exc
        batch.clear()

    for row in _rows(path, zf, table, expected):
        if table is store.meta:
            if row.get("key") == "schema_version":
                continue  # the target's own
            conn.execute(table.delete().where(table.c.key == row.get("key")))
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


# --------------------------------------------------------------------------
# Command line


def _data_counts(manifest: dict) -> tuple[int, int]:
    rows = {k: v for k, v in manifest["rows"].items() if k != store.meta.name}
    return len(rows), sum(rows.values())


def _backup(args) -> int:
    engine = store.open_store(Settings.from_env().database_url)
    try:
        manifest = write_backup(engine, args.out, force=args.force)
    finally:
        engine.dispose()
    tables, rows = _data_counts(manifest)
    if args.json:
        shown = {k: v for k, v in manifest.items() if k != "columns"}
        print(json.dumps({"file": str(args.out), **shown}, ensure_ascii=False, indent=2))
    else:
        print(
            t(
                "backup.cli.written",
                name=args.out,
                tables=tables,
                rows=fmt_number(rows),
                version=manifest["schema_version"],
            )
        )
    return 0


def _restore(args) -> int:
    from dashboard.cli_users import CLI_ACTOR

    read_manifest(args.file)  # a bad file is refused before any store is opened or created
    url = Settings.from_env().database_url
    engine = store.open_store(url)
    try:
        manifest = restore_backup(engine, args.file, url, actor=CLI_ACTOR)
    finally:
        engine.dispose()
    tables, rows = _data_counts(manifest)
    if args.json:
        shown = {k: v for k, v in manifest.items() if k not in ("columns", "created_text")}
        print(json.dumps({"file": str(args.file), **shown}, ensure_ascii=False, indent=2))
    else:
        print(
            t(
                "backup.cli.restored",
                name=args.file,
                tables=tables,
                rows=fmt_number(rows),
                created=manifest["created_text"],
            )
        )
    return 0


def add_parser(sub) -> None:
    """Add the ``backup`` and ``restore`` commands to the main parser's subparsers."""
    backup = sub.add_parser("backup", help="sao lưu toàn bộ kho dữ liệu ra một tệp (zip)")
    backup.add_argument("--out", required=True, help="tệp sao lưu sẽ ghi, ví dụ sao-luu.zip")
    backup.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    backup.add_argument("--json", action="store_true")
    backup.set_defaults(run=_backup)

    restore = sub.add_parser("restore", help="khôi phục tệp sao lưu vào một kho dữ liệu trống (DATABASE_URL)")
    restore.add_argument("file", help="tệp sao lưu do lệnh backup ghi")
    restore.add_argument("--json", action="store_true")
    restore.set_defaults(run=_restore)
