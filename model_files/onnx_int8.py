"""The int8 rewrite of an exported ONNX graph: each weight matrix product, and each plain 1-D
convolution named for it, in 8-bit integers.

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
    """Make every `x @ W.T` of a weight W (N, K), and every 1-D convolution of a weight W (O, C, k)
    that keeps the length, named in `ranges`, an 8-bit integer product, in place (state: the weights
    by name, torch tensors or arrays); returns how many. ranges: {weight name: (low, high)} of the
    product's input x."""
    from onnx import helper

    graph = model.graph
    producers = {output: node for node in graph.node for output in node.output}
    nodes, count = [], 0
    for node in graph.node:
        source = producers.get(node.input[1]) if node.op_type == "MatMul" else None
        weight = source.input[0] if source is not None and source.op_type == "Transpose" else None
        if weight in ranges and len(state[weight].shape) == 2:
            n = f"{node.name or node.output[0]}_int8/"  # names of this product's new tensors
            nodes += _quantized_weight(graph, n, weight, transposed=False, levels=levels)
            nodes += _integer_product(graph, n, node.input[0], node.output[0], ranges[weight])
            count += 1
        elif node.op_type == "Conv" and node.input[1] in ranges and (padding := _plain_padding(node, state[node.input[1]])):
            nodes += _convolution(graph, node, state[node.input[1]].shape, padding, ranges[node.input[1]], levels)
            count += 1
        else:
            nodes.append(node)
    if count and not any(entry.domain == MICROSOFT_DOMAIN for entry in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MICROSOFT_DOMAIN, 1))
    # The float transposes that fed the products are unused now.
    used = {name for node in nodes for name in node.input} | {output.name for output in graph.output}
    del graph.node[:]
    graph.node.extend(node for node in nodes if node.op_type != "Transpose" or any(o in used for o in node.output))
    return count


def _quantized_weight(graph, n: str, weight: str, transposed: bool, levels: int) -> list:
    """Nodes that turn a float weight into `n + "quantized_t"`, int8 (K, N), and `n + "weight_scale_row"`,
    the scale of each output (N,): from W (N, K), or from W already (K, N) when `transposed`. All their
    inputs are initializers, so ONNX Runtime computes them once, at load."""
    from onnx import TensorProto, helper, numpy_helper

    axis = 0 if transposed else 1  # the axis each output's maximum runs over
    graph.initializer.extend(
        [
            numpy_helper.from_array(np.array([axis], dtype=np.int64), n + "axis"),
            numpy_helper.from_array(np.array(float(levels), dtype=np.float32), n + "levels"),
            numpy_helper.from_array(np.array(1e-12, dtype=np.float32), n + "tiny"),
            numpy_helper.from_array(np.array([-1], dtype=np.int64), n + "rows"),
        ]
    )
    quantized = n + ("quantized_t" if transposed else "quantized")
    nodes = [
        helper.make_node("Abs", [weight], [n + "abs"]),
        helper.make_node("ReduceMax", [n + "abs", n + "axis"], [n + "absmax"], keepdims=1),
        helper.make_node("Max", [n + "absmax", n + "tiny"], [n + "range"]),
        helper.make_node("Div", [n + "range", n + "levels"], [n + "weight_scale"]),
        helper.make_node("Div", [weight, n + "weight_scale"], [n + "steps"]),
        helper.make_node("Round", [n + "steps"], [n + "rounded"]),
        helper.make_node("Cast", [n + "rounded"], [quantized], to=TensorProto.INT8),
        helper.make_node("Reshape", [n + "weight_scale", n + "rows"], [n + "weight_scale_row"]),
    ]
    if not transposed:
        nodes.append(helper.make_node("Transpose", [quantized], [n + "quantized_t"], perm=[1, 0]))
    return nodes


def _integer_product(graph, n: str, x: str, output: str, x_range: tuple[float, float]) -> list:
    """Per call: x (..., K) to uint8 over its calibrated range, then x @ quantized_t scaled back to float
    in one kernel (ONNX Runtime's MatMulIntegerToFloat; MatMulInteger, Cast and Mul as three nodes
    take 17-27% longer per graph, and its optimizer does not fuse them for fixed scales)."""
    from onnx import helper, numpy_helper

    low, high = x_range
    x_scale = max(high - low, 1e-8) / 255.0
    x_zero = int(np.clip(round(-low / x_scale), 0, 255))
    graph.initializer.extend(
        [
            numpy_helper.from_array(np.array(x_scale, dtype=np.float32), n + "x_scale"),
            numpy_helper.from_array(np.array(x_zero, dtype=np.uint8), n + "x_zero"),
            numpy_helper.from_array(np.array(0, dtype=np.int8), n + "weight_zero"),
        ]
    )
    return [
        helper.make_node("QuantizeLinear", [x, n + "x_scale", n + "x_zero"], [n + "x"]),
        helper.make_node(
            "MatMulIntegerToFloat",
            [n + "x", n + "quantized_t", n + "x_scale", n + "weight_scale_row", n + "x_zero", n + "weight_zero"],
            [output],
            domain=MICROSOFT_DOMAIN,
        ),
    ]


def _plain_padding(node, weight) -> tuple[int, int] | None:
    """(left, right) padding of a 1-D convolution of one group, stride 1 and no dilation, padded to
    keep the length; None for any other."""
    from onnx import helper

    attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    if len(weight.shape) != 3 or attributes.get("group", 1) != 1:
        return None
    pads = list(attributes.get("pads", [0, 0]))
    plain = (
        list(attributes.get("strides", [1])) == [1]
        and list(attributes.get("dilations", [1])) == [1]
        and attributes.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
        and len(pads) == 2
        and sum(pads) == weight.shape[2] - 1
    )
    return (pads[0], pads[1]) if plain else None


def _convolution(graph, node, shape: tuple, padding: tuple[int, int], x_range: tuple[float, float], levels: int) -> list:
    """A plain 1-D convolution (see `_plain_padding`) of x (B, C, T), weight `shape` (O, C, k), as one int8 product:
    the k shifted copies of x side by side (B, T, k * C) times W as (k * C, O), plus the bias.

    ONNX Runtime's ConvInteger is slower than its float32 convolution on these CPUs (a 192 -> 256
    kernel-3 layer over 70 frames: 438 us against 166 us); this form takes a third of the float time.
    """
    from onnx import helper, numpy_helper

    n = f"{node.name or node.output[0]}_int8/"
    name = node.input[1]
    channels_out, channels_in, kernel = shape
    left, right = padding
    graph.initializer.append(numpy_helper.from_array(np.array([kernel * channels_in, channels_out], dtype=np.int64), n + "matrix_shape"))
    nodes = [
        # W (O, C, k) -> (k, C, O) -> (k * C, O): row j * C + c multiplies channel c shifted by j.
        helper.make_node("Transpose", [name], [n + "kco"], perm=[2, 1, 0]),
        helper.make_node("Reshape", [n + "kco", n + "matrix_shape"], [n + "matrix"]),
        *_quantized_weight(graph, n, n + "matrix", transposed=True, levels=levels),
        helper.make_node("Transpose", [node.input[0]], [n + "x_time_first"], perm=[0, 2, 1]),
    ]
    if kernel == 1:
        columns = n + "x_time_first"
    else:
        graph.initializer.extend(
            [
                numpy_helper.from_array(np.array([0, left, 0, 0, right, 0], dtype=np.int64), n + "pads"),
                numpy_helper.from_array(np.array([1], dtype=np.int64), n + "time_axis"),
            ]
        )
        nodes.append(helper.make_node("Pad", [n + "x_time_first", n + "pads"], [n + "padded"], mode="constant"))
        shifted = []
        for j in range(kernel):
            # Copy j starts j frames in and ends k - 1 - j frames before the padded end.
            end = -(kernel - 1 - j) if j < kernel - 1 else np.iinfo(np.int64).max
            graph.initializer.extend(
                [
                    numpy_helper.from_array(np.array([j], dtype=np.int64), f"{n}start{j}"),
                    numpy_helper.from_array(np.array([end], dtype=np.int64), f"{n}end{j}"),
                ]
            )
            nodes.append(helper.make_node("Slice", [n + "padded", f"{n}start{j}", f"{n}end{j}", n + "time_axis"], [f"{n}shift{j}"]))
            shifted.append(f"{n}shift{j}")
        columns = n + "columns"
        nodes.append(helper.make_node("Concat", shifted, [columns], axis=2))
    product = n + "product"
    nodes += _integer_product(graph, n, columns, product, x_range)
    if len(node.input) > 2 and node.input[2]:
        nodes.append(helper.make_node("Add", [product, node.input[2]], [n + "biased"]))
        product = n + "biased"
    nodes.append(helper.make_node("Transpose", [product], [node.output[0]], perm=[0, 2, 1]))
    return nodes
