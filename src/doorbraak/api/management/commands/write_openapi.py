"""Regenerate the committed OpenAPI document: `manage.py write_openapi` (or `--check`: exit 1 when stale)."""

import sys

from django.core.management.base import BaseCommand

from doorbraak.api.schema import SCHEMA_FILE


def generated() -> str:
    import yaml
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


class _Dumper(__import__("yaml").SafeDumper):
    def ignore_aliases(self, data):
        return True


class Command(BaseCommand):
    help = "Write src/doorbraak/api/openapi.yaml from the code (drf-spectacular)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only report whether the file is stale")

    def handle(self, *args, check=False, **options):
        text = generated()
        if check:
            if SCHEMA_FILE.read_text(encoding="utf-8") != text:
                self.stderr.write("openapi.yaml is stale: run manage.py write_openapi")
                sys.exit(1)
            return
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {SCHEMA_FILE}")
