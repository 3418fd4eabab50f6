"""``python -m dashboard backup`` / ``restore``: round trips between SQLite and
PostgreSQL, refusals, all-or-nothing restore and a consistent snapshot."""

from __future__ import annotations

import json
import zipfile

import pytest
import sqlalchemy as sa
from pagetest import copy_sqlite

from dashboard import backup, cli, store
from dashboard.cli_users import CLI_ACTOR
from dashboard.domain import DomainError


def _contents(url: str) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))
                ]
                for table in store.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _assert_restored(source: dict, target: dict) -> None:
    """``target`` holds ``source`` row for row, plus exactly one restore audit entry."""
    assert target.keys() == source.keys()
    for name, rows in source.items():
        if name == "audit_log":
            assert len(target[name]) == len(rows) + 1
            assert target[name][:-1] == rows
            columns = [c.name for c in store.audit_log.columns]
            entry = dict(zip(columns, target[name][-1], strict=True))
            assert (entry["action"], entry["entity"], entry["actor"]) == ("restore", "store", CLI_ACTOR)
            assert entry["id"] > max((r[0] for r in rows), default=0)
        elif name == "meta":  # every kind's generation is new after a restore: no cache serves the old
            gens = {key for key, _ in rows if key.startswith("gen.")}
            assert [r for r in target[name] if r[0] not in gens] == [r for r in rows if r[0] not in gens]
            restored = dict(target[name])
            assert {f"gen.{kind}" for kind in store.DATA_KINDS} <= restored.keys()
            assert all(restored[key] != value for key, value in rows if key in gens)
        else:
            assert target[name] == rows, name


def _data_rows(url: str) -> int:
    return sum(len(rows) for name, rows in _contents(url).items() if name != "meta")


def _restore(path, url: str) -> dict:
    engine = store.open_store(url)
    try:
        return backup.restore_backup(engine, path, url, actor=CLI_ACTOR)
    finally:
        engine.dispose()


def _backup(url: str, path, **kwargs) -> dict:
    engine = store.open_store(url)
    try:
        return backup.write_backup(engine, path, **kwargs)
    finally:
        engine.dispose()


def _rewrite(path, out, *, manifest=None, members: dict[str, bytes] | None = None) -> None:
    """A copy of the backup ``path`` with a changed manifest or members."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == backup.MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            if members and name in members:
                data = members[name]
            dst.writestr(name, data)


@pytest.fixture(scope="module")
def sample_backup(sqlite_sample_db_url, tmp_path_factory):
    path = tmp_path_factory.mktemp("backup") / "sample.zip"
    manifest = _backup(sqlite_sample_db_url, path)
    return path, manifest


# --------------------------------------------------------------------------
# Round trips


def test_sqlite_round_trip_keeps_every_row(sqlite_sample_db_url, sample_backup, tmp_path):
    path, manifest = sample_backup
    source = _contents(sqlite_sample_db_url)
    assert manifest["rows"] == {name: len(rows) for name, rows in source.items()}
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["dialect"] == "sqlite"
    assert all(source[name] for name in ("hotspot", "activity", "account", "audit_log", "briefing_note"))
    target = f"sqlite:///{tmp_path}/restored.sqlite"
    _restore(path, target)
    _assert_restored(source, _contents(target))
    # New rows get new ids after the restored ones.
    engine = store.open_store(target)
    with engine.begin() as conn:
        plan_id = store.add_plan(conn, 2099, "1/KH", source["plan"][0][3])
    engine.dispose()
    assert plan_id == max(r[0] for r in source["plan"]) + 1


def test_round_trip_through_postgresql_and_back(sqlite_sample_db_url, sample_backup, pg_url, tmp_path):
    path, _ = sample_backup
    source = _contents(sqlite_sample_db_url)
    _restore(path, pg_url)
    in_pg = _contents(pg_url)
    _assert_restored(source, in_pg)
    # Sequences start after the restored ids: the app can insert at once.
    engine = store.open_store(pg_url)
    with engine.begin() as conn:
        store.audit(conn, "Kiểm thử", "note_add", "store")
        plan_id = store.add_plan(conn, 2099, "1/KH", source["plan"][0][3])
    assert plan_id == max(r[0] for r in source["plan"]) + 1
    with engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.max(store.audit_log.c.id))).scalar()
            == len(source["audit_log"]) + 2
        )
    engine.dispose()

    pg_file = tmp_path / "pg.zip"
    manifest = _backup(pg_url, pg_file)
    assert manifest["dialect"] == "postgresql"
    in_pg = _contents(pg_url)
    back = f"sqlite:///{tmp_path}/back.sqlite"
    _restore(pg_file, back)
    _assert_restored(in_pg, _contents(back))


# --------------------------------------------------------------------------
# Refusals


def test_restore_refuses_a_newer_or_older_schema(sample_backup, tmp_path):
    path, _ = sample_backup
    target = f"sqlite:///{tmp_path}/target.sqlite"
    for version, key in ((store.SCHEMA_VERSION + 1, "mới hơn"), (store.SCHEMA_VERSION - 1, "cũ hơn")):
        crafted = tmp_path / f"v{version}.zip"
        _rewrite(path, crafted, manifest=lambda m, v=version: m | {"schema_version": v})
        with pytest.raises(DomainError) as err:
            _restore(crafted, target)
        message = str(err.value)
        assert key in message and str(version) in message and str(store.SCHEMA_VERSION) in message
        assert crafted.name in message
    assert _data_rows(target) == 0


def test_restore_refuses_a_store_holding_data(sample_backup, tmp_path):
    path, _ = sample_backup
    target = f"sqlite:///{tmp_path}/target.sqlite"
    _restore(path, target)
    before = _contents(target)
    with pytest.raises(DomainError) as err:
        _restore(path, target)
    message = str(err.value)
    assert "DATABASE_URL" in message
    assert f"bảng hotspot: {len(before['hotspot'])} dòng" in message
    assert _contents(target) == before


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p, good: p.write_bytes(b"not a zip at all"), "không đọc được dạng nén zip"),
        (lambda p, good: p.write_bytes(good.read_bytes()[:5000]), "không đọc được dạng nén zip"),
        (lambda p, good: zipfile.ZipFile(p, "w").writestr("x.txt", "x"), "thiếu manifest.json"),
        (lambda p, good: zipfile.ZipFile(p, "w").writestr("manifest.json", "{"), "manifest.json hỏng"),
        (
            lambda p, good: _rewrite(good, p, manifest=lambda m: m | {"format": "other"}),
            "định dạng «other»",
        ),
        (
            lambda p, good: _rewrite(good, p, manifest=lambda m: m | {"rows": {**m["rows"], "hotspot": 1}}),
            "bảng hotspot có",
        ),
        (
            lambda p, good: _rewrite(good, p, members={"tables/plan.jsonl": b'{"id": 1}\n{oops\n'}),
            "dòng 2 của bảng plan",
        ),
    ],
    ids=["not-zip", "truncated", "no-manifest", "bad-json", "other-format", "count", "bad-line"],
)
def test_restore_refuses_a_corrupt_file(sample_backup, tmp_path, make, expected):
    path, _ = sample_backup
    bad = tmp_path / "bad.zip"
    make(bad, path)
    target = f"sqlite:///{tmp_path}/target.sqlite"
    with pytest.raises(DomainError) as err:
        _restore(bad, target)
    assert expected in str(err.value)
    assert str(bad) in str(err.value)
    assert _data_rows(target) == 0


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(DomainError, match="Không tìm thấy tệp sao lưu"):
        _restore(tmp_path / "nowhere.zip", f"sqlite:///{tmp_path}/target.sqlite")


def test_a_failed_restore_leaves_the_target_empty(sample_backup, tmp_path):
    path, _ = sample_backup
    # A task in the middle of the last table breaks a CHECK: by then
    # every other table has been inserted.
    with zipfile.ZipFile(path) as zf:
        lines = zf.read("tables/task.jsonl").decode().splitlines()
    middle = len(lines) // 2
    row = json.loads(lines[middle])
    lines[middle] = json.dumps(row | {"state": "bogus"})
    bad = tmp_path / "bad-row.zip"
    _rewrite(path, bad, members={"tables/task.jsonl": ("\n".join(lines) + "\n").encode()})
    assert store.metadata.sorted_tables[-1].name == "task"
    target = f"sqlite:///{tmp_path}/target.sqlite"
    with pytest.raises(DomainError) as err:
        _restore(bad, target)
    assert "task" in str(err.value) and "không thay đổi" in str(err.value)
    after = _contents(target)
    assert all(not rows for name, rows in after.items() if name != "meta")
    assert after["meta"] == [("schema_version", str(store.SCHEMA_VERSION))]


def test_a_failed_restore_into_postgresql_leaves_it_empty(sample_backup, tmp_path, pg_url):
    path, _ = sample_backup
    with zipfile.ZipFile(path) as zf:
        lines = zf.read("tables/plan_target.jsonl").decode().splitlines()
    lines[len(lines) // 2] = json.dumps(json.loads(lines[len(lines) // 2]) | {"hotspot_id": 999_999})
    bad = tmp_path / "bad-fk.zip"
    _rewrite(path, bad, members={"tables/plan_target.jsonl": ("\n".join(lines) + "\n").encode()})
    with pytest.raises(DomainError, match="plan_target"):
        _restore(bad, pg_url)
    assert _data_rows(pg_url) == 0


def test_backup_keeps_an_existing_file_unless_forced(sqlite_sample_db_url, tmp_path):
    out = tmp_path / "b.zip"
    out.write_bytes(b"keep me")
    with pytest.raises(DomainError, match="--force"):
        _backup(sqlite_sample_db_url, out)
    assert out.read_bytes() == b"keep me"
    _backup(sqlite_sample_db_url, out, force=True)
    assert backup.read_manifest(out)["format"] == backup.FORMAT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]


def test_a_failed_backup_leaves_no_file(sqlite_sample_db_url, tmp_path):
    engine = store.open_store(sqlite_sample_db_url)
    reads = []

    def fail_midway(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "activity" in statement:
            reads.append(statement)
            raise sa.exc.OperationalError(statement, {}, RuntimeError("disk went away"))

    sa.event.listen(engine, "before_cursor_execute", fail_midway)
    out = tmp_path / "b.zip"
    with pytest.raises(DomainError, match="disk went away"):
        backup.write_backup(engine, out)
    engine.dispose()
    assert reads
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# A consistent snapshot while the app writes


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_backup_sees_one_moment_while_another_session_writes(
    dialect, sample_backup, sqlite_sample_db_url, tmp_path, request
):
    if dialect == "sqlite":
        url = copy_sqlite(sqlite_sample_db_url, tmp_path / "copy.sqlite")
    else:
        url = request.getfixturevalue("pg_url")
        _restore(sample_backup[0], url)
    before = _contents(url)
    reader = store.open_store(url)
    writer = store.open_store(url)
    if dialect == "sqlite":
        with writer.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    first = store.metadata.sorted_tables[0].name
    written = []

    def write_meanwhile(conn, cursor, statement, *args):
        # Once the backup has read its first table, another session writes to
        # the tables it reads next and commits.
        if written or not statement.lstrip().upper().startswith("SELECT") or f"FROM {first}" not in statement:
            return
        with writer.begin() as other:
            store.audit(other, "Kiểm thử", "note_add", "store", summary="meanwhile")
            store.add_plan(other, 2099, "9/KH", before["plan"][0][3])
        written.append(True)

    sa.event.listen(reader, "after_cursor_execute", write_meanwhile)
    out = tmp_path / "snap.zip"
    manifest = backup.write_backup(reader, out)
    reader.dispose()
    writer.dispose()
    assert written
    after = _contents(url)
    assert len(after["plan"]) == len(before["plan"]) + 1
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    # The file shows the store as it was when the backup began.
    assert manifest["rows"] == {name: len(rows) for name, rows in before.items()}
    target = f"sqlite:///{tmp_path}/target.sqlite"
    _restore(out, target)
    _assert_restored(before, _contents(target))


# --------------------------------------------------------------------------
# Command line


def test_cli_backup_and_restore(monkeypatch, capsys, sqlite_sample_db_url, tmp_path):
    source = _contents(sqlite_sample_db_url)
    rows = sum(len(r) for name, r in source.items() if name != "meta")
    out = tmp_path / "cli.zip"
    monkeypatch.setenv("DATABASE_URL", sqlite_sample_db_url)
    assert cli.main(["backup", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("Đã sao lưu kho dữ liệu vào «")
    assert str(out) in line and "11 bảng" in line and f"{rows:,}".replace(",", ".") + " dòng" in line

    assert cli.main(["backup", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert cli.main(["backup", "--out", str(out), "--force", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["file"] == str(out)
    assert printed["rows"] == {name: len(r) for name, r in source.items()}

    target = f"sqlite:///{tmp_path}/target.sqlite"
    monkeypatch.setenv("DATABASE_URL", target)
    assert cli.main(["restore", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"Đã khôi phục «{out}» vào kho dữ liệu: 11 bảng")
    _assert_restored(source, _contents(target))

    assert cli.main(["restore", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Kho dữ liệu đích") and "DATABASE_URL" in err


def test_cli_restore_of_a_bad_file_creates_no_store(monkeypatch, capsys, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_text("hello")
    target = tmp_path / "never.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    assert cli.main(["restore", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"Lỗi: Tệp «{bad}» không phải bản sao lưu")
    assert cli.main(["restore", str(tmp_path / "missing.zip")]) == 2
    assert "Không tìm thấy tệp sao lưu" in capsys.readouterr().err
    assert not target.exists()


def test_cli_restore_json(monkeypatch, capsys, sample_backup, tmp_path):
    path, manifest = sample_backup
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/target.sqlite")
    assert cli.main(["restore", str(path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["rows"] == manifest["rows"]
    assert printed["schema_version"] == store.SCHEMA_VERSION
