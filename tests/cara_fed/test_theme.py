"""The theme (cara_fed/theme.py): any accent an admin chooses comes out readable in both
colour schemes, and the justified grid's classes cover every ratio a tile can be given."""

from __future__ import annotations

import re

import pytest

from cara_fed.theme import (
    DARK_BACKGROUNDS,
    LIGHT_BACKGROUNDS,
    contrast,
    page_backgrounds,
    ratio_class,
    ratio_rules,
    theme_css,
)

ACCENTS = ["#b4235a", "#0b5cad", "#ffee00", "#00ff00", "#222222", "#ffffff", "#7f7f7f"]


def scheme_values(css: str) -> tuple[dict[str, str], dict[str, str]]:
    light, _, dark = css.partition("@media (prefers-color-scheme:dark)")
    pick = lambda text: dict(re.findall(r"--(accent(?:-fg)?):(#[0-9a-f]{6})", text))  # noqa: E731
    return pick(light), pick(dark)


@pytest.mark.parametrize("accent", ACCENTS)
def test_any_accent_reads_on_both_schemes_and_its_buttons_read_too(accent):
    light, dark = scheme_values(theme_css(accent))
    for values, backgrounds in ((light, LIGHT_BACKGROUNDS), (dark, DARK_BACKGROUNDS)):
        for background in backgrounds:
            assert contrast(values["accent"], background) >= 4.5, (accent, values, background)
        assert contrast(values["accent-fg"], values["accent"]) >= 4.5, (accent, values)


def test_an_accent_that_already_reads_is_kept_as_it_is():
    light, _ = scheme_values(theme_css("#0b5cad"))
    assert light["accent"] == "#0b5cad"


def test_contrast_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    "size, expected",
    [
        ((1600, 1200), "ar135"),
        ((1000, 1000), "ar100"),
        ((100, 1000), "ar50"),
        ((8000, 500), "ar300"),
        ((None, 10), "ar100"),
        ((640, 0), "ar100"),
    ],
)
def test_a_tile_gets_its_ratio_rounded_and_bounded(size, expected):
    assert ratio_class(*size) == expected


def test_every_class_a_tile_can_get_has_its_rule():
    rules = dict(re.findall(r"\.(ar\d+)\{--ar:([\d.]+)\}", ratio_rules()))
    for width in range(50, 4000, 7):
        name = ratio_class(width, 1000)
        assert name in rules, name
        assert abs(float(rules[name]) - min(3.0, max(0.5, width / 1000))) <= 0.025 + 1e-9


def test_the_backgrounds_an_accent_must_read_on_are_the_stylesheets_own():
    assert LIGHT_BACKGROUNDS == ("#ffffff", "#faf8f5", "#f1eee9")  # cara.css's light tokens
    assert set(DARK_BACKGROUNDS) == {"#121214", "#1c1c20", "#27272d"}
    css = ":root{--bg:#000001;--surface:#000002;--surface-2:#000003}" + (
        "@media (prefers-color-scheme:dark){:root{--bg:#000004;--surface:#000005;"
        "--surface-2:#000006}}"
    )
    assert page_backgrounds(css) == (
        ("#000002", "#000001", "#000003"),
        ("#000005", "#000004", "#000006"),
    )
    with pytest.raises(ValueError, match="background token"):
        page_backgrounds(css.replace("--surface-2:#000003", ""))
