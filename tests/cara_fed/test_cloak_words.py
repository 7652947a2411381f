"""A cloak report in words: the sentences the artist reads, keys added later by name, and
nothing said of what an older report did not measure."""

from __future__ import annotations

from cara_fed.services.cloak_words import report_in_words


def test_a_full_report_reads_as_sentences():
    report = {
        "strength": "default",
        "linf": 4 / 255,
        "psnr_db": 40.14,
        "ssim": 0.9912,
        "gain_toward_target": 0.1234,
        "kept_after_jpeg_q75": 0.52,
        "kept_after_resize_0.5": 0.851,
        "seconds": 41.3,
        "steps": 60,
        "flat_region": [0, 0, 128],
    }
    assert report_in_words(report) == [
        "Cloaked at default strength.",
        "Changed pixels by at most 4 of 255 levels.",
        "PSNR 40.1 dB (differences this small are hard to see).",
        "Structural similarity (SSIM) 0.991, where 1 is identical.",
        "Moved the image's CLIP embedding 0.12 toward the decoy.",
        "Of that move, 52 % remained after JPEG compression at quality 75 and 85 % after "
        "halving the size.",
        "Took 41 s.",
    ]


def test_new_keys_are_shown_by_name_and_missing_ones_left_out():
    said = report_in_words({"psnr_db": 33.0, "gmsd": 0.01234567, "flat_rms": 2, "ok": True})
    assert said == [
        "PSNR 33.0 dB (differences may be visible).",
        "Also measured: gmsd 0.01235, flat_rms 2.",
    ]
    assert report_in_words(None) == [] and report_in_words({}) == []
