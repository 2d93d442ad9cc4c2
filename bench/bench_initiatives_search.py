"""Benchmark of the initiative registry search with many generated initiatives.

Usage (from the repository root):
    DOORBRAAK_ENV=test DATABASE_URL=postgres://.../db .venv/bin/python bench/bench_initiatives_search.py --count 100000
    DOORBRAAK_ENV=test .venv/bin/python bench/bench_initiatives_search.py --count 100000   (SQLite)

It never touches the database named in DATABASE_URL: it works in a separate database (PostgreSQL: the
same name with suffix "_bench", dropped and created; SQLite: a fresh file var/bench_initiatives.sqlite3),
migrates it, bulk-generates initiatives, and times the list page (query only, and the full request
through Django's test client) for typical searches and filters. Prints a Markdown table.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TOPICS = (
    "zorg wonen woning woont jongeren gezin gezinnen school onderwijs thuis wijk buurt schulden geld "
    "bibliotheek informatie crisis rust begeleiding dagbesteding werk ouders kinderen ouderen vrijwilligers "
    "samen helpen gemeente zorgkantoor budget maatwerk ontschotten regie netwerk mantelzorg huisarts ggz "
    "jeugdhulp armoede eenzaamheid ontmoeting taal gezondheid sport cultuur verslaving beschermd "
    "herstel ervaringsdeskundige coach plan doel kosten uitkomst vertrouwen"
).split()
PLACES = ["Zwolle", "Tilburg", "Emmen", "Leeuwarden", "Arnhem", "Rotterdam", "Utrecht", "Middelburg", "Venlo"]
TARGETS = ["Jongeren", "Gezinnen", "Ouderen", "Kinderen met autisme", "Mensen met schulden", "Bewoners"]


def separate_database_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        name = parsed.path.lstrip("/") + "_bench"
        return urlunparse(parsed._replace(path="/" + name))
    return f"sqlite:///{ROOT / 'var' / 'bench_initiatives.sqlite3'}"


def prepare_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(parsed.path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


SYLLABLES = "ka be do ver ste lin mar to ne wis ga ren pol hu si mo der lan ta vo".split()
# A made-up filler vocabulary of 3,000 words, drawn Zipf-like, so the text is not 60 words out of 65.
FILLER = sorted({"".join(random.Random(i).choices(SYLLABLES, k=3)) for i in range(6000)})[:3000]
FILLER_WEIGHTS = [1 / (rank + 1) for rank in range(len(FILLER))]


def sentence(rng: random.Random, n: int, topics: list[str]) -> str:
    """n words: filler words plus each of the initiative's few topic words a few times."""
    words = rng.choices(FILLER, weights=FILLER_WEIGHTS, k=n)
    for topic in topics:
        words[rng.randrange(n)] = topic
    return " ".join(words).capitalize() + "."


def generate(count: int, seed: int = 42) -> float:
    from django.db import connection, transaction

    from doorbraak.initiatives.models import REGIONS, Group, Initiative, Status
    from doorbraak.initiatives.services import build_document
    from doorbraak.initiatives.stemming import stem_text

    rng = random.Random(seed)
    groups, statuses = Group.values, Status.values
    started = time.perf_counter()
    batch = 2000
    for start in range(0, count, batch):
        rows = []
        for i in range(start, min(count, start + batch)):
            topics = rng.sample(TOPICS, 3)  # each initiative is about three topics
            initiative = Initiative(
                slug=f"bench-{i}",
                name=f"{topics[0].capitalize()} {rng.choice(FILLER)} {i}",
                place=rng.choice(PLACES),
                region=rng.choice(REGIONS),
                target_group=rng.choice(TARGETS),
                group=rng.choice(groups),
                status=rng.choice(statuses),
                summary=sentence(rng, 20, topics[:2]),
                approach=sentence(rng, 40, topics),
                earning_model=sentence(rng, 6, []),
                is_published=True,
            )
            initiative.search_document = build_document(initiative)
            rows.append(initiative)
        with transaction.atomic():
            created = Initiative.objects.bulk_create(rows)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO initiatives_initiative_fts(rowid, body) VALUES (%s, %s)",
                        [(row.pk, stem_text(row.search_document)) for row in created],
                    )
    if connection.vendor == "postgresql":
        # What autovacuum does in a running system: statistics and the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE initiatives_initiative")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


CASES = [
    ("Lijst zonder zoekwoord, pagina 1", {}),
    ("Lijst, pagina 50", {"pagina": "50"}),
    ("Zoeken: wonen", {"q": "wonen"}),
    ("Zoeken: jongeren school", {"q": "jongeren school"}),
    ("Zoeken: herstel ervaringsdeskundige", {"q": "herstel ervaringsdeskundige"}),
    ("Zoeken op iets zeldzaams: bench 77777", {"q": "77777"}),
    ("Filter thema + regio", {"group": "calm_in_crisis", "region": "Zeeland"}),
    ("Zoeken + filters: schulden, regio, status", {"q": "schulden", "region": "Gelderland", "status": "active"}),
    ("Filter doelgroep (tekst): gezinnen", {"target_group": "gezinnen"}),
]


def time_case(client, params: dict, runs: int) -> tuple[float, float, float, int]:
    from django.core.paginator import Paginator

    from doorbraak.initiatives import selectors

    filters = selectors.Filters(**{k: v for k, v in params.items() if k != "pagina"})
    query_times, page_times = [], []
    found = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        paginator = Paginator(selectors.filter_initiatives(filters), selectors.PAGE_SIZE)
        page = paginator.get_page(params.get("pagina", 1))
        list(page.object_list)
        found = paginator.count
        query_times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        response = client.get("/initiatieven/", params)
        assert response.status_code == 200
        page_times.append((time.perf_counter() - t0) * 1000)
    p95 = sorted(page_times)[max(0, int(len(page_times) * 0.95) - 1)]
    return statistics.median(query_times), statistics.median(page_times), p95, found


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    os.environ.setdefault("DOORBRAAK_ENV", "test")
    original = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'doorbraak.sqlite3'}")
    bench_url = separate_database_url(original)
    prepare_database(bench_url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "doorbraak.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    seconds = generate(args.count)
    vendor = connection.vendor
    version = connection.connection.info.server_version if vendor == "postgresql" else None
    import sqlite3

    engine = f"PostgreSQL {version // 10000}.{version % 10000}" if version else f"SQLite {sqlite3.sqlite_version}"
    client = Client()
    client.get("/initiatieven/")  # warm up
    print(f"\n### {engine}: {args.count:,} initiatieven (gegenereerd in {seconds:.1f} s), {args.runs} metingen\n")
    print("| Zoekopdracht | gevonden | query mediaan (ms) | hele pagina mediaan (ms) | hele pagina p95 (ms) |")
    print("|---|---:|---:|---:|---:|")
    for label, params in CASES:
        q_med, p_med, p_95, found = time_case(client, params, args.runs)
        print(f"| {label} | {found:,} | {q_med:.1f} | {p_med:.1f} | {p_95:.1f} |")


if __name__ == "__main__":
    main()
