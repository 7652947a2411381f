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
    said = report_in_words({"psnr_db": 33.0, "blur": 0.01234567, "grain": 2, "ok": True})
    assert said == [
        "PSNR 33.0 dB (differences may be visible).",
        "Also measured: blur 0.01235, grain 2.",
    ]
    assert report_in_words(None) == [] and report_in_words({}) == []


def test_visibility_reads_as_where_the_change_could_show_and_whether_it_would():
    report = {
        "flat_share": 0.42,
        "flat_rms": 0.3,
        "flat_lowfreq_rms": 0.05,
        "flat_lowfreq_peak": 0.1,
        "gmsd": 0.00123,
        "ms_ssim": 0.99987,
    }
    assert report_in_words(report) == [
        "On its flat areas (42 % of the image) the change forms patterns of 0.05 levels on "
        "average (we count up to 0.6 as hard to see).",
        "Gradient difference (GMSD) 0.0012, where 0 is identical; multi-scale similarity "
        "(MS-SSIM) 0.9999, where 1 is identical.",
        "Our visibility checks found nothing a viewer would see.",
    ]
    swirls = report | {"flat_lowfreq_rms": 1.02}
    [*_, verdict] = report_in_words(swirls)
    assert verdict.startswith("Our visibility checks found something you may see: on flat areas")
    assert "1.02 levels RMS (bar: at most 0.6)" in verdict
    textured = report_in_words({"flat_share": 0.0, "flat_lowfreq_rms": 0.0})
    assert textured[0] == "The image has no flat areas, where a change would show most."


def test_no_survival_shares_for_a_gain_too_small_to_measure():
    said = report_in_words(
        {"gain_toward_target": 0.004, "kept_after_jpeg_q75": -2.99, "kept_after_resize_0.5": 3.1}
    )
    assert said == [
        "Moved the image's CLIP embedding 0.00 toward the decoy.",
        "That is too small a move to say how much of it survives.",
    ]
