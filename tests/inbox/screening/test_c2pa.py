"""Signal 1 on manifests signed here with c2pa-python's own Builder."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from inbox.screening import c2pa_manifest
from tests.inbox.screening import images as img
from tests.inbox.screening.c2pa_signing import CAPTURE, sign

FORMATS = [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]


@pytest.mark.parametrize("fmt, mime", FORMATS)
def test_a_generated_image_manifest_refuses_with_its_generator(fmt, mime):
    data = sign(img.encode(img.photo("chelsea"), fmt), mime, generator="DreamMaker/2.1")
    finding = c2pa_manifest.check(data)
    assert finding is not None and finding.outcome == "refuse"
    assert finding.value["claim_generator"] == "DreamMaker 2.1"
    assert finding.value["signature_valid"] is True
    assert finding.value["certificate_trusted"] is False  # our own test root
    assert "trainedAlgorithmicMedia" in finding.detail


def test_a_camera_manifest_does_not_fire():
    data = sign(img.encode(img.photo("coffee"), "JPEG"), "image/jpeg", source_type=CAPTURE)
    assert c2pa_manifest.read_store(data) is not None  # the manifest is there and read
    assert c2pa_manifest.check(data) is None


def test_the_same_image_without_its_manifest_and_clean_photos_do_not_fire():
    signed = sign(img.encode(img.photo("rocket"), "JPEG"), "image/jpeg")
    resaved = img.encode(Image.open(io.BytesIO(signed)), "JPEG")
    assert c2pa_manifest.check(resaved) is None
    for name in img.PHOTOS:
        assert c2pa_manifest.check(img.encode(img.photo(name), "JPEG")) is None


def test_pixels_changed_after_signing_still_fire_and_say_so():
    signed = bytearray(sign(img.encode(img.photo("astronaut"), "JPEG"), "image/jpeg"))
    signed[-200] ^= 0xFF  # inside the image data, after the manifest
    finding = c2pa_manifest.check(bytes(signed))
    assert finding is not None
    assert finding.value["validation_state"] == "Invalid"


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_remote_manifest_is_never_fetched():
    """The image names a manifest URL (here a loopback server that counts requests): the
    reader must not go and get it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/manifest.c2pa"
        data = sign(img.encode(img.photo("coffee"), "JPEG"), "image/jpeg", remote_url=url)
        assert c2pa_manifest.check(data) is None
        assert _Counter.hits == 0
    finally:
        server.shutdown()
