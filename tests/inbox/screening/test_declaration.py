from __future__ import annotations

import pytest

from inbox.screening.declaration import check
from inbox.screening.types import MediaContext


@pytest.mark.parametrize(
    "context, expected",
    [
        (MediaContext(text="New piece #AIArt"), "tagged #aiart"),
        (MediaContext(text="<p>#<span>Midjourney</span> v6</p>"), "tagged #midjourney"),
        (MediaContext(tags=("StableDiffusion",)), "tagged #stablediffusion"),
        (MediaContext(text="#DALLE3 test"), "tagged #dalle3"),
        (MediaContext(text="Made with AI, obviously"), "made with ai"),
        (
            MediaContext(text="Generated with Stable-Diffusion XL"),
            "generated with stable diffusion",
        ),
        (MediaContext(alt_text="AI-generated image of a cat"), "alt text says"),
        (MediaContext(text="Créé avec soin — MADE WITH ÁI"), "made with ai"),
    ],
)
def test_declarations_are_found(context, expected):
    finding = check(context, "refuse")
    assert finding is not None and finding.outcome == "refuse"
    assert expected in finding.detail


@pytest.mark.parametrize(
    "context",
    [
        MediaContext(text="This is not AI generated!"),
        MediaContext(text="#NoAI, painted by hand. No AI used."),
        MediaContext(text="I never made with AI anything"),
        MediaContext(text="https://x.example/#aiart is a link, not a tag"),
        MediaContext(text="Crème brûlée still life"),
        MediaContext(text="#aiarts is a different word"),
        MediaContext(alt_text="A hand-drawn map of Dalle street"),
    ],
)
def test_negations_near_misses_and_ordinary_words_do_not_fire(context):
    assert check(context, "refuse") is None


def test_the_configured_outcome_is_used_and_off_disables():
    context = MediaContext(text="#aiart")
    assert check(context, "review").outcome == "review"
    assert check(context, "off") is None
