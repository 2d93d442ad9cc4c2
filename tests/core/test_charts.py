"""The one chart module (core.charts) for the SVG charts of budget and learning: geometry, labels that round
(never truncate) amounts, and the plan page's charts drawn from it."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from doorbraak.budget import services
from doorbraak.core import charts
from tests.budget.factories import World
from tests.helpers.browser import session_cookie_for


@pytest.mark.parametrize(
    "cents,text",
    [
        (123456, "€ 1.235"),  # € 1.234,56 rounds up, not cut to € 1.234
        (123449, "€ 1.234"),
        (123450, "€ 1.235"),  # half away from zero
        (-123456, "-€ 1.235"),
        (-123449, "-€ 1.234"),
        (99, "€ 1"),
        (49, "€ 0"),
        (0, "€ 0"),
        (100_000_000_00, "€ 100.000.000"),
        (None, ""),
    ],
)
def test_amount_labels_round_to_whole_euros(cents, text):
    assert charts.euro_label(cents) == text


def test_stacked_bars_stack_each_series_in_order_with_a_legend():
    chart = charts.stacked_bars(
        [("Niets doen", {"justice": 300, "wmo": 100}, 400), ("Maatwerk", {"wmo": 200}, 200)],
        [("justice", "Justitie"), ("wmo", "Wmo")],
        label=charts.euro_label,
    )
    first, second = chart["rows"]
    assert [s["name"] for s in first["segments"]] == ["Justitie", "Wmo"]
    assert first["bar_end"] == charts.BAR_AREA == sum(s["width"] for s in first["segments"])  # largest fills
    assert first["segments"][1]["x"] == first["segments"][0]["width"]  # stacked, not overlapping
    assert [s["name"] for s in second["segments"]] == ["Wmo"]  # no empty segment for a funder that pays nothing
    assert second["segments"][0]["css"] == first["segments"][1]["css"]  # one colour per funder in every bar
    assert second["bar_end"] == charts.BAR_AREA // 2
    assert first["text"] == "€ 4" and second["segments"][0]["text"] == "€ 2"
    assert chart["legend"] == [{"label": "Justitie", "css": "db-chart-f0"}, {"label": "Wmo", "css": "db-chart-f1"}]
    assert chart["height"] == 2 * 40 + 10 and chart["width"] == 120 + charts.BAR_AREA + 60


def test_stacked_bars_scale_to_the_peak_given_and_colours_wrap_after_six():
    chart = charts.stacked_bars([("A", {"x": 100}, 100)], [("x", "X")], peak=200)
    assert chart["rows"][0]["bar_end"] == charts.BAR_AREA // 2  # room left for the high estimate
    assert charts.series_css(6) == charts.series_css(0) != charts.series_css(1)


def test_horizontal_bars_skip_suppressed_values_and_sign_colours_by_direction():
    counts = charts.horizontal_bars([("Geen plekken", 80), ("Niet gehoord", "<10"), ("Regels", 40)], label=str)
    assert [r["width"] for r in counts["rows"]] == [charts.BAR_AREA, 0, charts.BAR_AREA // 2]
    assert counts["rows"][1]["text"] == "<10"  # no bar, but its label says why
    money = charts.horizontal_bars([("Justitie", 50_000), ("Wmo", -100_000)], signed=True, label=charts.euro_label)
    saves, pays = money["rows"]
    assert (saves["css"], pays["css"]) == ("db-chart-saves", "db-chart-pays")
    assert pays["width"] == charts.BAR_AREA and saves["width"] == charts.BAR_AREA // 2  # length by size
    assert pays["text"] == "-€ 1.000" and pays["text_x"] == charts.LABEL_WIDTH + pays["width"] + 6


def test_diverging_bars_go_left_for_decline_and_clamp_at_the_scale():
    chart = charts.diverging_bars([("Wonen", 1.0), ("Geld", -5.0), ("Werk", None)], scale=2.0)
    up, down, none = chart["rows"]
    half = charts.BAR_AREA // 2
    assert up["x"] == chart["zero"] and up["width"] == half // 2 and up["css"] == "db-chart-saves"
    assert down["width"] == half and down["x"] == chart["zero"] - half and down["css"] == "db-chart-pays"
    assert none["width"] == 0


def test_vertical_bars_group_per_label_and_scale_to_the_tallest():
    chart = charts.vertical_bars([("jan", [10, 5]), ("feb", [20, "<10"])], ["db-chart-f0", "db-chart-f2"], height=100)
    jan, feb = chart["groups"]
    assert [b["h"] for b in jan["bars"]] == [50, 25] and [b["h"] for b in feb["bars"]] == [100, 0]
    assert feb["bars"][0]["y"] == 10  # the tallest bar reaches the top
    assert jan["bars"][1]["x"] == jan["bars"][0]["x"] + 14 and jan["label_x"] == jan["x"] + 14


@pytest.mark.django_db
def test_plan_page_chart_labels_round_cents_and_show_negative_amounts(client):
    world = World()
    plan = services.start_plan(world.professional, world.case())
    for scenario, amount, funder in (("do_nothing", 50_000, "justice"), ("custom", 123_456, "wmo")):
        services.add_line(
            world.professional,
            plan,
            scenario=scenario,
            description="Regel",
            unit="each",
            amount_cents=amount,
            quantity=Decimal(1),
            duration=Decimal(1),
            funder=funder,
        )
    cookie = session_cookie_for(world.professional)
    client.cookies[cookie["name"]] = cookie["value"]
    html = client.get(reverse("plan:detail", args=[plan.case_id])).content.decode()
    svgs = re.findall(r"<svg role=\"img\".*?</svg>", html, re.S)
    assert len(svgs) == 2
    scenario_svg, saving_svg = svgs
    assert ">€ 1.235</text>" in scenario_svg and "€ 1.234<" not in scenario_svg  # the custom plan's total
    assert "<title>Wmo 2015 (gemeente): € 1.235</title>" in scenario_svg  # each segment names its funder and amount
    assert "betaalt € 1.235" in saving_svg and "betaalt € 1.234<" not in saving_svg  # Wmo pays, rounded
    assert "bespaart € 500" in saving_svg and 'class="db-chart-pays"' in saving_svg
    assert "€ 1.234,56" in html  # the table keeps the exact amount


def test_whole_euro_amounts_in_tables_are_rounded_not_cut_off():
    """The learning tables' `money` filter and `euro_whole` show whole euros: rounded half away from zero."""
    from doorbraak.core.templatetags.doorbraak import format_euro_cents

    assert format_euro_cents(123456, decimals=False) == "€ 1.235"
    assert format_euro_cents(123449, decimals=False) == "€ 1.234"
    assert format_euro_cents(-123456, decimals=False) == "-€ 1.235"
    assert format_euro_cents(99950, decimals=False) == "€ 1.000"
    assert format_euro_cents(123456) == "€ 1.234,56"
