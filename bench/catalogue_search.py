"""Bench: catalogue search latency through the API on PostgreSQL, with 2,000 procedures.

Command (from the repo root, PostgreSQL at 127.0.0.1:5432): ``python bench/catalogue_search.py [--procedures 2000]
[--rounds 30] [--keep]``. Uses its own database (``$BENCH_DATABASE_URL``, default ``motcua_bench``), rebuilt each
run (``--keep`` adds to it as it is instead: the smoke test uses that on its small bench database): the demo
organisation plus N procedures made from the demo catalogue by varying names, codes and fields, all written through
the catalogue services. Then it sends realistic searches (words without diacritics, capitals, codes, field
and agency filters) to ``GET /api/v1/procedures/`` through Django's full request stack (in-process test client:
middleware, DRF, serializer, JSON) and prints p50/p95/max per query and over all. Target: p95 < 15 ms.
"""
import argparse
import json
import os
import platform
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

QUERIES = [
    {"q": "giay phep xay dung"},
    {"q": "ĐĂNG KÝ KHAI SINH"},
    {"q": "dang ky"},
    {"q": "ho kinh doanh"},
    {"q": "chung thuc ban sao"},
    {"q": "quyen su dung dat"},
    {"q": "karaoke"},
    {"q": "1.000894"},
    {"q": "an toan thuc pham", "level": "province"},
    {"field": "HT"},
    {"agency": "000.00.21.H47"},
    {"q": "cap", "agency": "000.00.05.H47"},
    {},
]
QUALIFIERS = ["", " (cấp lại)", " (cấp đổi)", " (điều chỉnh)", " cho tổ chức", " cho cá nhân", " có yếu tố nước ngoài",
              " trong khu công nghiệp", " tại cấp xã", " lần đầu", " theo hình thức trực tuyến"]


def build_catalogue(n: int) -> None:
    from motcua.catalogue.models import Procedure, ProcedureVersion
    from motcua.catalogue.services import procedure_create
    from motcua.catalogue.spec import parse_spec
    from motcua.demo import CATALOGUE_FILE, load_catalogue, load_organisation

    load_organisation()
    load_catalogue()
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    names = {f["code"]: f["name"] for f in data["fields"]}
    rng = random.Random(7)
    made = ProcedureVersion.objects.published().count()
    i = Procedure.objects.filter(code__contains=".B").count()  # variants made by an earlier run (--keep)
    while made < n:
        base = data["procedures"][i % len(data["procedures"])]
        qualifier = QUALIFIERS[1 + (i // len(data["procedures"])) % (len(QUALIFIERS) - 1)]
        item = {**base, "code": f"{base['code']}.B{i:05d}", "name": base["name"] + qualifier,
                "field_name": names[base["field"]]}
        if rng.random() < 0.3:
            item["field"] = rng.choice(list(names))
            item["field_name"] = names[item["field"]]
        procedure_create(spec=parse_spec(item), actor=None, publish=True)
        made += 1
        i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="add to the bench database as it is, do not rebuild it")
    args = parser.parse_args()

    url = _django.setup(fresh=not args.keep)
    from django.db import connection
    from django.test import Client

    from motcua.catalogue.models import ProcedureVersion

    t0 = time.perf_counter()
    build_catalogue(args.procedures)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps in production
    print(f"data: {ProcedureVersion.objects.published().count()} published procedures "
          f"(built in {time.perf_counter() - t0:.1f} s) on {url.rsplit('@', 1)[-1]}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")

    client = Client()
    for params in QUERIES:  # warm up caches and connections
        client.get("/api/v1/procedures/", params)
    overall: list[float] = []
    print(f"{'query':<48} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for params in QUERIES:
        samples = []
        hits = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.get("/api/v1/procedures/", params)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content
            hits = response.json()["count"]
        overall += samples
        label = json.dumps(params, ensure_ascii=False)
        print(f"{label:<48} {hits:>5} {_django.percentile(samples, 50):>8.2f} "
              f"{_django.percentile(samples, 95):>8.2f} {max(samples):>8.2f}")
    print(f"all {len(overall)} requests: p50 {_django.percentile(overall, 50):.2f} ms, "
          f"p95 {_django.percentile(overall, 95):.2f} ms (target p95 < 15 ms)")


if __name__ == "__main__":
    main()
