"""Numpy CLIP ViT image tower: forward, input gradient, int8-ONNX weight loader.

Computation (HF ``CLIPVisionModelWithProjection``, as exported in the int8 ONNX file):

    tokens  = Conv(x, patch_w, stride=P)            # no bias; [N, D], N = (S/P)^2
    h       = concat(class_emb, tokens) + pos_emb   # [T, D], T = N + 1
    h       = LN_pre(h)
    for each layer:
        a   = LN1(h)
        q,k,v = a @ Wq + bq, a @ Wk + bk, a @ Wv + bv          # split in `heads` heads
        h   = h + softmax(q k^T / sqrt(dh)) v @ Wo + bo
        m   = LN2(h)
        h   = h + quick_gelu(m @ W1 + b1) @ W2 + b2            # quick_gelu(u) = u*sigmoid(1.702u)
    embed   = LN_post(h[0]) @ proj      # no bias; == ONNX `image_embeds` (not normalised)

LayerNorm: (x - mean) / sqrt(var + eps) * g + b, biased variance, eps = 1e-5 in the graph.

Everything works on ONE image (no batch axis).  The dtype of the computation is the
dtype of the weights (float32 normally; ``ViTWeights.astype(np.float64)`` for tests).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating[Any]]

CLIP_MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
CLIP_STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


@dataclass
class ViTWeights:
    """All weights of the tower.  Per-layer tensors are stacked on a leading axis L.

    Linear weights are stored (in, out), i.e. ``y = x @ W + b`` (the ONNX MatMul layout).
    """

    patch_w: Array  # [D, 3, P, P]   conv kernel, no bias
    class_emb: Array  # [D]
    pos_emb: Array  # [T, D]
    pre_ln_g: Array  # [D]
    pre_ln_b: Array  # [D]
    ln1_g: Array  # [L, D]
    ln1_b: Array  # [L, D]
    wqkv: Array  # [L, D, 3D]   q | k | v concatenated on the output axis
    bqkv: Array  # [L, 3D]
    wo: Array  # [L, D, D]
    bo: Array  # [L, D]
    ln2_g: Array  # [L, D]
    ln2_b: Array  # [L, D]
    w1: Array  # [L, D, F]
    b1: Array  # [L, F]
    w2: Array  # [L, F, D]
    b2: Array  # [L, D]
    post_ln_g: Array  # [D]
    post_ln_b: Array  # [D]
    proj: Array  # [D, E]     visual projection, no bias
    heads: int = 12
    eps: float = 1e-5
    act_alpha: float = 1.702  # quick_gelu: u * sigmoid(act_alpha * u)

    @property
    def dim(self) -> int:
        return int(self.patch_w.shape[0])

    @property
    def depth(self) -> int:
        return int(self.wqkv.shape[0])

    @property
    def patch(self) -> int:
        return int(self.patch_w.shape[-1])

    def astype(self, dtype: Any) -> ViTWeights:
        """Copy with every array cast to ``dtype`` (e.g. np.float64 for gradient checks)."""
        changes = {
            f.name: np.asarray(getattr(self, f.name), dtype=dtype)
            for f in dataclasses.fields(self)
            if isinstance(getattr(self, f.name), np.ndarray)
        }
        return dataclasses.replace(self, **changes)


# --------------------------------------------------------------------------- loader


def load_clip_int8(path: str) -> ViTWeights:
    """Read a dynamically-quantised CLIP vision ONNX file and return float32 weights.

    Graph nodes mapped (HF export + onnxruntime ``quantize_dynamic``):

    * ``/vision_model/embeddings/patch_embedding/Conv``
      <- ``vision_model.embeddings.patch_embedding.weight``
      (fp32, [768,3,16,16], stride 16, no bias)
    * ``/vision_model/embeddings/Expand`` <- ``vision_model.embeddings.class_embedding``
    * ``/vision_model/embeddings/position_embedding/Gather``
      <- ``...position_embedding.weight`` (ids 0..196)
    * ``/vision_model/pre_layrnorm/*`` (ReduceMean/Sub/Pow/ReduceMean/Add eps/Sqrt/Div/Mul/Add)
      <- ``vision_model.pre_layrnorm.{weight,bias}``; same pattern for ``layer_norm1``,
      ``layer_norm2`` and ``post_layernorm``; eps read from the ``Add`` constant.
    * every ``MatMulInteger`` (inputs: activation_q, W_q int8 [K,N], act_zp, W_zp [N]) whose
      output is ``/<module>/MatMul_output_0_output_quantized`` with the scale multiplied in by
      ``/<module>/MatMul_quant_scales_mul:0 = act_scale * W_scale[N]``:
      W = (W_q - W_zp) * W_scale, per output channel (broadcast over the last axis).
      <module> in {``vision_model/encoder/layers.i/self_attn/{q,k,v,out}_proj``,
      ``.../mlp/fc1``, ``.../mlp/fc2``, ``visual_projection``}; biases are the fp32
      initialisers ``vision_model.encoder.layers.i.<...>.bias`` (visual_projection has none).
    * attention: ``Mul`` by 0.35355 = dh^-0.25 on q and on k^T, MatMul, Softmax(-1), MatMul by v
      (heads from the Reshape target ``[-1, 12, 64]``).
    * ``/mlp/activation_fn``: ``Mul`` by 1.702, ``Sigmoid``, ``Mul`` -> quick_gelu.
    * ``/vision_model/Gather`` (token 0 of ``onnx::Gather_1524``, the last hidden state) ->
      post_layernorm -> visual_projection -> ``image_embeds``.
    """
    import onnx
    from onnx import numpy_helper

    model = onnx.load(path)
    g = model.graph
    inits: dict[str, np.ndarray] = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    consts: dict[str, np.ndarray] = {}
    for n in g.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    producer = {o: n for n in g.node for o in n.output}

    def f32(name: str) -> np.ndarray:
        return np.ascontiguousarray(inits[name], dtype=np.float32)

    # ---- linear layers: dequantise every MatMulInteger weight, keyed by module path
    linear: dict[str, np.ndarray] = {}
    for n in g.node:
        if n.op_type == "MatMulInteger":
            m = re.match(r"^/?(.*)/MatMul_output_0_output_quantized$", n.output[0]) or re.match(
                r"^(image_embeds)_output_quantized$", n.output[0]
            )
            if m is None:
                raise ValueError(f"unrecognised MatMulInteger output {n.output[0]}")
            module = m.group(1)
            if module == "image_embeds":
                module = "visual_projection"
            wq = inits[n.input[1]].astype(np.float32)
            wzp = inits[n.input[3]].astype(np.float32) if len(n.input) > 3 and n.input[3] else 0.0
            scale_name = f"/{module}/MatMul_quant_scales_mul:0"
            mul = producer[scale_name]
            wscale = [inits[i] for i in mul.input if i in inits]
            if len(wscale) != 1:
                raise ValueError(f"cannot find weight scale for {module}")
            linear[module] = ((wq - wzp) * wscale[0].astype(np.float32)).astype(np.float32)
        elif n.op_type == "MatMul" and len(n.input) == 2 and n.input[1] in inits:
            module = re.sub(r"/MatMul$", "", n.name).lstrip("/")
            linear[module] = f32(n.input[1])

    # ---- hyper-parameters from the graph
    eps_vals = {
        float(consts[i])
        for n in g.node
        if n.op_type == "Add" and re.search(r"(layer_?norm|layrnorm)\d?/Add$", n.name)
        for i in n.input
        if i in consts
    }
    if len(eps_vals) != 1:
        raise ValueError(f"LayerNorm eps not unique: {eps_vals}")
    eps = eps_vals.pop()

    act_nodes = [n for n in g.node if "/layers.0/mlp/activation_fn/" in n.name]
    ops = {n.op_type for n in act_nodes}
    if "Sigmoid" not in ops or "Erf" in ops:
        raise NotImplementedError(f"activation is not quick_gelu (ops {ops})")
    alphas = [
        float(consts[i]) for n in act_nodes if n.op_type == "Mul" for i in n.input if i in consts
    ]
    act_alpha = alphas[0]

    concat = producer["/vision_model/encoder/layers.0/self_attn/Concat_output_0"]
    shape_tail = [int(consts[i].reshape(-1)[0]) for i in concat.input if i in consts]
    heads, head_dim = shape_tail[-2], shape_tail[-1]
    qk_scale = [
        float(consts[i])
        for n in g.node
        if n.op_type == "Mul" and n.name.startswith("/vision_model/encoder/layers.0/self_attn/Mul")
        for i in n.input
        if i in consts
    ]
    # q and k are each scaled by dh^-0.25 -> scores scaled by dh^-0.5, which forward() uses.
    if not all(abs(s * s - head_dim**-0.5) < 1e-6 for s in qk_scale) or len(qk_scale) != 2:
        raise ValueError(f"unexpected attention scaling {qk_scale}")

    depth = 1 + max(
        int(m.group(1)) for k in inits for m in [re.search(r"layers\.(\d+)\.", k)] if m is not None
    )

    def layer(i: int, tail: str) -> np.ndarray:
        return linear[f"vision_model/encoder/layers.{i}/{tail}"]

    def lb(i: int, tail: str) -> np.ndarray:
        return f32(f"vision_model.encoder.layers.{i}.{tail}")

    stack = np.stack
    L = range(depth)
    return ViTWeights(
        patch_w=f32("vision_model.embeddings.patch_embedding.weight"),
        class_emb=f32("vision_model.embeddings.class_embedding"),
        pos_emb=f32("vision_model.embeddings.position_embedding.weight"),
        pre_ln_g=f32("vision_model.pre_layrnorm.weight"),
        pre_ln_b=f32("vision_model.pre_layrnorm.bias"),
        ln1_g=stack([lb(i, "layer_norm1.weight") for i in L]),
        ln1_b=stack([lb(i, "layer_norm1.bias") for i in L]),
        wqkv=stack(
            [np.concatenate([layer(i, f"self_attn/{p}_proj") for p in "qkv"], axis=1) for i in L]
        ),
        bqkv=stack([np.concatenate([lb(i, f"self_attn.{p}_proj.bias") for p in "qkv"]) for i in L]),
        wo=stack([layer(i, "self_attn/out_proj") for i in L]),
        bo=stack([lb(i, "self_attn.out_proj.bias") for i in L]),
        ln2_g=stack([lb(i, "layer_norm2.weight") for i in L]),
        ln2_b=stack([lb(i, "layer_norm2.bias") for i in L]),
        w1=stack([layer(i, "mlp/fc1") for i in L]),
        b1=stack([lb(i, "mlp.fc1.bias") for i in L]),
        w2=stack([layer(i, "mlp/fc2") for i in L]),
        b2=stack([lb(i, "mlp.fc2.bias") for i in L]),
        post_ln_g=f32("vision_model.post_layernorm.weight"),
        post_ln_b=f32("vision_model.post_layernorm.bias"),
        proj=linear["visual_projection"],
        heads=heads,
        eps=eps,
        act_alpha=act_alpha,
    )


def random_weights(
    dim: int = 32,
    depth: int = 2,
    heads: int = 4,
    patch: int = 8,
    image: int = 32,
    proj: int = 16,
    seed: int = 0,
    mlp_ratio: int = 4,
) -> ViTWeights:
    """A tiny random ViT with the same structure (float32)."""
    rng = np.random.default_rng(seed)
    T = (image // patch) ** 2 + 1
    F = mlp_ratio * dim

    def n(*shape: int, s: float = 1.0) -> np.ndarray:
        return (rng.standard_normal(shape) * s).astype(np.float32)

    return ViTWeights(
        patch_w=n(dim, 3, patch, patch, s=(3 * patch * patch) ** -0.5),
        class_emb=n(dim, s=0.5),
        pos_emb=n(T, dim, s=0.5),
        pre_ln_g=1 + n(dim, s=0.1),
        pre_ln_b=n(dim, s=0.1),
        ln1_g=1 + n(depth, dim, s=0.1),
        ln1_b=n(depth, dim, s=0.1),
        wqkv=n(depth, dim, 3 * dim, s=dim**-0.5),
        bqkv=n(depth, 3 * dim, s=0.1),
        wo=n(depth, dim, dim, s=dim**-0.5),
        bo=n(depth, dim, s=0.1),
        ln2_g=1 + n(depth, dim, s=0.1),
        ln2_b=n(depth, dim, s=0.1),
        w1=n(depth, dim, F, s=dim**-0.5),
        b1=n(depth, F, s=0.1),
        w2=n(depth, F, dim, s=F**-0.5),
        b2=n(depth, dim, s=0.1),
        post_ln_g=1 + n(dim, s=0.1),
        post_ln_b=n(dim, s=0.1),
        proj=n(dim, proj, s=dim**-0.5),
        heads=heads,
        eps=1e-5,
        act_alpha=1.702,
    )


# --------------------------------------------------------------------------- primitives


def _ln_fwd(x: Array, g: Array, b: Array, eps: float) -> tuple[Array, tuple[Array, Array, Array]]:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = xc * rstd
    return xhat * g + b, (xhat, rstd, g)


def _ln_bwd(dy: Array, c: tuple[Array, Array, Array]) -> Array:
    xhat, rstd, g = c
    dxh = dy * g
    return rstd * (dxh - dxh.mean(-1, keepdims=True) - xhat * (dxh * xhat).mean(-1, keepdims=True))


def _sigmoid(x: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free


def _softmax(s: Array) -> Array:
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def _fake_quant(x: Array) -> Array:
    """onnx DynamicQuantizeLinear followed by dequantisation (uint8, per tensor)."""
    f = np.float32
    lo = np.minimum(f(0), x.min().astype(f))
    hi = np.maximum(f(0), x.max().astype(f))
    scale = (hi - lo) / f(255)  # float32 arithmetic, as onnxruntime does
    if scale == 0:
        return x
    zp = np.clip(np.rint((f(0) - lo) / scale), 0, 255)
    q = np.clip(np.rint(x.astype(f) / scale) + zp, 0, 255)
    return ((q - zp) * scale).astype(x.dtype)


def _patchify(x: Array, p: int) -> Array:
    c, hgt, wid = x.shape
    gh, gw = hgt // p, wid // p
    return x.reshape(c, gh, p, gw, p).transpose(1, 3, 0, 2, 4).reshape(gh * gw, c * p * p)


def _unpatchify(d: Array, c: int, hgt: int, wid: int, p: int) -> Array:
    gh, gw = hgt // p, wid // p
    return d.reshape(gh, gw, c, p, p).transpose(2, 0, 3, 1, 4).reshape(c, hgt, wid)


# --------------------------------------------------------------------------- forward / backward


def forward(
    w: ViTWeights, x: Array, quantize_activations: bool = False
) -> tuple[Array, dict[str, Any]]:
    """Embedding (``image_embeds`` definition, not L2-normalised) of one image [3, S, S].

    ``x`` must already be CLIP-normalised and S divisible by the patch size, with
    (S/P)^2 + 1 == len(pos_emb).  ``quantize_activations=True`` mimics onnxruntime's
    DynamicQuantizeLinear before every int8 matmul (forward-only verification aid; the
    returned cache is then not valid for ``backward``).
    """
    dt = w.wqkv.dtype
    x = np.asarray(x, dtype=dt)
    _c, hgt, wid = x.shape
    p, D, H = w.patch, w.dim, w.heads
    dh = D // H
    if hgt % p or wid % p:
        raise ValueError(f"image {hgt}x{wid} not divisible by patch {p}")
    fq = _fake_quant if quantize_activations else (lambda a: a)

    tokens = _patchify(x, p) @ w.patch_w.reshape(D, -1).T  # [N, D]
    h = np.concatenate([w.class_emb[None, :], tokens], axis=0) + w.pos_emb
    T = h.shape[0]
    h, c_pre = _ln_fwd(h, w.pre_ln_g, w.pre_ln_b, w.eps)
    scale = dt.type(dh**-0.5)
    alpha = dt.type(w.act_alpha)

    layers: list[dict[str, Any]] = []
    for i in range(w.depth):
        a, c_ln1 = _ln_fwd(h, w.ln1_g[i], w.ln1_b[i], w.eps)
        qkv = fq(a) @ w.wqkv[i] + w.bqkv[i]  # [T, 3D]
        q, k, v = qkv.reshape(T, 3, H, dh).transpose(1, 2, 0, 3)  # each [H, T, dh]
        pr = _softmax((q @ k.transpose(0, 2, 1)) * scale)  # [H, T, T]
        o = (pr @ v).transpose(1, 0, 2).reshape(T, D)
        h = h + fq(o) @ w.wo[i] + w.bo[i]
        m, c_ln2 = _ln_fwd(h, w.ln2_g[i], w.ln2_b[i], w.eps)
        u = fq(m) @ w.w1[i] + w.b1[i]  # [T, F]
        sg = _sigmoid(alpha * u)
        act = u * sg
        h = h + fq(act) @ w.w2[i] + w.b2[i]
        layers.append(
            dict(c_ln1=c_ln1, a=a, q=q, k=k, v=v, p=pr, o=o, c_ln2=c_ln2, m=m, u=u, sg=sg, act=act)
        )

    z, c_post = _ln_fwd(h[0], w.post_ln_g, w.post_ln_b, w.eps)
    emb = fq(z) @ w.proj
    cache = dict(shape=x.shape, T=T, c_pre=c_pre, layers=layers, c_post=c_post, z=z, hidden=h)
    return emb, cache


def backward(w: ViTWeights, cache: dict[str, Any], grad_embedding: Array) -> Array:
    """d(<grad_embedding, embedding>)/dx for the image given to ``forward``; [3, S, S]."""
    dt = w.wqkv.dtype
    T = cache["T"]
    D, H = w.dim, w.heads
    dh = D // H
    scale = dt.type(dh**-0.5)
    alpha = dt.type(w.act_alpha)

    dz = w.proj @ np.asarray(grad_embedding, dtype=dt)  # [D]
    dh0 = _ln_bwd(dz, cache["c_post"])
    dhid = np.zeros((T, D), dtype=dt)
    dhid[0] = dh0

    for i in reversed(range(w.depth)):
        L = cache["layers"][i]
        # MLP residual branch
        dact = dhid @ w.w2[i].T
        sg, u = L["sg"], L["u"]
        du = dact * (sg + alpha * u * sg * (1.0 - sg))
        dm = du @ w.w1[i].T
        dhid = dhid + _ln_bwd(dm, L["c_ln2"])
        # attention residual branch
        do = (dhid @ w.wo[i].T).reshape(T, H, dh).transpose(1, 0, 2)  # [H, T, dh]
        pr, q, k, v = L["p"], L["q"], L["k"], L["v"]
        dv = pr.transpose(0, 2, 1) @ do
        dp = do @ v.transpose(0, 2, 1)
        ds = pr * (dp - (dp * pr).sum(-1, keepdims=True)) * scale
        dq = ds @ k
        dk = ds.transpose(0, 2, 1) @ q
        dqkv = np.stack([dq, dk, dv]).transpose(2, 0, 1, 3).reshape(T, 3 * D)
        da = dqkv @ w.wqkv[i].T
        dhid = dhid + _ln_bwd(da, L["c_ln1"])

    demb = _ln_bwd(dhid, cache["c_pre"])  # grads wrt (class | tokens) + pos
    dtok = demb[1:] @ w.patch_w.reshape(D, -1)  # [N, 3PP]
    c, hgt, wid = cache["shape"]
    return _unpatchify(dtok, c, hgt, wid, w.patch)


def embed_and_grad(w: ViTWeights, x: Array, target_unit_vector: Array) -> tuple[float, Array]:
    """cos(embedding(x), target) and its gradient wrt x (target assumed unit length)."""
    emb, cache = forward(w, x)
    t = np.asarray(target_unit_vector, dtype=emb.dtype)
    nrm = float(np.linalg.norm(emb))
    cos = float(emb @ t) / nrm
    g_emb = t / nrm - cos * emb / (nrm * nrm)
    return cos, backward(w, cache, g_emb)


def clip_preprocess(img: np.ndarray, size: int = 224) -> np.ndarray:
    """HWC uint8 RGB -> normalised float32 [3, size, size] (short side resized, bicubic,
    centre crop)."""
    from PIL import Image

    im = Image.fromarray(img).convert("RGB")
    wd, ht = im.size
    s = size / min(wd, ht)
    nw, nh = max(size, round(wd * s)), max(size, round(ht * s))
    im = im.resize((nw, nh), Image.BICUBIC)
    left, top = (nw - size) // 2, (nh - size) // 2
    im = im.crop((left, top, left + size, top + size))
    a = np.asarray(im, dtype=np.float32) / 255.0
    return ((a - CLIP_MEAN) / CLIP_STD).transpose(2, 0, 1).copy()
