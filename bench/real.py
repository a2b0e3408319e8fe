"""Time kerascheck against a bare libcst parse on real Keras code, both as whole processes.

    python bench/real.py CORPUS [--repeat 5] [--sdist keras-tuner --sdist autokeras] [--pattern GLOB]

CORPUS is made first if it holds no ``.py`` file (it is never committed): the Python files of
the installed ``keras``, ``tf_keras`` and ``keras_hub`` packages (found without importing them;
a missing one is left out), plus those of each ``--sdist`` package's source distribution
(``pip download --no-binary :all: --no-deps``, unpacked). Then ``kerascheck -j 1`` and a bare
``libcst.parse_module`` of the same files run alternately, ``--repeat`` times each; the medians of
wall and CPU time (user + system) and their ratios are printed. ``python bench/stages.py CORPUS
--all`` splits kerascheck's time by stage on the same files. ``--pattern 'models_*.py'`` on a
``bench/generate.py`` tree measures the same on its Keras files.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, LIBCST_FLOOR, load, measure, versions  # noqa: E402

PACKAGES = ("keras", "tf_keras", "keras_hub")
SDISTS = ("keras-tuner", "autokeras")


def build_corpus(corpus: Path, sdists: list[str]) -> None:
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            print(f"  {package} is not installed: left out", file=sys.stderr)
            continue
        shutil.copytree(spec.submodule_search_locations[0], corpus / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"))
    with tempfile.TemporaryDirectory(prefix="kerascheck-sdists-") as downloads:
        if sdists:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                            "--dest", downloads, *sdists], check=True, stdout=subprocess.DEVNULL)
        for archive in sorted(Path(downloads).glob("*.tar.gz")):
            with tarfile.open(archive) as tar:
                tar.extractall(corpus / "sdists", filter="data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (medians reported)")
    parser.add_argument("--sdist", action="append", help=f"source distributions to add (default: {SDISTS})")
    parser.add_argument("--pattern", default="*.py", help="the files of CORPUS measured")
    args = parser.parse_args()
    if not any(args.corpus.rglob("*.py")):
        build_corpus(args.corpus, args.sdist if args.sdist is not None else list(SDISTS))
    files = sorted(str(p) for p in args.corpus.rglob(args.pattern))
    kerascheck = [sys.executable, "-m", "kerascheck", "-j", "1"]
    libcst = [sys.executable, "-c", LIBCST_FLOOR, *files]
    started, load_before = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load()
    subprocess.run([*kerascheck, *files[:4]], capture_output=True, env=ENV)  # bytecode written first
    ours, floor = [], []
    for _ in range(args.repeat):  # alternately: a change in the machine's load reaches both
        ours.append(measure([*kerascheck, *files], ok=1))
        floor.append(measure(libcst, ok=0))
    wall = statistics.median(w for w, _, _ in ours), statistics.median(w for w, _, _ in floor)
    cpu = statistics.median(c for _, _, c in ours), statistics.median(c for _, _, c in floor)
    lines = sum(Path(f).read_text(encoding="utf-8", errors="replace").count("\n") for f in files)
    print(f"Measured {started}, {load_before} at the start, {load()} at the end. {versions()}.")
    print(f"Corpus: {len(files)} files matching {args.pattern}, {lines:,} lines; top level: "
          f"{', '.join(sorted(p.name for p in args.corpus.iterdir()))[:200]}.")
    print(f"Medians of {args.repeat} alternate runs of each whole process.\n")
    print("| command | wall (s) | CPU (s) |")
    print("|---|---:|---:|")
    print(f"| kerascheck -j 1 | {wall[0]:.2f} | {cpu[0]:.2f} |")
    print(f"| libcst parse only | {wall[1]:.2f} | {cpu[1]:.2f} |")
    print(f"| **ratio** | **{wall[0] / wall[1]:.2f}x** | **{cpu[0] / cpu[1]:.2f}x** |")


if __name__ == "__main__":
    main()
