"""Council report (PDF) and open data (CSV with a data dictionary). Reads only: every figure comes from
learning.analytics, hence from the protected release layer, so it is the very same cell as on the dashboard.
`open_data_rows(municipality, slug, period, breakdown)` is the one function that gives a dataset's rows (the
open-data CSV views use it; so can the API)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorbraak.core import csv_safe
from doorbraak.core.pdf import render_pdf

from ..models import PolicyProposal, Theme
from . import analytics, protection
from .protected import WHOLE, Breakdown

RULES = _(
    "Afgeronde en licht verstoorde aantallen: elk aantal is een cel met een vaste verstoring van hoogstens 3 "
    "(gemiddeld 0, variantie 2,25; zie verstoringstabel.csv), zodat dezelfde cel altijd hetzelfde getal geeft en "
    "aftrekken van cellen niemand herkenbaar maakt. Aantallen onder 10 staan er als “<10”; tabellen tellen niet "
    "altijd exact op, een totaal is een eigen cel. Een leeg bedrag is niet getoond omdat het over minder dan 10 "
    "casussen gaat. Percentages en gemiddelden staan er alleen bij 30 of meer casussen. Alleen kalendermaanden, "
    "kwartalen en jaren, en één uitsplitsing tegelijk."
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "tekst", "datum", "aantal", "bedrag (cent)", "percentage", "getal"
    description: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[Column]


COMMON = [
    Column("gemeente", "tekst", _("CBS-code van de gemeente, bijvoorbeeld GM0796.")),
    Column("periode_van", "datum", _("Eerste maand van de periode (eerste dag van de maand, JJJJ-MM-DD).")),
    Column("periode_tot_en_met", "datum", _("Laatste maand van de periode (eerste dag van de maand).")),
    Column(
        "uitsplitsing",
        "tekst",
        _("Leeg voor de hele gemeente, anders één dimensie en waarde, bijvoorbeeld team:12 of gebied:Noord."),
    ),
]

DATASETS: dict[str, Dataset] = {
    d.slug: d
    for d in [
        Dataset(
            "maanden",
            _("Casussen per maand"),
            _("Per kalendermaand: hoeveel casussen zijn geopend en hoeveel casussen hebben een doorbraak bereikt."),
            [
                Column("maand", "datum", _("Kalendermaand (eerste dag).")),
                Column("geopend", "aantal", _("Casussen geopend in deze maand.")),
                Column("doorbraken", "aantal", _("Casussen met een doorbraak in deze maand.")),
            ],
        ),
        Dataset(
            "doorlooptijd",
            _("Tijd tot doorbraak"),
            _(
                "Van de casussen die in de periode zijn geopend en minstens drie weken vóór de berekening op een "
                "casusplatform kwamen (hun drie weken zijn voorbij): hoeveel "
                "braken door, de mediaan van het aantal dagen van casusplatform tot doorbraak en het "
                "aandeel dat binnen drie weken (21 dagen) doorbrak."
            ),
            [
                Column("casusplatforms", "aantal", _("Casussen met een casusplatform.")),
                Column("doorbraken", "aantal", _("Daarvan met een doorbraak.")),
                Column("mediaan_dagen", "getal", _("Mediaan aantal dagen tot doorbraak.")),
                Column(
                    "binnen_drie_weken",
                    "percentage",
                    _("Aandeel casusplatforms met een doorbraak binnen 21 dagen (nog open telt als niet)."),
                ),
                Column("interval_laag", "percentage", _("Ondergrens 95%-betrouwbaarheidsinterval (Wilson).")),
                Column("interval_hoog", "percentage", _("Bovengrens 95%-betrouwbaarheidsinterval.")),
            ],
        ),
        Dataset(
            "financiers",
            _("Uitgaven en rendement per financier"),
            _(
                "Per wet of financier, over de goedgekeurde maatwerkplannen van casussen geopend in de periode: "
                "betalingen uit het flexibele budget (verdeeld naar de afgesproken cofinanciering) en het rendement: "
                "kosten van het gewone aanbod min kosten van het maatwerkplan. Het gerealiseerde rendement vergelijkt "
                "de werkelijke kosten tot nu toe met het gewone aanbod over dezelfde maanden."
            ),
            [
                Column("financier", "tekst", _("Code van de wet of financier.")),
                Column("omschrijving", "tekst", _("Naam van de wet of financier.")),
                Column("casussen", "aantal", _("Casussen met een plan waarin deze financier voorkomt.")),
                Column(
                    "uitgaven_cent",
                    "bedrag (cent)",
                    _("Betaald uit het flexibele budget, toegerekend aan deze financier."),
                ),
                Column("verwacht_rendement_cent", "bedrag (cent)", _("Verwacht rendement over de hele looptijd.")),
                Column(
                    "casussen_met_werkelijke_kosten", "aantal", _("Casussen waarvan werkelijke kosten bekend zijn.")
                ),
                Column(
                    "verwacht_rendement_tot_nu_cent",
                    "bedrag (cent)",
                    _("Verwacht rendement tot de laatste meting van de werkelijke kosten."),
                ),
                Column("gerealiseerd_rendement_cent", "bedrag (cent)", _("Gerealiseerd rendement tot die meting.")),
            ],
        ),
        Dataset(
            "domeinen",
            _("Verandering in zelfredzaamheid per levensdomein"),
            _(
                "Per levensdomein van de Zelfredzaamheid-Matrix: casussen die minstens twee keer zijn gescoord, de "
                "gemiddelde verandering (laatste min eerste score, schaal 1–5) en het aandeel dat vooruitging."
            ),
            [
                Column("domein", "tekst", _("Levensdomein (code).")),
                Column("omschrijving", "tekst", _("Levensdomein.")),
                Column("casussen", "aantal", _("Casussen met twee of meer scores.")),
                Column("gemiddelde_verandering", "getal", _("Gemiddelde verandering in ZRM-punten.")),
                Column("interval_laag", "getal", _("Ondergrens 95%-betrouwbaarheidsinterval.")),
                Column("interval_hoog", "getal", _("Bovengrens 95%-betrouwbaarheidsinterval.")),
                Column("vooruitgegaan", "percentage", _("Aandeel met een hogere laatste score.")),
            ],
        ),
        Dataset(
            "blokkades",
            _("Blokkades in het systeem"),
            _(
                "Per blokkade die professionals bij de evaluatie van een casusplatform noemden: het aantal casussen "
                "(een casus telt één keer per blokkade)."
            ),
            [
                Column("blokkade", "tekst", _("Code van de blokkade.")),
                Column("omschrijving", "tekst", _("Blokkade.")),
                Column("casussen", "aantal", _("Casussen waarin deze blokkade is genoemd.")),
            ],
        ),
        Dataset(
            "themas",
            _("Systeemthema's"),
            _("Per thema van de gemeente: het aantal casussen met ten minste één blokkade van dat thema."),
            [
                Column("thema", "tekst", _("Naam van het thema.")),
                Column("casussen", "aantal", _("Casussen met een blokkade van dit thema.")),
            ],
        ),
        Dataset(
            "patronen",
            _("Patronen: wat gaat samen met een snellere doorbraak"),
            _(
                "Per factor en niveau, over casussen met een casusplatform: het aantal casussen, het aandeel met een "
                "doorbraak binnen drie weken en de gemiddelde verandering in zelfredzaamheid, met "
                "95%-betrouwbaarheidsintervallen. Samenhang, geen bewijs van oorzaak."
            ),
            [
                Column("factor", "tekst", _("De factor, bijvoorbeeld ‘Ervaringsdeskundige aan tafel’.")),
                Column("niveau", "tekst", _("Het niveau van de factor.")),
                Column("casussen", "aantal", _("Casussen op dit niveau.")),
                Column("binnen_drie_weken", "percentage", _("Aandeel met een doorbraak binnen drie weken.")),
                Column("interval_laag", "percentage", _("Ondergrens 95%-betrouwbaarheidsinterval.")),
                Column("interval_hoog", "percentage", _("Bovengrens 95%-betrouwbaarheidsinterval.")),
                Column("zrm_verandering", "getal", _("Gemiddelde verandering in ZRM-punten.")),
                Column(
                    "uitspraak",
                    "tekst",
                    _(
                        "Alleen ingevuld als het verschil met de andere casussen na correctie "
                        "voor het aantal vergelijkingen (Bonferroni) aantoonbaar is."
                    ),
                ),
            ],
        ),
    ]
}


def _blank(value):
    return "" if value is None else value


def open_data_rows(
    municipality, slug: str, period: analytics.Period, breakdown: Breakdown = WHOLE, data: dict | None = None
) -> list[list]:
    """The rows of one open-data dataset (without the common columns) for a grid period and one breakdown: the
    same protected cells as the dashboard. Raises analytics.NotOnGrid for a period off the grid, KeyError for an
    unknown dataset."""
    data = data or analytics.dashboard(municipality, period, breakdown=breakdown)
    if slug == "maanden":
        return [[r["month"].isoformat(), r["opened"], r["broke"]] for r in data["monthly"]["rows"]]
    if slug == "doorlooptijd":
        t = data["time"]
        ci = t["within_ci"] or ("", "")
        return [[t["platforms"], t["broke"], _blank(t["median"]), t.get("within_pct", "") or "", ci[0], ci[1]]]
    if slug == "financiers":
        return [
            [
                f["funder"],
                f["label"],
                f["cases"],
                _blank(f["spend"]),
                _blank(f["projected"]),
                _blank(f["realised_cases"]),
                _blank(f["to_date"]),
                _blank(f["realised"]),
            ]
            for f in data["funders"]
        ]
    if slug == "domeinen":
        return [
            [
                d["domain"],
                d["label"],
                d["n"],
                _blank(d["mean"]),
                _blank(d["ci"] and d["ci"][0]),
                _blank(d["ci"] and d["ci"][1]),
                _blank(d["improved"]),
            ]
            for d in data["domains"]
        ]
    if slug == "blokkades":
        return [[b["code"], b["label"], b["cases"]] for b in data["barriers"]["codes"]]
    if slug == "themas":
        return [[t["theme"], t["cases"]] for t in data["barriers"]["themes"]]
    if slug == "patronen":
        rows = []
        for factor in (data["patterns"] or {}).get("factors", []):
            for level in factor["levels"]:
                ci = level["share_ci"] or ("", "")
                finding = ""
                if level["share_vs_rest"] and level["share_vs_rest"].claim:
                    finding = str(
                        _("vaker binnen drie weken")
                        if level["share_vs_rest"].claim > 0
                        else _("minder vaak binnen drie weken")
                    )
                rows.append(
                    [
                        str(factor["label"]),
                        str(level["label"]),
                        level["n"],
                        level["share"],
                        ci[0],
                        ci[1],
                        _blank(level["zrm"]),
                        finding,
                    ]
                )
        return rows
    raise KeyError(slug)


dataset_rows = open_data_rows


def open_data_csv(
    municipality,
    slug: str,
    start=None,
    end=None,
    period: analytics.Period | None = None,
    breakdown: Breakdown = WHOLE,
) -> str:
    """One dataset as CSV (comma-separated, UTF-8, header row with the column names of the data dictionary)."""
    if period is None:
        period = analytics.make_period(start, end) if start else analytics.default_period()
    dataset = DATASETS[slug]
    out = io.StringIO()
    writer = csv_safe.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in COMMON + dataset.columns])
    prefix = [municipality.code, period.start.isoformat(), period.end.isoformat(), analytics.breakdown_code(breakdown)]
    for row in open_data_rows(municipality, slug, period, breakdown):
        writer.writerow(prefix + row)
    return out.getvalue()


def dictionary_csv() -> str:
    out = io.StringIO()
    writer = csv_safe.writer(out, lineterminator="\n")
    writer.writerow(["bestand", "kolom", "soort", "omschrijving"])
    for dataset in DATASETS.values():
        for column in COMMON + dataset.columns:
            writer.writerow([f"{dataset.slug}.csv", column.name, column.kind, str(column.description)])
    writer.writerow(["*", "*", "regel", str(RULES)])
    writer.writerow(["*", "*", "verstoring", str(analytics.EXPLANATION)])
    writer.writerow(
        [
            "verstoringstabel.csv",
            "echt_aantal",
            "tekst",
            str(_("Rij van de tabel: het echte aantal (13+ = 13 of meer).")),
        ]
    )
    writer.writerow(
        [
            "verstoringstabel.csv",
            "celsleutel",
            "getal",
            str(_("Som van de sleutels van de casussen in de cel, modulo 256.")),
        ]
    )
    writer.writerow(["verstoringstabel.csv", "verschuiving", "getal", str(_("Wat bij het echte aantal is opgeteld."))])
    return out.getvalue()


def perturbation_table_csv() -> str:
    """The published perturbation table (learning.insights.protection): row, cell key, noise."""
    out = io.StringIO()
    writer = csv_safe.writer(out, lineterminator="\n")
    writer.writerow(["echt_aantal", "celsleutel", "verschuiving"])
    for row in protection.table_csv_rows():
        writer.writerow(row)
    return out.getvalue()


def themes_and_proposals(municipality) -> list[Theme]:
    return list(
        Theme.objects.filter(municipality=municipality)
        .order_by("name")
        .prefetch_related(Prefetch("proposals", queryset=PolicyProposal.objects.order_by("-created_at")))
    )


def report_context(municipality, period: analytics.Period) -> dict:
    from ..stories import selectors

    data = analytics.dashboard(municipality, period)
    return {
        "municipality": municipality,
        "period": period,
        "data": data,
        "generated": timezone.localtime(),
        "themes": themes_and_proposals(municipality),
        "teams": analytics.team_table(municipality, period),
        "explanation": analytics.EXPLANATION,
        "rules": RULES,
        "stories": list(selectors.approved_stories(municipality, period.start, period.last_day, limit=2)),
    }


def council_report_pdf(municipality, start=None, end=None, period: analytics.Period | None = None) -> bytes:
    if period is None:
        period = analytics.make_period(start, end) if start else analytics.default_period()
    return render_pdf("learning/report_print.html", report_context(municipality, period))
