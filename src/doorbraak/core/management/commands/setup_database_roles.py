"""Create or update the PostgreSQL application role (issue 10 part 3; docs/security.md).

Run as the table owner (the role migrations run as), after every `migrate`:

    DATABASE_OWNER_URL=postgres://owner@db/doorbraak manage.py setup_database_roles --app-role doorbraak_app

The application role is no superuser and owns nothing, so it cannot `SET session_replication_role`,
`ALTER TABLE ... DISABLE TRIGGER`, TRUNCATE or drop anything. It may read and write the application tables,
only INSERT and SELECT the access log and SELECT/INSERT/UPDATE the head row (INSERT only rebuilds a missing
head; the triggers refuse deleting it or moving it back). Idempotent.
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

LOG_TABLE = "core_accessevent"
HEAD_TABLE = "core_accessloghead"


def role_statements(app_role: str, database: str, owner: str, password: str | None = None) -> list:
    role = sql.Identifier(app_role)
    statements = [
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {name}) THEN "
            "CREATE ROLE {role} LOGIN; END IF; END $$"
        ).format(name=sql.Literal(app_role), role=role),
        sql.SQL("ALTER ROLE {role} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT").format(
            role=role
        ),
        sql.SQL("GRANT CONNECT ON DATABASE {db} TO {role}").format(db=sql.Identifier(database), role=role),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {role}").format(role=role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}").format(role=role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}").format(role=role),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}").format(role=role),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {role}").format(t=sql.Identifier(LOG_TABLE), role=role),
        sql.SQL("REVOKE DELETE, TRUNCATE ON {t} FROM {role}").format(t=sql.Identifier(HEAD_TABLE), role=role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        ).format(owner=sql.Identifier(owner), role=role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public "
            "GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}"
        ).format(owner=sql.Identifier(owner), role=role),
    ]
    if password:
        statements.insert(2, sql.SQL("ALTER ROLE {role} PASSWORD {pw}").format(role=role, pw=sql.Literal(password)))
    return statements


class Command(BaseCommand):
    help = (
        "Maak of werk de PostgreSQL-rol van de applicatie bij: geen eigenaar, geen superuser, kan de triggers "
        "van het toegangslog niet uitzetten. Draai als eigenaar van de tabellen, na elke migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default="doorbraak_app", help="naam van de applicatierol")
        parser.add_argument("--password", default=None, help="wachtwoord voor de applicatierol (optioneel)")
        parser.add_argument(
            "--database", default=None, help="database-alias van de eigenaar (standaard 'owner' als die bestaat)"
        )

    def handle(self, *args, app_role, password, database, **options):
        alias = database or ("owner" if "owner" in connections.databases else DEFAULT_DB_ALIAS)
        connection = connections[alias]
        if connection.vendor != "postgresql":
            raise CommandError("Twee databaserollen zijn er alleen voor PostgreSQL; bij SQLite is er niets te doen.")
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", app_role):
            raise CommandError("De rolnaam mag alleen kleine letters, cijfers en _ bevatten.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, db = cursor.fetchone()
            if owner == app_role:
                raise CommandError("Draai dit als eigenaar van de tabellen, niet als de applicatierol zelf.")
            for statement in role_statements(app_role, db, owner, password):
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(f"Rol {app_role} is ingesteld op database {db} (eigenaar {owner})."))
