"""A cloak report in words, for the artist who owns the image.

The report is the cloak's (cloak/run.py, cloak/measure.py) and grows: a key this module does
not know is still shown, by its name and value, so new measurements appear without a change
here, and a key missing from an older report is simply left out."""

from __future__ import annotations

from typing import Any

# What each survival measurement's transform is, in the artist's words.
KEPT_AFTER = {
    "kept_after_jpeg_q75": "after JPEG compression at quality 75",
    "kept_after_resize_0.5": "after halving the size",
    "kept_after_shift_8px": "after shifting it by 8 pixels",
    "kept_after_crop_87.5": "after cropping it to 87.5 %",
}
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


def report_in_words(report: dict[str, Any] | None) -> list[str]:
    """Sentences about one image's cloak, in the order an artist would ask."""
    if not report:
        return []
    said = []
    if isinstance(report.get("strength"), str):
        said.append(f"Cloaked at {report['strength']} strength.")
    linf = _number(report, "linf")
    if linf is not None:
        said.append(f"Changed pixels by at most {round(linf * 255)} of 255 levels.")
    psnr = _number(report, "psnr_db")
    if psnr is not None:
        said.append(f"PSNR {psnr:.1f} dB ({psnr_judgement(psnr)}).")
    ssim = _number(report, "ssim")
    if ssim is not None:
        said.append(f"Structural similarity (SSIM) {ssim:.3f}, where 1 is identical.")
    gain = _number(report, "gain_toward_target")
    if gain is not None:
        said.append(f"Moved the image's CLIP embedding {gain:.2f} toward the decoy.")
        kept = [
            f"{round(value * 100)} % {words}"
            for key, words in KEPT_AFTER.items()
            if (value := _number(report, key)) is not None
        ]
        if kept:
            kept[0] = kept[0].replace(" % ", " % remained ", 1)
            said.append("Of that move, " + _listed(kept) + ".")
    seconds = _number(report, "seconds")
    if seconds is not None:
        said.append(f"Took {seconds:.0f} s.")
    others = [
        f"{key} {_shown(value)}"
        for key, value in report.items()
        if key not in SAID and isinstance(value, int | float | str) and not isinstance(value, bool)
    ]
    if others:
        said.append("Also measured: " + ", ".join(others) + ".")
    return said


def _shown(value: int | float | str) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
