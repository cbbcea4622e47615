"""Measure briefpack's speed as a user feels it (run by hand: python tests/bench.py). Not a test.

Prints the best wall time over several runs of:
- `briefpack --help` (must not import reportlab or python-docx);
- one 7-minute briefing, PDF and Word, as a whole process;
- `briefpack build --all`, and its cost per document.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# As a user runs it: bytecode cached (some sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles
# every module on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str], cwd: Path, runs: int = 9) -> float:
    """The fastest of *runs*: on a shared machine the minimum is the steadiest estimate of the cost."""
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=ENV)  # warm the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    # The script itself, not a version manager's shim in front of it (pyenv's adds ~100 ms).
    beside = Path(sys.executable).parent / "briefpack"
    exe = str(beside) if beside.exists() else shutil.which("briefpack")
    if exe is None:
        sys.exit("install briefpack first: pip install -e .")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "packs", work / "packs")
        shutil.copytree(ROOT / "branding", work / "branding")
        help_s = timed([exe, "--help"], work)
        one = timed([exe, "build", "packs/lancashire-7mb.yaml", "--out", "o1", "--force"], work)
        every = timed([exe, "build", "--all", "--out", "o2", "--force"], work, runs=3)
        documents = 2 * len(list((work / "packs").glob("*.yaml")))
        baseline = timed([sys.executable, "-c", "pass"], work)
    print(f"python startup (baseline)        {baseline * 1000:7.0f} ms")
    print(f"briefpack --help                 {help_s * 1000:7.0f} ms")
    print(f"one briefing, PDF + Word         {one * 1000:7.0f} ms   (aim: about 330 ms)")
    print(f"build --all ({documents} documents)         {every * 1000:7.0f} ms")
    print(f"  per document beyond the first  {(every - one) / max(documents - 2, 1) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
