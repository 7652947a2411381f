"""Images for screening tests: real photographs from scikit-image's wheel, and the same
photographs carrying each generator's marker, written the way the generators write them."""

from __future__ import annotations

import gzip
import io
import json

import numpy as np
import skimage.data
from PIL import Image
from PIL.PngImagePlugin import PngInfo

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


def photo(name: str = "astronaut") -> Image.Image:
    return Image.fromarray(getattr(skimage.data, name)()).convert("RGB")


def encode(image: Image.Image, fmt: str = "PNG", **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def png_with_text(image: Image.Image, **chunks: str) -> bytes:
    info = PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    return encode(image, "PNG", pnginfo=info)


def xmp_packet(source_type: str, style: str = "attribute") -> bytes:
    prop = {
        "attribute": f'Iptc4xmpExt:DigitalSourceType="{source_type}"',
        "resource": "",
        "element": "",
    }[style]
    body = {
        "attribute": "",
        "resource": f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{source_type}"/>',
        "element": f"<Iptc4xmpExt:DigitalSourceType>{source_type}</Iptc4xmpExt:DigitalSourceType>",
    }[style]
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f"{prop}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def with_exif_software(image: Image.Image, software: str, fmt: str = "JPEG") -> bytes:
    exif = Image.Exif()
    exif[0x0131] = software
    return encode(image, fmt, exif=exif)


def hide_stealth(image: Image.Image, payload: dict, magic: bytes = b"stealth_pngcomp") -> bytes:
    """NovelAI's alpha-channel copy: magic, 32-bit length in bits, gzip'd JSON, written into
    the alpha LSBs down each column, most significant bit first (nai_meta.py's reader)."""
    data = json.dumps(payload).encode()
    if magic == b"stealth_pngcomp":
        data = gzip.compress(data)
    message = magic + (len(data) * 8).to_bytes(4, "big") + data
    bits = np.unpackbits(np.frombuffer(message, dtype=np.uint8))
    rgba = np.array(image.convert("RGBA"))
    alpha = rgba[:, :, 3].T.copy().reshape(-1)  # column-major order
    alpha[: bits.size] = (alpha[: bits.size] & 0xFE) | bits
    rgba[:, :, 3] = alpha.reshape(rgba.shape[1], rgba.shape[0]).T
    return encode(Image.fromarray(rgba, "RGBA"), "PNG")


A1111_PARAMETERS = (
    "a castle on a hill, masterpiece\nNegative prompt: blurry\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x512, "
    "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly"
)
COMFY_PROMPT = json.dumps(
    {
        "3": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 20}},
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sdxl.safetensors"}},
    }
)
COMFY_WORKFLOW = json.dumps(
    {
        "last_node_id": 9,
        "nodes": [{"id": 3, "type": "KSampler"}],
        "links": [[1, 4, 0, 3, 0, "MODEL"]],
    }
)
NOVELAI_COMMENT = json.dumps({"prompt": "1girl", "steps": 28, "sampler": "k_euler", "uc": "lowres"})
