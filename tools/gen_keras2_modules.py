"""Print KERAS2_MODULE_RANGES for kerascheck/versions/renames.py: for each legacy module path
under ``keras.``, the first and last standalone Keras 2 release (of the wheels given) that ships
it. Reads the published pure-Python wheels (``pip download keras==2.x --no-deps``); imports nothing.

    python tools/gen_keras2_modules.py Keras-2.3.1-*.whl keras-2.4.3-*.whl ... keras-2.13.1-*.whl
"""

from __future__ import annotations

import re
import sys
import zipfile
from pprint import pformat

from packaging.version import Version

from kerascheck.versions.tables import signatures


def main(wheels: list[str]) -> None:
    shipped: dict[str, list[Version]] = {}
    for wheel in wheels:
        version = Version(re.search(r"-(\d[\w.]*?)-py", wheel).group(1))
        names = set(zipfile.ZipFile(wheel).namelist())
        for module, (in_keras3, _, _) in signatures.LEGACY_MODULES.items():
            if in_keras3:
                continue
            path = "keras/" + module.replace(".", "/")
            if f"{path}.py" in names or f"{path}/__init__.py" in names:
                shipped.setdefault(module, []).append(version)
    ranges = {module: (str(min(found)), str(max(found))) for module, found in sorted(shipped.items())}
    print("KERAS2_MODULE_RANGES = " + pformat(ranges, width=100))


if __name__ == "__main__":
    main(sys.argv[1:])
