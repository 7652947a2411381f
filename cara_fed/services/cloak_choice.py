"""What an artist may choose for a work's cloak, and what applies when they have not chosen.

The choice is a strength by name (cloak/strength.py) or "off". It is stored on the work
(Post.cloak_strength) and carried by each cloak job (CloakJob.strength), so the worker cloaks
each image at the strength its work asked for, whatever the instance's default is now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cara_fed.errors import UserError
from cara_fed.store.models import Actor, MediaAttachment, Post
from cloak.strength import NAMES, STRENGTHS

if TYPE_CHECKING:
    from cara_fed.instance import Instance

OFF = "off"
CHOICES = (OFF, *NAMES)
OFF_SUMMARY = (
    "No cloak: your image is published as you uploaded it (scaled to the published size), "
    "at once, with nothing in its pixels against AI encoders."
)


class CloakChoiceError(UserError):
    pass


@dataclass(frozen=True)
class Option:
    """One choice as a form shows it."""

    name: str
    label: str
    summary: str


def options() -> list[Option]:
    """Off, then the strengths from the weakest, each with what it costs and does."""
    return [Option(OFF, "Off", OFF_SUMMARY)] + [
        Option(s.name, s.name.capitalize(), s.summary) for s in STRENGTHS.values()
    ]


def parse_choice(value: str | None) -> str | None:
    """A choice from a form or the command line; None when none was given."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value not in CHOICES:
        raise CloakChoiceError(f"the cloak must be one of {', '.join(CHOICES)}, not {value!r}")
    return value


def cloak_wanted(instance: Instance, author: Actor, choice: bool | None) -> bool:
    """The post's own choice, else the artist's, else the instance default; never when the
    instance does not run the cloak."""
    settings = instance.config.cloak
    if not settings.enabled:
        return False
    if choice is not None:
        return choice
    return settings.artist_default if author.cloak_images is None else author.cloak_images


def default_choice(instance: Instance, author: Actor) -> str:
    """What the upload form offers first: off for an artist who does not cloak, else the
    instance's strength."""
    return instance.config.cloak.strength if cloak_wanted(instance, author, None) else OFF


def current_choice(instance: Instance, post: Post, images: list[MediaAttachment]) -> str:
    """The choice a work's images were (or are being) made with, for its edit page."""
    if post.cloak_strength in CHOICES:
        return post.cloak_strength
    if any(m.cloak_state != "none" for m in images):
        return instance.config.cloak.strength
    return OFF


def job_strength(instance: Instance, post: Post) -> str:
    """The strength a new cloak job of this work runs at: the work's, else the instance's."""
    if post.cloak_strength in STRENGTHS:
        return post.cloak_strength
    return instance.config.cloak.strength
