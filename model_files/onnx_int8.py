"""The int8 rewrite of an exported ONNX graph: each weight matrix product in 8-bit integers.

ONNX Runtime's own quantizer (onnxruntime.quantization) needs the weights inside the graph and does
not see through the transposes torch exports, and its dynamic mode picks each call's activation scale
from that call's input, so a streamed window would not compute what the whole sentence does. This
rewrites the graph itself: weights become int8 (symmetric per output row) by nodes computed from the
float32 state-dict weight, which ONNX Runtime folds into constants at load; activations become uint8
with a fixed, calibrated range per product (calibration: tts.quantization).
"""

from __future__ import annotations

import numpy as np

MICROSOFT_DOMAIN = "com.microsoft"
"""ONNX Runtime's own operators (its CPU runtime is the only one that runs the int8 graphs)."""

WEIGHT_LEVELS = 63
"""Weights span -63..63 (7 bits). x86 CPUs without VNNI multiply uint8 by int8 in pairs summed
into int16, which overflows with full-range int8 weights (255 * 127 * 2 > 32767); with 7 bits no
CPU overflows. Measured on the default voice against 127 levels: see the default voice's model card."""


def quantize_matmuls(model, state: dict, ranges: dict[str, tuple[float, float]], levels: int = WEIGHT_LEVELS) -> int:
    """Make every `x @ W.T` of a weight W (N, K) named in `ranges` an 8-bit integer product, in place
    (state: the weights by name, torch tensors or arrays);
    returns how many. ranges: {weight name: (low, high)} of the product's input x."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    producers = {output: node for node in graph.node for output in node.output}
    nodes, count = [], 0
    for node in graph.node:
        source = producers.get(node.input[1]) if node.op_type == "MatMul" else None
        weight = source.input[0] if source is not None and source.op_type == "Transpose" else None
        if weight not in ranges or len(state[weight].shape) != 2:
            nodes.append(node)
            continue
        low, high = ranges[weight]
        x_scale = max(high - low, 1e-8) / 255.0
        x_zero = int(np.clip(round(-low / x_scale), 0, 255))
        n = f"{node.name or node.output[0]}_int8/"  # names of this product's new tensors
        rows = state[weight].shape[0]
        graph.initializer.extend(
            [
                numpy_helper.from_array(np.array([1], dtype=np.int64), n + "axis"),
                numpy_helper.from_array(np.array(float(levels), dtype=np.float32), n + "levels"),
                numpy_helper.from_array(np.array(1e-12, dtype=np.float32), n + "tiny"),
                numpy_helper.from_array(np.array([rows], dtype=np.int64), n + "rows"),
                numpy_helper.from_array(np.zeros(rows, dtype=np.int8), n + "weight_zero"),
                numpy_helper.from_array(np.array(x_scale, dtype=np.float32), n + "x_scale"),
                numpy_helper.from_array(np.array(x_zero, dtype=np.uint8), n + "x_zero"),
            ]
        )
        nodes += [
            # Weight (N, K) -> int8 (K, N) and the output scale (N,): all inputs are initializers,
            # so ONNX Runtime computes these once, at load.
            helper.make_node("Abs", [weight], [n + "abs"]),
            helper.make_node("ReduceMax", [n + "abs", n + "axis"], [n + "absmax"], keepdims=1),
            helper.make_node("Max", [n + "absmax", n + "tiny"], [n + "range"]),
            helper.make_node("Div", [n + "range", n + "levels"], [n + "weight_scale"]),
            helper.make_node("Div", [weight, n + "weight_scale"], [n + "steps"]),
            helper.make_node("Round", [n + "steps"], [n + "rounded"]),
            helper.make_node("Cast", [n + "rounded"], [n + "quantized"], to=TensorProto.INT8),
            helper.make_node("Transpose", [n + "quantized"], [n + "quantized_t"], perm=[1, 0]),
            helper.make_node("Reshape", [n + "weight_scale", n + "rows"], [n + "weight_scale_row"]),
            # Per call: the input to uint8, then the integer product scaled back to float in one
            # kernel (ONNX Runtime's MatMulIntegerToFloat; MatMulInteger, Cast and Mul as three nodes
            # take 17-27% longer per graph, and its optimizer does not fuse them for fixed scales).
            helper.make_node("QuantizeLinear", [node.input[0], n + "x_scale", n + "x_zero"], [n + "x"]),
            helper.make_node(
                "MatMulIntegerToFloat",
                [n + "x", n + "quantized_t", n + "x_scale", n + "weight_scale_row", n + "x_zero", n + "weight_zero"],
                [node.output[0]],
                domain=MICROSOFT_DOMAIN,
            ),
        ]
        count += 1
    if count and not any(entry.domain == MICROSOFT_DOMAIN for entry in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MICROSOFT_DOMAIN, 1))
    # The float transposes that fed the products are unused now.
    used = {name for node in nodes for name in node.input} | {output.name for output in graph.output}
    del graph.node[:]
    graph.node.extend(node for node in nodes if node.op_type != "Transpose" or any(o in used for o in node.output))
    return count
