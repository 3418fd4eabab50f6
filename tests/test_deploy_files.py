"""The deployment guide and the example files under deploy/ (docs/deployment.md).

- The systemd units parse and run what the guide says (app.py on port ``%i``, a non-root user,
  hardening; the nightly app-level backup).
- ``deploy/hotspot.env.example`` documents exactly the environment variables the app reads: the
  set is computed here from the source (dashboard/, app.py, pages/), so a new variable read
  without being added to the example (and to the guide) fails this test.
- The nginx example parses (crossplane), keeps a session on one process (``ip_hash``), forwards
  the WebSocket upgrade, and accepts uploads as large as Streamlit does.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from pathlib import Path

import pytest

from dashboard.config import Settings
from dashboard.intake.files import max_bytes
from dashboard.ui.auth import AUTH_MODES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deployment.md"
ENV_EXAMPLE = DEPLOY / "hotspot.env.example"
NGINX = DEPLOY / "nginx" / "hotspot.conf"
APP_UNIT = DEPLOY / "systemd" / "hotspot@.service"
BACKUP_UNIT = DEPLOY / "systemd" / "hotspot-backup.service"
BACKUP_TIMER = DEPLOY / "systemd" / "hotspot-backup.timer"
DEPLOY_FILES = [NGINX, APP_UNIT, BACKUP_UNIT, BACKUP_TIMER, ENV_EXAMPLE]

#: Secrets and one-off values: documented in the example, but only as a disabled ``# KEY=value``.
NEVER_ACTIVE = {"HOTSPOT_PUBLIC_KEY", "HOTSPOT_PASSWORD", "HOTSPOT_NEW_PASSWORD", "HOTSPOT_TODAY"}


# --------------------------------------------------------------------------
# Which environment variables the app reads


def _is_environ(node: ast.AST) -> bool:
    """``os.environ``, ``environ`` (from os import environ) or ``env`` — the project's name for
    an environment mapping passed in or copied (``env = os.environ if env is None else env``)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id in {"environ", "env"}


def _is_membership_in_environ(node: ast.Compare) -> bool:
    """``X in os.environ`` / ``X not in env``."""
    single = len(node.ops) == 1 and isinstance(node.ops[0], ast.In | ast.NotIn)
    return single and _is_environ(node.comparators[0])


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` (such as ``PASSWORD_VARIABLE = "HOTSPOT_PASSWORD"``)."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
            found[target.id] = value.value
    return found


def env_reads(source: str, where: str = "<source>") -> set[str]:
    """The names read from the environment by ``source``: ``os.environ.get(X)``,
    ``os.environ[X]``, ``os.getenv(X)``, ``env.get(X)``, ``env[X]``, ``.setdefault(X, …)``,
    ``.pop(X)`` and ``X in os.environ``, X a string or a module-level string constant.
    Anything else as X raises, so a new way of naming a variable cannot slip past."""
    tree = ast.parse(source, where)
    constants = _module_constants(tree)
    names: set[str] = set()

    def resolve(arg: ast.AST, node: ast.AST) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names.add(arg.value)
        elif isinstance(arg, ast.Name) and arg.id in constants:
            names.add(constants[arg.id])
        else:
            raise AssertionError(
                f"{where}:{node.lineno}: environment variable named by {ast.unparse(arg)!r}: "
                "teach tests/test_deploy_files.py:env_reads this pattern"
            )

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            func = node.func
            reads_mapping = func.attr in {"get", "setdefault", "pop"} and _is_environ(func.value)
            getenv = func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os"
            if reads_mapping or getenv:
                resolve(node.args[0], node)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_environ(node.value):
            resolve(node.slice, node)
        elif isinstance(node, ast.Compare) and _is_membership_in_environ(node):
            resolve(node.left, node)
    return names


def app_sources() -> list[Path]:
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "dashboard").rglob("*.py")),
        *sorted((ROOT / "pages").glob("*.py")),
    ]
    assert len(files) > 10, files
    return files


def app_env_vars() -> set[str]:
    names: set[str] = set()
    for path in app_sources():
        names |= env_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    return names


def test_env_scan_recognises_the_project_patterns():
    source = """
import os
KEY_ENV = "V_CONSTANT"
def f(env=None):
    env = os.environ if env is None else env
    os.environ.get("V_GET"); os.environ["V_ITEM"]; os.getenv("V_GETENV")
    env.get("V_ENV_GET", ""); env["V_ENV_ITEM"]; os.environ.get(KEY_ENV)
    os.environ.setdefault("V_SETDEFAULT", "x"); "V_IN" in os.environ
    env["WRITTEN_ONLY"] = "1"; other = {}; other.get("NOT_ENV")
"""
    assert env_reads(source) == {
        "V_CONSTANT", "V_GET", "V_ITEM", "V_GETENV", "V_ENV_GET", "V_ENV_ITEM", "V_SETDEFAULT", "V_IN",
    }  # fmt: skip
    with pytest.raises(AssertionError, match="teach"):
        env_reads("import os\nos.environ.get(PREFIX + 'X')\n")


def test_env_scan_finds_the_known_variables():
    # Read directly, through env.get (config.py) and through a module constant (cli.py, public.py).
    assert {"DATABASE_URL", "HOTSPOT_TILES", "HOTSPOT_PASSWORD", "HOTSPOT_PUBLIC_KEY_FILE"} <= app_env_vars()


def test_every_env_like_constant_in_the_source_is_found_by_the_scan():
    """A whole string literal such as "HOTSPOT_X" is an environment variable's name: the scan
    must have found it, otherwise it is read in a way the scan does not know."""
    names = app_env_vars()
    shaped = re.compile(r"(HOTSPOT|DATABASE|CHROMIUM|BROWSER)_[A-Z0-9_]+")
    missed = set()
    for path in app_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if shaped.fullmatch(node.value) and node.value not in names:
                missed.add(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert not missed, missed


# --------------------------------------------------------------------------
# deploy/hotspot.env.example

LINE = re.compile(r"(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)")
DISABLED = re.compile(r"#\s?(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)")


def parse_env_example(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """(active settings, disabled ``# KEY=value`` settings); any other line raises."""
    active: dict[str, str] = {}
    disabled: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = DISABLED.fullmatch(line)
            if match:
                assert match["key"] not in disabled, f"line {number}: {match['key']} twice"
                disabled[match["key"]] = match["value"]
            continue
        match = LINE.fullmatch(line)
        assert match, f"line {number} is neither blank, a comment nor KEY=value: {raw!r}"
        assert match["key"] not in active, f"line {number}: {match['key']} twice"
        value = match["value"]
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        assert value == value.strip(), f"line {number}: stray spaces around the value"
        active[match["key"]] = value
    return active, disabled


def test_env_example_parser_refuses_other_lines():
    with pytest.raises(AssertionError, match="line 2"):
        parse_env_example("A=1\nexport B=2\n")
    assert parse_env_example("# note\n\nA='x y'\n# B=2\n") == ({"A": "x y"}, {"B": "2"})


def test_env_example_documents_exactly_the_variables_the_app_reads():
    active, disabled = parse_env_example(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert not set(active) & set(disabled), "a variable both set and disabled"
    documented = set(active) | set(disabled)
    read = app_env_vars()
    assert documented - read == set(), "documented but never read by the app"
    assert read - documented == set(), "read by the app but missing from deploy/hotspot.env.example"


def test_env_example_keeps_secrets_disabled_and_its_values_are_accepted():
    active, _ = parse_env_example(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert not NEVER_ACTIVE & set(active), NEVER_ACTIVE & set(active)
    assert active["DATABASE_URL"].startswith("postgresql+psycopg://")
    settings = Settings.from_env(active)  # raises on a basemap value the app refuses
    assert settings.database_url == active["DATABASE_URL"]
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < max_bytes(active) <= streamlit["server"].get("maxUploadSize", 200) * 1024 * 1024
    assert active["HOTSPOT_AUTH"] in AUTH_MODES


def test_streamlit_does_no_full_garbage_collection_after_each_run():
    """Under twenty sessions a full collection after every page run took about a fifth of
    the server's CPU (README, bench/load_protocol.py); Python's own collector still runs."""
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["runner"]["postScriptGC"] is False


# --------------------------------------------------------------------------
# systemd units


def read_unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), str(path))
    return parser


def test_app_unit_runs_app_on_the_instance_port_as_a_plain_user():
    unit = read_unit(APP_UNIT)
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    service = unit["Service"]
    command = service["ExecStart"].split()
    assert command[0].startswith("/") and command[0].endswith("python3"), command
    assert command[1:5] == ["-m", "streamlit", "run", "app.py"], command
    assert command[command.index("--server.port") + 1] == "%i"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.headless") + 1] == "true"
    assert service["EnvironmentFile"].lstrip("-") == "/etc/hotspot/hotspot.env"
    assert service["Restart"] == "on-failure"
    assert service.get("User", "root") not in {"root", "0"}
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] in {"strict", "full"}
    assert service["WorkingDirectory"].startswith("/")
    assert "WantedBy" in unit["Install"]


def test_backup_unit_and_timer_run_the_app_level_backup_nightly():
    unit = read_unit(BACKUP_UNIT)
    assert {"Unit", "Service"} <= set(unit.sections())
    service = unit["Service"]
    assert service["Type"] == "oneshot"
    assert re.search(r"-m dashboard backup --out \S+", service["ExecStart"]), service["ExecStart"]
    assert service["EnvironmentFile"].lstrip("-") == "/etc/hotspot/hotspot.env"
    assert service.get("User", "root") not in {"root", "0"}
    timer = read_unit(BACKUP_TIMER)
    assert {"Unit", "Timer", "Install"} <= set(timer.sections())
    assert timer["Timer"]["OnCalendar"].strip()
    assert timer["Timer"].get("Unit", "hotspot-backup.service") == BACKUP_UNIT.name
    assert timer["Install"]["WantedBy"] == "timers.target"


# --------------------------------------------------------------------------
# nginx


def nginx_directives(tmp_path: Path) -> list[dict]:
    """Every directive of deploy/nginx/hotspot.conf, parsed in the http context where the
    file is included (conf.d), each with a ``parents`` list of enclosing directive names."""
    import crossplane  # requirements-dev.txt

    main = tmp_path / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n    include {NGINX};\n}}\n", encoding="utf-8")
    payload = crossplane.parse(str(main), catch_errors=False, combine=True)
    assert payload["status"] == "ok", payload["errors"]
    found: list[dict] = []

    def walk(block: list[dict], parents: list[dict]) -> None:
        for directive in block:
            found.append({**directive, "parents": parents})
            walk(directive.get("block", []), [*parents, directive])

    walk(payload["config"][0]["parsed"], [])
    return found


def _named(directives: list[dict], name: str) -> list[dict]:
    return [d for d in directives if d["directive"] == name]


def test_nginx_upstream_is_sticky_with_several_servers(tmp_path):
    directives = nginx_directives(tmp_path)
    (upstream,) = _named(directives, "upstream")
    inside = [d["directive"] for d in upstream["block"]]
    assert "ip_hash" in inside or "hash" in inside, inside
    servers = [d["args"][0] for d in upstream["block"] if d["directive"] == "server"]
    assert len(servers) >= 2 and all(s.startswith("127.0.0.1:") for s in servers), servers
    assert len(set(servers)) == len(servers)
    ports = {int(s.rsplit(":", 1)[1]) for s in servers}
    assert ports == set(range(8501, 8501 + len(ports))), ports
    passes = [d for d in _named(directives, "proxy_pass")]
    assert passes and all(d["args"] == [f"http://{upstream['args'][0]}"] for d in passes), passes


def test_nginx_location_forwards_the_websocket_upgrade(tmp_path):
    directives = nginx_directives(tmp_path)
    (root,) = [d for d in _named(directives, "location") if d["args"] == ["/"]]
    inside = root["block"]
    versions = [d["args"] for d in inside if d["directive"] == "proxy_http_version"]
    assert versions == [["1.1"]]
    headers = {d["args"][0].lower(): d["args"][1] for d in inside if d["directive"] == "proxy_set_header"}
    assert headers.get("upgrade") == "$http_upgrade", headers
    assert headers.get("connection") in {"$connection_upgrade", "upgrade", "Upgrade"}, headers
    read_timeout = [d["args"][0] for d in inside if d["directive"] == "proxy_read_timeout"]
    assert read_timeout and _seconds(read_timeout[0]) >= 3600, read_timeout


def _seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)(s|m|h|d)?", value)
    assert match, value
    return int(match[1]) * {"s": 1, None: 1, "m": 60, "h": 3600, "d": 86400}[match[2]]


def _megabytes(value: str) -> float:
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", value)
    assert match, value
    return int(match[1]) * {"": 1 / 1024 / 1024, "k": 1 / 1024, "m": 1, "g": 1024}[match[2].lower()]


def test_nginx_has_tls_and_accepts_uploads_as_large_as_streamlit(tmp_path):
    directives = nginx_directives(tmp_path)
    listens = [" ".join(d["args"]) for d in _named(directives, "listen")]
    assert any("443" in listen and "ssl" in listen for listen in listens), listens
    assert _named(directives, "ssl_certificate") and _named(directives, "ssl_certificate_key")
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = streamlit["server"].get("maxUploadSize", 200)
    (body,) = _named(directives, "client_max_body_size")
    assert _megabytes(body["args"][0]) >= upload_mb, (body["args"], upload_mb)


# --------------------------------------------------------------------------
# docs/deployment.md


def test_guide_names_every_variable_and_links_every_deploy_file():
    guide = GUIDE.read_text(encoding="utf-8")
    missing = {name for name in app_env_vars() if f"`{name}`" not in guide}
    assert not missing, f"docs/deployment.md does not name {sorted(missing)}"
    links = set(re.findall(r"\]\(([^)\s]+)\)", guide))
    for path in DEPLOY_FILES:
        relative = Path("..") / path.relative_to(ROOT)
        assert relative.as_posix() in links, f"docs/deployment.md does not link {relative}"
        assert path.is_file(), path
    for command in ("/_stcore/health", "/_stcore/stream", "dashboard backup --out", "dashboard restore"):
        assert command in guide, command
