"""Eight artworks of the kinds artists post, for measuring the cloak where it is easiest to
see: flat vector colour, line art on white, a soft gradient sky, a dark painting, watercolour,
pixel art, a photo and a busy painterly piece. Those scikit-image lacks are drawn here with
Pillow and numpy, deterministically (same pixels every run)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

SUPERSAMPLE = 4  # drawn large and scaled down: anti-aliased edges, as illustration tools make


def _photo(name: str, size: int) -> Image.Image:
    import skimage.data as data

    return ImageOps.fit(Image.fromarray(getattr(data, name)()).convert("RGB"), (size, size))


def _downsampled(draw_at: int, size: int, paint) -> Image.Image:
    big = Image.new("RGB", (draw_at, draw_at))
    paint(big, ImageDraw.Draw(big), draw_at)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def flat_illustration(size: int) -> Image.Image:
    """A blue sky, a yellow sun, white clouds and green hills in flat fills."""

    def paint(image: Image.Image, draw: ImageDraw.ImageDraw, s: int) -> None:
        draw.rectangle((0, 0, s, s), fill=(110, 180, 235))
        draw.ellipse(
            (int(0.62 * s), int(0.10 * s), int(0.86 * s), int(0.34 * s)), fill=(250, 205, 60)
        )
        for cx, cy, r in (
            (0.22, 0.22, 0.07),
            (0.30, 0.19, 0.09),
            (0.39, 0.23, 0.065),
            (0.55, 0.42, 0.06),
            (0.63, 0.40, 0.08),
        ):
            draw.ellipse(
                (int((cx - r) * s), int((cy - r) * s), int((cx + r) * s), int((cy + r) * s)),
                fill=(255, 255, 255),
            )
        draw.ellipse(
            (int(-0.3 * s), int(0.62 * s), int(0.75 * s), int(1.5 * s)), fill=(90, 170, 90)
        )
        draw.ellipse((int(0.35 * s), int(0.70 * s), int(1.4 * s), int(1.6 * s)), fill=(60, 135, 75))

    return _downsampled(size * SUPERSAMPLE, size, paint)


def line_art(size: int) -> Image.Image:
    """Black ink curves and hatching on white paper."""
    rng = np.random.default_rng(11)

    def paint(image: Image.Image, draw: ImageDraw.ImageDraw, s: int) -> None:
        draw.rectangle((0, 0, s, s), fill=(255, 255, 255))
        for _ in range(14):
            points = (
                np.cumsum(rng.normal(0, s * 0.03, (40, 2)), axis=0) + rng.uniform(0.2, 0.8, 2) * s
            )
            draw.line(
                [tuple(p) for p in points], fill=(15, 15, 20), width=int(s * 0.004), joint="curve"
            )
        x0, y0 = int(0.58 * s), int(0.58 * s)
        for i in range(0, int(0.3 * s), int(0.012 * s)):
            draw.line((x0 + i, y0, x0, y0 + i), fill=(15, 15, 20), width=int(s * 0.002))

    return _downsampled(size * SUPERSAMPLE, size, paint)


def gradient_sky(size: int) -> Image.Image:
    """A soft sunset: orange at the horizon to violet above, a dark hill line."""
    t = np.linspace(0.0, 1.0, size)[:, None, None]
    top, bottom = np.array([70, 60, 140.0]), np.array([250, 160, 90.0])
    sky = (top * (1 - t) + bottom * t) * np.ones((1, size, 1))
    x = np.linspace(0, 1, size)
    hill = (0.82 + 0.05 * np.sin(2 * np.pi * x * 1.5)) * size
    rows = np.arange(size)[:, None]
    sky[rows > hill[None, :]] = (40, 30, 50)
    return Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(1)
    )


def dark_painting(size: int) -> Image.Image:
    """scikit-image's rocket at night, smoothed into a painting: a dark, smooth sky."""
    return _photo("rocket", size).filter(ImageFilter.ModeFilter(9)).filter(ImageFilter.SMOOTH_MORE)


def watercolour(size: int) -> Image.Image:
    """Soft pigment washes with darker dried edges on a faintly grained paper."""
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:size, 0:size] / size
    paper = np.full((size, size, 3), (246.0, 241.0, 228.0))
    paper += rng.normal(0, 1.2, (size, size, 1))
    for colour in ((60, 110, 190), (200, 80, 90), (230, 180, 60), (80, 160, 120)):
        cx, cy, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.15, 0.3)
        d = np.sqrt((x - cx) ** 2 + (y - cy) ** 2) / r
        wash = np.clip(1 - d, 0, 1) ** 0.6 * 0.55 + np.exp(-((d - 0.95) ** 2) / 0.004) * 0.25
        paper = paper * (1 - wash[..., None]) + np.array(colour) * wash[..., None]
    image = Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8))
    return image.filter(ImageFilter.GaussianBlur(2))


def pixel_art(size: int) -> Image.Image:
    """A 32×32 sprite scene scaled up with nearest neighbour: large flat blocks."""
    rng = np.random.default_rng(3)
    grid = np.zeros((32, 32, 3), np.uint8)
    grid[:] = (92, 148, 252)
    grid[24:] = (88, 56, 40)
    grid[23] = (60, 180, 75)
    for cx in (5, 18, 27):
        grid[6:9, cx : cx + 4] = (255, 255, 255)
    grid[14:23, 12:20] = (200, 40, 40)
    grid[12:14, 13:19] = (240, 200, 150)
    grid[16:18, 14:15] = (0, 0, 0)
    grid[16:18, 17:18] = (0, 0, 0)
    for _ in range(12):
        r, c = int(rng.integers(25, 32)), int(rng.integers(0, 32))
        grid[r, c] = (120, 80, 60)
    return Image.fromarray(grid).resize((size, size), Image.Resampling.NEAREST)


def photo(size: int) -> Image.Image:
    """scikit-image's astronaut: a photograph with a smooth grey background."""
    return _photo("astronaut", size)


def busy_painterly(size: int) -> Image.Image:
    """scikit-image's cat, posterised into brushwork: texture everywhere."""
    return (
        _photo("chelsea", size)
        .filter(ImageFilter.ModeFilter(5))
        .filter(ImageFilter.EDGE_ENHANCE_MORE)
    )


KINDS = {
    "flat illustration": flat_illustration,
    "line art": line_art,
    "gradient sky": gradient_sky,
    "dark painting": dark_painting,
    "watercolour": watercolour,
    "pixel art": pixel_art,
    "photo": photo,
    "busy painterly": busy_painterly,
}


def artworks(size: int) -> dict[str, np.ndarray]:
    """Each kind's artwork, size×size RGB uint8."""
    return {name: np.asarray(make(size).convert("RGB")) for name, make in KINDS.items()}
