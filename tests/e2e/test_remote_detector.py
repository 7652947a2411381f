"""A remote detection service (issue 14, part 3): the adapter against the reference service,
`cara-fed detector serve`, run as a real process with a small ONNX model, and against a
misbehaving server for what the reference never does (a slow, failing or nonsensical
answer). Whatever goes wrong sends the image to review, never to accept.

The model is a stand-in whose answer can be predicted: it scores an image by its mean red
(tests/inbox/screening/test_classifier.py's tiny model), so red pictures are "generated"."""

from __future__ import annotations

import asyncio
import http.server
import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import httpx
import numpy as np
import pytest
from PIL import Image

from inbox.remote_detector import DetectorSettings, RemoteDetector, consult
from inbox.screening.types import Verdict
from tests.inbox.screening.test_classifier import tiny_model
from tests.instances import REPO, free_port, wait_for

SECRET = "correct horse battery staple"
TINY = """
classifier = "custom"
classifier_model_path = "tiny.onnx"
classifier_input_size = 8
classifier_resize = "stretch"
classifier_crop = "none"
classifier_mean = [0.0, 0.0, 0.0]
classifier_std = [1.0, 1.0, 1.0]
classifier_threads = 1
"""


def png(rgb: tuple[int, int, int], size: tuple[int, int] = (60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, "PNG")
    return out.getvalue()


def noise_png(side: int) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 255, (side, side, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


RED, BLUE = png((230, 20, 40)), png((20, 40, 230))


class DetectorProcess:
    def __init__(self, root: Path, *, model: bool = True, max_bytes: int = 200_000) -> None:
        root.mkdir()
        if model:
            tiny_model(root / "tiny.onnx")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/detect"
        (root / "instance.toml").write_text(
            f'[instance]\nurl = "http://127.0.0.1:1"\ndata_dir = "data"\n'
            f"[screening]{TINY}\n"
            f'[detector]\nsecret = "{SECRET}"\nport = {self.port}\nmax_image_bytes = {max_bytes}\n'
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cara_fed",
                "--config",
                str(root / "instance.toml"),
                "detector",
                "serve",
            ],
            cwd=REPO,
            stdout=(root / "detector.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(self._up, what="the detector to listen")
        self.banner = (root / "detector.log").read_text()

    def _up(self) -> bool:
        try:
            return httpx.post(self.url, content=b"").status_code == 401
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    process = DetectorProcess(tmp_path_factory.mktemp("detector") / "d")
    yield process
    process.stop()


def check(url: str, data: bytes, *, secret: str = SECRET, timeout: float = 5.0, **kw):
    settings = DetectorSettings(url, secret, timeout, threshold=0.5, outcome="review", **kw)

    async def run():
        adapter = RemoteDetector(settings, "cara-fed tests")
        try:
            return await adapter.check(data, "image/png")
        finally:
            await adapter.aclose()

    return asyncio.run(run())


def test_the_reference_service_scores_with_the_configured_model(detector):
    assert "serving http://127.0.0.1" in detector.banner
    red = check(detector.url, RED)
    assert red.outcome == "review" and red.value["score"] == pytest.approx(230 / 255, abs=0.01)
    assert red.value["model"] == "custom model tiny.onnx"
    blue = check(detector.url, BLUE)
    assert blue.outcome == "advice" and blue.value["score"] < 0.1


@pytest.mark.parametrize(
    ("data", "secret", "why"),
    [
        (RED, "wrong", "it answered 401"),
        (noise_png(400), SECRET, "it answered 413"),
        (b"GIF89a not really", SECRET, "it answered 415"),
    ],
    ids=["wrong secret", "image too large", "not an image"],
)
def test_what_the_reference_refuses_is_held_for_review(detector, data, secret, why):
    found = check(detector.url, data, secret=secret)
    assert found.outcome == "review" and why in found.detail
    assert "held for a moderator" in found.detail


def test_a_service_without_its_model_answers_503_and_the_image_is_held(tmp_path):
    broken = DetectorProcess(tmp_path / "broken", model=False)
    try:
        found = check(broken.url, RED)
        assert found.outcome == "review" and "it answered 503" in found.detail
    finally:
        broken.stop()


class Misbehaving(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answers: ClassVar[dict[str, tuple[int, bytes, float]]] = {
        "/slow": (200, b'{"score": 0.1}', 3.0),
        "/error": (500, b"oops", 0.0),
        "/malformed": (200, b"<html>not json</html>", 0.0),
        "/noscore": (200, b'{"label": "ai"}', 0.0),
        "/nan": (200, b'{"score": NaN}', 0.0),
        "/outside": (200, b'{"score": 7}', 0.0),
        "/huge": (200, b'{"score": 0.1, "pad": "' + b"x" * 100_000 + b'"}', 0.0),
        "/redirect": (302, b"", 0.0),
    }

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, body, delay = self.answers[self.path]
        time.sleep(delay)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/error")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def misbehaving():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/slow", "ReadTimeout"),
        ("/error", "it answered 500"),
        ("/malformed", "not JSON"),
        ("/noscore", "no score from 0 to 1"),
        ("/nan", "no score from 0 to 1"),
        ("/outside", "no score from 0 to 1"),
        ("/huge", "limit"),
        ("/redirect", "it answered 302"),
    ],
)
def test_a_detector_that_fails_holds_the_image_for_review(misbehaving, path, why):
    started = time.monotonic()
    found = check(misbehaving + path, RED, timeout=0.5)
    assert found.outcome == "review" and why in found.detail, found.detail
    assert time.monotonic() - started < 2.5  # the timeout bounds a slow detector


def test_only_world_readable_posts_are_sent_unless_the_admin_allows_all(misbehaving):
    settings = DetectorSettings(misbehaving + "/error", SECRET, 1.0, 0.5, "review")
    assert settings.sends("public") and settings.sends("unlisted")
    assert not settings.sends("followers") and not settings.sends("direct")
    everything = DetectorSettings(misbehaving + "/error", SECRET, 1.0, 0.5, "review", True)
    assert everything.sends("direct")

    async def run(visibility: str) -> Verdict:
        adapter = RemoteDetector(settings, "cara-fed tests")
        try:
            return await consult(adapter, Verdict("accept", []), RED, visibility)
        finally:
            await adapter.aclose()

    assert asyncio.run(run("followers")).outcome == "accept"  # not sent: unchanged
    assert asyncio.run(run("public")).outcome == "review"  # sent: the failure holds it


def test_a_members_public_upload_is_held_by_the_detector(detector, make_instance, tmp_path):
    a = make_instance(
        "a",
        start=False,
        extra_config=(
            f'[screening]\nclassifier = "off"\nremote_detector_url = "{detector.url}"\n'
            f'remote_detector_secret = "{SECRET}"\n'
        ),
    )
    a.cli("init")
    a.cli("user", "add", "ann")
    red, blue = tmp_path / "red.png", tmp_path / "blue.png"
    red.write_bytes(RED)
    blue.write_bytes(BLUE)
    a.cli("post", "ann", "--image", str(red), "--alt", "red", "--text", "public red")
    a.cli("post", "ann", "--image", str(blue), "--alt", "blue", "--text", "public blue")
    a.cli("post", "ann", "--image", str(red), "--alt", "red", "--visibility", "followers")
    [(held_text, held)] = a.query("SELECT content, held FROM posts WHERE held = TRUE")
    assert "public red" in held_text and held == 1
    [line] = a.cli("moderation", "list", "--state", "review").stdout.splitlines()
    shown = json.loads(a.cli("moderation", "show", line.split()[0]).stdout)
    [found] = [e for e in shown["evidence"][0]["evidence"] if e["signal"] == "remote_detector"]
    assert found["value"]["url"] == detector.url and found["value"]["score"] > 0.5
    evidence = [
        json.loads(e) for (e,) in a.query("SELECT screening_evidence FROM media_attachments")
    ]
    sent = [any(f["signal"] == "remote_detector" for f in e) for e in evidence]
    assert sent.count(True) == 2  # the two public posts; the followers-only one was not sent
