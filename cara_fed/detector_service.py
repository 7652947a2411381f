"""`cara-fed detector serve`: a reference detection service that speaks the contract of
inbox/remote_detector.py and runs the classifier `[screening]` configures (the bundled probe,
a head trained here, or any ONNX model). An instance can point its remote_detector_url at
one running on another box, so that the model's memory and CPU are not the web server's."""

from __future__ import annotations

import asyncio
import hmac
import threading

from quart import Quart, Response, request

from cara_fed.config import Config
from cara_fed.routes.negotiation import json_response
from cloak.imaging import BadImage, open_image
from inbox.screening.classifier import Classifier, ClassifierUnavailable, load_classifier


class _Model:
    """Loaded once, on the first request, so that the service starts at once."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._model: Classifier | None = None
        self.error: str | None = None

    def get(self) -> Classifier | None:
        with self._lock:
            if self._model is None and self.error is None:
                try:
                    self._model = load_classifier(
                        self._config.screening, self._config.models_dir, self._config.path.parent
                    )
                except ClassifierUnavailable as exc:
                    self.error = str(exc)
                if self._model is None and self.error is None:
                    self.error = "[screening] classifier is off"
            return self._model


def create_detector_app(config: Config) -> Quart:
    app = Quart("cara-fed-detector")
    settings = config.detector
    # Quart answers 413 itself for a declared or streamed body over this.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_image_bytes
    expected = f"Bearer {settings.secret}".encode()
    model = _Model(config)

    def problem(status: int, message: str) -> Response:
        return json_response({"error": message}, status=status)

    @app.post("/detect")
    async def detect() -> Response:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return problem(401, "a Bearer secret ([detector] secret) is needed")
        data = await request.get_data(cache=False)
        if len(data) > settings.max_image_bytes:
            return problem(413, f"the image is over {settings.max_image_bytes} bytes")
        try:
            image = await asyncio.to_thread(open_image, data, config.media.max_pixels)
        except BadImage as exc:
            return problem(415, f"not an image this detector reads: {exc}")
        classifier = await asyncio.to_thread(model.get)
        if classifier is None:
            return problem(503, f"the model is not available: {model.error}")
        try:
            result = await asyncio.to_thread(classifier.score, image)
        except ValueError as exc:
            return problem(422, f"the image cannot be scored: {exc}")
        score = min(1.0, max(0.0, float(result["score"])))
        return json_response({"score": score, "model": classifier.name})

    return app
