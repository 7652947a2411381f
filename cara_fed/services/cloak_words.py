"""A cloak report in words, for the artist who owns the image.

The report is the cloak's (cloak/run.py, cloak/measure.py) and grows: a key this module does
not know is still shown, by its name and value, so new measurements appear without a change
here, and a key missing from an older report is simply left out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloak.visibility import VISIBILITY_BARS, visible_failures

# What each survival measurement's transform is, in the artist's words.
KEPT_AFTER = {
    "kept_after_jpeg_q75": "after JPEG compression at quality 75",
    "kept_after_resize_0.5": "after halving the size",
    "kept_after_shift_8px": "after shifting it by 8 pixels",
    "kept_after_crop_87.5": "after cropping it to 87.5 %",
}
# Below this gain the shares that survive are ratios of noise (a 2-step cloak's -299 %).
MEASURABLE_GAIN = 0.01
# Keys said in the sentences below, or not measurements.
SAID = {
    "strength",
    "linf",
    "psnr_db",
    "ssim",
    "gain_toward_target",
    "seconds",
    *KEPT_AFTER,
    "eps",
    "steps",
    "flat_region",
    "width",
    "height",
    "output",
    "cosine_clean_cloaked",
    "float_model_gain",
    # said by the visibility sentences (gain_after_* is the gain times the share kept)
    "gain_after_jpeg_q75",
    "gain_after_resize_0.5",
    "gain_after_shift_8px",
    "gain_after_crop_87.5",
    "gmsd",
    "ms_ssim",
    "flat_share",
    "flat_rms",
    "flat_lowfreq_rms",
    "flat_lowfreq_peak",
    "flat_periodicity",
    "flat_periodic_rms",
    "flat_axis_ratio",
}


def _number(report: dict[str, Any], key: str) -> float | None:
    value = report.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def psnr_judgement(psnr_db: float) -> str:
    if psnr_db >= 40:
        return "differences this small are hard to see"
    if psnr_db >= 35:
        return "differences may show in smooth areas when zoomed in"
    return "differences may be visible"


# One sentence per measurement, in the order an artist would ask.
SENTENCES: tuple[tuple[str, Callable[[float], str]], ...] = (
    ("linf", lambda v: f"Changed pixels by at most {round(v * 255)} of 255 levels."),
    ("psnr_db", lambda v: f"PSNR {v:.1f} dB ({psnr_judgement(v)})."),
    ("ssim", lambda v: f"Structural similarity (SSIM) {v:.3f}, where 1 is identical."),
    ("gain_toward_target", lambda v: f"Moved the image's CLIP embedding {v:.2f} toward the decoy."),
)


def report_in_words(report: dict[str, Any] | None) -> list[str]:
    """Sentences about one image's cloak: strength, change, pull and what survives of it,
    time, then whatever else the report measured."""
    if not report:
        return []
    said = []
    if isinstance(report.get("strength"), str):
        said.append(f"Cloaked at {report['strength']} strength.")
    for key, sentence in SENTENCES:
        if (value := _number(report, key)) is not None:
            said.append(sentence(value))
    kept = [
        f"{round(value * 100)} % {words}"
        for key, words in KEPT_AFTER.items()
        if (value := _number(report, key)) is not None
    ]
    gain = _number(report, "gain_toward_target")
    if kept and gain is not None and gain >= MEASURABLE_GAIN:
        kept[0] = kept[0].replace(" % ", " % remained ", 1)
        said.append("Of that move, " + _listed(kept) + ".")
    elif kept and gain is not None:
        said.append("That is too small a move to say how much of it survives.")
    said += visibility_in_words(report)
    if (seconds := _number(report, "seconds")) is not None:
        said.append(f"Took {seconds:.0f} s.")
    others = [
        f"{key} {_shown(value)}"
        for key, value in report.items()
        if key not in SAID and isinstance(value, int | float | str) and not isinstance(value, bool)
    ]
    if others:
        said.append("Also measured: " + ", ".join(others) + ".")
    return said


def visibility_in_words(report: dict[str, Any]) -> list[str]:
    """Where the change could show: on the image's flat parts, nothing masks it, and there a
    pattern (a swirl, a stripe, a blotch) shows where fine grain of the same size does not."""
    said = []
    share, structure = _number(report, "flat_share"), _number(report, "flat_lowfreq_rms")
    if share is not None and structure is not None:
        if share < 0.01:
            said.append("The image has no flat areas, where a change would show most.")
        else:
            bar = VISIBILITY_BARS["flat_lowfreq_rms"][1]
            said.append(
                f"On its flat areas ({round(share * 100)} % of the image) the change forms "
                f"patterns of {structure:.2f} levels on average (we count up to {bar:g} as "
                "hard to see)."
            )
    gmsd, ms_ssim = _number(report, "gmsd"), _number(report, "ms_ssim")
    if gmsd is not None and ms_ssim is not None:
        said.append(
            f"Gradient difference (GMSD) {gmsd:.4f}, where 0 is identical; multi-scale "
            f"similarity (MS-SSIM) {ms_ssim:.4f}, where 1 is identical."
        )
    if share is not None:
        failures = visible_failures(report)
        said.append(
            "Our visibility checks found something you may see: " + "; ".join(failures) + "."
            if failures
            else "Our visibility checks found nothing a viewer would see."
        )
    return said


def _shown(value: int | float | str) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
