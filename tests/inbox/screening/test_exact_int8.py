"""The uint8 rewrite of an int8 matmul changes no number: a tiny MatMulInteger model, run
before and after, with weights and zero points at the ends of the int8 range."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from inbox.screening.exact_int8 import unsaturated


def model(with_zero_point: bool):
    rng = np.random.default_rng(7)
    weights = rng.integers(-128, 128, (64, 8), dtype=np.int8)
    weights[0] = 127
    weights[1] = -128
    inputs = ["a", "w", "a_zero"] + (["w_zero"] if with_zero_point else [])
    initializers = [
        numpy_helper.from_array(weights, "w"),
        numpy_helper.from_array(np.array(3, dtype=np.uint8), "a_zero"),
    ]
    if with_zero_point:
        zeros = rng.integers(-128, 128, 8, dtype=np.int8)
        initializers.append(numpy_helper.from_array(zeros, "w_zero"))
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", inputs, ["y"])],
        "mm",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [4, 64])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [4, 8])],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def run(m, a: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"a": a})[0]


def test_the_rewrite_is_exact_and_turns_the_weights_uint8():
    a = np.full((4, 64), 255, dtype=np.uint8)  # the largest activations: where sums saturate
    a[2:] = np.random.default_rng(8).integers(0, 256, (2, 64), dtype=np.uint8)
    for with_zero_point in (True, False):
        m = model(with_zero_point)
        w = numpy_helper.to_array(m.graph.initializer[0]).astype(np.int64)
        zero = (
            numpy_helper.to_array(m.graph.initializer[2]).astype(np.int64) if with_zero_point else 0
        )
        exact = (a.astype(np.int64) - 3) @ (w - zero)
        assert unsaturated(m) == 1
        types = {t.name: t.data_type for t in m.graph.initializer}
        assert types["w"] == TensorProto.UINT8
        np.testing.assert_array_equal(run(m, a), exact)
