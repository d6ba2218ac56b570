"""8-bit integer graphs: a voice's weight matrix products in int8, for about 3x faster products on CPUs.

ONNX Runtime's own quantizer (onnxruntime.quantization) needs the weights inside the graph and does
not see through the transposes torch exports, and its dynamic mode picks each call's activation
scale from that call's input, so a streamed window would not compute what the whole sentence does.
This module rewrites the exported graphs itself:
- weights: int8, symmetric per output row (scale max|W_n| / WEIGHT_LEVELS), computed by nodes from
  the float32 state-dict weight; ONNX Runtime folds them into constants while loading the graph, so
  the export still holds one copy of its weights, in model.safetensors;
- activations: uint8 with a fixed range per product, calibrated by running the voice on
  `CALIBRATION_SENTENCES` at the settings users run. Fixed ranges keep every frame's output a
  function of that frame alone: streamed, batched and whole-sentence audio stay equal.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from model_files.onnx_int8 import WEIGHT_LEVELS  # noqa: F401 - the weight range, documented there
from tts.graph_export import export_graphs, graph_specs
from tts.voices import load

RANGE_MARGIN = 1.25
"""Calibrated activation ranges are widened by this factor, so unseen text rarely reaches the clip."""

CALIBRATION_SENTENCES = [
    "Hello there, how are you doing today?",
    "The meeting moved to 3:30 p.m. on Thursday, March 14th.",
    "Please call me back at five five five, one two one two.",
    "Wow! That was the loudest thunderstorm I have ever heard.",
    "Your total comes to $1,249.99, including tax and shipping.",
    "Is the train to the airport still leaving at seven?",
    "She sells seashells by the seashore, and the shells she sells are surely seashells.",
    "In 1969, two astronauts walked on the surface of the Moon for about two and a half hours.",
    "No.",
    "Well, I suppose we could try again tomorrow, if the weather holds.",
    "The quick brown fox jumps over the lazy dog.",
    "Temperatures will drop to minus twelve degrees overnight, so dress warmly.",
    "Why would anyone leave a perfectly good umbrella on the bus?",
    "Chapter one: in which our hero, against all advice, buys a boat.",
    "About 42% of respondents said they would never go back.",
    "Mr. Smith and Dr. Jones arrived at 221B Baker Street at noon.",
]
"""English text of many shapes: questions, exclamations, numbers, money, times, very short and long."""

CALIBRATION_SETTINGS = [("flow_map", 1, None), ("flow_map", 2, None), ("flow_map", 4, None), ("flow_map", 1, 0.667), ("euler", 8, None)]
"""(sampler, steps, temperature; None is the voice's): the decoder sees other inputs at each."""


CONVOLUTION_GRAPHS = ("encoder", "decoder", "spectrum")
"""Graphs whose plain convolutions (one group) become int8 products too: the text encoder's, and the
decoder's and vocoder's input layers (their depthwise ones stay float). Not the duration predictor's:
its output is rounded to whole frames. Scored on both held-out sets before it became the default
(model card)."""


def export_int8_graphs(directory: str | Path) -> list[Path]:
    """Write a voice bundle's float32 graphs, then calibrate it and write the int8 graphs of the
    networks that have weight products (the others run their float32 graph under int8 too)."""
    directory = Path(directory)
    if not ((directory / "acoustic").is_dir() and (directory / "vocoder").is_dir()):
        raise ValueError(f"int8 graphs are calibrated by running a whole voice: {directory} must hold acoustic/ and vocoder/")
    voice = load(directory, device="cpu", backend="torch")
    # The torch engine's modules: calibration hooks their layers' inputs.
    parts = [(graph_specs(voice.acoustic.model), directory / "acoustic"), (graph_specs(voice.vocoder.model), directory / "vocoder")]
    ranges = activation_ranges(voice, [spec for specs, _ in parts for spec in specs])
    return [path for specs, part in parts for path in export_graphs(specs, part, ranges)]


def activation_ranges(voice, specs, sentences: list[str] = CALIBRATION_SENTENCES) -> dict[str, dict[str, tuple[float, float]]]:
    """{spec name: {weight name: (low, high)}}: the range of every nn.Linear's input (and nn.Conv1d's,
    in CONVOLUTION_GRAPHS) while `voice`
    speaks `sentences` at `CALIBRATION_SETTINGS`, widened by RANGE_MARGIN (low <= 0 <= high)."""
    ranges: dict[str, dict[str, list[float]]] = {}
    hooks = []

    def record(table: dict, key: str):
        def hook(_module, inputs):
            x = inputs[0].detach()
            low, high = table.setdefault(key, [0.0, 0.0])
            table[key] = [min(low, float(x.min())), max(high, float(x.max()))]

        return hook

    for spec in specs:
        table = ranges.setdefault(spec.name, {})
        convolutions = spec.name in CONVOLUTION_GRAPHS
        for name, module in spec.module.named_modules():
            if isinstance(module, nn.Linear) or (convolutions and isinstance(module, nn.Conv1d) and module.groups == 1):
                hooks.append(module.register_forward_pre_hook(record(table, f"{name}.weight")))
    try:
        with torch.no_grad():
            for sampler, steps, temperature in CALIBRATION_SETTINGS:
                options = {} if temperature is None else {"temperature": temperature}
                for sentence in sentences:  # one at a time: padding is not what users' inputs look like
                    voice.synthesize(sentence, sampler=sampler, steps=steps, seed=0, **options)
    finally:
        for hook in hooks:
            hook.remove()
    return {name: {key: (RANGE_MARGIN * low, RANGE_MARGIN * high) for key, (low, high) in table.items()} for name, table in ranges.items()}
