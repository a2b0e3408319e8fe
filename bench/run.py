"""Time kerascheck against its alternatives on one generated tree, in one run, as ratios.

    python bench/run.py [--files 3000] [--keras-sample 5] [--jobs 2] [--repeat 3] [--tree DIR]
                        [--output FILE]

Measures, each as a whole process (start-up included) on the same files, ``--repeat`` times
(the table shows medians): kerascheck (-j 1 and -j N), flake8 with its default checkers only
(pycodestyle, pyflakes, mccabe: kerascheck's own flake8 plugin is left out), a bare libcst parse
(our floor), and, for a sample of the Keras files, running them with real Keras (TensorFlow
import and model build, as a user would otherwise find these errors). Also the per-file median
of ``check_source``, peak memory at two tree sizes, and the cold start of one small file.
CPU time (user + system) is reported beside wall time: on a shared machine it moves less with
the load. Commands run with bytecode caching on, as an installed package does.
Prints a Markdown report (and writes it to ``--output``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SEED_FILE = HERE.parent / "fixtures" / "seeds" / "seed1_one_to_many.py"

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(wall, usage.ru_maxrss, done.returncode, usage.ru_utime + usage.ru_stime)\n"
    "sys.stderr.buffer.write(done.stderr[-2000:])\n"
)

LIBCST_FLOOR = (
    "import sys, libcst\n"
    "for path in sys.argv[1:]:\n"
    "    libcst.parse_module(open(path, encoding='utf-8').read())\n"
)

# flake8 finds kerascheck's plugin through its entry point; the baseline is flake8 without it.
FLAKE8_WITHOUT_KERASCHECK = (
    "import sys\n"
    "from flake8.main.cli import main\n"
    "from flake8.plugins import finder\n"
    "found = finder._find_importlib_plugins\n"
    "finder._find_importlib_plugins = lambda: (p for p in found() if p.package != 'kerascheck')\n"
    "sys.exit(main())\n"
)

PER_FILE = (
    "import sys, time, statistics\n"
    "from kerascheck import check_source\n"
    "check_source(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1])  # lazy imports first\n"
    "times = []\n"
    "for path in sys.argv[1:]:\n"
    "    text = open(path, encoding='utf-8').read()\n"
    "    start = time.perf_counter()\n"
    "    check_source(text, path)\n"
    "    times.append(time.perf_counter() - start)\n"
    "print(statistics.median(times), max(times))\n"
)


# As an installed package runs: with its bytecode cached (pip compiles it on install). A session
# that sets PYTHONDONTWRITEBYTECODE would otherwise compile every kerascheck module at each start.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


class Failed(Exception):
    """A measured command did not do its job (exit status above what it may return)."""


def measure(command: list[str], ok: int) -> tuple[float, int, float]:
    """Wall seconds, peak resident memory (KiB, the largest process) and CPU seconds (user + system,
    all processes) of one child process.

    Exit statuses above ``ok`` are failures (a linter exits 1 when it reports something).
    """
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True,
                         env=ENV)
    wall, rss, status, cpu = out.stdout.split()
    if int(status) > ok:
        raise Failed(f"{' '.join(command[:4])} ... exited {status}: {out.stderr.strip()[-500:]}")
    return float(wall), int(rss), float(cpu)


def repeated(command: list[str], ok: int, times: int) -> tuple[float, int, float]:
    """Median wall time, largest peak memory and median CPU time over ``times`` runs."""
    runs = [measure(command, ok) for _ in range(times)]
    return (statistics.median(w for w, _, _ in runs), max(r for _, r, _ in runs),
            statistics.median(c for _, _, c in runs))


def python_files(tree: Path) -> list[str]:
    return sorted(str(p) for p in tree.rglob("*.py"))


def ensure_tree(tree: Path, files: int, keras_share: float) -> list[str]:
    if not any(tree.rglob("*.py")):
        generate(tree, files, keras_share, seed=0)
    return python_files(tree)


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("kerascheck", "libcst", "flake8", "keras", "tensorflow"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return f"Python {platform.python_version()}, " + ", ".join(found)


def load() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--keras-share", type=float, default=0.1)
    parser.add_argument("--keras-sample", type=int, default=5, help="Keras files run in real Keras")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (medians reported)")
    parser.add_argument("--tree", type=Path, help="reuse or create the tree here")
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args()

    tree = args.tree or Path(tempfile.mkdtemp(prefix="kerascheck-bench-"))
    files = ensure_tree(tree, args.files, args.keras_share)
    keras_files = [f for f in files if "/models_" in f]
    sample = keras_files[: args.keras_sample]
    kerascheck = [sys.executable, "-m", "kerascheck"]
    flake8 = [sys.executable, "-c", FLAKE8_WITHOUT_KERASCHECK]
    libcst = [sys.executable, "-c", LIBCST_FLOOR]
    rows: list[tuple[str, float, int, float]] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = load()

    def record(label: str, command: list[str], ok: int = 1, times: int = args.repeat) -> float:
        wall, rss, cpu = repeated(command, ok, times)
        rows.append((label, wall, rss, cpu))
        print(f"  {label}: {wall:.2f} s (CPU {cpu:.2f} s)", file=sys.stderr)
        return wall

    n, k, j = len(files), len(keras_files), args.jobs
    # One untimed run writes kerascheck's bytecode (and the -j workers' imports) before timing.
    subprocess.run([*kerascheck, "-j", str(j), *keras_files[:4]], capture_output=True, env=ENV)
    tree_label, floor_label = f"kerascheck -j 1, whole tree ({n} files)", "libcst parse only, whole tree"
    keras_label, floor_keras_label = f"kerascheck -j 1, the {k} Keras files", f"libcst parse only, the {k} Keras files"
    ours = record(tree_label, [*kerascheck, "-j", "1", str(tree)])
    ours_parallel = record(f"kerascheck -j {j}, whole tree", [*kerascheck, "-j", str(j), str(tree)])
    floor = record(floor_label, [*libcst, *files], ok=0)
    ours_keras = record(keras_label, [*kerascheck, "-j", "1", *keras_files])
    ours_keras_parallel = record(f"kerascheck -j {j}, the {k} Keras files", [*kerascheck, "-j", str(j), *keras_files])
    floor_keras = record(floor_keras_label, [*libcst, *keras_files], ok=0)
    try:
        flake8_serial = record("flake8 -j 1, whole tree", [*flake8, "-j", "1", str(tree)])
        flake8_parallel = record(f"flake8 -j {j}, whole tree", [*flake8, "-j", str(j), str(tree)])
    except Failed as error:  # flake8 not installed
        print(f"  flake8 skipped: {error}", file=sys.stderr)
        flake8_serial = flake8_parallel = float("nan")
    sample_ours = record(f"kerascheck -j 1, {len(sample)} sampled Keras files", [*kerascheck, "-j", "1", *sample])
    real_keras = sum(record(f"python {Path(path).name} (real Keras)", [sys.executable, path], ok=0)
                     for path in sample)
    cold = record(f"kerascheck {SEED_FILE.name} (cold start, one file)", [*kerascheck, str(SEED_FILE)],
                  times=max(5, args.repeat))
    per_file = subprocess.run([sys.executable, "-c", PER_FILE, *keras_files], capture_output=True, text=True,
                              check=True, env=ENV)
    median, worst = (float(x) for x in per_file.stdout.split())
    smaller = Path(tempfile.mkdtemp(prefix="kerascheck-bench-small-"))
    small_files = ensure_tree(smaller, args.files // 3, args.keras_share)
    record(f"kerascheck -j 1, a {len(small_files)}-file tree (memory)", [*kerascheck, "-j", "1", str(smaller)])
    rss = {label: r for label, _, r, _ in rows}
    cpu = {label: c for label, _, _, c in rows}
    rss_small = rows[-1][2]
    rss_large = rss[tree_label]

    def ratio(a: float, b: float, fmt: Callable[[float], str] = lambda x: f"{x:.2f}") -> str:
        return fmt(a / b) if b == b and b else "n/a"

    def times(x: float) -> str:
        return f"{x:.1f}x" if x < 10 else f"{x:.0f}x"

    per_real = real_keras / len(sample)
    lines = [
        f"Measured {started} on {os.cpu_count()} CPUs ({platform.machine()}), {load_before} at the start, "
        f"{load()} at the end.",
        f"{versions()}.",
        f"Tree: `bench/generate.py`, {n} files ({k} with Keras models), "
        f"{sum(Path(f).read_text(encoding='utf-8').count(chr(10)) for f in files):,} lines, seed 0. Command: "
        f"`python bench/run.py --files {args.files} --keras-sample {args.keras_sample} --jobs {j} "
        f"--repeat {args.repeat}`.",
        f"Each figure is the median of {args.repeat} runs of the whole process (start-up included, bytecode "
        "cached as in an installed package); CPU is user + system time of all its processes; peak RSS is the "
        "largest process's.",
        "",
        "| command | wall (s) | CPU (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|",
        *(f"| {label} | {wall:.2f} | {c:.2f} | {r / 1024:.0f} |" for label, wall, r, c in rows),
        "",
        f"- real Keras / kerascheck, the same {len(sample)} files: {ratio(real_keras, sample_ours, times)}; "
        f"one file each ({per_real:.1f} s vs the {cold:.2f} s cold start): {ratio(per_real, cold, times)}; "
        f"all {k} Keras files (real Keras extrapolated, ~{per_real * k:.0f} s, vs {ours_keras:.2f} s): "
        f"{ratio(per_real * k, ours_keras, times)}",
        f"- kerascheck / flake8, whole tree: -j 1 {ratio(ours, flake8_serial)}; "
        f"-j {j} {ratio(ours_parallel, flake8_parallel)}",
        f"- kerascheck / bare libcst parse: the Keras files {ratio(ours_keras, floor_keras)} "
        f"(CPU {ratio(cpu[keras_label], cpu[floor_keras_label])}); whole tree {ratio(ours, floor)} "
        f"(CPU {ratio(cpu[tree_label], cpu[floor_label])}; files that never mention keras or tensorflow are not "
        "parsed)",
        f"- -j {j} speed-up: whole tree {ratio(ours, ours_parallel, times)}; "
        f"the Keras files {ratio(ours_keras, ours_keras_parallel, times)}",
        f"- check_source per Keras file (in process, after start-up): median {median * 1000:.1f} ms, "
        f"worst {worst * 1000:.1f} ms",
        f"- cold start, one seed file, process included: {cold:.3f} s",
        f"- peak memory, -j 1: {rss_small / 1024:.0f} MiB for {len(small_files)} files, "
        f"{rss_large / 1024:.0f} MiB for {n} files",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
