"""Run the benchmark suite: `python -m benchmarks.run --scale full|small|3x [--only NAME ...]`.

Each benchmark times the app's own code path and the equivalent hand-written SQL on the same
database in the same run, and prints medians and their ratio. See docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time

from . import suites
from .setup_db import database_url, ensure_dataset, make_app


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["full", "small", "3x"], default="full",
                        help="3x: three times full, for the growth table (docs/performance.md)")
    parser.add_argument("--regenerate", action="store_true", help="drop and regenerate the dataset")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--only", nargs="*", help=f"benchmarks to run (default all): {', '.join(suites.ALL)}")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    url = database_url(args.scale)
    app = make_app(url)
    print(f"casework benchmarks, scale={args.scale}, database={app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    print(f"machine: {platform.node()} {platform.machine()}, python {platform.python_version()}, "
          f"{_cpus()} cores")
    counts = ensure_dataset(app, args.scale, regenerate=args.regenerate)
    if counts:
        print("dataset:", json.dumps(counts, ensure_ascii=False))
    if args.generate_only:
        return 0
    results = []
    for name in args.only or suites.ALL:
        started = time.perf_counter()
        for line in suites.ALL[name](app, args.scale, url):
            results.append(line)
            print(suites.format_line(line), flush=True)
        print(f"  ({name}: {time.perf_counter() - started:.0f}s)", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1)
    return 0


def _cpus():
    import os

    return os.cpu_count()


if __name__ == "__main__":
    sys.exit(main())
