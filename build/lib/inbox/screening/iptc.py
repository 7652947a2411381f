"""Signal 2: IPTC's DigitalSourceType in XMP says the image was made by a trained model.

The XMP packet is searched with patterns rather than parsed as XML: it comes from strangers,
and the property may be written as an attribute, an element, or an rdf:resource.
"""

from __future__ import annotations

import re

from inbox.screening.metadata import ImageMetadata
from inbox.screening.types import REFUSE, Finding

GENERATED_SOURCE_TYPES = (
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
)
_PROPERTY = re.compile(
    r"DigitalSourceType(?:\s*=\s*[\"']([^\"']+)[\"']"  # attribute
    r"|[^>]*?rdf:resource\s*=\s*[\"']([^\"']+)[\"']"  # rdf:resource
    r"|\s*>\s*([^<\s]+)\s*<)",  # element text
)


def source_types(xmp: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _PROPERTY.finditer(xmp)]


def check(metadata: ImageMetadata) -> Finding | None:
    for value in source_types(metadata.xmp):
        if value.strip() in GENERATED_SOURCE_TYPES:
            kind = value.strip().rsplit("/", 1)[-1]
            return Finding(
                "iptc",
                REFUSE,
                f"XMP declares the digital source type {kind}",
                {"DigitalSourceType": value.strip()},
            )
    return None
