"""The cloak's strengths, by name: what an artist picks per work and an admin per instance.

Each is a budget for the perturbation; the names are the interface (the config, the CLI, the
web form and the database store them), the numbers behind them are the cloak's to tune."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Strength:
    name: str
    # The most any pixel may change (of 1.0), where the image hides it best (texture, edges).
    eps: float
    # What it costs and does, in one sentence for the artist.
    summary: str


STRENGTHS: dict[str, Strength] = {
    "low": Strength(
        "low",
        2 / 255,
        "Half the default change: the least there is to see, and the weakest pull on the "
        "AI image encoder.",
    ),
    "default": Strength(
        "default",
        4 / 255,
        "Changes textured areas and edges by up to 4 of 255 levels and leaves flat colour "
        "as it is: a clear pull on the encoder for textured work, little for flat work.",
    ),
    "strong": Strength(
        "strong",
        8 / 255,
        "Twice the default change: the strongest pull on the encoder; a fine grain may show "
        "in smooth areas when zoomed in.",
    ),
}
NAMES = tuple(STRENGTHS)


def strength(name: str) -> Strength:
    """The strength called `name`; ValueError naming the choices for anything else."""
    try:
        return STRENGTHS[name]
    except KeyError:
        raise ValueError(
            f"cloak strength must be one of {', '.join(NAMES)}, not {name!r}"
        ) from None
