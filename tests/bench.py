"""Measure briefpack's speed against a hand-written floor script (python tests/bench.py: about 3 minutes).

Not a test.

Every whole-process figure is taken in interleaved pairs (A B A B ...) after a warm-up and quoted as the
median of the pair-by-pair ratios A/B, with B the floor: tests/bench_floor.py, plain reportlab and
python-docx making the same seven-section Lancashire briefing with the same fonts. CPU is user + system
time of the process and its children (from the operating system's accounting of each finished run), wall
is elapsed time, peak memory is the largest single process. On a shared machine wall times drift; the
ratios of interleaved pairs hold better, and CPU ratios best.

    python tests/bench.py [--quick]      # --quick: fewer runs, a smaller batch (a minute or two)
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = Path(__file__).resolve().parent / "bench_floor.py"

# As a user runs it: bytecode cached (some sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles
# every module on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Run:
    """One finished process: CPU seconds (user + system, children included), wall seconds, peak MiB."""

    def __init__(self, cpu: float, wall: float, peak_mib: float) -> None:
        self.cpu, self.wall, self.peak = cpu, wall, peak_mib


def once(args: list[str], cwd: Path, one_core: bool = False) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=(lambda: os.sched_setaffinity(0, {0})) if one_core else None)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{errors.decode(errors='replace')}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def paired(a: list[str], b: list[str], cwd: Path, runs: int, before: Callable[[], object] = lambda: None,
           one_core: bool = False) -> tuple[list[Run], list[Run]]:
    """A and B in turn, after one warm-up of each; *before* runs ahead of every run, untimed."""
    a_runs: list[Run] = []
    b_runs: list[Run] = []
    for n in range(runs + 1):
        for args, into in ((a, a_runs), (b, b_runs)):
            before()
            result = once(args, cwd, one_core)
            if n:
                into.append(result)
    return a_runs, b_runs


def med(values: list[float]) -> float:
    return statistics.median(values)


def ratio(a: list[Run], b: list[Run], what: str) -> float:
    return med([getattr(x, what) / getattr(y, what) for x, y in zip(a, b, strict=True)])


def row(label: str, a: list[Run], b: list[Run], target: str = "") -> str:
    return (f"| {label} | {med([r.cpu for r in a]) * 1000:,.0f} | {med([r.wall for r in a]) * 1000:,.0f} | "
            f"{med([r.cpu for r in b]) * 1000:,.0f} | {med([r.wall for r in b]) * 1000:,.0f} | "
            f"{ratio(a, b, 'cpu'):.2f} | {ratio(a, b, 'wall'):.2f} | {target} |")


def make_brands(project: Path, count: int) -> None:
    """*count* brands in all: the example brands and copies of them under new names."""
    branding = project / "branding"
    bases = [p for p in sorted(branding.iterdir()) if p.name != "default" and (p / "brand.yaml").is_file()]
    for n in range(count - len(bases) - 1):
        base = bases[n % len(bases)]
        target = branding / f"board-{n + 1:03d}"
        shutil.copytree(base, target)
        text = (target / "brand.yaml").read_text(encoding="utf-8")
        (target / "brand.yaml").write_text(text.replace("\nname: ", f"\nname: Board {n + 1} · ", 1),
                                           encoding="utf-8")


def scaling(project: Path) -> list[str]:
    """Cost per item in one process: CPU of composing and rendering each size, PDF and Word apart."""
    sys.path.insert(0, str(ROOT / "src"))
    from briefpack.build import prepare
    from briefpack.render.docx import render_docx
    from briefpack.render.pdf import render_pdf

    lines = ["| pack | items | PDF ms | PDF ms per item | Word ms | Word ms per item |",
             "|---|---:|---:|---:|---:|---:|"]
    per_item: dict[str, list[tuple[float, float]]] = {"lessons": [], "words": []}
    cases = [("lessons", n, f"points-{n}") for n in (10, 100, 1000, 3000)]
    cases += [("words", n, f"precis-{n}") for n in (1000, 10000, 100000)]
    for kind, n, name in cases:
        job = prepare([project / "packs" / f"{name}.yaml"], None)[0]
        times = []
        for render in (render_pdf, render_docx):
            render(job.document, job.brand)  # fonts registered, caches warm
            spent = []
            for _ in range(3 if n < 3000 and n < 100000 else 1):
                start = time.process_time()
                render(job.document, job.brand)
                spent.append(time.process_time() - start)
            times.append(med(spent))
        unit = n / 1000 if kind == "words" else n
        per_item[kind].append((times[0] / unit, times[1] / unit))
        label = "lessons" if kind == "lessons" else "words"
        each = "per lesson" if kind == "lessons" else "per 1,000 words"
        lines.append(f"| {name} | {n:,} {label} | {times[0] * 1000:,.0f} | {times[0] / unit * 1000:.2f} {each} | "
                     f"{times[1] * 1000:,.0f} | {times[1] / unit * 1000:.2f} {each} |")
    for kind, values in per_item.items():
        pdf_growth = values[-1][0] / values[0][0]
        word_growth = values[-1][1] / values[0][1]
        lines.append(f"| cost per item, largest / smallest ({kind}) | | | {pdf_growth:.2f} | | {word_growth:.2f} |")
    return lines


def make_scaling_packs(project: Path) -> None:
    library = project / "packs" / "library"
    lessons = ["lessons:"]
    for i in range(3000):
        lessons += [f"  - id: bench-{i}", f"    title: Lesson {i}", "    text: >-",
                    f"      Professionals working with child {i} should share what they know, check that the plan "
                    "is followed, record who will do what and by when, and ask the family what has changed.",
                    "    sources: [lancashire-scrs-2016-17]"]
    (library / "lessons-bench.yaml").write_text("\n".join(lessons) + "\n", encoding="utf-8")
    for n in (10, 100, 1000, 3000):
        pack = ["kind: learning-points", f"title: Learning points ({n})", 'date: "2024"', "brand: bscb", "sections:"]
        for start in range(0, n, 10):
            pack += [f"  - label: Group {start // 10 + 1}", "    lessons:"]
            pack += [f"      - bench-{i}" for i in range(start, min(n, start + 10))]
        (project / "packs" / f"points-{n}.yaml").write_text("\n".join(pack) + "\n", encoding="utf-8")
    sentence = "Practitioners should record what the child says and share it with the other agencies involved. "
    for words in (1000, 10000, 100000):
        paragraphs = max(1, words // 150)
        per = words // paragraphs // len(sentence.split())
        sections = []
        for s in range(0, paragraphs, 20):
            chunk = "\n\n".join((sentence * per).strip() for _ in range(min(20, paragraphs - s)))
            sections += [f"  - label: Part {s // 20 + 1}", "    text: |"]
            sections += ["      " + line if line else "" for line in chunk.split("\n")]
        pack = ["kind: precis", f"title: A précis of {words:,} words", 'date: "2024"', "brand: default",
                "sections:", *sections]
        (project / "packs" / f"precis-{words}.yaml").write_text("\n".join(pack) + "\n", encoding="utf-8")


def main() -> None:
    if sys.argv[1:] not in ([], ["--quick"]):  # '--help' shows how to run it, instead of running 20 minutes
        print("usage: python tests/bench.py [--quick]   (--quick: fewer runs, a smaller batch)")
        sys.exit(0 if sys.argv[1:] in (["--help"], ["-h"]) else 2)
    quick = "--quick" in sys.argv
    runs = 5 if quick else 9
    beside = Path(sys.executable).parent / "briefpack"
    exe = str(beside) if beside.exists() else shutil.which("briefpack")
    if exe is None:
        sys.exit("install briefpack first: pip install -e .")
    py = sys.executable
    print(f"briefpack speed, {dt.date.today().isoformat()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores ({platform.processor() or platform.machine()})")
    print(f"medians of {runs} interleaved pairs after a warm-up; ratio = briefpack / floor, pair by pair\n")
    print("| what | briefpack CPU ms | wall ms | floor CPU ms | wall ms | CPU ratio | wall ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(ROOT / "packs", work / "packs")
        shutil.copytree(ROOT / "branding", work / "branding")

        def clean(*names: str, where: Path = work) -> Callable[[], None]:
            def remove() -> None:
                for name in names:
                    shutil.rmtree(where / name, ignore_errors=True)
            return remove

        a, b = paired([exe, "--help"], [py, "-c", "import click"], work, runs)
        print(row("`briefpack --help` (floor: `python -c 'import click'`)", a, b, "≤ 1.3"))
        # The example Lancashire briefing as it is (tiles: a layout search the floor does not do), and the same
        # briefing laid out as the floor lays it out (layout: linear, tests/fixtures/linear-7mb.yaml).
        shutil.copy(ROOT / "tests" / "fixtures" / "linear-7mb.yaml", work / "packs" / "linear-7mb.yaml")
        floor_one = [py, str(FLOOR), ".", "f1", "1"]
        for pack, layout in (("lancashire-7mb", "tiles"), ("linear-7mb", "linear")):
            a, b = paired([exe, "build", f"packs/{pack}.yaml", "--out", "o1"], floor_one, work, runs,
                          clean("o1", "f1"))
            print(row(f"one briefing, PDF + Word ({layout})", a, b, "CPU ≤ 1.2, wall ≤ 1.0"))

        # A batch on one core: the same briefing in N brands, against the floor making N copies.
        pairs = 20 if quick else 40
        batch = work.parent / "batch"
        shutil.copytree(work, batch)
        make_brands(batch, pairs)
        tidy = clean("ob", "fb", where=batch)
        for pack, layout in (("lancashire-7mb", "tiles"), ("linear-7mb", "linear")):
            build = [exe, "build", f"packs/{pack}.yaml", "-q", "--out", "ob", "--brand"]
            a_n, b_n = paired([*build, "all"], [py, str(FLOOR), ".", "fb", str(pairs)], batch, max(3, runs // 2),
                              tidy, one_core=True)
            a_1, b_1 = paired([*build, "board-001"], [py, str(FLOOR), ".", "fb", "1"], batch, max(3, runs // 2),
                              tidy, one_core=True)
            per_a = (med([r.cpu for r in a_n]) - med([r.cpu for r in a_1])) / (pairs - 1)
            per_b = (med([r.cpu for r in b_n]) - med([r.cpu for r in b_1])) / (pairs - 1)
            print(f"| each further pair in a batch on one core ({pairs} pairs, {layout}) | {per_a * 1000:,.0f} | | "
                  f"{per_b * 1000:,.0f} | | {per_a / per_b:.2f} | | ≤ 1.0 |")

        # What an editor's save hook or a board's CI runs: every check of a build, on the five examples, with no
        # build behind it (so no layout is known to be proven already).
        fresh = work.parent / "fresh"
        shutil.copytree(ROOT / "packs", fresh / "packs")
        shutil.copytree(ROOT / "branding", fresh / "branding")
        checks = [once([exe, "check", "--all"], fresh) for _ in range(runs + 1)][1:]
        print(f"| `briefpack check --all` on the examples, no build behind it | "
              f"{med([r.cpu for r in checks]) * 1000:,.0f} | {med([r.wall for r in checks]) * 1000:,.0f} | | | | | "
              "well under 1 s |")

        # The consortium: 150 brands × the 5 example packs, on every core.
        brands = 30 if quick else 150
        big = work.parent / "big"
        shutil.copytree(fresh, big)
        make_brands(big, brands)
        everything = [exe, "build", "--all", "--brand", "all", "-q", "--out", "out"]
        # Three pairs, not one: a single run of 15 s is at the mercy of whatever else the machine does then.
        a, b = paired(everything, floor_one, big, 1 if quick else 3, clean("out", "f1", where=big))
        total = brands * 5
        print(row(f"{total} PDF+Word pairs ({brands} brands × 5 packs), all cores (floor: one briefing)", a, b,
                  "wall ≤ 15 s, peak ≤ 150 MiB"))
        print(f"|   peak memory of the largest process | {max(r.peak for r in a):.0f} MiB | | "
              f"{max(r.peak for r in b):.0f} MiB | | | | ≤ 150 MiB |")
        once(everything, big)
        a, b = paired(everything, floor_one, big, runs, clean("f1", where=big))
        print(row(f"rebuild of the {total} pairs with nothing changed (floor: one briefing)", a, b, "wall ≤ 0.5 s"))

        print("\nScaling: CPU of rendering one document in a running process (median of 3; 1 run at the largest)\n")
        make_scaling_packs(work)
        os.chdir(work)
        for line in scaling(work):
            print(line)


if __name__ == "__main__":
    main()
