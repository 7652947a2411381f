"""`cara-fed cloak FILE --json`: the cloaked file is written and its measurements reported."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from tests.inbox.screening import images as img


def test_cloak_cli_writes_the_image_and_reports_its_measurements(make_instance, tmp_path):
    instance = make_instance("cloaker", start=False)
    source = tmp_path / "work.png"
    source.write_bytes(img.encode(img.photo("chelsea").resize((300, 240)), "PNG"))
    out = tmp_path / "cloaked.png"
    report = json.loads(
        instance.cli("cloak", str(source), "--steps", "4", "--out", str(out), "--json").stdout
    )
    for key in (
        "psnr_db",
        "ssim",
        "linf",
        "cosine_clean_cloaked",
        "gain_toward_target",
        "kept_after_jpeg_q75",
        "kept_after_resize_0.5",
        "kept_after_shift_8px",
        "kept_after_crop_87.5",
        "gain_after_jpeg_q75",
        "gain_after_resize_0.5",
        "gmsd",
        "ms_ssim",
        "flat_share",
        "flat_rms",
        "flat_lowfreq_rms",
        "flat_region",
        "seconds",
    ):
        assert key in report
    original = np.asarray(Image.open(source).convert("RGB"), np.int16)
    cloaked = np.asarray(Image.open(out), np.int16)
    assert cloaked.shape == original.shape
    assert np.abs(cloaked - original).max() <= 4 and np.abs(cloaked - original).max() > 0
    assert report["linf"] <= 4 / 255 + 1e-9 and report["psnr_db"] > 38
    assert report["strength"] == "default"
    left, top, side = report["flat_region"]
    assert 0 <= left <= 300 - side and 0 <= top <= 240 - side


def test_cloak_cli_takes_a_strength_and_refuses_an_unknown_one(make_instance, tmp_path):
    instance = make_instance("cloaker", start=False)
    source = tmp_path / "work.png"
    source.write_bytes(img.encode(img.photo("chelsea").resize((240, 240)), "PNG"))
    out = tmp_path / "cloaked.png"
    args = ("cloak", str(source), "--steps", "3", "--out", str(out), "--json")
    report = json.loads(instance.cli(*args, "--strength", "low").stdout)
    assert report["strength"] == "low"
    change = np.abs(
        np.asarray(Image.open(out), np.int16)
        - np.asarray(Image.open(source).convert("RGB"), np.int16)
    )
    assert 0 < change.max() <= 2  # low: 2/255 at most, in the cat's fur
    out.unlink()
    refused = instance.cli(*args, "--strength", "max", check=False)
    assert refused.returncode != 0 and "invalid choice: 'max'" in refused.stderr
    assert not out.exists()
