"""Signal 3: metadata that image generators write: AUTOMATIC1111's `parameters` chunk,
ComfyUI's `prompt`/`workflow` graphs, NovelAI's chunks and the gzip'd copy it hides in the
alpha channel's low bits, InvokeAI's and Fooocus's chunks, and generator names in
EXIF Software / XMP CreatorTool. Each rule needs the generator's own structure, not a word,
so an ordinary PNG with a `Comment` never fires."""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from inbox.screening.metadata import ImageMetadata
from inbox.screening.types import REFUSE, Finding

DATA = Path(__file__).parent / "data" / "generators.txt"
STEALTH_MAGICS = (b"stealth_pngcomp", b"stealth_pnginfo")
MAX_STEALTH_BYTES = 1_000_000
_A1111 = re.compile(r"\bSteps: \d+.*\b(Sampler|Seed|CFG scale): ", re.S)
_CREATOR_TOOL = re.compile(r"CreatorTool(?:\s*=\s*[\"']([^\"']+)[\"']|\s*>\s*([^<]+)<)")


@lru_cache(maxsize=1)
def generator_names(path: Path = DATA) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(n.strip().casefold() for n in lines if n.strip() and not n.startswith("#"))


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _chunk_rules(chunks: dict[str, str]) -> Finding | None:
    parameters = chunks.get("parameters", "")
    if _A1111.search(parameters):
        return Finding(
            "generator",
            REFUSE,
            "PNG 'parameters' chunk of AUTOMATIC1111",
            {"chunk": "parameters", "excerpt": parameters[:200]},
        )
    prompt = _json(chunks.get("prompt", ""))
    if isinstance(prompt, dict) and any(
        isinstance(node, dict) and "class_type" in node for node in prompt.values()
    ):
        return Finding(
            "generator", REFUSE, "PNG 'prompt' chunk with a ComfyUI graph", {"chunk": "prompt"}
        )
    workflow = _json(chunks.get("workflow", ""))
    if isinstance(workflow, dict) and "nodes" in workflow and "links" in workflow:
        return Finding(
            "generator", REFUSE, "PNG 'workflow' chunk with a ComfyUI graph", {"chunk": "workflow"}
        )
    comment = _json(chunks.get("Comment", ""))
    if "novelai" in chunks.get("Software", "").casefold() or (
        isinstance(comment, dict)
        and "steps" in comment
        and ("sampler" in comment or "uc" in comment)
    ):
        return Finding(
            "generator",
            REFUSE,
            "NovelAI metadata chunks",
            {"Software": chunks.get("Software", ""), "Source": chunks.get("Source", "")},
        )
    for key in ("invokeai_metadata", "invokeai_graph", "sd-metadata", "fooocus_scheme"):
        if key in chunks:
            return Finding("generator", REFUSE, f"PNG '{key}' chunk of a generator", {"chunk": key})
    return None


def _named_generator(field: str, value: str) -> Finding | None:
    folded = value.casefold()
    for name in generator_names():
        if name in folded:
            return Finding(
                "generator",
                REFUSE,
                f"{field} names the generator {value.strip()!r}",
                {"field": field, "value": value.strip()[:200]},
            )
    return None


def stealth_payload(image: Image.Image) -> dict | str | None:
    """NovelAI's copy of its metadata in the alpha channel's least significant bits: read
    down each column, most significant bit first; magic, a 32-bit length in bits, gzip'd JSON
    (`stealth_pngcomp`) or plain text (`stealth_pnginfo`)."""
    if image.mode != "RGBA":
        return None
    alpha = np.asarray(image.getchannel("A"), dtype=np.uint8)
    bits = (alpha.T & 1).reshape(-1)
    header_bits = 8 * (len(STEALTH_MAGICS[0]) + 4)
    if bits.size < header_bits:
        return None
    head = np.packbits(bits[:header_bits]).tobytes()
    magic, length = head[: len(STEALTH_MAGICS[0])], int.from_bytes(head[-4:], "big") // 8
    if magic not in STEALTH_MAGICS or not 0 < length <= MAX_STEALTH_BYTES:
        return None
    body_bits = bits[header_bits : header_bits + 8 * length]
    if body_bits.size < 8 * length:
        return None
    body = np.packbits(body_bits).tobytes()
    try:
        if magic == b"stealth_pngcomp":
            body = gzip.decompress(body)
        text = body.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError):
        return None
    parsed = _json(text)
    return parsed if isinstance(parsed, dict) else text


def check(image: Image.Image, metadata: ImageMetadata) -> Finding | None:
    found = _chunk_rules(metadata.text_chunks)
    if found:
        return found
    for field, value in (
        ("EXIF Software", metadata.exif_software),
        ("PNG Software", metadata.text_chunks.get("Software", "")),
        *(
            ("XMP CreatorTool", next(g for g in m.groups() if g))
            for m in _CREATOR_TOOL.finditer(metadata.xmp)
        ),
    ):
        if value:
            found = _named_generator(field, value)
            if found:
                return found
    payload = stealth_payload(image)
    if payload is not None:
        summary = payload if isinstance(payload, str) else sorted(payload)[:10]
        return Finding(
            "generator",
            REFUSE,
            "NovelAI metadata hidden in the alpha channel (stealth_pnginfo)",
            {"payload": str(summary)[:200]},
        )
    return None
