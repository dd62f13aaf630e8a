"""The benchmark behind `make bench` (issues 6 and 14): check, build and serve at N synthetic plans.

For each N and each plan generator it generates a project copy with N plans and a CRM
export (`plans/actuals.csv`, a row per plan, product and month), and measures, as the median
of BENCH_RUNS runs, each in a fresh subprocess (the two sides of each comparison take turns,
so a drift in the machine's speed reaches both):

- `accountplans check` against its floor: a Python process that only reads the same files
  and parses their front-matter with PyYAML's libyaml loader (CSafeLoader);
- `mkdocs build` of the project (hooks, macros, dashboard, search) against a default
  Material build of the same Markdown (template calls stripped, no hooks, flat navigation,
  search plugin only), with the peak memory (ru_maxrss of the build process) and the size of
  each site folder;
- the registered extra parts (`PARTS`, see `register`), each where it says it runs: `serve`
  at N = 1000 (BENCH_SERVE_N; when in BENCH_SIZES) on both generators: how long `make serve`
  (accountplans.site.livebuild) takes from saving a change to telling the browser to reload, and
  to serving the page the browser then asks for, as the median of BENCH_SERVE_RUNS=5 saves
  for each kind of change (a plan's text edited, a plan added, renamed, deleted),
  BENCH_SERVE_SETTLE=5 seconds apart.

The generators (`GENERATORS`): `project` is bench/generate.py (the project's own shapes:
short plans, all in the docs folder, about 25 plans per owner); `other` is
bench/generate_other.py (all plans in one subfolder, longer prose, more milestones and
contacts, owners with very uneven plan counts). The report puts their ratios side by side.

Environment: BENCH_SIZES=1000 (default; e.g. 100,1000,5000), BENCH_GENERATORS=project,other
(default: both), BENCH_RUNS=3 (default, at least 1), BENCH_PLAIN_RUNS_LARGE=1: runs of the
default Material build for N > 1000 (its navigation makes it quadratic: at 5000 plans one run
takes many minutes and gigabytes), BENCH_OUT=path of the JSON results (default
bench-results.json in the project root), BENCH_KEEP=1 keeps the generated projects,
BENCH_PARTS=check,build,default,serve (default: those and every registered part) picks what
to measure, BENCH_ACTUALS=0 generates no actuals.csv, BENCH_DEFAULT_FROM=earlier-results.json[,...]
reuses the default Material figures of earlier runs for the generators and sizes they have
(that build runs none of our code), and BENCH_REPORT_FROM=results.json prints the table of an
earlier run again (with BENCH_DEFAULT_FROM applied) without measuring.
Speed is measured here, never asserted in a unit test.

Adding a measurement (e.g. bench/search_bench.py): write a function that takes a
`Generated` project and returns a dict of JSON figures, and one that turns such a dict into
a report line, then `register(Part("search", measure, report, runs_at=...))` below the
existing registrations. BENCH_PARTS selects it by name; its figures go to the results file
under "extras".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/ is not a package: run as a script, next to the generators
import generate
import generate_other
import search_bench  # issue 15: Material's search against Pagefind

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# A pinned "today" (2027-02-15 00:00 UTC) so every run computes the same site.
SOURCE_DATE_EPOCH = "1802649600"
SERVE_N = int(os.environ.get("BENCH_SERVE_N", "1000"))
SERVE_RUNS = int(os.environ.get("BENCH_SERVE_RUNS", "5"))
"""Saves measured per kind of change (the loop's figure is their median)."""
SERVE_SETTLE_S = float(os.environ.get("BENCH_SERVE_SETTLE", "5"))
"""Seconds between two saves: an author reads the page before the next save."""

# The least any checker must do: read every page and parse its front-matter with libyaml, and
# read the CRM export (actuals.csv) with the csv module, which check also reads.
FLOOR = r"""
import csv, sys, pathlib, yaml
loader = yaml.CSafeLoader
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            yaml.load(text[4:end], Loader=loader)
            count += 1
actuals = pathlib.Path(sys.argv[1]) / "actuals.csv"
if actuals.exists():
    with actuals.open(encoding="utf-8", newline="") as fh:
        count += sum(1 for _ in csv.reader(fh))
print(count)
"""

PLAIN_CONFIG = """\
site_name: Account plans (default Material)
docs_dir: plans
site_dir: site
theme:
  name: material
plugins:
  - search
"""

_TEMPLATE_CALL = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass
class Run:
    seconds: float
    """Wall-clock time."""
    peak_mb: float = 0.0
    cpu_s: float = 0.0
    """User + system CPU time of the process: steadier than wall time on a busy machine."""


@dataclass(frozen=True)
class Generator:
    name: str
    module: Any
    """A module with `SEED` and `generate(out, n, *, actuals=True) -> docs folder`."""
    about: str


GENERATORS = {g.name: g for g in (
    Generator("project", generate, "the project's generator (bench/generate.py)"),
    Generator("other", generate_other, "other shapes (bench/generate_other.py)"),
)}


@dataclass(frozen=True)
class Generated:
    """One generated project: what every part measures."""
    generator: str
    n: int
    project: Path
    runs: int
    """BENCH_RUNS: how many times a part should repeat what it times."""


@dataclass(frozen=True)
class Part:
    """An extra measurement of a generated project, run after check and build."""
    name: str
    measure: Callable[[Generated], dict[str, object]]
    """Runs the measurement; returns JSON-serialisable figures."""
    report: Callable[[dict[str, object]], str]
    """One Markdown line (or paragraph) from the figures `measure` returned."""
    runs_at: Callable[[str, int], bool] = lambda generator, n: True
    """(generator name, N) -> whether to measure there."""


PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    """Add an extra part; BENCH_PARTS selects it by its name."""
    PARTS[part.name] = part


@dataclass
class Row:
    n: int
    generator: str = "project"
    check_s: float = 0.0
    floor_s: float = 0.0
    check_cpu_s: float = 0.0
    floor_cpu_s: float = 0.0
    build_s: float = 0.0
    build_cpu_s: float = 0.0
    build_peak_mb: float = 0.0
    build_site_mb: float = 0.0
    plain_s: float = 0.0
    plain_cpu_s: float = 0.0
    plain_peak_mb: float = 0.0
    plain_site_mb: float = 0.0
    plain_runs: int = 0
    plain_reused: str = ""
    """When the default Material figures come from an earlier results file (BENCH_DEFAULT_FROM)."""
    runs: dict[str, list[float]] = field(default_factory=dict)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def timed(cmd: list[str], cwd: Path, *, expect: int = 0) -> Run:
    """Run `cmd` in a fresh process: wall time and its own peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # drain, so a chatty build never blocks on a full pipe
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != expect:
        sys.stderr.write(err.decode(errors="replace")[-4000:])
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode} in {cwd}")
    # ru_maxrss is in KiB on Linux
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def site_mb(site: Path) -> float:
    """Bytes of every file under the site folder (what `du -sb` reports), in MB."""
    total = 0
    for folder, _, names in os.walk(site):
        total += sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    return total / 1e6


def plain_copy(project: Path, out: Path) -> None:
    """The same Markdown as a default Material site: no hooks, no macros, flat navigation."""
    out.mkdir(parents=True)
    (out / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    for src in (project / "plans").rglob("*.md"):
        dest = out / "plans" / src.relative_to(project / "plans")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(_TEMPLATE_CALL.sub("", src.read_text(encoding="utf-8")), encoding="utf-8")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def interleaved(*parts: tuple[str, int, Callable[[], Run]]) -> list[list[Run]]:
    """Runs of each (label, runs, once), taken in turns (a, b, a, b, ...), not one part after
    the other: the speed of a shared machine drifts over minutes, and taking turns gives both
    sides of a ratio the same drift."""
    out: list[list[Run]] = [[] for _ in parts]
    for i in range(max((runs for _, runs, _ in parts), default=0)):
        for (label, runs, once), done in zip(parts, out, strict=True):
            if i < runs:
                r = once()
                print(f"  {label} run {i + 1}/{runs}: {r.seconds:.2f} s ({r.cpu_s:.2f} s CPU), "
                      f"{r.peak_mb:.0f} MB peak", file=sys.stderr, flush=True)
                done.append(r)
    return out


def generated_project(generator: str, n: int, work: Path, runs: int) -> Generated:
    """The project of `generator` with N plans under `work` (made the first time it is asked)."""
    project = work / generator / f"n{n}" / "project"
    if not project.exists():
        print(f"N = {n}, {generator} generator: generating", file=sys.stderr, flush=True)
        GENERATORS[generator].module.generate(project, n, actuals=os.environ.get("BENCH_ACTUALS") != "0")
    return Generated(generator, n, project, runs)


def bench_size(target: Generated, plain_runs: int, parts: set[str]) -> Row:
    """check against its floor and build against default Material, taking turns."""
    project, n = target.project, target.n
    plain = project.parent / "plain"
    if not plain.exists():
        plain_copy(project, plain)
    row = Row(n, target.generator, plain_runs=plain_runs if "default" in parts else 0)
    py = str(BIN / "python")
    runs_of = {part: target.runs if part in parts else 0 for part in ("check", "build")}
    print(f"N = {n}, {target.generator} generator: measuring", file=sys.stderr, flush=True)

    check, floor = interleaved(
        ("check", runs_of["check"], lambda: timed([str(BIN / "accountplans"), "check"], project)),
        ("floor", runs_of["check"], lambda: timed([py, "-c", FLOOR, str(project / "plans")], project)))
    build, plain_runs_done = interleaved(
        ("build", runs_of["build"], lambda: timed([str(BIN / "mkdocs"), "build", "-q"], project)),
        ("default Material build", row.plain_runs,
         lambda: timed([str(BIN / "mkdocs"), "build", "-q"], plain)))
    if build:
        row.build_site_mb = site_mb(project / "site")
        shutil.rmtree(project / "site", ignore_errors=True)
    if row.plain_runs:
        row.plain_site_mb = site_mb(plain / "site")
        shutil.rmtree(plain / "site", ignore_errors=True)

    row.check_s = median([r.seconds for r in check])
    row.floor_s = median([r.seconds for r in floor])
    row.check_cpu_s = median([r.cpu_s for r in check])
    row.floor_cpu_s = median([r.cpu_s for r in floor])
    row.build_s = median([r.seconds for r in build])
    row.build_cpu_s = median([r.cpu_s for r in build])
    row.plain_cpu_s = median([r.cpu_s for r in plain_runs_done])
    row.build_peak_mb = median([r.peak_mb for r in build])
    row.plain_s = median([r.seconds for r in plain_runs_done])
    row.plain_peak_mb = median([r.peak_mb for r in plain_runs_done])
    row.runs = {
        "check_s": [r.seconds for r in check], "floor_s": [r.seconds for r in floor],
        "check_cpu_s": [r.cpu_s for r in check], "floor_cpu_s": [r.cpu_s for r in floor],
        "build_s": [r.seconds for r in build], "build_cpu_s": [r.cpu_s for r in build],
        "build_peak_mb": [r.peak_mb for r in build],
        "plain_s": [r.seconds for r in plain_runs_done],
        "plain_cpu_s": [r.cpu_s for r in plain_runs_done],
        "plain_peak_mb": [r.peak_mb for r in plain_runs_done],
    }
    return row


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVE_KINDS = ("edit", "add", "rename", "delete")
"""The changes the loop is measured for: a plan's text edited (every other save puts it back),
a plan added, a plan's file renamed (and back), a plan deleted (the one just added)."""


class _ServeLog:
    """The serve process's log lines, each with the moment it was read."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[tuple[float, str]] = []
        self.changed = threading.Condition()
        self.ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self.changed:
                self.lines.append((time.perf_counter(), line.rstrip()))
                self.changed.notify_all()
        with self.changed:  # the process ended: a waiter stops waiting for it
            self.ended = True
            self.changed.notify_all()

    def wait_for(self, pattern: str, after: int, timeout: float) -> tuple[int, float, str]:
        deadline = time.perf_counter() + timeout
        with self.changed:
            while True:
                for i in range(after, len(self.lines)):
                    if pattern in self.lines[i][1]:
                        return i, self.lines[i][0], self.lines[i][1]
                left = deadline - time.perf_counter()
                if left <= 0 or self.ended or self.proc.poll() is not None:
                    tail = "\n".join(text for _, text in self.lines[-20:])
                    raise SystemExit(f"bench: serve never logged '{pattern}':\n{tail}")
                self.changed.wait(left)


def bench_serve(target: Generated, runs: int = SERVE_RUNS) -> dict[str, object]:
    """Seconds from saving a change to `make serve` (python -m accountplans.site.livebuild) having
    rebuilt what it affects and told the browser to reload, `runs` times per kind of change."""
    project = target.project
    port = _free_port()
    proc = subprocess.Popen([str(BIN / "python"), "-m", "accountplans.site.livebuild",
                             "-a", f"127.0.0.1:{port}"],
                            cwd=project, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    log = _ServeLog(proc)
    result: dict[str, object] = {"n": target.n, "generator": target.generator, "runs_per_kind": runs}
    try:
        start = time.perf_counter()
        _, at, _ = log.wait_for("Serving on", 0, 1800)
        result["first_build_s"] = at - start
        plans = sorted(p for p in (project / "plans").rglob("*.md") if generate._is_plan_page(p))
        plan = plans[len(plans) // 2]
        original = plan.read_text(encoding="utf-8")
        added = plan.with_name("zz-bench-added.md")
        renamed = plan.with_name(f"zz-bench-{plan.name}")
        account = re.search(r"^account:.*$", original, re.MULTILINE)
        assert account is not None
        new_plan = original.replace(account.group(0), "account: Zz Bench Added B.V.", 1)
        def save(path: Path, text: str) -> None:
            """As an editor saves: written beside the project, then moved in place in one step
            (a file written in place is empty for a moment, and the watcher may see that)."""
            scratch = project / ".bench-save.tmp"
            scratch.write_text(text, encoding="utf-8")
            os.replace(scratch, path)

        steps: dict[str, Callable[[int], None]] = {
            "edit": lambda i: save(plan, original.replace(
                "\n## ", f"\nEdit {i + 1} for the benchmark.\n\n## ", 1) if i % 2 == 0 else original),
            "add": lambda i: save(added, new_plan),
            "rename": lambda i: (plan.rename(renamed) if i % 2 == 0 else renamed.rename(plan)),
            "delete": lambda i: added.unlink(),
        }
        reloads: dict[str, list[float]] = {kind: [] for kind in SERVE_KINDS}
        served: dict[str, list[float]] = {kind: [] for kind in SERVE_KINDS}
        docs = project / "plans"

        def shown(kind: str, i: int) -> Path:
            """The page the browser shows after the save: the plan saved, added or renamed;
            after a delete, a plan of the same owner's section (whose navigation changed)."""
            return {"add": added, "rename": renamed if i % 2 == 0 else plan}.get(kind, plan)

        def page_served(path: Path) -> None:
            url = f"http://127.0.0.1:{port}/{path.relative_to(docs).with_suffix('').as_posix()}/"
            with urllib.request.urlopen(url, timeout=120) as answer:
                answer.read()

        cpu: dict[str, list[float]] = {kind: [] for kind in SERVE_KINDS}
        rebuilt: dict[str, list[int]] = {kind: [] for kind in SERVE_KINDS}
        # add and delete take turns (the plan added is the one deleted); the other kinds
        # come back to the original after an even number of saves.
        order = ["edit"] * runs + [k for _ in range(runs) for k in ("add", "delete")] + ["rename"] * runs
        done: dict[str, int] = {kind: 0 for kind in SERVE_KINDS}
        for kind in order:
            time.sleep(SERVE_SETTLE_S)  # the last change's search index (Pagefind) is made meanwhile
            mark = len(log.lines)
            saved = time.perf_counter()
            steps[kind](done[kind])
            _, _, text = log.wait_for("pages in", mark, 900)
            m = re.search(r"Built (?:all |(\d+) of )(\d+) pages", text)
            rebuilt[kind].append(int(m.group(1) or m.group(2)) if m else 0)
            used = re.search(r"\(([0-9.]+) s CPU\)", text)
            if used:
                cpu[kind].append(float(used.group(1)))
            _, reloaded, _ = log.wait_for("Reloading browsers", mark, 120)
            reloads[kind].append(reloaded - saved)
            # The browser then asks for the page again: it is served once it is written (a page
            # written after the reload is written first when asked for).
            page_served(shown(kind, done[kind]))
            served[kind].append(time.perf_counter() - saved)
            done[kind] += 1
            print(f"  serve {kind} {done[kind]}/{runs}: reloaded {reloads[kind][-1]:.2f} s after saving, "
                  f"page served at {served[kind][-1]:.2f} s "
                  f"({rebuilt[kind][-1]} pages rebuilt, {cpu[kind][-1] if cpu[kind] else 0:.2f} s CPU)",
                  file=sys.stderr, flush=True)
        if done["rename"] % 2:
            renamed.rename(plan)
        plan.write_text(original, encoding="utf-8")
        result["reload_s"] = {kind: median(v) for kind, v in reloads.items()}
        result["page_s"] = {kind: median(v) for kind, v in served.items()}
        """From saving to the page shown after the save served again (fetched right after the
        reload, as the browser does)."""
        result["page_runs"] = served
        result["pages_rebuilt"] = {kind: median([float(x) for x in v]) for kind, v in rebuilt.items()}
        result["runs"] = reloads
        result["rebuild_cpu_s"] = {kind: median(v) for kind, v in cpu.items() if v}
        """The serve process's CPU time for the rebuild (what `Built ... (x s CPU)` logs): on a
        shared machine the wall time also holds the other processes' turns."""
        result["rebuild_s"] = result["reload_s"]["edit"]  # type: ignore[index]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


Key = tuple[str, int]
"""(generator name, N)."""


def _seeds(data: dict[str, Any]) -> dict[str, object]:
    """The seed of each generator in a results file (files before issue 14 had one: project's)."""
    seeds = data.get("seeds")
    return seeds if isinstance(seeds, dict) else {"project": data.get("seed")}


def _reusable_defaults(paths: str) -> dict[Key, dict[str, object]]:
    """Default Material figures from earlier results files (comma-separated; later win), by
    generator and N.

    The default build does not run our code, so its figures hold until the generator's seed,
    Material or MkDocs change: reusing them saves the longest runs (many minutes at 5000).
    actuals.csv does not change them: the default build copies the Markdown only.
    """
    found: dict[Key, dict[str, object]] = {}
    for path in filter(None, (p.strip() for p in paths.split(","))):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        stamp = f"{Path(path).name}, {data.get('started', '?')}"
        seeds = _seeds(data)
        for r in data["sizes"]:
            generator = str(r.get("generator", "project"))
            if not r.get("plain_runs") or generator not in GENERATORS:
                continue
            if seeds.get(generator) != GENERATORS[generator].module.SEED:
                raise SystemExit(f"bench: {path} was made with another seed for the {generator} "
                                 "generator; run the default builds again")
            found[(generator, int(r["n"]))] = {**r, "from": stamp}
    return found


def _extras_of(data: dict[str, Any]) -> list[dict[str, object]]:
    """The extra parts' figures; files before the parts registry had only "serve"."""
    extras = list(data.get("extras") or [])
    if not extras and data.get("serve"):
        extras = [{"part": "serve", "generator": "project", **data["serve"]}]
    return extras


def report_again(path: Path, reuse: dict[Key, dict[str, object]], out_path: Path) -> int:
    """BENCH_REPORT_FROM: the table of an earlier results file, with BENCH_DEFAULT_FROM applied."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [Row(**r) for r in data["sizes"]]
    for row in rows:
        if (row.generator, row.n) in reuse:
            _reuse(row, reuse[(row.generator, row.n)])
    info = data["machine"]
    print(f"\nMachine: {info['cpus']} CPUs, {info['cpu']}, {info['memory_gb']} GB RAM, "
          f"Python {info['python']}\n")
    print(table(rows, _extras_of(data), int(data["runs"])))
    data["sizes"] = [asdict(r) for r in rows]
    out_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


def _reuse(row: Row, earlier: dict[str, object]) -> None:
    for name in ("plain_s", "plain_cpu_s", "plain_peak_mb", "plain_site_mb", "plain_runs"):
        setattr(row, name, earlier[name])
    row.plain_reused = str(earlier["from"])
    old_runs = earlier.get("runs")
    if isinstance(old_runs, dict):
        row.runs.update({k: v for k, v in old_runs.items() if k.startswith("plain_")})


def machine() -> dict[str, object]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "system": platform.platform()}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if a and b else "–"


def _check_rows(rows: list[Row], label: Callable[[Row], str]) -> list[str]:
    out = ["| N | `accountplans check` | floor (read + libyaml) | check / floor |",
           "|---|---:|---:|---:|"]
    for r in rows:
        if r.runs.get("check_s"):
            out.append(f"| {label(r)} | {r.check_s:.2f} s ({r.check_cpu_s:.2f}) | {r.floor_s:.2f} s "
                       f"({r.floor_cpu_s:.2f}) | {_ratio(r.check_s, r.floor_s)} "
                       f"({_ratio(r.check_cpu_s, r.floor_cpu_s)}) |")
    return out


def _build_rows(rows: list[Row], label: Callable[[Row], str], runs: int) -> list[str]:
    out = ["| N | build | default Material | build / default | peak MB build / default "
           "| memory ratio | site MB build / default |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if not r.runs.get("build_s"):
            continue
        if r.plain_runs:
            runs_note = f", {r.plain_runs} run{'s' if r.plain_runs > 1 else ''}" \
                if r.plain_runs != runs else ""
            runs_note += ", earlier run†" if r.plain_reused else ""
            plain = f"{r.plain_s:.2f} s ({r.plain_cpu_s:.2f}{runs_note})"
            out.append(
                f"| {label(r)} | {r.build_s:.2f} s ({r.build_cpu_s:.2f}) | {plain} "
                f"| {_ratio(r.build_s, r.plain_s)} ({_ratio(r.build_cpu_s, r.plain_cpu_s)}) "
                f"| {r.build_peak_mb:.0f} / {r.plain_peak_mb:.0f} "
                f"| {_ratio(r.build_peak_mb, r.plain_peak_mb)} "
                f"| {r.build_site_mb:.1f} / {r.plain_site_mb:.1f} |")
        else:
            out.append(f"| {label(r)} | {r.build_s:.2f} s ({r.build_cpu_s:.2f}) | not run | – "
                       f"| {r.build_peak_mb:.0f} / – | – | {r.build_site_mb:.1f} / – |")
    return out


def _side_by_side(rows: list[Row], generators: list[str]) -> list[str]:
    """One line per N: each generator's check/floor and build/default, next to each other."""
    by_key = {(r.generator, r.n): r for r in rows}
    head = ["N", *(f"check / floor, {g}" for g in generators), *(f"build / default, {g}" for g in generators)]
    out = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for n in sorted({r.n for r in rows}):
        found = [by_key.get((g, n)) for g in generators]
        checks = [_ratio(r.check_s, r.floor_s) if r else "–" for r in found]
        builds = [_ratio(r.build_s, r.plain_s) if r and r.plain_runs else "–" for r in found]
        out.append(f"| {n} | " + " | ".join(checks + builds) + " |")
    return out


def table(rows: list[Row], extras: list[dict[str, object]], runs: int) -> str:
    """The side-by-side ratios, two Markdown tables (check, build), the growth and extra lines."""
    generators = [g for g in GENERATORS if any(r.generator == g for r in rows)]
    generators += sorted({r.generator for r in rows} - set(generators))
    several = len(generators) > 1

    def label(r: Row) -> str:
        return f"{r.n} {r.generator}" if several else str(r.n)

    ordered = sorted(rows, key=lambda r: (r.n, generators.index(r.generator)))
    out = [f"Medians of {runs} runs; wall-clock time, with CPU time (user + system) in brackets.", ""]
    if several:
        about = "; ".join(f"{g}: {GENERATORS[g].about}" for g in generators if g in GENERATORS)
        out += [f"Generators: {about}.", "", *_side_by_side(ordered, generators), ""]
    out += [*_check_rows(ordered, label), "", *_build_rows(ordered, label, runs)]
    reused = sorted({r.plain_reused for r in rows if r.plain_reused})
    if reused:
        out += ["", f"† default Material figures measured earlier on this machine ({'; '.join(reused)}); "
                    "that build runs none of our code."]
    for g in generators:
        by_n = {r.n: r for r in rows if r.generator == g}
        if 1000 in by_n and 5000 in by_n:
            big, small = by_n[5000], by_n[1000]
            out += ["", f"From 1000 to 5000 plans ({g} generator) the build grows "
                        f"{_ratio(big.build_s, small.build_s)} ({_ratio(big.build_cpu_s, small.build_cpu_s)} "
                        f"CPU), the check {_ratio(big.check_s, small.check_s)}."]
    for figures in extras:
        part = PARTS.get(str(figures.get("part")))
        if part is not None:
            out += ["", part.report(figures)]
    return "\n".join(out)


def _serve_report(serve: dict[str, object]) -> str:
    reload_s = serve.get("reload_s")
    if not isinstance(reload_s, dict):  # results files before issue 14's loop: one figure
        return (f"`mkdocs serve` at N = {serve['n']} ({serve.get('generator', 'project')} generator): "
                f"first build {serve['first_build_s']:.1f} s; after one plan is saved, the site is "
                f"rebuilt and reloaded in {serve['rebuild_s']:.2f} s.")
    pages = serve.get("pages_rebuilt") if isinstance(serve.get("pages_rebuilt"), dict) else {}
    found_cpu = serve.get("rebuild_cpu_s")
    used: dict[str, float] = found_cpu if isinstance(found_cpu, dict) else {}
    found_page = serve.get("page_s")
    page_s: dict[str, float] = found_page if isinstance(found_page, dict) else {}
    kinds = ", ".join(f"{kind} {reload_s[kind]:.2f} s ("
                      + (f"page served at {page_s[kind]:.2f} s, " if kind in page_s else "")
                      + (f"{used[kind]:.2f} s CPU, " if kind in used else "")
                      + f"{pages.get(kind, 0):.0f} pages)"  # type: ignore[union-attr]
                      for kind in SERVE_KINDS if kind in reload_s)
    return (f"`make serve` at N = {serve['n']} ({serve.get('generator', 'project')} generator): first "
            f"build {serve['first_build_s']:.1f} s; from saving to the reload, median of "
            f"{serve.get('runs_per_kind', SERVE_RUNS)} saves each: {kinds}.")


register(Part("serve", bench_serve, _serve_report, runs_at=lambda generator, n: n == SERVE_N))
register(Part("search", lambda target: search_bench.measure(target, _env()), search_bench.report,
              runs_at=lambda generator, n: generator == "project" and n in search_bench.SIZES))


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000").split(",") if s.strip()]
    generators = [g.strip() for g in os.environ.get("BENCH_GENERATORS", ",".join(GENERATORS)).split(",")
                  if g.strip()]
    unknown = [g for g in generators if g not in GENERATORS]
    if unknown:
        raise SystemExit(f"bench: unknown generator(s) {', '.join(unknown)}; "
                         f"BENCH_GENERATORS takes {', '.join(GENERATORS)}")
    runs = max(1, int(os.environ.get("BENCH_RUNS", "3")))
    plain_runs_large = max(0, int(os.environ.get("BENCH_PLAIN_RUNS_LARGE", "1")))
    parts = {p.strip() for p in os.environ.get(
        "BENCH_PARTS", ",".join(["check", "build", "default", *PARTS])).split(",")}
    reuse = _reusable_defaults(os.environ.get("BENCH_DEFAULT_FROM", ""))
    out_path = Path(os.environ.get("BENCH_OUT", ROOT / "bench-results.json"))
    if os.environ.get("BENCH_REPORT_FROM"):
        return report_again(Path(os.environ["BENCH_REPORT_FROM"]), reuse, out_path)
    # The package's bytecode written before timing: every other module the runs import (MkDocs,
    # PyYAML for the floor...) was compiled when pip installed it, but an editable install's
    # source is compiled on first import, and not kept where PYTHONDONTWRITEBYTECODE is set
    # (as on the project's VM): each check and build would compile ~250 KB of source again,
    # which no installed copy does. compileall writes it even where that variable is set.
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "hooks")], check=True)
    work = Path(tempfile.mkdtemp(prefix="accountplans-bench-"))
    started = dt.datetime.now(dt.UTC)
    rows: list[Row] = []
    extras: list[dict[str, object]] = []
    try:
        for n in sizes:
            for generator in generators:
                target = generated_project(generator, n, work, runs)
                # The default build runs where BENCH_DEFAULT_FROM has no figures.
                key = (generator, n)
                row = bench_size(target, runs if n <= 1000 else plain_runs_large,
                                 parts - {"default"} if key in reuse else parts)
                if key in reuse:
                    _reuse(row, reuse[key])
                rows.append(row)
                for part in PARTS.values():
                    if part.name in parts and part.runs_at(generator, n):
                        extras.append({"part": part.name, "generator": generator, "n": n,
                                       **part.measure(target)})
                if os.environ.get("BENCH_KEEP") != "1":
                    shutil.rmtree(target.project.parent, ignore_errors=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", file=sys.stderr)
    report = table(rows, extras, runs)
    info = machine()
    print(f"\nMachine: {info['cpus']} CPUs, {info['cpu']}, {info['memory_gb']} GB RAM, "
          f"Python {info['python']}\n")
    print(report)
    out_path.write_text(json.dumps({
        "started": started.isoformat(timespec="seconds"), "machine": info, "runs": runs,
        "source_date_epoch": SOURCE_DATE_EPOCH, "seed": generate.SEED,
        "seeds": {name: g.module.SEED for name, g in GENERATORS.items()},
        "sizes": [asdict(r) for r in rows], "extras": extras,
        "serve": next((e for e in extras if e["part"] == "serve"), None),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {out_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
