"""Screening media for generated images: provenance and declarations decide, a learned model
advises. `Screener.screen` is the one entry point; each signal is a module of its own."""

from inbox.screening.types import Finding, MediaContext, Verdict

__all__ = ["Finding", "MediaContext", "Verdict"]
