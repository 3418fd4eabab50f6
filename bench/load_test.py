"""Load test: N concurrent browser sessions against one Streamlit server of the app.

One Chromium (Debian's, ``/usr/bin/chromium`` or ``CHROMIUM_PATH``), N browser
contexts, all driven at once from asyncio. By default the script starts the
server itself (``streamlit run app.py`` on a free port of 127.0.0.1 with the
flags of ``deploy/systemd``, today pinned to 20/11/2026, no basemap, and no
file watcher, so that edits to the work tree meanwhile do not reload the app
under load) on a fresh SQLite store of the sample data in a temporary
directory; ``--db-url`` gives another store (it gets the test
administrator account of ``tests/pagetest.py``; copy a store you care about
first). ``--server-url`` targets a server already running on this machine
instead (loopback addresses only; its store must hold that account: pass its
``--db-url`` to have it made, and ``--server-pid`` to sample its memory).

Each session, timed from the first browser action to what the user waits for:

1. **overview**: open the app's default page (Tổng quan thành phố), sign in as
   the test administrator, until the city map is drawn (its district
   boundaries and every hotspot marker of the default filters);
2. **filter**: choose another plan year in the sidebar ("Năm kế hoạch"),
   until the page has finished its rerun and the map shows that year's
   hotspots;
3. **area**: open "Theo địa bàn" from the sidebar menu, until its rerun
   finished and the map shows the chosen unit's outline and the wards.

When the script started the server (so knows its store and its today) the
expected marker counts come from ``queries.hotspot_view``; against
``--server-url`` a map counts as drawn once the page's run has finished and the
map's element counts stay the same for two polls.

All sessions start together (``--ramp S``: one every S seconds); with
``--warmup`` one session runs alone first (not counted), so that the others
meet warm caches.

Printed per action: count, median, p95 and max (seconds), errors (the first
one, and how many of each kind), sessions that never got to it; the medians of
its steps (sign-in form shown, signed in, the page's run seen finished: the rest
up to the map drawn is the browser's work). Then the server's peak RSS (summed
VmRSS of the server process and its children, sampled every 0.5 s; also the
kernel's high-water mark of the main process), the CPU seconds of the server
and of Chromium (which shares the machine: on a small one it competes with the
server), the machine's load average, and requests that left 127.0.0.1 (there
should be none). Targets: p95 of every action < 3 s, no errors (every action of
every session completed), server memory < 2 GB.

With one session after a warm-up (``--sessions 1 --warmup``), the overview's time is the
first draw on a warm server, judged against its own target: the city map drawn within
1.5 s of opening the app, signing in included. ``--typing S`` has each session wait S
seconds with the sign-in form shown before filling it, as an officer types (the app uses
that time: :func:`dashboard.ui.components.warm_up_charts`); those seconds are left out of
the times. ``--floor`` also times, in the same
Chromium, a bare Streamlit page holding one text field, served the same way: what
Streamlit's own front end takes on this machine before any page of the app can draw.

Bounded: every action has a timeout (``--timeout``, 120 s); the whole run has a
hard deadline (``--deadline``, 900 s from the start) after which every session
is stopped and what was measured is reported; the server is always stopped
(its whole process group).

Run from the repository root: ``python bench/load_test.py [--sessions N]
[--db-url URL | --server-url URL [--server-pid PID]] [--timeout S]
[--deadline S] [--ramp S] [--warmup] [--typing S] [--floor] [--shots DIR] [--json] [--check]``.
The exit code is 0 unless ``--check`` is given and a target fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from common import ROOT, failed_targets, verdict

TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from browserkit import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, TODAY, free_port, start_app  # noqa: E402
from pagetest import ADMIN, TEST_PASSWORD, ensure_account  # noqa: E402

from dashboard.i18n import t  # noqa: E402

ACTIONS = ("overview", "filter", "area")
#: Steps timed within the actions: the sign-in form shown, the sign-in done, the page's
#: run finished (what the server did; the rest up to the map is the browser drawing it).
MARKS = {"overview": ("form", "signed_in", "run_done"), "filter": ("run_done",), "area": ("run_done",)}
P95_S = 3.0
#: One session on a warm server (``--sessions 1 --warmup``): the city map drawn within this
#: many seconds of opening the app (signing in included).
FIRST_DRAW_S = 1.5
MEMORY_MB = 2048.0
POLL_S = 0.2
SAMPLE_S = 0.5
#: After the deadline, this long for sessions to close before the process ends regardless.
GRACE_S = 60.0

#: Before an action that reruns the page: remember (in the page) whether a run starts.
_WATCH_RUN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__loadTestRan = false;
    if (window.__loadTestObserver) window.__loadTestObserver.disconnect();
    window.__loadTestObserver = new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__loadTestRan = true;
    });
    window.__loadTestObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
#: The app's run state, whether a run started since _WATCH_RUN, and the first line of an
#: exception Streamlit draws on the page.
_STATUS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const error = document.querySelector('[data-testid="stException"]');
    return {
        state: app ? app.getAttribute('data-test-script-state') : null,
        ran: window.__loadTestRan === true,
        error: error ? error.innerText.trim().split('\\n')[0] : null,
    };
}"""
#: In the map's frame: how many of the Leaflet map's vector layers (the unit shapes, the
#: markers) carry each class name, or null while there is no map. Whether the map draws
#: them as SVG elements (``path.<class>``) or on one canvas (many hotspots: see
#: dashboard.maps), a layer on the map is drawn within the next animation frame; layers
#: that are switched off are not on the map.
_COUNT = """(classes) => {
    const L = window.L;
    if (!L) return null;
    let map = window.map instanceof L.Map ? window.map : null;
    for (const key of map ? [] : Object.keys(window)) {
        try { if (window[key] instanceof L.Map) { map = window[key]; break; } } catch (e) {}
    }
    if (!map) return null;
    const counts = classes.map(() => 0);
    map.eachLayer(layer => {
        if (!(layer instanceof L.Path)) return;
        const names = String(layer.options.className || '').split(/\\s+/);
        classes.forEach((c, i) => { if (names.includes(c)) counts[i] += 1; });
    });
    return counts;
}"""


# --------------------------------------------------------------------------
# Server and its memory


def start_server(db_url: str, workdir: Path) -> tuple[subprocess.Popen, str, Path]:
    """The app on a free port of 127.0.0.1, in its own process group, with no file watcher
    (edits to the work tree meanwhile must not reload it under load)."""
    return start_app(db_url, workdir, ("--server.fileWatcherType", "none"), own_group=True)


def wait_healthy(url: str, proc: subprocess.Popen | None, until: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        if time.monotonic() > until:
            raise RuntimeError(f"the server at {url} did not answer its health check in time")
        time.sleep(0.5)


#: The floor: a Streamlit page with nothing but one text field (as the sign-in form's first).
_BARE_PAGE = 'import streamlit as st\n\nst.text_input("Tên đăng nhập")\n'
FLOOR_SAMPLES = 3


def start_bare_server(workdir: Path) -> tuple[subprocess.Popen, str]:
    """Streamlit serving :data:`_BARE_PAGE` on a free port of 127.0.0.1, as the app is served."""
    script = workdir / "bare_page.py"
    script.write_text(_BARE_PAGE, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return proc, f"http://127.0.0.1:{port}"


async def measure_floor(browser, url: str, timeout: float) -> list[float]:
    """Seconds from opening ``url`` in a new browser context until the bare page's text field
    is visible, :data:`FLOOR_SAMPLES` times (the first one warms the server)."""
    times = []
    for _ in range(FLOOR_SAMPLES + 1):
        context = await browser.new_context(viewport={"width": 1500, "height": 1300}, locale="vi-VN")
        try:
            page = await context.new_page()
            page.set_default_timeout(timeout * 1000)
            start = time.perf_counter()
            await page.goto(url)
            await page.locator("input").first.wait_for(state="visible")
            times.append(time.perf_counter() - start)
        finally:
            await context.close()
    return times[1:]


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _process_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far) of every process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return table


def _tree(table: dict[int, tuple[int, float]], pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for p, (ppid, _cpu) in table.items():
        children.setdefault(ppid, []).append(p)
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


class Sampler(threading.Thread):
    """Every ``SAMPLE_S``: the summed VmRSS and the CPU time of the server's process tree
    (if its pid is known) and of the browser's (this script's child processes)."""

    def __init__(self, server_pid: int | None):
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.peak_kb = {"server": 0, "browser": 0}
        self.cpu = {"server": {}, "browser": {}}  # pid -> CPU seconds last seen
        self.hwm_kb = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        table = _process_table()
        server = _tree(table, self.server_pid) if self.server_pid else []
        mine = set(_tree(table, os.getpid())) - {os.getpid()} - set(server)
        for name, pids in (("server", server), ("browser", mine)):
            rss = sum(_status_kb(p, "VmRSS") for p in pids)
            self.peak_kb[name] = max(self.peak_kb[name], rss)
            for p in pids:
                if p in table:
                    self.cpu[name][p] = table[p][1]
        if self.server_pid:
            self.hwm_kb = max(self.hwm_kb, _status_kb(self.server_pid, "VmHWM"))
        self.samples += 1

    def cpu_s(self, name: str) -> float:
        return sum(self.cpu[name].values())

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(SAMPLE_S)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
        self.sample()


def fresh_sample_store(workdir: Path) -> str:
    """A new SQLite store of the sample data in ``workdir``: its URL."""
    from dashboard.sample import ensure_data
    from dashboard.store import open_store

    db_url = f"sqlite:///{workdir / 'sample.sqlite'}"
    engine = open_store(db_url)
    try:
        ensure_data(engine)
    finally:
        engine.dispose()
    return db_url


def prepare_account(db_url: str) -> None:
    """The test administrator in the store, its password hashed as a real account's is.

    ``ensure_account`` hashes it cheaply (tests only); the app replaces such a hash at
    the next sign-in, inside the sign-in's write transaction. Left so, all N first
    sign-ins would each hash it again at once, queueing on SQLite's one write lock for
    a full argon2 hash each (a real account already has the app's parameters). One
    sign-in here does that once.
    """
    import datetime as dt

    from dashboard import accounts
    from dashboard.store import open_store

    ensure_account(db_url)
    engine = open_store(db_url)
    try:
        accounts.authenticate(engine, ADMIN, TEST_PASSWORD, dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------
# What the maps should show


@dataclass
class Plan:
    """What each session waits for; ``None``: not known (see the module docstring)."""

    districts: int
    wards: int
    year: int | None = None  # the year the filter action chooses
    markers_default: int | None = None
    markers_year: int | None = None


def make_plan(db_url: str | None) -> Plan:
    from dashboard.domain import UnitLevel
    from dashboard.geo import unit_names

    plan = Plan(districts=len(unit_names(UnitLevel.DISTRICT)), wards=len(unit_names(UnitLevel.WARD)))
    if db_url is None:
        return plan
    from dashboard import queries
    from dashboard.filters import Filters
    from dashboard.scope import Scope
    from dashboard.store import open_store

    engine = open_store(db_url)
    try:
        ds = queries.load_dataset(engine, Scope.city())
    finally:
        engine.dispose()
    years = ds.years or [TODAY.year]
    default = TODAY.year if TODAY.year in years else years[0]

    def count(year: int) -> int:
        return len(queries.hotspot_view(ds, Filters.for_year(year, TODAY)))

    plan.markers_default = count(default)
    # Another year whose map differs (so that the redraw shows), the previous one if it does.
    others = sorted((y for y in years if y != default), key=lambda y: (y != default - 1, -y))
    for year in others:
        n = count(year)
        if n != plan.markers_default:
            plan.year, plan.markers_year = year, n
            break
    else:
        plan.year = others[0] if others else None
    return plan


# --------------------------------------------------------------------------
# Sessions


@dataclass
class Session:
    index: int
    action: str | None = None  # the action under way
    times: dict[str, float] = field(default_factory=dict)
    #: Seconds into each action of its steps (see MARKS).
    marks: dict[str, dict[str, float]] = field(default_factory=dict)
    #: What each action's map showed at its last poll (for a timeout's message).
    seen: dict[str, list[str]] = field(default_factory=dict)
    error: tuple[str, str] | None = None  # (action, message)
    outside: list[str] = field(default_factory=list)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


async def _map_counts(page, classes: list[str]) -> list[int] | None:
    from playwright.async_api import Error as PlaywrightError

    for frame in page.frames:
        if "streamlit_folium" not in frame.url:
            continue
        try:
            counts = await frame.evaluate(_COUNT, classes)
            if counts is not None:
                return counts
        except PlaywrightError:  # detached while we looked
            continue
    return None


async def _wait_map(
    page,
    classes: list[str],
    expected: list[int | None],
    *,
    rerun: bool,
    marks: dict[str, float],
    seen: list[str],
    start: float,
) -> None:
    """Until the page's run finished (a new one, with ``rerun``) and the map's counts of
    ``classes`` equal ``expected``; where an expectation is None: at least one, and the
    counts the same on two polls in a row. Notes in ``marks`` when the run was seen finished
    (seconds from ``start``), in ``seen`` what the map showed at the last poll."""
    from playwright.async_api import Error as PlaywrightError

    previous = None
    while True:
        try:
            status = await page.evaluate(_STATUS)
        except PlaywrightError:
            status = {"state": None, "ran": False, "error": None}
        state, ran = status["state"], status["ran"] or not rerun
        if status["error"] and state == "notRunning":
            raise RuntimeError(f"the page shows an exception: {status['error']}")
        if state == "notRunning" and ran:
            marks.setdefault("run_done", time.perf_counter() - start)
            counts = await _map_counts(page, classes)
            if counts is not None:
                seen[:] = [
                    f"{sel} {c}/{'?' if e is None else e}"
                    for sel, c, e in zip(classes, counts, expected, strict=True)
                ]
                exact = all(c == e for c, e in zip(counts, expected, strict=True) if e is not None)
                some = all(c > 0 for c, e in zip(counts, expected, strict=True) if e is None)
                if exact and some and (None not in expected or counts == previous):
                    return
            previous = counts
        await asyncio.sleep(POLL_S)


async def _wait_signed_in(page) -> None:
    """Until the sign-in form is gone; an exception drawn instead (the form stays) fails at once."""
    from playwright.async_api import Error as PlaywrightError

    while True:
        try:
            status = await page.evaluate(_STATUS)
            gone = await page.locator("input[type='password']").count() == 0
        except PlaywrightError:
            status, gone = {"state": None, "error": None}, False
        if status["error"] and status["state"] == "notRunning":
            raise RuntimeError(f"sign-in: the page shows an exception: {status['error']}")
        if gone:
            return
        await asyncio.sleep(POLL_S)


async def act_overview(
    page, url: str, plan: Plan, marks: dict[str, float], seen: list[str], typing: float = 0.0
) -> None:
    """With ``typing``, the seconds an officer takes to type with the sign-in form shown:
    they are waited and then left out of the times (``marks["typing"]``)."""
    start = time.perf_counter()
    await page.goto(url)
    form = page.locator("input[type='password']")
    await form.first.wait_for(state="visible")
    marks["form"] = time.perf_counter() - start
    if typing > 0:
        await asyncio.sleep(typing)
        marks["typing"] = typing
        start += typing
    await page.get_by_label(t("auth.username")).fill(ADMIN)
    await form.first.fill(TEST_PASSWORD)
    await page.get_by_role("button", name=t("auth.submit")).click()
    await _wait_signed_in(page)
    marks["signed_in"] = time.perf_counter() - start
    await _wait_map(
        page, ["unit-district", "hotspot-marker"], [plan.districts, plan.markers_default],
        rerun=False, marks=marks, seen=seen, start=start,
    )  # fmt: skip


async def act_filter(page, _url: str, plan: Plan, marks: dict[str, float], seen: list[str]) -> None:
    start = time.perf_counter()
    select = page.get_by_role("combobox", name=t("filter.plan_year"))
    current = await select.input_value()
    await select.click()
    options = [(await o.inner_text()).strip() for o in await page.get_by_role("option").all()]
    if plan.year is not None:
        choice = str(plan.year)
    else:
        previous = str(int(current) - 1) if current.isdigit() else None
        others = [o for o in options if o != current]
        if not others:
            raise RuntimeError(f"the plan year offers no other year than {current!r}")
        choice = previous if previous in others else others[0]
    await page.evaluate(_WATCH_RUN)
    await page.get_by_role("option", name=choice, exact=True).click()
    expected = plan.markers_year if plan.year is not None else None
    classes = ["unit-district", "hotspot-marker"]
    await _wait_map(
        page, classes, [plan.districts, expected], rerun=True, marks=marks, seen=seen, start=start
    )


async def act_area(page, _url: str, plan: Plan, marks: dict[str, float], seen: list[str]) -> None:
    start = time.perf_counter()
    await page.evaluate(_WATCH_RUN)
    await page.get_by_role("link", name=t("page.area")).click()
    classes = ["unit-focus", "unit-ward"]
    await _wait_map(page, classes, [1, plan.wards], rerun=True, marks=marks, seen=seen, start=start)


def _progress(s: Session, action: str) -> str:
    """How far a timed-out action got, e.g. " (signed in after 12.3 s; run not finished)"."""
    marks = s.marks.get(action, {})
    done = [f"{STEP_NAMES[m]} after {marks[m]:.1f} s" for m in MARKS[action] if m in marks]
    missing = [STEP_NAMES[m] for m in MARKS[action] if m not in marks]
    seen = s.seen.get(action)
    drawn = f"map not drawn ({', '.join(seen)})" if seen else "map not drawn"
    parts = done + ([f"{missing[0]}: not yet"] if missing else [drawn])
    return f" ({'; '.join(parts)})"


def _local(u: str) -> bool:
    return urlparse(u).hostname in LOCAL_HOSTS or u.startswith(("data:", "blob:", "about:"))


async def run_session(s: Session, browser, url: str, plan: Plan, args) -> None:
    await asyncio.sleep(max(0, s.index) * args.ramp)
    context = await browser.new_context(viewport={"width": 1500, "height": 1300}, locale="vi-VN")
    try:
        page = await context.new_page()
        page.set_default_timeout(args.timeout * 1000)
        page.on("request", lambda request: None if _local(request.url) else s.outside.append(request.url))
        overview = functools.partial(act_overview, typing=args.typing)
        steps = {"overview": overview, "filter": act_filter, "area": act_area}
        for action in ACTIONS:
            s.action = action
            start = time.perf_counter()
            try:
                marks, seen = s.marks.setdefault(action, {}), s.seen.setdefault(action, [])
                await asyncio.wait_for(steps[action](page, url, plan, marks, seen), args.timeout)
            except TimeoutError:
                s.error = (action, f"timeout: not done after {args.timeout:g} s{_progress(s, action)}")
            except Exception as exc:
                s.error = (action, _first_line(exc))
            if s.error:
                if args.shots:
                    with contextlib.suppress(Exception):
                        shot = Path(args.shots) / f"load-{s.index:02d}-{action}.png"
                        await asyncio.wait_for(page.screenshot(path=shot, full_page=True), 30)
                return
            s.times[action] = time.perf_counter() - start - marks.get("typing", 0.0)
        s.action = None
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(context.close(), 30)


async def run_sessions(
    url: str, plan: Plan, args, until: float, warmup: dict,
    floor_url: str | None = None, floor: list | None = None,
) -> tuple[list[Session], bool]:
    """Every session at once in one Chromium; (sessions, whether the deadline stopped them).
    With ``floor_url``, then the bare page's times (:func:`measure_floor`) into ``floor``."""
    from playwright.async_api import async_playwright

    sessions = [Session(i) for i in range(args.sessions)]
    hit = False
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if args.warmup:  # one session alone first: the server's caches are then warm
                warm = Session(-1)
                task = asyncio.create_task(run_session(warm, browser, url, plan, args))
                await asyncio.wait([task], timeout=max(0.0, until - time.monotonic()))
                if not task.done():
                    task.cancel()
                    await asyncio.wait([task], timeout=30)
                    warm.error = warm.error or (warm.action or "overview", "stopped at the run's deadline")
                warmup.update(times=warm.times, error=warm.error)
            tasks = [asyncio.create_task(run_session(s, browser, url, plan, args)) for s in sessions]
            _done, pending = await asyncio.wait(tasks, timeout=max(0.0, until - time.monotonic()))
            if pending:
                hit = True
                for task in pending:
                    task.cancel()
                await asyncio.wait(pending, timeout=30)
                for s in sessions:
                    if s.action is not None and s.error is None:
                        s.error = (s.action, "stopped at the run's deadline")
            if floor_url and not hit and time.monotonic() < until:
                try:
                    wait_healthy(floor_url, None, min(until, time.monotonic() + 60))
                    left = max(1.0, until - time.monotonic())
                    bare = measure_floor(browser, floor_url, args.timeout)
                    floor.extend(await asyncio.wait_for(bare, left))
                except Exception as exc:  # reported instead of the figures
                    floor.append(_first_line(exc))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 30)
    return sessions, hit


# --------------------------------------------------------------------------
# Figures


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _kind(error: str) -> str:
    """An error as counted among its kind: its first 120 characters, a timeout's seconds as N."""
    return (re.sub(r"\d+(\.\d+)?", "N", error) if error.startswith("timeout") else error)[:120]


def summarise(sessions: list[Session]) -> dict:
    out = {}
    for action in ACTIONS:
        times = [s.times[action] for s in sessions if action in s.times]
        errors = [s.error[1] for s in sessions if s.error and s.error[0] == action]
        failed_before = sum(
            1 for s in sessions if s.error and ACTIONS.index(s.error[0]) < ACTIONS.index(action)
        )
        out[action] = {
            "count": len(times),
            "median_s": statistics.median(times) if times else None,
            "p95_s": p95(times) if times else None,
            "max_s": max(times) if times else None,
            "errors": len(errors),
            "not_run": failed_before,
            "first_error": errors[0] if errors else None,
            "error_kinds": dict(Counter(_kind(e) for e in errors).most_common()),
        }
        for mark in MARKS[action]:
            # Of the sessions that completed the action, so that the steps add up.
            values = [s.marks[action][mark] for s in sessions if action in s.times]
            out[action][f"{mark}_median_s"] = statistics.median(values) if values else None
    return out


def judge(r: dict) -> dict:
    targets = {}
    for action, a in r["actions"].items():
        value = a["p95_s"]
        targets[f"p95 {action}"] = {
            "value": value,
            "limit": P95_S,
            "pass": value is not None and value < P95_S,
        }
    errors = sum(a["errors"] + a["not_run"] for a in r["actions"].values())
    if r.get("setup_error"):
        errors += 1
    targets["errors"] = {"value": errors, "limit": 0, "pass": errors == 0}
    if r["sessions"] == 1 and r["warmup"].get("times"):
        value = r["actions"]["overview"]["median_s"]
        targets["first draw"] = {
            "value": value, "limit": FIRST_DRAW_S, "pass": value is not None and value <= FIRST_DRAW_S
        }
    mb = r["server_peak_rss_mb"]
    if mb is not None:  # sampling can miss a short peak the kernel's high-water mark kept
        mb = max(mb, r["server_hwm_mb"])
    # Not measured (a server of someone else's, no --server-pid): not judged.
    targets["server memory"] = {"value": mb, "limit": MEMORY_MB, "pass": mb is None or mb < MEMORY_MB}
    return targets


STEP_NAMES = {"form": "sign-in form", "signed_in": "signed in", "run_done": "run finished"}


def _s(value: float | None) -> str:
    return "     —" if value is None else f"{value:6.2f}"


def show(r: dict) -> None:
    print(f"Load test: {r['sessions']} sessions against {r['server_url']} ({r['store']})")
    print(f"  wall time {r['wall_s']:.1f} s" + ("  — stopped at the deadline" if r["deadline_hit"] else ""))
    if r["load_before"]:
        before, after = r["load_before"][0], (r["load_after"] or [float("nan")])[0]
        print(f"  machine: {r['cpus']} CPUs, load average {before:.1f} before, {after:.1f} after")
    if r.get("typing_s"):
        waited = f"{r['typing_s']:g} s at the sign-in form (an officer typing)"
        print(f"  each session waited {waited}: not in the times")
    if r.get("setup_error"):
        print(f"  setup failed: {r['setup_error']}")
    if r["warmup"]:
        w = r["warmup"]
        shown = ", ".join(f"{a} {x:.2f} s" for a, x in w["times"].items())
        print(
            f"  warm-up session (not counted): {shown or '—'}"
            + (f"; error: {w['error']}" if w["error"] else "")
        )
    print("  action    count  median     p95     max  errors  not run")
    for action, a in r["actions"].items():
        p = a["p95_s"]
        ok = verdict(p is not None and p < P95_S)
        print(
            f"  {action:<9} {a['count']:5d}  {_s(a['median_s'])}  {_s(p)}  {_s(a['max_s'])}"
            f"  {a['errors']:6d}  {a['not_run']:7d}   [{ok} p95 < {P95_S:.0f} s]"
        )
        steps = [(m, a[f"{m}_median_s"]) for m in MARKS[action] if a[f"{m}_median_s"] is not None]
        if steps:
            shown = ", ".join(f"{STEP_NAMES[m]} {x:.2f} s" for m, x in steps)
            print(f"            medians: {shown}")
        if a["first_error"]:
            print(f"            first error: {a['first_error']}")
            if len(a["error_kinds"]) > 1:
                for kind, n in a["error_kinds"].items():
                    print(f"            {n:3d} × {kind}")
    target = r["targets"]["errors"]
    print(f"  errors: {target['value']} [{verdict(target['pass'])} = 0]")
    if "first draw" in r["targets"]:
        target = r["targets"]["first draw"]
        print(
            f"  first draw on a warm server (sign-in included): {_s(target['value']).strip()} s"
            f" [{verdict(target['pass'])} ≤ {FIRST_DRAW_S} s]"
        )
    floor = r["floor"]
    if floor and all(isinstance(x, float) for x in floor):
        print(
            f"  floor: a bare Streamlit page (one text field) shown in {statistics.median(floor):.2f} s"
            f" (median of {len(floor)}, {min(floor):.2f}–{max(floor):.2f} s): Streamlit's own front end"
            " in this Chromium, before any page of the app draws"
        )
    elif floor:
        print(f"  floor: not measured ({floor[-1]})")
    mb = r["server_peak_rss_mb"]
    if mb is None:
        print("  server memory: not measured (give --server-pid)")
    else:
        target = r["targets"]["server memory"]
        print(
            f"  server peak RSS: {target['value']:.0f} MB [{verdict(target['pass'])} < {MEMORY_MB:.0f} MB]"
            f"  (sampled {mb:.0f} MB in {r['rss_samples']} samples, main process high-water mark"
            f" {r['server_hwm_mb']:.0f} MB)"
        )
    if r["browser_cpu_s"] is not None:
        server_cpu = "—" if r["server_cpu_s"] is None else f"{r['server_cpu_s']:.0f} s"
        print(
            f"  CPU time: server {server_cpu}, Chromium {r['browser_cpu_s']:.0f} s"
            f" (peak RSS {r['browser_peak_rss_mb']:.0f} MB) in {r['wall_s']:.0f} s of wall time"
        )
        if r["server_cpu_s"] is not None and r["browser_cpu_s"] > r["server_cpu_s"]:
            print(
                "  note: the browsers used more CPU than the server on this machine; where they share"
                " few cores the times above are partly the load generator's"
            )
    if r["outside_requests"]:
        outside = r["outside_requests"]
        print(f"  requests that left 127.0.0.1: {len(outside)}, e.g. {outside[0]}")
    failed = failed_targets(r)
    print("  overall: " + ("PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"))


# --------------------------------------------------------------------------


def _watchdog(deadline_s: float, proc_box: list) -> threading.Timer:
    """Past the deadline and its grace period: stop the server and end the process."""

    def fire() -> None:
        print(f"load_test: still running {GRACE_S:.0f} s after the deadline; stopping hard", file=sys.stderr)
        for proc in proc_box:
            with contextlib.suppress(Exception):
                os.killpg(proc.pid, signal.SIGKILL)
        os._exit(3)

    timer = threading.Timer(deadline_s + GRACE_S, fire)
    timer.daemon = True
    timer.start()
    return timer


def run(args) -> dict:
    started = time.monotonic()
    until = started + args.deadline
    proc_box: list[subprocess.Popen] = []
    timer = _watchdog(args.deadline, proc_box)
    sampler = None
    r: dict = {
        "sessions": args.sessions, "server_url": args.server_url, "store": None, "setup_error": None,
        "cpus": os.cpu_count(), "typing_s": args.typing, "load_before": None, "load_after": None,
        "warmup": {}, "floor": [],
    }  # fmt: skip
    sessions: list[Session] = []
    hit = False
    with tempfile.TemporaryDirectory(prefix="load-test-") as tmp:
        workdir = Path(tmp)
        proc = None
        try:
            db_url = args.db_url
            if args.server_url:
                r["store"] = db_url or "the running server's store"
            else:
                if db_url is None:
                    db_url = fresh_sample_store(workdir)
                    r["store"] = "fresh sample store"
                else:
                    r["store"] = db_url
            if db_url:
                prepare_account(db_url)
            plan = make_plan(db_url if (db_url and not args.server_url) else None)
            r["plan"] = plan.__dict__
            if args.server_url:
                url = args.server_url.rstrip("/")
                pid = args.server_pid
            else:
                proc, url, log = start_server(db_url, workdir)
                proc_box.append(proc)
                pid = proc.pid
                r["server_url"] = url
            floor_url = None
            if args.floor:
                floor_proc, floor_url = start_bare_server(workdir)
                proc_box.append(floor_proc)
            sampler = Sampler(pid)
            sampler.start()
            try:
                wait_healthy(url, proc, min(until, time.monotonic() + 120))
            except RuntimeError as exc:
                tail = log.read_text()[-2000:] if proc is not None else ""
                raise RuntimeError(f"{exc}\n{tail}".strip()) from None
            r["load_before"] = os.getloadavg()
            sessions, hit = asyncio.run(
                run_sessions(url, plan, args, until, r["warmup"], floor_url, r["floor"])
            )
            r["load_after"] = os.getloadavg()
        except Exception as exc:
            r["setup_error"] = _first_line(exc) if not isinstance(exc, RuntimeError) else str(exc)[:2000]
        finally:
            if sampler is not None:
                sampler.stop()
            for started_proc in proc_box:
                stop_server(started_proc)
            timer.cancel()
    r["wall_s"] = time.monotonic() - started
    r["deadline_hit"] = hit
    r["actions"] = summarise(sessions) if sessions else summarise([Session(i) for i in range(args.sessions)])
    if not sessions:
        for a in r["actions"].values():
            a["not_run"] = args.sessions
    measured = sampler is not None and sampler.server_pid is not None
    r["server_peak_rss_mb"] = sampler.peak_kb["server"] / 1024 if measured else None
    r["server_hwm_mb"] = sampler.hwm_kb / 1024 if measured else None
    r["server_cpu_s"] = sampler.cpu_s("server") if measured else None
    r["browser_peak_rss_mb"] = sampler.peak_kb["browser"] / 1024 if sampler else None
    r["browser_cpu_s"] = sampler.cpu_s("browser") if sampler else None
    r["rss_samples"] = sampler.samples if sampler else 0
    r["outside_requests"] = sorted({u for s in sessions for u in s.outside})
    r["targets"] = judge(r)
    r["pass"] = not failed_targets(r)
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument("--db-url", help="store for the server (default: a fresh sample store)")
    parser.add_argument("--server-url", help="an already running server on this machine (loopback)")
    parser.add_argument("--server-pid", type=int, help="with --server-url: its process, to sample memory")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per action")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds for the whole run")
    parser.add_argument("--warmup", action="store_true", help="one session alone first (not counted)")
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds between session starts")
    parser.add_argument(
        "--floor", action="store_true", help="also time a bare Streamlit page (its front end's own floor)"
    )
    parser.add_argument(
        "--typing", type=float, default=0.0,
        help="seconds each session waits at the sign-in form before filling it (left out of the times)",
    )  # fmt: skip
    parser.add_argument("--shots", help="directory for a screenshot of every failed action")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    if args.server_url and urlparse(args.server_url).hostname not in LOCAL_HOSTS:
        parser.error("--server-url must be a loopback address (127.0.0.1, localhost, [::1])")
    if args.server_pid and not args.server_url:
        parser.error("--server-pid goes with --server-url")
    if args.shots:
        Path(args.shots).mkdir(parents=True, exist_ok=True)
    r = run(args)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        show(r)
    return 1 if args.check and not r["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
