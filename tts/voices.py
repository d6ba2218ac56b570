"""Finding and loading voices: `tts.load()`.

A voice bundle is a directory with `acoustic/` (an exported acoustic model) and `vocoder/` (an
exported vocoder). Voices shipped inside the package live in `tts/voices/<name>/`; the default voice
is the one named in DEFAULT_VOICE.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

VOICES_DIR = Path(__file__).resolve().parent / "voices"
DEFAULT_VOICE = "default"


class VoiceNotFound(FileNotFoundError):
    """Neither a shipped voice name nor a directory holding a voice."""


def list_voices() -> list[str]:
    """Names of the voices shipped inside the package."""
    if not VOICES_DIR.is_dir():
        return []
    return sorted(p.name for p in VOICES_DIR.iterdir() if _is_bundle(p))


def _is_bundle(path: Path) -> bool:
    return (path / "acoustic" / "config.json").is_file() and (path / "vocoder" / "config.json").is_file()


def resolve_device(device: str | None) -> torch.device:
    """'auto' (or None) picks cuda, then mps, then cpu."""
    if device in (None, "auto"):
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        return torch.device(device)
    except RuntimeError as error:
        raise ValueError(f"unknown device {device!r}: use auto, cpu, cuda, cuda:N or mps") from error


def load(
    name_or_path: str | os.PathLike | None = None,
    *,
    vocoder: str | os.PathLike | None = None,
    device: str | None = "auto",
    dtype: torch.dtype | str | None = None,
    threads: int | None = None,
    backend: str = "auto",
    int8: bool = False,
):
    """Load a `Synthesizer`.

    name_or_path: None for the embedded default voice; a shipped voice's name (`list_voices()`); a
        bundle directory (acoustic/ + vocoder/); or an exported acoustic model directory, with
        `vocoder` naming its vocoder (an exported vocoder directory, 'vocos-pretrained' or 'griffin-lim').
    device: 'auto', 'cpu', 'cuda', 'mps'. dtype: the compute precision, float32, bfloat16 or float16
        (default float32 on CPUs, float16 on GPUs).
        Weights stay float32 and lower precisions run under `torch.autocast`.
        threads: CPU threads for the networks (default: torch's choice). With ONNX graphs they are
        ONNX Runtime's, and torch, which then runs only the glue between graphs, gets one during
        synthesis.
    backend: 'auto' runs the networks that have ONNX graphs in the export (`tts export-graphs`) with
        ONNX Runtime when computing float32 on the CPU, and everything else in torch; 'onnx' requires
        graphs for every network; 'torch' never uses them. The two give the same audio up to float
        rounding.
    int8: run the networks that have int8 graphs (`tts export-graphs --int8`) with 8-bit weight
        products: faster, slightly different audio (measured for the default voice in the README).
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    from tts.model.acoustic import AcousticModel
    from tts.synthesizer import Synthesizer
    from vocoder.loading import load_vocoder

    if threads is not None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        torch.set_num_threads(threads)
    target = resolve_device(device)
    if isinstance(dtype, str):
        dtype = {"float32": torch.float32, "fp32": torch.float32, "float16": torch.float16, "fp16": torch.float16, "bfloat16": torch.bfloat16, "bf16": torch.bfloat16}.get(dtype)
        if dtype is None:
            raise ValueError("dtype must be float32, float16 or bfloat16")
    name = DEFAULT_VOICE if name_or_path is None else str(name_or_path)
    path = VOICES_DIR / name if (VOICES_DIR / name).is_dir() and os.sep not in name else Path(name)
    if _is_bundle(path):
        acoustic_dir, vocoder_spec = path / "acoustic", vocoder or path / "vocoder"
    elif (path / "config.json").is_file():
        if vocoder is None:
            raise ValueError(f"{path} is an acoustic model without a vocoder: pass vocoder= (a directory, 'vocos-pretrained' or 'griffin-lim')")
        acoustic_dir, vocoder_spec = path, vocoder
    elif name_or_path is None:
        raise VoiceNotFound(
            "no default voice is embedded in this installation (tts/voices/default is missing); "
            "pass a voice directory: tts.load('path/to/voice')"
        )
    else:
        shipped = ", ".join(list_voices()) or "none"
        raise VoiceNotFound(f"voice not found: {name!r} is neither a shipped voice (shipped: {shipped}) nor a directory with a voice")
    acoustic = AcousticModel.load(acoustic_dir, device="cpu")
    voice = Synthesizer(acoustic, load_vocoder(vocoder_spec), device=target, dtype=dtype, name=path.name)
    _use_graphs(voice, backend, [(voice.acoustic, Path(acoustic_dir)), (voice.vocoder, Path(vocoder_spec))], threads, int8)
    return voice


BACKENDS = ("auto", "onnx", "torch")


def _use_graphs(voice, backend: str, parts: list, threads: int | None, int8: bool = False) -> None:
    """Attach each part's ONNX graphs (see tts.graphs) as `backend` asks; record them in `voice.graphs`."""
    from tts.graphs import attach_graphs, has_graphs

    graphs_can_run = voice.device.type == "cpu" and voice.dtype == torch.float32
    if int8 and (backend == "torch" or not graphs_can_run):
        raise ValueError("int8=True runs int8 ONNX graphs on the CPU: it needs device='cpu', float32 and backend 'auto' or 'onnx'")
    if backend == "torch":
        return
    if not graphs_can_run:
        if backend == "onnx":
            raise ValueError(f"backend='onnx' computes float32 on the CPU; this voice is {voice.dtype} on {voice.device}")
        return
    for model, directory in parts:
        specs = model.graph_specs() if hasattr(model, "graph_specs") else []
        if specs and directory.is_dir() and has_graphs(specs, directory):
            voice.graphs += [f"{directory.name}/{name}" for name in attach_graphs(specs, directory, threads, int8)]
        elif backend == "onnx":
            raise ValueError(
                f"backend='onnx' needs ONNX graphs for {type(model).__name__} in {directory}; "
                f"make them with `tts export-graphs {directory}` (pip install 'flowmap-tts[export]')"
            )
    if int8 and not any(name.endswith("(int8)") for name in voice.graphs):
        raise ValueError("this voice has no int8 graphs; make them with `tts export-graphs VOICE_DIR --int8` (pip install 'flowmap-tts[export]')")
