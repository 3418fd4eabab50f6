"""Deterministic, fictional sample data shaped like the 2020 city plan.

Nothing here describes a real place, business, address or person: hotspots get
generic names ("Điểm công cộng HK-03"), random locations inside real wards, and
made-up histories. The app shows a banner whenever this data is loaded.

How the history is made (month by month, 01/2019 to 11/2026, fixed seed):

1. Start, 01/01/2019: 13 complex hotspots (public areas and service
   businesses) that the 2020 plan will target, 4 more that the 2019 plan clears
   during 2019, and 6 that were cleared and handed over to their ward in
   2016-2018 (the 2020 plan's "keep clean" targets). About a third of all
   hotspots are placed within 300 m of a former district border.
2. Every January a plan is issued: clear every open hotspot (active, clearing
   or re-emerged), keep clean the handed-over ones. The 2020 plan carries the
   number and date of the city's real plan 16/KH-UBND (20/01/2020); the others
   are labelled as sample documents.
3. A targeted hotspot goes to "clearing" in spring, to "cleared" a few months
   later (most succeed within the year), and is handed over to the ward
   3-9 months after that.
4. Re-emergence of a cleared or handed-over hotspot is a monthly random draw
   with probability ``BASE_HAZARD × pressure × time factor``, where the hidden
   pressure is larger for service businesses, for places near a district
   border, for places with more open hotspots within 1 km, where patrols were
   scaled back after handover, and includes a random per-place frailty; the
   time factor falls over the first two years after clearance. Violations found
   near a place rise in the three months before it re-emerges.
5. New hotspots appear from 2020 on (a few a year) and join the next plan.
6. Activities: each month every hotspot gets patrols, inspections,
   investigations, outreach and stationed posts at rates set by its status;
   district labour offices (wards after 01/07/2025) hold a monthly briefing.
7. Briefing notes, every third month: for about half of the former districts
   with plan targets that year (before 07/2025), then of the wards with
   hotspots; short generic sentences about work and places, some naming the
   unit's hotspot codes. They come from their own random stream, so the rest
   of the data is the same with or without them.
8. Local plans, for the last three plan years: every unit assigned targets in
   the city plan draws up its own plan with those targets, one or two tasks on
   each targeted hotspot and one for its whole area, given to generic agencies
   of the unit ("Công an …", "UBND …"), deadlines from March to December. Tasks of
   past years are done; this year's whose deadline has passed are mostly done,
   sometimes left undone (overdue).
   Their own random stream, too.

None of this uses any risk score: a risk model evaluated on this data tests
the pipeline, not real-world skill.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import shapely
import sqlalchemy as sa
from pyproj import Transformer

from dashboard import store
from dashboard.domain import REFORM_DATE, HotspotKind, Status, TargetType, UnitLevel
from dashboard.geo import METRIC_CRS, load_units, locate

SEED = 20200306
START = dt.date(2019, 1, 1)
END = dt.date(2026, 11, 20)
BASE_HAZARD = 0.006
BORDER_M = 300.0

DEPARTMENT = "Chi cục Phòng, chống tệ nạn xã hội Hà Nội"

# Districts where generated hotspots concentrate (weights), by GSO code.
DISTRICT_WEIGHTS = {
    "001": 2,
    "002": 3,
    "003": 3,
    "004": 3,
    "005": 3,
    "006": 4,
    "007": 4,
    "008": 4,
    "009": 3,
    "019": 3,
    "021": 3,
    "268": 3,
    "017": 2,
    "018": 2,
    "020": 2,
    "016": 1,
    "269": 1,
    "274": 1,
    "277": 1,
    "279": 1,
}

# Monthly activity rates by status: kind -> expected count per hotspot-month.
RATES = {
    Status.ACTIVE: {
        "patrol": 1.2,
        "inspection": 0.5,
        "investigation": 0.2,
        "outreach": 0.3,
        "stationed_post": 0.3,
    },
    Status.CLEARING: {
        "patrol": 1.8,
        "inspection": 0.8,
        "investigation": 0.4,
        "outreach": 0.4,
        "stationed_post": 0.9,
    },
    Status.CLEARED: {"patrol": 0.9, "inspection": 0.3, "outreach": 0.3, "stationed_post": 0.3},
    Status.HANDED_OVER: {"patrol": 0.4, "inspection": 0.15, "outreach": 0.15},
    Status.REEMERGED: {
        "patrol": 1.5,
        "inspection": 0.6,
        "investigation": 0.3,
        "outreach": 0.3,
        "stationed_post": 0.5,
    },
}
VIOLATION_MEAN = {
    Status.ACTIVE: 0.9,
    Status.CLEARING: 0.6,
    Status.CLEARED: 0.08,
    Status.HANDED_OVER: 0.04,
    Status.REEMERGED: 1.1,
}


@dataclass
class SampleHotspot:
    code: str
    name: str
    kind: HotspotKind
    lat: float
    lon: float
    ward_code: str
    district_code: str
    near_border: bool
    frailty: float
    responsible_unit: str = ""
    # Neighbouring unit within 300 m (district, ward) and the share of this
    # place's activities that the neighbour's forces carry out.
    neighbour_district: str | None = None
    neighbour_ward: str | None = None
    joint_rate: float = 0.0
    neglected: bool = False
    status: Status = Status.ACTIVE
    cleared_on: dt.date | None = None
    reemerge_on: dt.date | None = None
    history: list[tuple[dt.date, Status, str, str]] = field(default_factory=list)

    def set(self, date: dt.date, status: Status, reason: str, by: str) -> None:
        if self.history:  # two changes in one month stay in order
            date = max(date, self.history[-1][0] + dt.timedelta(days=1))
        self.history.append((date, status, reason, by))
        self.status = status
        if status == Status.CLEARED:
            self.cleared_on = date


@dataclass
class SampleData:
    hotspots: list[SampleHotspot]
    plans: list[dict]
    targets: list[dict]  # hotspot code, plan year, target type, assigned unit
    activities: list[dict]  # hotspot code or unit codes, date, kind, counts
    notes: list[dict] = field(default_factory=list)  # briefing notes: month, level, unit, texts
    #: Local plans (year, level, unit, document) with ``targets`` {hotspot code: type} and
    #: ``tasks`` (title, responsible, hotspot code or ward, deadline, state, result).
    local_plans: list[dict] = field(default_factory=list)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def district_abbreviations(names: dict[str, str]) -> dict[str, str]:
    """Initials of each district's short name, made unique ("TTr", "TTh")."""
    initials = {code: "".join(w[0] for w in _ascii(n).split()).upper() for code, n in names.items()}
    out = {}
    for code, abbr in initials.items():
        if list(initials.values()).count(abbr) > 1:
            last = _ascii(names[code]).split()[-1]
            abbr = abbr + last[1:3].lower()
        out[code] = abbr
    return out


#: Offset of the briefing notes' random stream from the seed.
NOTES_STREAM = 7
#: Share of the eligible units that have a note in a briefing month.
NOTE_SHARE = 0.5

NOTE_DIFFICULTIES = (
    "Lực lượng tuần tra còn mỏng so với địa bàn cần kiểm soát vào ban đêm.",
    "Một số cơ sở kinh doanh dịch vụ thay đổi giờ hoạt động, khó kiểm tra đột xuất.",
    "Kinh phí cho chốt trực và tuyên truyền còn hạn chế.",
    "Phối hợp với địa bàn giáp ranh chưa thường xuyên.",
    "Việc thu thập, cập nhật thông tin về tụ điểm còn chậm.",
    "Cán bộ phụ trách kiêm nhiệm nhiều việc.",
)
NOTE_PROPOSALS = (
    "Đề nghị tăng cường kiểm tra liên ngành vào buổi tối và cuối tuần.",
    "Đề nghị bổ sung kinh phí tuyên truyền tại khu dân cư.",
    "Kiến nghị tổ chức tuần tra chung với địa bàn giáp ranh.",
    "Đề nghị tập huấn nghiệp vụ cho cán bộ cơ sở.",
    "Đề nghị cấp trên hướng dẫn thống nhất tiêu chí đánh giá triệt xóa.",
)
NOTE_DECISIONS = (
    "Tiếp tục rà soát các cơ sở kinh doanh dịch vụ trên địa bàn.",
    "Duy trì tuyên truyền tại các điểm công cộng.",
    "Báo cáo kết quả tại buổi giao ban tháng sau.",
    "Phân công lực lượng trực theo ca tại các điểm phức tạp.",
)
NOTE_SPOT_DECISIONS = (
    "Duy trì chốt trực tại tụ điểm {codes}.",
    "Tăng tuần tra tại tụ điểm {codes} trong tháng tới.",
    "Đánh giá lại tình hình tại tụ điểm {codes} trước kỳ giao ban sau.",
)


class _Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        # A second stream decides which side of a border performs an activity,
        # so that choice leaves the rest of the history unchanged.
        self.side_rng = np.random.default_rng(seed + 1)
        self.districts = load_units(UnitLevel.DISTRICT)
        self.wards = load_units(UnitLevel.WARD)
        self.metric = self.districts.to_crs(METRIC_CRS)
        self.metric_wards = self.wards.to_crs(METRIC_CRS)
        self.to_wgs = _transformer(METRIC_CRS, "EPSG:4326")
        self.to_metric = _transformer("EPSG:4326", METRIC_CRS)
        self.abbr = district_abbreviations(self.districts["short_name"].to_dict())
        city = shapely.union_all(self.metric.geometry.values)
        self.inner_borders = shapely.difference(
            shapely.union_all(self.metric.boundary.values), city.boundary.buffer(5)
        )
        self.hotspots: list[SampleHotspot] = []
        self.numbers: dict[str, int] = {}

    # -- places ----------------------------------------------------------
    def _point_in(self, code: str, near_border: bool) -> tuple[float, float]:
        poly = self.metric.loc[code].geometry
        line = shapely.intersection(poly.boundary, self.inner_borders)
        for _ in range(500):
            if near_border:
                base = line.interpolate(self.rng.uniform(0, 1), normalized=True)
                angle = self.rng.uniform(0, 2 * math.pi)
                dist = self.rng.uniform(40, 260)
                pt = shapely.Point(base.x + dist * math.cos(angle), base.y + dist * math.sin(angle))
            else:
                minx, miny, maxx, maxy = poly.bounds
                pt = shapely.Point(self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy))
            if poly.contains(pt) and ((self.inner_borders.distance(pt) <= BORDER_M) == near_border):
                lon, lat = self.to_wgs(pt.x, pt.y)
                try:
                    locate(lat, lon)
                except ValueError:
                    continue
                return round(lat, 6), round(lon, 6)
        raise RuntimeError(f"could not place a sample hotspot in district {code}")

    def new_hotspot(self, kind: HotspotKind | None = None, district: str | None = None) -> SampleHotspot:
        codes = list(DISTRICT_WEIGHTS)
        weights = np.array([DISTRICT_WEIGHTS[c] for c in codes], dtype=float)
        district = district or str(self.rng.choice(codes, p=weights / weights.sum()))
        kind = kind or (HotspotKind.SERVICE_BUSINESS if self.rng.random() < 0.4 else HotspotKind.PUBLIC_AREA)
        near = bool(self.rng.random() < 0.35)
        lat, lon = self._point_in(district, near)
        where = locate(lat, lon).iloc[0]
        abbr = self.abbr[district]
        self.numbers[abbr] = self.numbers.get(abbr, 0) + 1
        prefix = "Điểm công cộng" if kind == HotspotKind.PUBLIC_AREA else "Cơ sở dịch vụ"
        spot = SampleHotspot(
            code=f"TD-{len(self.hotspots) + 1:03d}",
            name=f"{prefix} {abbr}-{self.numbers[abbr]:02d}",
            kind=kind,
            lat=lat,
            lon=lon,
            ward_code=where.ward_code,
            district_code=where.district_code,
            near_border=near,
            frailty=float(self.rng.gamma(2.0, 0.5)),
            responsible_unit=f"UBND {self.wards.loc[where.ward_code, 'name']}",
        )
        pt = shapely.Point(*self.to_metric(lon, lat))
        spot.neighbour_district = _nearest_other(self.metric, spot.district_code, pt)
        spot.neighbour_ward = _nearest_other(self.metric_wards, spot.ward_code, pt)
        spot.joint_rate = float(self.side_rng.choice([0.0, 0.2, 0.4], p=[0.35, 0.35, 0.3]))
        self.hotspots.append(spot)
        return spot

    # -- names of offices -------------------------------------------------
    def office(self, spot: SampleHotspot, date: dt.date, what: str) -> str:
        return f"{what} {self.unit_name(spot.ward_code if date >= REFORM_DATE else spot.district_code)}"

    def unit_name(self, code: str) -> str:
        return str((self.wards if len(code) == 5 else self.districts).loc[code, "name"])

    def performer(self, spot: SampleHotspot, date: dt.date) -> str:
        """Code of the unit carrying out an activity at ``spot``: its own, or
        now and then (``joint_rate``) the neighbour's across a near border."""
        after = date >= REFORM_DATE
        own = spot.ward_code if after else spot.district_code
        neighbour = spot.neighbour_ward if after else spot.neighbour_district
        if neighbour and self.side_rng.random() < spot.joint_rate:
            return neighbour
        return own

    # -- the simulation ---------------------------------------------------
    def run(self) -> SampleData:
        rng = self.rng
        for i in range(13):
            spot = self.new_hotspot(HotspotKind.PUBLIC_AREA if i < 8 else HotspotKind.SERVICE_BUSINESS)
            spot.set(START, Status.ACTIVE, "Tụ điểm phức tạp đầu kỳ", DEPARTMENT)
        # Cleared by the 2019 plan on a fixed schedule, so that the 2020 plan
        # starts with exactly 13 hotspots to clear and 6 to keep clean.
        self.schedule: dict[str, list[tuple[dt.date, Status, str]]] = {}
        for i in range(4):
            spot = self.new_hotspot()
            spot.set(START, Status.ACTIVE, "Tụ điểm phức tạp đầu kỳ", DEPARTMENT)
            self.schedule[spot.code] = [
                (dt.date(2019, 3 + i, 10), Status.CLEARING, "Triển khai giải pháp triệt xóa"),
                (dt.date(2019, 7 + i, 15), Status.CLEARED, "Đánh giá đạt tiêu chí triệt xóa"),
            ]
        for _ in range(6):
            spot = self.new_hotspot(HotspotKind.PUBLIC_AREA)
            cleared = dt.date(int(rng.integers(2016, 2019)), int(rng.integers(1, 13)), 1)
            spot.set(cleared, Status.CLEARED, "Đã triệt xóa", DEPARTMENT)
            spot.set(_add_months(cleared, 4), Status.HANDED_OVER, "Bàn giao cho địa phương", DEPARTMENT)

        plans, targets, activities = [], [], []
        month = START
        while month <= END:
            if month.month == 1:
                plans.append(_plan(month.year, rng))
                targets.extend(self._targets(month))
            self._step(month, activities)
            month = _add_months(month, 1)
        self._briefings(activities)
        activities.sort(key=lambda a: (a["date"], a.get("hotspot_code") or "", a["kind"]))
        notes = self._notes(targets)
        return SampleData(self.hotspots, plans, targets, activities, notes, self._local_plans(targets))

    def _targets(self, month: dt.date) -> list[dict]:
        out = []
        level = UnitLevel.WARD if month >= REFORM_DATE else UnitLevel.DISTRICT
        for spot in self.hotspots:
            if spot.status in (Status.ACTIVE, Status.CLEARING, Status.REEMERGED):
                kind = TargetType.CLEAR
            elif spot.status == Status.HANDED_OVER:
                kind = TargetType.KEEP_CLEAN
            else:
                continue
            code = spot.ward_code if level == UnitLevel.WARD else spot.district_code
            out.append(
                {
                    "year": month.year,
                    "hotspot_code": spot.code,
                    "target_type": kind,
                    "assigned_level": level,
                    "assigned_code": code,
                }
            )
        return out

    def _pressure(self, spot: SampleHotspot) -> float:
        near_open = sum(
            1
            for other in self.hotspots
            if other is not spot
            and other.status in (Status.ACTIVE, Status.CLEARING, Status.REEMERGED)
            and _metres(spot, other) < 1000
        )
        p = spot.frailty
        p *= 1.8 if spot.kind == HotspotKind.SERVICE_BUSINESS else 1.0
        p *= 1.7 if spot.near_border else 1.0
        p *= 2.0 if spot.neglected else 1.0
        return p * (1 + 0.5 * near_open)

    def _step(self, month: dt.date, activities: list[dict]) -> None:
        rng = self.rng
        last_day = min(_add_months(month, 1) - dt.timedelta(days=1), END)

        def day() -> dt.date:
            return month + dt.timedelta(days=int(rng.integers(0, last_day.day)))

        if month >= dt.date(2020, 1, 1) and rng.random() < 0.35:
            spot = self.new_hotspot()
            spot.set(day(), Status.ACTIVE, "Phát sinh tụ điểm mới", DEPARTMENT)

        for spot in list(self.hotspots):
            if not spot.history or spot.history[0][0] > last_day:
                continue
            s = spot.status
            if month.year == 2019:
                for date, status, reason in self.schedule.get(spot.code, []):
                    if (date.year, date.month) == (month.year, month.month):
                        by = (
                            DEPARTMENT
                            if status == Status.CLEARED
                            else self.office(spot, month, "Ban chỉ đạo 138")
                        )
                        spot.set(date, status, reason, by)
            elif s in (Status.ACTIVE, Status.REEMERGED):
                if month.month >= 3 and rng.random() < 0.25:
                    spot.set(
                        day(),
                        Status.CLEARING,
                        "Triển khai giải pháp triệt xóa",
                        self.office(spot, month, "Ban chỉ đạo 138"),
                    )
            elif s == Status.CLEARING and rng.random() < 0.22:
                spot.set(day(), Status.CLEARED, "Đánh giá đạt tiêu chí triệt xóa", DEPARTMENT)
            elif (
                s == Status.CLEARED
                and spot.cleared_on
                and _months(spot.cleared_on, month) >= 3
                and rng.random() < 0.25
            ):
                spot.set(day(), Status.HANDED_OVER, "Bàn giao cho địa phương duy trì", DEPARTMENT)
                spot.neglected = bool(rng.random() < 0.35)
            if spot.status in (Status.CLEARED, Status.HANDED_OVER) and month.year >= 2020:
                if spot.reemerge_on is None:
                    age = _months(spot.cleared_on or START, month)
                    hazard = BASE_HAZARD * self._pressure(spot) * (0.4 + math.exp(-age / 18))
                    if rng.random() < min(hazard, 0.5):
                        # Decided now, happens in three months: the lead-up shows
                        # as rising violations nearby.
                        spot.reemerge_on = _add_months(month, 3)
                elif (month.year, month.month) >= (spot.reemerge_on.year, spot.reemerge_on.month):
                    spot.set(
                        day(),
                        Status.REEMERGED,
                        "Phát hiện hoạt động trở lại",
                        self.office(spot, month, "Công an"),
                    )
                    spot.reemerge_on = None
            self._activities(spot, month, day, activities)

    def _activities(self, spot: SampleHotspot, month: dt.date, day, activities: list[dict]) -> None:
        rng = self.rng
        status = spot.status
        rates = dict(RATES[status])
        if status == Status.HANDED_OVER and spot.neglected:
            rates = {k: v * 0.3 for k, v in rates.items()}
        if spot.kind == HotspotKind.PUBLIC_AREA:
            rates.pop("inspection", None)
        else:
            rates.pop("stationed_post", None)
        mean = VIOLATION_MEAN[status] + (0.9 if spot.reemerge_on else 0.0)
        for kind, rate in rates.items():
            for _ in range(int(rng.poisson(rate))):
                violations = int(rng.poisson(mean)) if kind != "outreach" else 0
                cases = int(rng.binomial(violations, 0.6))
                sanctioned = int(rng.binomial(cases, 0.5)) if kind == "inspection" else 0
                referred = (
                    int(rng.poisson(0.4))
                    if kind == "outreach" and status in (Status.ACTIVE, Status.REEMERGED)
                    else 0
                )
                what = {"inspection": "Đoàn kiểm tra liên ngành", "outreach": "UBND"}.get(kind, "Công an")
                performer = self.performer(spot, month)
                activities.append(
                    {
                        "date": day(),
                        "hotspot_code": spot.code,
                        "kind": kind,
                        "violations_found": violations,
                        "cases_handled": cases,
                        "establishments_sanctioned": sanctioned,
                        "fines_vnd": sanctioned * int(rng.choice([5, 10, 15, 20, 30])) * 1_000_000,
                        "people_referred": referred,
                        "unit": f"{what} {self.unit_name(performer)}",
                        "unit_code": performer,
                    }
                )

    def _briefings(self, activities: list[dict]) -> None:
        """Monthly briefing of each labour office that has hotspots."""
        month = START
        while month <= END:
            date = month + dt.timedelta(days=24) if month + dt.timedelta(days=24) <= END else END
            before = month < REFORM_DATE
            column, office = ("district_code", "Phòng LĐTBXH") if before else ("ward_code", "UBND")
            units = sorted({getattr(s, column) for s in self.hotspots if s.history[0][0] <= date})
            for code in units:
                activities.append(
                    {
                        "date": date,
                        column: code,
                        "kind": "briefing",
                        "unit": f"{office} {self.unit_name(code)}",
                    }
                )
            month = _add_months(month, 1)

    def _notes(self, targets: list[dict]) -> list[dict]:
        """Briefing notes every third month (see the module docstring, step 7)."""
        rng = random.Random(self.seed + NOTES_STREAM)
        targeted: dict[int, set[str]] = {}
        for target in targets:
            if target["assigned_level"] == UnitLevel.DISTRICT:
                targeted.setdefault(target["year"], set()).add(target["assigned_code"])
        notes = []
        month = START
        while month <= END:
            before = month < REFORM_DATE
            if before:
                units = sorted(targeted.get(month.year, ()))
            else:
                units = sorted({s.ward_code for s in self.hotspots if s.history[0][0] < month})
            for code in units:
                if rng.random() >= NOTE_SHARE:
                    continue
                column = "district_code" if before else "ward_code"
                spots = [
                    s.code for s in self.hotspots if getattr(s, column) == code and s.history[0][0] < month
                ]
                named = []
                if spots and rng.random() < 0.5:
                    named = sorted(rng.sample(spots, min(len(spots), rng.choice((1, 2)))))
                decisions = [rng.choice(NOTE_DECISIONS)]
                if named:
                    decisions.insert(0, rng.choice(NOTE_SPOT_DECISIONS).format(codes=", ".join(named)))
                notes.append(
                    {
                        "month": month,
                        "level": UnitLevel.DISTRICT if before else UnitLevel.WARD,
                        "unit_code": code,
                        "difficulties": rng.choice(NOTE_DIFFICULTIES) if rng.random() < 0.8 else "",
                        "proposals": rng.choice(NOTE_PROPOSALS) if rng.random() < 0.7 else "",
                        "decisions": " ".join(decisions),
                        "hotspot_codes": " ".join(named),
                        "recorded_by": DEPARTMENT if before else f"UBND {self.unit_name(code)}",
                    }
                )
            month = _add_months(month, 3)
        return notes

    def _local_plans(self, targets: list[dict]) -> list[dict]:
        """Local plans of the last plan years (see the module docstring, step 8)."""
        rng = random.Random(self.seed + LOCAL_PLANS_STREAM)
        units: dict[tuple[int, str, str], dict[str, str]] = {}
        for target in targets:
            if target["year"] >= END.year - LOCAL_PLAN_YEARS + 1:
                key = (target["year"], str(target["assigned_level"]), target["assigned_code"])
                units.setdefault(key, {})[target["hotspot_code"]] = str(target["target_type"])
        plans = []
        for (year, level, code), wanted in sorted(units.items()):
            name = self.unit_name(code)
            tasks = []
            for spot_code in sorted(wanted):
                for template in rng.sample(TASK_TEMPLATES, rng.choice((1, 2))):
                    tasks.append(self._task(rng, year, template, name, hotspot_code=spot_code))
            tasks.append(self._task(rng, year, rng.choice(AREA_TASKS), name))
            plans.append(
                {
                    "year": year,
                    "level": level,
                    "unit_code": code,
                    "doc_number": f"MẪU-{rng.randint(10, 99)}/KH",
                    "doc_date": dt.date(year, 2, rng.randint(1, 25)),
                    "title": f"Kế hoạch phòng, chống mại dâm năm {year} của {name} (văn bản mẫu)",
                    "recorded_by": DEPARTMENT if level == UnitLevel.DISTRICT else f"UBND {name}",
                    "targets": wanted,
                    "tasks": tasks,
                }
            )
        return plans

    @staticmethod
    def _task(rng: random.Random, year: int, template: tuple[str, str], unit: str, hotspot_code=None) -> dict:
        title, agency = template
        deadline = dt.date(year, rng.randint(3, 12), rng.randint(1, 28))
        if deadline.year < END.year:  # plans of past years were closed: their tasks done
            state = "done"
        elif deadline < END:
            state = "done" if rng.random() < 0.85 else rng.choice(("in_progress", "not_started"))
        else:
            state = rng.choice(("in_progress", "in_progress", "not_started"))
        result = ""
        if state == "done":
            result = rng.choice(TASK_RESULTS)
        elif state == "in_progress":
            result = "Đang triển khai theo kế hoạch."
        updated = min(END, deadline - dt.timedelta(days=rng.randint(0, 20)))
        return {
            "title": title.format(code=hotspot_code or ""),
            "responsible": f"{agency} {unit}",
            "hotspot_code": hotspot_code,
            "deadline": deadline,
            "state": state,
            "result": result,
            "updated_on": updated,
        }


#: Offset of the local plans' random stream from the seed.
LOCAL_PLANS_STREAM = 11
#: Local plans are made for this many of the last plan years.
LOCAL_PLAN_YEARS = 3
#: (task title, the kind of agency responsible): {code} is the hotspot's code.
TASK_TEMPLATES = (
    ("Tuần tra, kiểm soát thường xuyên tại tụ điểm {code}", "Công an"),
    ("Kiểm tra liên ngành các cơ sở kinh doanh dịch vụ quanh tụ điểm {code}", "Đội kiểm tra liên ngành"),
    ("Lắp biển tuyên truyền, tăng chiếu sáng tại tụ điểm {code}", "UBND"),
    ("Rà soát, lập danh sách cơ sở kinh doanh dịch vụ quanh tụ điểm {code}", "Công an"),
    ("Tuyên truyền tại khu dân cư quanh tụ điểm {code}", "Mặt trận Tổ quốc"),
)
AREA_TASKS = (
    ("Tổ chức giao ban hằng tháng về công tác phòng, chống mại dâm", "UBND"),
    ("Tập huấn nghiệp vụ cho cán bộ cơ sở", "Phòng Văn hóa - Xã hội"),
    ("Báo cáo kết quả quý về công tác phòng, chống mại dâm", "UBND"),
)
TASK_RESULTS = (
    "Đã hoàn thành, báo cáo tại giao ban tháng.",
    "Đã thực hiện, không phát hiện vi phạm mới.",
    "Đã hoàn thành; đề nghị duy trì trong năm sau.",
)


def _plan(year: int, rng) -> dict:
    if year == 2020:
        return {
            "year": 2020,
            "doc_number": "16/KH-UBND",
            "doc_date": dt.date(2020, 1, 20),
            "title": "Kế hoạch phòng, chống mại dâm trên địa bàn thành phố Hà Nội năm 2020",
        }
    return {
        "year": year,
        "doc_number": f"MẪU-{int(rng.integers(5, 40))}/KH",
        "doc_date": dt.date(year, 1, 15),
        "title": f"Kế hoạch phòng, chống mại dâm năm {year} (văn bản mẫu)",
    }


def _nearest_other(units, own: str, pt) -> str | None:
    """The unit other than ``own`` nearest to ``pt``, if within BORDER_M."""
    distance = units.geometry.drop(own).distance(pt)
    code = distance.idxmin()
    return str(code) if distance[code] <= BORDER_M else None


def _transformer(src: str, dst: str):
    return Transformer.from_crs(src, dst, always_xy=True).transform


def _metres(a: SampleHotspot, b: SampleHotspot) -> float:
    dy = (a.lat - b.lat) * 110_574
    dx = (a.lon - b.lon) * 111_320 * math.cos(math.radians(a.lat))
    return math.hypot(dx, dy)


def _add_months(date: dt.date, n: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def generate(seed: int = SEED) -> SampleData:
    """The whole sample history; the same seed gives the same data."""
    return _Generator(seed).run()


def load_sample(engine: sa.Engine, seed: int = SEED) -> dict[str, int]:
    """Replace the store's content with the sample data, in one transaction."""
    data = generate(seed)
    with engine.begin() as conn:
        store.clear_all(conn)
        ids = store.add_hotspots(
            conn,
            [
                {
                    "code": s.code,
                    "name": s.name,
                    "kind": s.kind,
                    "lat": s.lat,
                    "lon": s.lon,
                    "status": s.history[0][1],
                    "responsible_unit": s.responsible_unit,
                    "notes": "Dữ liệu mẫu",
                }
                for s in data.hotspots
            ],
        )
        by_code = dict(zip((s.code for s in data.hotspots), ids, strict=True))
        spots = {s.code: s for s in data.hotspots}
        for spot in data.hotspots:
            for date, status, reason, by in spot.history:
                store.record_status(conn, by_code[spot.code], date, status, reason, by)
        plan_ids = {p["year"]: store.add_plan(conn, **p) for p in data.plans}
        for year, pid in plan_ids.items():
            store.add_targets(
                conn,
                pid,
                [{**t, "hotspot_id": by_code[t["hotspot_code"]]} for t in data.targets if t["year"] == year],
            )
        rows = []
        for a in data.activities:
            row = dict(a)
            code = row.pop("hotspot_code", None)
            row["hotspot_id"] = by_code[code] if code else None
            rows.append(row)
        store.add_activities(conn, rows)
        store.add_notes(conn, data.notes)
        store.add_local_plans(conn, [_local_plan_row(p, by_code, spots) for p in data.local_plans])
        store.set_meta(conn, "sample_data", "1")
        store.audit(conn, "Hệ thống", "sample_load", "store", summary=f"Dữ liệu mẫu, seed {seed}")
        store.set_meta(conn, "sample_seed", str(seed))
    return {
        "hotspots": len(data.hotspots),
        "plans": len(data.plans),
        "targets": len(data.targets),
        "status_changes": sum(len(s.history) for s in data.hotspots),
        "activities": len(data.activities),
        "notes": len(data.notes),
        "local_plans": len(data.local_plans),
        "tasks": sum(len(p["tasks"]) for p in data.local_plans),
    }


def _local_plan_row(plan: dict, by_code: dict[str, int], spots: dict[str, SampleHotspot]) -> dict:
    """A sample local plan as :func:`dashboard.store.add_local_plans` takes it."""
    place = store.unit_place(plan["level"], plan["unit_code"])
    tasks = []
    for task in plan["tasks"]:
        row = {k: v for k, v in task.items() if k != "hotspot_code"}
        code = task["hotspot_code"]
        if code:
            spot = spots[code]
            row |= {
                "hotspot_id": by_code[code],
                "ward_code": spot.ward_code,
                "district_code": spot.district_code,
            }
        else:
            row |= {
                "hotspot_id": None,
                "ward_code": place["ward_code"],
                "district_code": place["district_code"],
            }
        tasks.append({**row, "recorded_by": plan["recorded_by"]})
    targets = {by_code[c]: k for c, k in plan["targets"].items()}
    return {
        **{k: v for k, v in plan.items() if k not in ("targets", "tasks")},
        "targets": targets,
        "tasks": tasks,
    }


def ensure_data(engine: sa.Engine) -> bool:
    """Fill a new, empty store with the sample data; True when it did.

    A store that is empty because its sample data was cleared (the audit log
    says so) stays empty, ready for real data.
    """
    if store.is_empty(engine) and not store.has_history(engine):
        load_sample(engine)
        return True
    return False
