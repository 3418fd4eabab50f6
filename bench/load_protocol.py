"""Server load test: N officers at once, each a client of Streamlit's own protocol.

:mod:`load_test` drives real Chromium pages; on a small machine those pages take
three to five times the server's CPU, so its figures there measure mostly the
load generator. Here each session is what a browser is to the server, and
nothing more: a WebSocket to ``/_stcore/stream`` sending the messages a browser
sends (Streamlit's ``BackMsg``: run the page, with the widgets' values) and
reading every message the server sends back (``ForwardMsg``) until the page's
run has finished. It draws nothing, so what it times is the server's work and
the transfer of the page (maps and charts included) over loopback: the part of
an officer's wait that a deployment must size, the browser's drawing being done
on the officer's own machine.

By default the script starts the server itself, as :mod:`load_test` does (same
flags, today pinned, a fresh SQLite store of the sample data; ``--db-url`` for
another store, which gets the test administrator account). Each session, timed
from its first message to the end of the run it waits for:

1. **overview**: open the app's default page, then sign in as the test
   administrator (the form's two fields and its button, as the browser sends
   them); until the overview's run after signing in has finished, holding the
   city map;
2. **filter**: choose another plan year in the sidebar ("Năm kế hoạch");
   until the rerun finished, its plan targets headed with that year;
3. **area**: open "Theo địa bàn"; until its run finished, holding its map.

A run that ends in an exception drawn on the page, a missing map or a missing
field counts as an error. All sessions start together (``--ramp S``: one every S
seconds); ``--warmup`` runs one session alone first (not counted).

Printed per action: count, median, p95 and max (seconds), errors, and the
bytes the server sent for it (median); then the server's peak memory and CPU
time. Targets: p95 of every action < 3 s, no errors, server memory < 2 GB.
Bounded: ``--timeout`` per action (120 s) and ``--deadline`` for the run (900 s).

Run from the repository root: ``python bench/load_protocol.py [--sessions N]
[--db-url URL] [--timeout S] [--deadline S] [--ramp S] [--warmup] [--json]
[--check]``. The exit code is 0 unless ``--check`` is given and a target fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import failed_targets, verdict
from load_test import (
    MEMORY_MB,
    P95_S,
    Sampler,
    fresh_sample_store,
    make_plan,
    p95,
    prepare_account,
    start_server,
    stop_server,
    wait_healthy,
)
from pagetest import ADMIN, TEST_PASSWORD

from dashboard.i18n import t

ACTIONS = ("overview", "filter", "area")
FOLIUM = "streamlit_folium"


def _protos():
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


@dataclass
class Run:
    """What one run of a page sent: its widgets by label, maps, errors, pages, bytes."""

    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # label -> (kind, proto)
    maps: int = 0
    exceptions: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash
    texts: list[str] = field(default_factory=list)  # headings and markdown
    bytes: int = 0


class Client:
    """One browser session, as the server sees it."""

    def __init__(self, url: str, timeout: float):
        self.ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.timeout = timeout
        self.ws = None
        self.pages: dict[str, str] = {}
        self.page_hash = ""

    async def __aenter__(self) -> Client:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def run(self, widgets: list[tuple[str, str, object]] = (), page_hash: str | None = None) -> Run:
        """Ask for a run of the page (``page_hash``, else the current one) with ``widgets``
        (id, value field, value); return what the server sent until a run finished that
        was not cut short for another."""
        BackMsg, ForwardMsg = _protos()
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.widget_states.SetInParent()
        for widget_id, kind, value in widgets:
            w = state.widget_states.widgets.add()
            w.id = widget_id
            setattr(w, kind, value)
        await self.ws.send(msg.SerializeToString())
        run = Run()
        async with asyncio.timeout(self.timeout):
            while True:
                raw = await self.ws.recv()
                run.bytes += len(raw)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    self._element(fwd.delta.new_element, run)
                elif kind == "navigation":
                    for page in fwd.navigation.app_pages:
                        self.pages[page.url_pathname] = page.page_script_hash
                elif kind == "new_session":
                    self.page_hash = fwd.new_session.page_script_hash or self.page_hash
                elif kind == "script_finished":
                    status = fwd.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        run = Run(bytes=run.bytes)  # the next run replaces what this one drew
                        continue
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        run.exceptions.append("compile error")
                    run.pages = dict(self.pages)
                    return run

    @staticmethod
    def _element(element, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "component_instance" and FOLIUM in element.component_instance.component_name:
            run.maps += 1
        elif kind in {"heading", "markdown"}:
            run.texts.append(getattr(element, kind).body)
        elif kind in {"text_input", "selectbox", "button"}:
            proto = getattr(element, kind)
            run.widgets[proto.label] = (kind, proto)


def _widget(run: Run, label: str, kind: str, action: str):
    found = run.widgets.get(label)
    if found is None or found[0] != kind:
        raise RuntimeError(f"{action}: no {kind} «{label}» on the page")
    return found[1]


def _check(run: Run, action: str, maps: int = 1) -> None:
    if run.exceptions:
        raise RuntimeError(f"{action}: the page shows an exception: {run.exceptions[0]}")
    if run.maps < maps:
        raise RuntimeError(f"{action}: the page holds {run.maps} maps, expected {maps}")


@dataclass
class Session:
    index: int
    times: dict[str, float] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    form_s: float | None = None  # the overview's first step: the sign-in form sent
    error: tuple[str, str] | None = None


async def session(s: Session, url: str, year: int | None, timeout: float) -> None:
    action = "overview"
    try:
        async with Client(url, timeout) as c:
            start = time.perf_counter()
            form = await c.run()
            s.form_s = time.perf_counter() - start
            user = _widget(form, t("auth.username"), "text_input", action)
            password = _widget(form, t("auth.password"), "text_input", action)
            submit = _widget(form, t("auth.submit"), "button", action)
            signed = [(user.id, "string_value", ADMIN), (password.id, "string_value", TEST_PASSWORD),
                      (submit.id, "trigger_value", True)]  # fmt: skip
            page = await c.run(signed)
            if t("auth.password") in page.widgets:
                raise RuntimeError(f"{action}: still asked to sign in")
            _check(page, action)
            s.times[action], s.bytes[action] = time.perf_counter() - start, form.bytes + page.bytes

            action = "filter"
            select = _widget(page, t("filter.plan_year"), "selectbox", action)
            current = select.raw_value or select.options[select.default]
            wanted = str(year) if year is not None and str(year) in select.options else None
            wanted = wanted or next((o for o in select.options if o != current), None)
            if wanted is None:
                raise RuntimeError(f"{action}: the plan year offers no other year than {current}")
            start = time.perf_counter()
            changed = await c.run([(select.id, "string_value", wanted)])
            _check(changed, action)
            heading = t("overview.kpi_heading", year=wanted, date="").split("(")[0].strip()
            if not any(heading in text for text in changed.texts):
                raise RuntimeError(f"{action}: the page shows no «{heading}»")
            s.times[action], s.bytes[action] = time.perf_counter() - start, changed.bytes

            action = "area"
            area = c.pages.get("area")
            if area is None:
                raise RuntimeError(f"{action}: the navigation holds no page «area»")
            start = time.perf_counter()
            c.page_hash = area
            opened = await c.run([(select.id, "string_value", wanted)], page_hash=area)
            _check(opened, action)
            s.times[action], s.bytes[action] = time.perf_counter() - start, opened.bytes
    except TimeoutError:
        s.error = (action, f"timeout after {timeout:.0f} s")
    except Exception as exc:  # one session's failure is counted, the others go on
        s.error = (action, f"{type(exc).__name__}: {exc}"[:300])


async def run_sessions(url: str, year: int | None, args, until: float) -> tuple[list[Session], dict]:
    warm = {}
    if args.warmup:
        w = Session(-1)
        await session(w, url, year, args.timeout)
        warm = {"times": w.times, "error": w.error}
    sessions = [Session(i) for i in range(args.sessions)]

    async def started(s: Session) -> None:
        await asyncio.sleep(s.index * args.ramp)
        await session(s, url, year, args.timeout)

    tasks = [asyncio.create_task(started(s)) for s in sessions]
    _done, pending = await asyncio.wait(tasks, timeout=max(until - time.monotonic(), 1))
    for task in pending:
        task.cancel()
    for s, task in zip(sessions, tasks, strict=True):
        if task in pending and s.error is None:
            s.error = (next((a for a in ACTIONS if a not in s.times), ACTIONS[-1]), "stopped at the deadline")
    return sessions, warm


def summarise(sessions: list[Session]) -> dict:
    out = {}
    for action in ACTIONS:
        times = [s.times[action] for s in sessions if action in s.times]
        sizes = [s.bytes[action] for s in sessions if action in s.bytes]
        errors = [s.error[1] for s in sessions if s.error and s.error[0] == action]
        before = sum(1 for s in sessions if s.error and ACTIONS.index(s.error[0]) < ACTIONS.index(action))
        out[action] = {
            "count": len(times),
            "median_s": statistics.median(times) if times else None,
            "p95_s": p95(times) if times else None,
            "max_s": max(times) if times else None,
            "median_mb": statistics.median(sizes) / 1e6 if sizes else None,
            "errors": len(errors),
            "not_run": before,
            "first_error": errors[0] if errors else None,
        }
    forms = [s.form_s for s in sessions if "overview" in s.times]
    out["overview"]["form_median_s"] = statistics.median(forms) if forms else None
    return out


def judge(r: dict) -> dict:
    targets = {
        f"p95 {a}": {"value": v["p95_s"], "limit": P95_S, "pass": (v["p95_s"] or P95_S) < P95_S}
        for a, v in r["actions"].items()
    }
    errors = sum(a["errors"] + a["not_run"] for a in r["actions"].values()) + bool(r.get("setup_error"))
    targets["errors"] = {"value": errors, "limit": 0, "pass": errors == 0}
    mb = r["server_peak_rss_mb"]
    targets["server memory"] = {"value": mb, "limit": MEMORY_MB, "pass": mb is not None and mb < MEMORY_MB}
    return targets


def run(args) -> dict:
    started = time.monotonic()
    until = started + args.deadline
    r: dict = {"sessions": args.sessions, "store": args.db_url or "fresh sample store", "setup_error": None,
               "cpus": os.cpu_count(), "warmup": {}}  # fmt: skip
    sessions: list[Session] = []
    sampler = proc = None
    with tempfile.TemporaryDirectory(prefix="load-protocol-") as tmp:
        workdir = Path(tmp)
        try:
            db_url = args.db_url or fresh_sample_store(workdir)
            prepare_account(db_url)
            year = make_plan(db_url).year
            proc, url, log = start_server(db_url, workdir)
            r["server_url"] = url
            sampler = Sampler(proc.pid)
            sampler.start()
            try:
                wait_healthy(url, proc, min(until, time.monotonic() + 120))
            except RuntimeError as exc:
                raise RuntimeError(f"{exc}\n{log.read_text()[-2000:]}".strip()) from None
            r["load_before"] = os.getloadavg()
            sessions, r["warmup"] = asyncio.run(run_sessions(url, year, args, until))
            r["load_after"] = os.getloadavg()
        except Exception as exc:
            r["setup_error"] = f"{type(exc).__name__}: {exc}"[:2000]
        finally:
            if sampler is not None:
                sampler.stop()
            if proc is not None:
                stop_server(proc)
    r["wall_s"] = time.monotonic() - started
    r["actions"] = summarise(sessions)
    if not sessions:
        for a in r["actions"].values():
            a["not_run"] = args.sessions
    measured = sampler is not None
    r["server_peak_rss_mb"] = max(sampler.peak_kb["server"], sampler.hwm_kb) / 1024 if measured else None
    r["server_cpu_s"] = sampler.cpu_s("server") if measured else None
    r["client_cpu_s"] = time.process_time()
    r["targets"] = judge(r)
    r["pass"] = not failed_targets(r)
    return r


def _s(value: float | None) -> str:
    return "     —" if value is None else f"{value:6.2f}"


def show(r: dict) -> None:
    where = r.get("server_url", "—")
    print(f"Server load test: {r['sessions']} protocol sessions against {where} ({r['store']})")
    print(f"  wall time {r['wall_s']:.1f} s; machine: {r['cpus']} CPUs")
    if r.get("setup_error"):
        print(f"  setup failed: {r['setup_error']}")
    if r["warmup"]:
        w = r["warmup"]
        print("  warm-up session: " + ", ".join(f"{a} {v:.2f} s" for a, v in w["times"].items())
              + (f"; error in {w['error'][0]}: {w['error'][1]}" if w["error"] else ""))  # fmt: skip
    print("  action      count  median     p95     max   sent (MB, median)  errors  not run")
    for action, a in r["actions"].items():
        mb = "—" if a["median_mb"] is None else f"{a['median_mb']:.2f}"
        print(f"  {action:<10} {a['count']:>6} {_s(a['median_s'])}  {_s(a['p95_s'])}  {_s(a['max_s'])}"
              f"   {mb:>17}  {a['errors']:>6}  {a['not_run']:>7}")  # fmt: skip
        if action == "overview" and a["form_median_s"] is not None:
            print(f"    of which the sign-in form (median) {a['form_median_s']:.2f} s, then signing in"
                  " (the password checked with argon2id) and the overview's run")  # fmt: skip
        if a["first_error"]:
            print(f"    first error: {a['first_error']}")
    cpu = r["server_cpu_s"]
    print(f"  server: peak memory {_s(r['server_peak_rss_mb'])} MB, CPU {_s(cpu)} s; "
          f"this script's CPU {r['client_cpu_s']:.1f} s")  # fmt: skip
    for name, target in r["targets"].items():
        value = target["value"]
        shown = "—" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))
        print(f"  {verdict(target['pass'])}  {name}: {shown} (limit {target['limit']})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--db-url", help="store for the server (default: a fresh sample store)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per action")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds for the whole run")
    parser.add_argument("--warmup", action="store_true", help="one session alone first (not counted)")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds between session starts")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    r = run(args)
    print(json.dumps(r, ensure_ascii=False, indent=2)) if args.json else show(r)
    return 1 if args.check and not r["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
