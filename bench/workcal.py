"""Bench: due-time computations per second of the working-time calendar (`motcua.workcal.core`).

Command (from the repo root): ``python bench/workcal.py [--n 1000000] [--seed 20260101] [--repeat 3]``

Builds ``WorkCalendar.vietnam()``, draws N seeded random receipt moments in 2016–2030 (any minute of any day,
so evenings, lunch breaks, weekends and holidays are included) and N limits of 0.5–60 working days in half-day
steps, then times ``add`` over all of them on one core, reporting the fastest of --repeat runs (the others are
noise from the rest of the machine). Each amount type a caller may pass is timed on its own: Decimal (what a
DecimalField gives), float, and int (whole days). The headline figure is the Decimal one; record it with the
machine in docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from motcua.workcal.core import Unit, WorkCalendar  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of due-time computations")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--repeat", type=int, default=3, help="runs per amount type; the fastest is reported")
    args = parser.parse_args()

    t0 = time.perf_counter()
    cal = WorkCalendar.vietnam()
    build = time.perf_counter() - t0

    rng = random.Random(args.seed)
    base = datetime(2016, 1, 1)
    span = int((datetime(2031, 1, 1) - base).total_seconds() // 60)
    starts = [base + timedelta(minutes=rng.randrange(span)) for _ in range(args.n)]
    halves = [rng.randint(1, 120) for _ in range(args.n)]
    amounts = {
        "Decimal": [Decimal(h) / 2 for h in halves],
        "float": [h / 2 for h in halves],
        "int": [max(1, h // 2) for h in halves],
    }

    print("bench/workcal.py: WorkCalendar.add over random receipts")
    print(
        f"machine: {platform.platform()}; {platform.processor() or platform.machine()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); one core"
    )
    print(f"data: {args.n:,} receipts 2016-01-01..2030-12-31 (seed {args.seed}), limits 0.5-60 working days")
    print(
        f"calendar: {cal.first_year}-{cal.last_year}, {cal.working_day_count:,} working days, "
        f"built in {build * 1000:.0f} ms (including the `holidays` import)"
    )

    add, unit = cal.add, Unit.WORKING_DAYS
    rates = {}
    for kind, values in amounts.items():
        runs = []
        for _ in range(args.repeat):
            gc.disable()
            t0 = time.perf_counter()
            for s, a in zip(starts, values, strict=True):
                add(s, a, unit)
            runs.append(time.perf_counter() - t0)
            gc.enable()
        elapsed = min(runs)
        rates[kind] = args.n / elapsed
        print(f"  amounts as {kind:<7}: best of {args.repeat} {elapsed:6.3f} s, {rates[kind]:>10,.0f} /s")
    print(f"due-time computations per second: {rates['Decimal']:,.0f}")


if __name__ == "__main__":
    main()
