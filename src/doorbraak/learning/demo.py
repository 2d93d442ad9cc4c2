"""Demo data of this app (manage.py load_demo): barrier themes for the demo municipality. Idempotent."""

from doorbraak.core.models import Municipality

from .models import Theme, ThemeBlocker

THEMES = [
    ("Regels en wetten", "Regels die knellen of met elkaar botsen.", ["pinching_rules", "rules_clash"]),
    ("Geld en financiering", "Onduidelijk wie betaalt of uit welk potje.", ["unclear_funding", "funder_unclear"]),
    ("Plekken en aanbod", "Er is geen passende plek of hulp beschikbaar.", ["no_places"]),
    ("Zeggenschap", "De cliënt wordt niet gehoord of krijgt doelen opgelegd.", ["not_heard", "imposed_goals"]),
]


def load(stdout=None):
    municipality = Municipality.objects.filter(code="GM0796").first()
    if municipality is None:
        return
    for name, description, codes in THEMES:
        theme, _ = Theme.objects.get_or_create(municipality=municipality, name=name,
                                               defaults={"description": description})
        for code in codes:
            ThemeBlocker.objects.get_or_create(municipality=municipality, code=code, defaults={"theme": theme})
    if stdout is not None:
        stdout.write("learning: barrier themes loaded\n")
