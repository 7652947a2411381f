"""Signal 4: the invisible watermark Stable Diffusion's reference code writes into every image
(imwatermark's `dwtDct`), read with numpy alone.

How the mark is written (imwatermark/maxDct.py, as used by SD 1.x/2.x txt2img.py and
generative-models for SDXL): the image's U plane (OpenCV's BGR→YUV) is cropped to multiples
of 4; one level of Haar DWT; the approximation band is cut into 4×4 blocks in raster order;
block k carries payload bit k mod n in its largest-magnitude coefficient (positions 1–15),
quantised by 36 to ...+9 for 0 or ...+27 for 1. Reading: |v| mod 36 > 18, majority per bit.
Despite the method's name there is no DCT in this path.

SDXL embedded float32 pixels (U offset +0.5, not +128) and, before mid-2023 and in diffusers
before 0.28, in RGB order: those variants are read too. Every decoding is one more chance of a
lucky match, so the signal fires only when the chance of the match under a fair-coin model is
below one in a million divided by the number of decodings tried. Decoded bits of clean photos
are correlated (often all 0 or all 1), which the model ignores; it is safe for these payloads
because they are close to half ones. JPEG with 4:2:0 subsampling erases the mark: this catches
images as the SD tools saved them.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from inbox.screening.types import REFUSE, Finding

SCALE = 36.0
BLOCK = 4
MIN_PIXELS = 256 * 256
FALSE_POSITIVE_BUDGET = 1e-6

SD1_PAYLOAD = b"StableDiffusionV1"  # CompVis/stable-diffusion scripts/txt2img.py
SD2_PAYLOAD = b"SDV2"  # Stability-AI/stablediffusion scripts/txt2img.py
SDXL_MESSAGE = 0xB3EC907BB19E  # Stability-AI/generative-models sgm/inference/helpers.py

_C = 0.7071067811865476  # pywt's Haar filter tap
_SHIFT, _HALF = 14, 1 << 13  # OpenCV's fixed-point colour conversion


def payload_bits(data: bytes) -> NDArray[np.uint8]:
    return np.unpackbits(np.frombuffer(data, np.uint8))


SDXL_BITS = np.array([int(c) for c in bin(SDXL_MESSAGE)[2:]], np.uint8)
# (name, bits, decodings tried): SD 1.x/2.x wrote uint8 BGR only; SDXL four ways.
PAYLOADS: tuple[tuple[str, NDArray[np.uint8], tuple[tuple[bool, bool], ...]], ...] = (
    ("Stable Diffusion 1.x (StableDiffusionV1)", payload_bits(SD1_PAYLOAD), ((False, False),)),
    ("Stable Diffusion 2.x (SDV2)", payload_bits(SD2_PAYLOAD), ((False, False),)),
    (
        "SDXL (0xB3EC907BB19E)",
        SDXL_BITS,
        ((False, False), (True, False), (False, True), (True, True)),
    ),
)
DECODINGS = sum(len(modes) for _, _, modes in PAYLOADS)


def rgb_to_yuv(rgb: NDArray[Any]) -> tuple[NDArray[np.int64], ...]:
    """Exactly OpenCV's uint8 BGR→YUV (fixed point, 14-bit)."""
    x = rgb.astype(np.int64)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    y = (b * 1868 + g * 9617 + r * 4899 + _HALF) >> _SHIFT
    u = np.clip(((b - y) * 8061 + (128 << _SHIFT) + _HALF) >> _SHIFT, 0, 255)
    v = np.clip(((r - y) * 14369 + (128 << _SHIFT) + _HALF) >> _SHIFT, 0, 255)
    return y, u, v


def rgb_to_yuv_float(rgb: NDArray[Any]) -> tuple[NDArray[np.float32], ...]:
    """OpenCV's float32 BGR→YUV, whose chroma offset is 0.5 (what SDXL's embedder saw)."""
    r, g, b = (np.asarray(rgb[..., i], np.float64) for i in range(3))
    y = 0.114 * b + 0.587 * g + 0.299 * r
    f32 = np.float32
    return y.astype(f32), ((b - y) * 0.492 + 0.5).astype(f32), ((r - y) * 0.877 + 0.5).astype(f32)


def haar_dwt2(x: NDArray[Any]) -> tuple[NDArray[Any], tuple[NDArray[Any], ...]]:
    """pywt.dwt2(x, 'haar') on even sizes, with pywt's exact products and sums (argmax ties in
    flat regions depend on the rounding)."""
    c = x.dtype.type(_C) if x.dtype == np.float32 else _C
    lo = c * x[0::2] + c * x[1::2]
    hi = c * x[0::2] - c * x[1::2]
    ca = c * lo[:, 0::2] + c * lo[:, 1::2]
    cv = c * lo[:, 0::2] - c * lo[:, 1::2]
    ch = c * hi[:, 0::2] + c * hi[:, 1::2]
    cd = c * hi[:, 0::2] - c * hi[:, 1::2]
    return ca, (ch, cv, cd)


def haar_ca(x: NDArray[Any]) -> NDArray[Any]:
    """Only the approximation band of haar_dwt2, with the same arithmetic (all the decoder
    needs, at a third of the work)."""
    c = x.dtype.type(_C) if x.dtype == np.float32 else _C
    lo = c * x[0::2] + c * x[1::2]
    return c * lo[:, 0::2] + c * lo[:, 1::2]


def blocks_of(ca: NDArray[Any]) -> NDArray[Any]:
    """The 4×4 blocks of `ca` as rows of 16, in raster order (partial edge blocks dropped)."""
    nby, nbx = ca.shape[0] // BLOCK, ca.shape[1] // BLOCK
    t = ca[: nby * BLOCK, : nbx * BLOCK].reshape(nby, BLOCK, nbx, BLOCK)
    return t.transpose(0, 2, 1, 3).reshape(nby * nbx, BLOCK * BLOCK)


def carriers(blocks: NDArray[Any]) -> NDArray[np.intp]:
    """Each block's carrier: argmax of |v| over positions 1..15, first on ties."""
    return np.argmax(np.abs(blocks[:, 1:]), axis=1) + 1


def u_plane(
    rgb: NDArray[np.uint8], *, float_domain: bool, reversed_channels: bool = False
) -> NDArray[Any]:
    """The U plane the mark lives in, cropped to multiples of 4 (channels read in reverse
    for encoders that were given RGB where they expected BGR). The uint8 path computes only
    U, in int32 (the fixed-point products stay below 2^31), exactly as rgb_to_yuv does."""
    h, w = rgb.shape[0] // 4 * 4, rgb.shape[1] // 4 * 4
    rgb = rgb[:h, :w, ::-1] if reversed_channels else rgb[:h, :w]
    if float_domain:
        return rgb_to_yuv_float(rgb)[1]
    r, g, b = (rgb[..., i].astype(np.int32) for i in range(3))
    y = (b * 1868 + g * 9617 + r * 4899 + _HALF) >> _SHIFT
    u = ((b - y) * 8061 + ((128 << _SHIFT) + _HALF)) >> _SHIFT
    return np.clip(u, 0, 255).astype(np.float64)


def block_votes(
    rgb: NDArray[np.uint8], *, float_domain: bool = False, reversed_channels: bool = False
) -> NDArray[np.int64]:
    """Each block's reading (0/1); a payload's bits are majority votes over every n-th block,
    so one pass serves every payload read in the same domain."""
    if rgb.shape[0] * rgb.shape[1] < MIN_PIXELS:
        raise ValueError("the watermark cannot be read from images under 256×256 pixels")
    plane = u_plane(rgb, float_domain=float_domain, reversed_channels=reversed_channels)
    blocks = blocks_of(haar_ca(plane))
    values = np.abs(blocks[np.arange(len(blocks)), carriers(blocks)])
    return (np.remainder(values, SCALE) > 0.5 * SCALE).astype(np.int64)


def bits_from_votes(votes: NDArray[np.int64], n_bits: int) -> NDArray[np.uint8]:
    index = np.arange(len(votes)) % n_bits
    ones = np.bincount(index, weights=votes, minlength=n_bits)
    total = np.bincount(index, minlength=n_bits)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((ones / total) * 255 > 127).astype(np.uint8)


def decode_bits(
    rgb: NDArray[np.uint8], n_bits: int, *, float_domain: bool = False
) -> NDArray[np.uint8]:
    """What imwatermark's WatermarkDecoder('bits', n).decode(bgr, 'dwtDct') returns."""
    return bits_from_votes(block_votes(rgb, float_domain=float_domain), n_bits)


def match_probability(n_bits: int, n_matching: int) -> float:
    """P[X ≥ n_matching] for X ~ Binomial(n_bits, 1/2), exactly."""
    tail = sum(math.comb(n_bits, k) for k in range(max(n_matching, 0), n_bits + 1))
    return float(Fraction(tail, 1 << n_bits))


def check(image: Image.Image) -> Finding | None:
    if image.width * image.height < MIN_PIXELS:
        return None
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    threshold = FALSE_POSITIVE_BUDGET / DECODINGS
    votes: dict[tuple[bool, bool], NDArray[np.int64]] = {}
    for name, bits, modes in PAYLOADS:
        for mode in modes:
            float_domain, reversed_channels = mode
            if mode not in votes:
                votes[mode] = block_votes(
                    rgb, float_domain=float_domain, reversed_channels=reversed_channels
                )
            matching = int(np.sum(bits_from_votes(votes[mode], len(bits)) == bits))
            chance = match_probability(len(bits), matching)
            if chance < threshold:
                return Finding(
                    "watermark",
                    REFUSE,
                    f"invisible watermark of {name}: {matching}/{len(bits)} bits match; the "
                    f"chance of that by luck is {chance:.1e}, below one in a million "
                    f"(over {DECODINGS} decodings)",
                    {
                        "payload": name,
                        "matching_bits": matching,
                        "bits": len(bits),
                        "chance": chance,
                        "float_domain": float_domain,
                        "channels_reversed": reversed_channels,
                    },
                )
    return None
