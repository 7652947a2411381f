"""The int8 model made to give the same numbers on every x86 CPU.

Measured on this project's machines: the bundled CLIP encoder (dynamically quantised: uint8
activations × int8 weights in `MatMulInteger`) scored the four reference photos 0.39, 0.63,
0.44 and 0.10 on CPUs with AVX-512 VNNI, and 0.70, 0.50, 0.68 and 0.74 on an AMD EPYC with
AVX2 only. onnxruntime's AVX2 kernel for uint8 × int8 multiplies with `vpmaddubsw`, which
adds pairs of products into 16 bits and saturates there (255 × 127 × 2 > 32767); VNNI's
`vpdpbusd` does not. onnxruntime's quantisation guide names the cure: uint8 × uint8, whose
kernels widen first and never saturate. Adding 128 to every int8 weight and to its zero
point changes nothing in the arithmetic, (w + 128) − (z + 128) = w − z, and selects them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

SHIFT = 128


def _shifted(values: np.ndarray) -> np.ndarray:
    return (values.astype(np.int16) + SHIFT).astype(np.uint8)


def unsaturated(model: Any) -> int:
    """Rewrite, in place, each `MatMulInteger` whose weights (input B) are an int8
    initializer into uint8 weights and zero point; returns how many nodes were changed."""
    from onnx import numpy_helper

    initializers = {t.name: t for t in model.graph.initializer}
    shifted: set[str] = set()
    changed = 0

    def shift(name: str) -> None:
        if name in shifted:
            return
        tensor = initializers[name]
        tensor.CopyFrom(numpy_helper.from_array(_shifted(numpy_helper.to_array(tensor)), name))
        shifted.add(name)

    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] not in initializers:
            continue
        weights = node.input[1]
        if weights not in shifted and initializers[weights].data_type != _INT8:
            continue
        if len(node.input) < 4 or not node.input[3]:  # no zero point given: it is 0
            zero = f"{weights}_zero_point_u8"
            if zero not in initializers:
                tensor = numpy_helper.from_array(np.array(SHIFT, dtype=np.uint8), zero)
                model.graph.initializer.append(tensor)
                initializers[zero] = tensor
                shifted.add(zero)
            while len(node.input) < 4:
                node.input.append("")
            node.input[3] = zero
        elif node.input[3] not in initializers:
            continue  # a zero point computed at run time: leave the node as it is
        shift(weights)
        shift(node.input[3])
        changed += 1
    return changed


_INT8 = 3  # onnx.TensorProto.INT8


def exact_model_bytes(path: str) -> bytes:
    """The model at `path`, with every int8 weight matmul made uint8 × uint8, serialised for
    onnxruntime.InferenceSession."""
    import onnx

    model = onnx.load(path)
    unsaturated(model)
    return model.SerializeToString()
