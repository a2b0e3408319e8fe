"""Time kerascheck against its alternatives on one generated tree, in one run, as ratios.

    python bench/run.py [--files 3000] [--keras-sample 5] [--jobs 2] [--tree DIR]

Measures, each as a whole process (start-up included) on the same files:
kerascheck (-j 1 and -j N), flake8 (when installed), a bare libcst parse of every file (our
floor), and for a sample of the Keras files, running them with real Keras (TensorFlow import and
model build, as a user would otherwise find these errors). Also per-file median of
``check_source``, peak memory, and the cold start of one small file. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "wall = time.perf_counter() - start\n"
    "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)

LIBCST_FLOOR = (
    "import sys, libcst\n"
    "for path in sys.argv[1:]:\n"
    "    libcst.parse_module(open(path, encoding='utf-8').read())\n"
)

PER_FILE = (
    "import sys, time, statistics\n"
    "from kerascheck import check_source\n"
    "times = []\n"
    "for path in sys.argv[1:]:\n"
    "    text = open(path, encoding='utf-8').read()\n"
    "    start = time.perf_counter()\n"
    "    check_source(text, path)\n"
    "    times.append(time.perf_counter() - start)\n"
    "print(statistics.median(times), max(times))\n"
)


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one command run as a child process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    wall, rss = out.stdout.split()
    return float(wall), int(rss)


def python_files(tree: Path) -> list[str]:
    return sorted(str(p) for p in tree.rglob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--keras-share", type=float, default=0.1)
    parser.add_argument("--keras-sample", type=int, default=5, help="Keras files run in real Keras")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tree", type=Path, help="reuse or create the tree here")
    args = parser.parse_args()

    tree = args.tree or Path(tempfile.mkdtemp(prefix="kerascheck-bench-"))
    if not any(tree.rglob("*.py")):
        generate(tree, args.files, args.keras_share, seed=0)
    files = python_files(tree)
    keras_files = [f for f in files if "/models_" in f]
    sample = keras_files[: args.keras_sample]
    kerascheck = [sys.executable, "-m", "kerascheck"]
    rows: list[tuple[str, float, int]] = []

    def record(label: str, command: list[str]) -> float:
        wall, rss = measure(command)
        rows.append((label, wall, rss))
        return wall

    ours = record(f"kerascheck -j 1 ({len(files)} files)", [*kerascheck, "-j", "1", str(tree)])
    ours_parallel = record(f"kerascheck -j {args.jobs}", [*kerascheck, "-j", str(args.jobs), str(tree)])
    floor = record("libcst parse only (every file)", [sys.executable, "-c", LIBCST_FLOOR, *files])
    floor_keras = record("libcst parse only (Keras files)", [sys.executable, "-c", LIBCST_FLOOR, *keras_files])
    ours_keras = record(f"kerascheck -j 1 (the {len(keras_files)} Keras files)", [*kerascheck, "-j", "1", *keras_files])
    try:
        flake8 = record("flake8 -j 1", [sys.executable, "-m", "flake8", "-j", "1", str(tree)])
        flake8_parallel = record(f"flake8 -j {args.jobs}", [sys.executable, "-m", "flake8", "-j", str(args.jobs), str(tree)])
    except subprocess.CalledProcessError:
        flake8 = flake8_parallel = float("nan")
    sample_ours = record(f"kerascheck on {len(sample)} Keras files", [*kerascheck, *sample])
    real_keras = 0.0
    for path in sample:
        real_keras += record(f"python {Path(path).name} (real Keras)", [sys.executable, path])
    cold = [measure([*kerascheck, str(HERE.parent / "fixtures" / "seeds" / "seed1_one_to_many.py")])[0]
            for _ in range(5)]
    per_file = subprocess.run([sys.executable, "-c", PER_FILE, *files], capture_output=True, text=True, check=True)
    median, worst = (float(x) for x in per_file.stdout.split())

    print("| command | wall (s) | peak RSS (MiB) |\n|---|---:|---:|")
    for label, wall, rss in rows:
        print(f"| {label} | {wall:.2f} | {rss / 1024:.0f} |")
    print()
    print(f"- real Keras / kerascheck on the same {len(sample)} files: {real_keras / sample_ours:.0f}x")
    print(f"- kerascheck / flake8 (-j 1): {ours / flake8:.2f}; (-j {args.jobs}): {ours_parallel / flake8_parallel:.2f}")
    print(f"- kerascheck / bare libcst parse: all files {ours / floor:.2f}; Keras files only {ours_keras / floor_keras:.2f}")
    print(f"- check_source per file: median {median * 1000:.2f} ms, worst {worst * 1000:.1f} ms")
    print(f"- cold start, one seed file, process included: median {statistics.median(cold):.3f} s")


if __name__ == "__main__":
    main()
