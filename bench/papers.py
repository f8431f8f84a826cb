"""Bench: rendering Mẫu 01 (the receipt and appointment slip) to PDF with WeasyPrint, N times, in process.

Command (repo root, PostgreSQL at 127.0.0.1:5432): ``python bench/papers.py [--renders 30] [--profile]``, on the
bench database of `bench/gen_dossiers.py` (``$BENCH_DATABASE_URL``, default ``motcua_bench_dossiers``; it needs the
demo organisation and catalogue, which `gen_dossiers` loads). It receives one dossier through
`dossiers.services.dossier_receive` at the provincial desk (with its components, as an intake prints it), then renders
its Mẫu 01 as the API's `GET .../papers/mau-01.pdf` does (`dossiers.papers.paper_pdf`: the paper's context from the
database, the barcode and QR code, the template, WeasyPrint) --renders times after one warm-up render, and prints the
median and p95 of the wall time and of this process's CPU time (`time.process_time`). Target (issue 13): < 100 ms.
``--profile`` adds the cProfile of 10 more renders.
"""
import argparse
import cProfile
import os
import platform
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
TARGET_MS = 100


def receipt_dossier():
    """A dossier received now at the provincial desk, through the intake service (one intake plan of intake.py)."""
    import intake

    from motcua.dossiers.services import dossier_receive

    plan = next(p for p in intake.intake_plans(20, seed=5) if p["components"])
    return dossier_receive(actor=plan["officer"], desk=plan["desk"], intake=intake._intake(plan))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    url = _django.setup(fresh=False)
    from unittest import mock

    from motcua.dossiers.papers import paper_pdf

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with mock.patch("motcua.notifications.services._start_delivery"):  # the intake's messages wait for the worker
        dossier = receipt_dossier()
    t0 = time.perf_counter()
    first = paper_pdf(dossier, "mau-01")  # warm: imports, templates, the fonts of this thread
    warm = (time.perf_counter() - t0) * 1000
    assert first.startswith(b"%PDF-")
    wall, cpu = [], []
    for _ in range(args.renders):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = paper_pdf(dossier, "mau-01")
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            paper_pdf(dossier, "mau-01")
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(35)
    p50 = _django.percentile(wall, 50)
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
          f"{load} at start, {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"data: Mẫu 01 of {dossier.code} ({dossier.components.count()} components, {len(pdf):,} bytes) on "
          f"{url.rsplit('@', 1)[-1]}; first render {warm:.0f} ms")
    print(f"command: python bench/papers.py {' '.join(sys.argv[1:])}".rstrip())
    print("| paper  | renders | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms |")
    print("|--------|---------|-------------|-------------|------------|------------|")
    print(f"| Mẫu 01 | {args.renders:>7} | {p50:>11.1f} | {_django.percentile(wall, 95):>11.1f} "
          f"| {_django.percentile(cpu, 50):>10.1f} | {_django.percentile(cpu, 95):>10.1f} |")
    print(f"target: median < {TARGET_MS} ms: {'met' if p50 < TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
