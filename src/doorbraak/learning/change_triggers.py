"""Row triggers that log which cases changed, for the incremental facts refresh (learning.facts).

Every insert, update and delete on the tables the facts are built from writes the case id into
learning_factchange (model FactChange), in the writer's own transaction: bulk_create, queryset.update(), deletes
and raw SQL are all caught, which Django signals would not. Installed by migration learning 0005 and again after
every migrate (apps.py), because SQLite drops a table's triggers when a migration rebuilds the table.
Bulk loaders that rebuild the facts in full afterwards may switch them off (PostgreSQL:
SET session_replication_role = replica; bench/bench_learning.py does).
"""


def _case(table: str, row: str) -> str:
    """SQL for the case id a row of `table` belongs to (NULL when its parent is already gone)."""
    via_platform = "(SELECT case_id FROM platforms_platform WHERE id = {r}.platform_id)"
    via_plan = "(SELECT case_id FROM budget_plan WHERE id = {r}.plan_id)"
    expressions = {
        "cases_case": "{r}.id",
        "cases_casefunder": "{r}.case_id",
        "cases_domainscore": "{r}.case_id",
        "cases_outcomemeasurement": "{r}.case_id",
        "platforms_platform": "{r}.case_id",
        "platforms_platformparticipant": via_platform,
        "platforms_platformevaluation": via_platform,
        "platforms_platformblocker": (
            "(SELECT p.case_id FROM platforms_platformevaluation e JOIN platforms_platform p"
            " ON p.id = e.platform_id WHERE e.id = {r}.evaluation_id)"
        ),
        "budget_plan": "{r}.case_id",
        "budget_planline": via_plan,
        "budget_planshare": via_plan,
        "budget_ledgerentry": via_plan,
        "budget_realisedcost": via_plan,
    }
    return expressions[table].format(r=row)


TRACKED = [
    "cases_case",
    "cases_casefunder",
    "cases_domainscore",
    "cases_outcomemeasurement",
    "platforms_platform",
    "platforms_platformparticipant",
    "platforms_platformevaluation",
    "platforms_platformblocker",
    "budget_plan",
    "budget_planline",
    "budget_planshare",
    "budget_ledgerentry",
    "budget_realisedcost",
]


def _insert(table: str, row: str, other: str | None = None, distinct: str = "IS DISTINCT FROM") -> str:
    where = "c IS NOT NULL"
    columns = f"{_case(table, row)} AS c"
    if other:  # an update that moved the row: the old case changed too
        columns += f", {_case(table, other)} AS n"
        where += f" AND c {distinct} n"
    # Table and column names from the constant lists above only, no input.
    return (
        f"INSERT INTO learning_factchange (municipality_id, case_id) SELECT {row}.municipality_id, c "  # noqa: S608
        f"FROM (SELECT {columns}) AS x WHERE {where};"
    )


def _executor(connection):
    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    return execute


def install(connection) -> None:
    """Create (or re-create) the triggers; idempotent."""
    vendor = connection.vendor
    execute = _executor(connection)
    for table in TRACKED:
        name = f"learning_fc_{table}"
        if vendor == "postgresql":
            execute(f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN {_insert(table, "NEW")} END IF;
                    IF TG_OP = 'DELETE' THEN {_insert(table, "OLD")} END IF;
                    IF TG_OP = 'UPDATE' THEN {_insert(table, "OLD", "NEW")} END IF;
                    RETURN NULL;
                END $$""")
            execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        elif vendor == "sqlite":
            execute(f"CREATE TRIGGER IF NOT EXISTS {name}_i AFTER INSERT ON {table} BEGIN {_insert(table, 'NEW')} END")
            execute(
                f"CREATE TRIGGER IF NOT EXISTS {name}_u AFTER UPDATE ON {table} BEGIN {_insert(table, 'NEW')} "
                f"{_insert(table, 'OLD', 'NEW', 'IS NOT')} END"
            )
            execute(f"CREATE TRIGGER IF NOT EXISTS {name}_d AFTER DELETE ON {table} BEGIN {_insert(table, 'OLD')} END")
        else:
            raise NotImplementedError(f"facts change triggers for {vendor}")


def uninstall(connection) -> None:
    vendor = connection.vendor
    execute = _executor(connection)
    for table in TRACKED:
        name = f"learning_fc_{table}"
        if vendor == "postgresql":
            execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            for suffix in "iud":
                execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
