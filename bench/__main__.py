"""Run every benchmark module (`bench/bench_*.py`), each in its own process.

`python -m bench` runs all; `python -m bench collect_first sdk` runs those whose module
name contains one of the words. A separate process per module keeps peak-memory figures
and event loops independent.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(f"bench.{p.stem}" for p in here.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    modules = [m for m in discover() if not argv or any(word in m for word in argv)]
    if not modules:
        print(f"no benchmark matches {argv}; known: {', '.join(discover())}", file=sys.stderr)
        return 2
    failed: list[str] = []
    for module in modules:
        print(f"== {module}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-c", f"import {module} as m; m.main()"])
        print(f"== {module}: exit {code} after {time.monotonic() - started:.0f}s", flush=True)
        if code != 0:
            failed.append(module)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
