"""Import/export benchmark (issue 17): a 100k-row import (dry run + commit through the bulk path
`cases.services.import_households`, on PostgreSQL or SQLite) and a 1M-row case-list export (CSV and XLSX, on
PostgreSQL), in process (what the worker and the view do).

Not a timed test. Each part uses its own fresh database (dropped afterwards unless --keep):

    .venv/bin/python bench/bench_transfer.py import --rows 100000   # doorbraak_bench_transfer_import
    .venv/bin/python bench/bench_transfer.py import --rows 100000 --database sqlite  # /tmp/....sqlite3
    .venv/bin/python bench/bench_transfer.py export --size 1000000  # doorbraak_bench_transfer_1000000

Import: one municipality, one team, two breakthrough leads; a CSV of --rows rows is
written (one row per person: 4 of 5 rows a main person with a case, 1 of 5 a child of the previous household,
valid BSNs on half of them), and then: upload (store + type/column check) -> dry run (`services.run_check`, as the
worker) -> confirm by the uploader and a second lead (four eyes; this enqueues the commit task) -> commit (the
`transfer.commit_import` task run by the task backend's worker loop in a thread, its progress read every 5 s;
`--row-path`: `services.run_commit(bulk=False)` in process) -> the same file again (dry run: all unchanged).
Export: --size cases in ONE team (INSERT ... SELECT; bench/generate.py is out of
date with the platform model today), so the team's lead sees them all; the CSV and
XLSX views are read through django.test.Client with a real session, consuming the stream.
Time is wall-clock; memory is the growth of the process's peak RSS (resource.getrusage ru_maxrss) during the step,
so a step that streams shows (almost) no growth.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

PG_URL = os.environ.get("PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/doorbraak")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Step:
    def __init__(self, name, results):
        self.name, self.results = name, results

    def __enter__(self):
        self.t0, self.m0 = time.perf_counter(), peak_mb()
        log(f"{self.name} ...")
        return self

    def __exit__(self, *exc):
        seconds = round(time.perf_counter() - self.t0, 1)
        self.results[self.name] = {"seconds": seconds, "peak_rss_growth_mb": round(peak_mb() - self.m0, 1)}
        log(f"{self.name}: {self.results[self.name]}")


def setup(db_name, reuse=False, database="postgresql"):
    from bench.bench_scaleout import drop_database

    if database == "sqlite":
        path = Path("/tmp") / f"{db_name}.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        base, _, _ = PG_URL.rpartition("/")
        url = f"{base}/{db_name}"
        if not reuse:
            drop_database(url, create=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DOORBRAAK_ENV", "development")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doorbraak.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def bsn_for(n: int) -> str:
    """A 9-digit number passing the eleven-test, different for each n."""
    base = f"{100000000 + n * 7:09d}"[:8]
    for last in range(10):
        digits = base + str(last)
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
        if total % 11 == 0:
            return digits
    return ""


def write_csv(path: Path, rows: int, team: str) -> None:
    import csv

    from transfer.helpers import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        household = 0
        for n in range(rows):
            if n % 5 == 4:
                writer.writerow(
                    [f"P{n}", f"H{household}", "kind", "Sam", "Bakker", "2012-05-01", "", "", "", "", "", ""]
                )
                continue
            household = n
            bsn = bsn_for(n) if n % 2 == 0 else ""
            writer.writerow(
                [
                    f"P{n}",
                    f"H{n}",
                    "hoofdpersoon",
                    "Anna",
                    "Bakker",
                    "1980-04-01",
                    bsn,
                    team,
                    f"Casus {n}",
                    "Vastgelopen schulden en huur.",
                    "",
                    "Noord",
                ]
            )


def small_world():
    from doorbraak.core.models import Municipality, Team

    municipality = Municipality.objects.create(name="Benchstad", code="GM9999")
    return municipality, Team.objects.create(municipality=municipality, name="Sociaal team Noord")


def fill_cases(municipality, team, user, size: int) -> None:
    """`size` households with one case each, in two INSERT ... SELECT statements (bench/generate.py does not match
    the current models, see BENCHMARKS.md): what the case-list export reads (case, team; no persons needed)."""
    from django.db import connection

    statuses = "(array['open','platform','breakthrough','follow_up','closed'])"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_household (municipality_id, area, created_at) "
            "SELECT %s, 'Noord', now() FROM generate_series(1, %s)",
            [municipality.pk, size],
        )
        cursor.execute(
            "INSERT INTO cases_case (municipality_id, household_id, team_id, title, question, tried, status, "
            "opened_at, created_by_id) "
            f"SELECT %s, h.id, %s, 'Casus ' || h.id, 'Vastgelopen schulden.', '', {statuses}[1 + h.id %% 5], "
            "now() - (h.id %% 1000) * interval '1 day', %s FROM cases_household h WHERE h.municipality_id = %s",
            [municipality.pk, team.pk, user.pk, municipality.pk],
        )
        cursor.execute("VACUUM ANALYZE")


def drop(url: str) -> None:
    from django.db import connections

    from bench.bench_scaleout import drop_database

    connections.close_all()
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        drop_database(url)


def commit_in_background(batch_id: int, rows: int, results: dict) -> None:
    """The commit as the worker runs it: the enqueued `transfer.commit_import` task, run by the database task
    backend's worker loop in a thread, while this thread reads the batch's progress (rows_done) every 5 s from its own
    connection, as the status page does."""
    import threading

    from django.db import OperationalError, connection
    from django_scopes import scopes_disabled

    from doorbraak.core.tasks import run_pending_tasks
    from doorbraak.transfer.models import ImportBatch

    def work():
        try:
            run_pending_tasks()
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    t0 = time.perf_counter()
    worker.start()
    progress = []
    while worker.is_alive():
        worker.join(5)
        try:
            with scopes_disabled():
                done = ImportBatch.objects.filter(pk=batch_id).values_list("rows_done", flat=True).first()
        except OperationalError:  # SQLite busy for a moment
            continue
        elapsed = time.perf_counter() - t0
        progress.append((round(elapsed, 1), done))
        log(f"  progress {done}/{rows} rows after {elapsed:.0f} s ({done / elapsed:.0f} rows/s)")
    results["progress_samples"] = len(progress)


def run_import(rows: int, keep: bool, database: str = "postgresql", bulk: bool = True) -> dict:
    url = setup("doorbraak_bench_transfer_import", database=database)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_scopes import scopes_disabled

    from doorbraak.cases.models import Case, Person, TimelineEntry
    from doorbraak.core.models import Role, User
    from doorbraak.transfer import services
    from doorbraak.transfer.models import ImportBatch

    with scopes_disabled():
        municipality, team = small_world()
        leads = [
            User.objects.create(username=f"bench-lead-{i}", municipality=municipality, team=team, role=Role.LEAD)
            for i in range(2)
        ]
    path = Path("/tmp") / f"bench_transfer_{rows}.csv"
    write_csv(path, rows, leads[0].team.name)
    results = {"database": database, "rows": rows, "file_mb": round(path.stat().st_size / 1e6, 1), "bulk": bulk}
    content = path.read_bytes()

    def upload():
        return services.upload(leads[0], SimpleUploadedFile("bron.csv", content, content_type="text/csv"))

    with Step("upload (store, type and column check)", results):
        batch = upload()
    with Step("dry run", results):
        services.run_check(batch.pk)
    with scopes_disabled():
        batch = ImportBatch.objects.get(pk=batch.pk)
        results["dry_run_counts"] = [batch.to_create, batch.to_update, batch.unchanged, batch.refused]
        if services.confirm(leads[0], batch.pk).status == ImportBatch.Status.AWAITING_SECOND:
            services.confirm(leads[1], batch.pk)  # four eyes: this enqueues transfer.commit_import
    with Step("commit", results):
        if bulk:
            commit_in_background(batch.pk, rows, results)
        else:
            services.run_commit(batch.pk, bulk=False)
    results["commit"]["rows_per_s"] = round(rows / max(results["commit"]["seconds"], 0.1))
    with scopes_disabled():
        batch = ImportBatch.objects.get(pk=batch.pk)
        results["commit_status"] = batch.status
        results["commit_counts"] = [batch.created, batch.updated, batch.refused_at_commit]
        results["cases"], results["persons"] = Case.objects.count(), Person.objects.count()
        results["timeline"] = TimelineEntry.objects.count()
    with Step("re-import: dry run of the same file", results):
        again = upload()
        services.run_check(again.pk)
    with scopes_disabled():
        again = ImportBatch.objects.get(pk=again.pk)
        results["reimport_counts"] = [again.to_create, again.to_update, again.unchanged, again.refused]
    path.unlink()
    if not keep:
        drop(url)
    return results


def run_export(size: int, keep: bool, reuse: bool = False) -> dict:
    from bench.bench_scaleout import drop_database

    url = setup(f"doorbraak_bench_transfer_{size}", reuse)
    from django.conf import settings
    from django.test import Client
    from django_scopes import scopes_disabled
    from helpers.browser import session_cookie_for

    from doorbraak.core.models import Role, User

    results = {"size": size}
    with scopes_disabled():
        if reuse:  # a database kept (--keep) or left by an interrupted run
            lead = User.objects.get(username="bench-lead")
        else:
            municipality, team = small_world()
            lead = User.objects.create(username="bench-lead", municipality=municipality, team=team, role=Role.LEAD)
    if not reuse:
        with Step("fill", results):
            fill_cases(municipality, team, lead, size)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(lead)["value"]
    for fmt in ("csv", "xlsx"):
        with Step(f"export {fmt}", results):
            response = client.get(f"/gegevens/export/casussen.{fmt}")
            assert response.status_code == 200, response.status_code
            size_bytes = lines = 0
            for chunk in response.streaming_content:
                size_bytes += len(chunk)
                if fmt == "csv":
                    lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        results[f"export {fmt}"]["mb"] = round(size_bytes / 1e6, 1)
        if fmt == "csv":
            results[f"export {fmt}"]["rows"] = lines - 1
    if not keep:
        from django.db import connections

        connections.close_all()
        drop_database(url)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=["import", "export"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="export: use the kept database as it is")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql", help="import only")
    parser.add_argument("--row-path", action="store_true", help="import: commit row by row (the old path)")
    args = parser.parse_args()
    results = (
        run_import(args.rows, args.keep, args.database, bulk=not args.row_path)
        if args.part == "import"
        else run_export(args.size, args.keep, args.reuse)
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
