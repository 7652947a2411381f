"""The cloak encoder's float weights, kept beside the ONNX file they come from as plain .npy
files and memory-mapped: a cloak child then starts in a fraction of a second instead of
re-reading and dequantising the 90 MB model (4 s here), and every child on the machine shares
one copy of the 350 MB of weights in the page cache instead of holding its own.

The folder is keyed by the model file's size and modification time and by the loader's
version; a folder with another key is rebuilt. It is written under a temporary name and
renamed into place, so a child never maps a half-written folder; where the models directory
cannot be written, the weights are read from the model as before.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from cloak import vit

VERSION = 1
META = "weights.json"


def _key(model: Path) -> str:
    stat = model.stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}-v{VERSION}"


def _folder(model: Path) -> Path:
    return model.with_name(model.name + ".weights")


def _read(folder: Path, key: str) -> vit.ViTWeights | None:
    try:
        meta = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        return None
    if meta.get("key") != key:
        return None
    arrays = {
        name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        for name in meta["arrays"]
    }
    return vit.ViTWeights(**arrays, **meta["scalars"])


def _write(folder: Path, key: str, weights: vit.ViTWeights) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        arrays, scalars = {}, {}
        for field in dataclasses.fields(weights):
            value = getattr(weights, field.name)
            if isinstance(value, np.ndarray):
                np.save(staging / f"{field.name}.npy", np.ascontiguousarray(value))
                arrays[field.name] = True
            else:
                scalars[field.name] = value
        meta = {"key": key, "arrays": sorted(arrays), "scalars": scalars}
        (staging / META).write_text(json.dumps(meta))
        os.chmod(staging, 0o755)  # readable by the server's user, as the model file is
        if folder.exists():  # another key: this model file replaced the one it was made from
            shutil.rmtree(folder, ignore_errors=True)
        os.rename(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when the rename won


def load_weights(model_path: str) -> vit.ViTWeights:
    """The encoder's weights, from the memory-mapped folder when it is current, else read
    from the model (and the folder made for the next time)."""
    model = Path(model_path)
    key, folder = _key(model), _folder(model)
    cached = _read(folder, key)
    if cached is not None:
        return cached
    weights = vit.load_clip_int8(str(model))
    try:
        _write(folder, key, weights)
    except OSError:
        pass  # a read-only models directory: every load reads the model
    return weights
