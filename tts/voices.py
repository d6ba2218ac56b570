"""Finding and loading voices: `tts.load()`.

A voice bundle is a directory with `acoustic/` (an exported acoustic model) and `vocoder/` (an
exported vocoder). Voices shipped inside the package live in `tts/voices/<name>/`; the default voice
is the one named in DEFAULT_VOICE.

Each part (acoustic model, vocoder) runs in one of two engines (tts.engine): the CPU runtime (ONNX
Runtime and numpy, no torch) when the export ships its ONNX graphs and float32 on the CPU is asked
for, else torch. Choosing the CPU runtime never imports torch.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from text.pronunciations import read_lexicon

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


def resolve_device(device: str | None):
    """A torch device: 'auto' (or None) picks cuda, then mps, then cpu."""
    torch = _import_torch()
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


class TorchNotInstalled(ImportError):
    """The torch engine was asked for (or is the only one that can run a part) but torch is missing."""


def _import_torch():
    try:
        import torch
    except ImportError as error:
        raise TorchNotInstalled(
            "this needs torch, which is not installed: pip install 'flowmap-tts[torch]' (GPU or torch inference) "
            "or 'flowmap-tts[train]'; the CPU runtime needs only voices that ship ONNX graphs (tts export-graphs)"
        ) from error
    return torch


PRECISIONS = ("float32", "bfloat16", "float16")
_PRECISION_ALIASES = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}


def _precision_name(dtype) -> str | None:
    """None, a name ('float16', 'fp16', ...) or a torch dtype -> 'float32' / 'bfloat16' / 'float16' / None."""
    if dtype is None:
        return None
    name = str(dtype).removeprefix("torch.")
    name = _PRECISION_ALIASES.get(name, name)
    if name not in PRECISIONS:
        raise ValueError(f"dtype must be float32, float16 or bfloat16, got {dtype!r}")
    return name


def load(
    name_or_path: str | os.PathLike | None = None,
    *,
    vocoder: str | os.PathLike | None = None,
    device: str | None = "auto",
    dtype=None,
    threads: int | None = None,
    backend: str = "auto",
    int8: bool | None = None,
    lexicon=None,
):
    """Load a `Synthesizer`.

    name_or_path: None for the embedded default voice; a shipped voice's name (`list_voices()`); a
        bundle directory (acoustic/ + vocoder/); or an exported acoustic model directory, with
        `vocoder` naming its vocoder (an exported vocoder directory, 'vocos-pretrained' or 'griffin-lim').
    device: 'auto', 'cpu', 'cuda', 'mps'. 'auto' runs a part on the CPU runtime when its export has
        ONNX graphs, and otherwise in torch on the best device torch finds (cuda, mps, cpu); a GPU is
        used only when asked for ('cuda') or when a part has no graphs.
    dtype: the compute precision, float32, bfloat16 or float16 (a name or a torch dtype; default
        float32 on CPUs, float16 on GPUs). Only float32 runs on the CPU runtime; lower precisions run
        in torch under `torch.autocast`, with weights kept in float32.
    threads: CPU threads for the networks (default: the engine's choice).
    backend: 'auto' (as above); 'onnx' requires the CPU runtime for both parts; 'torch' runs both in
        torch (pip install 'flowmap-tts[torch]'). The engines give the same audio up to float rounding.
    int8: None (default): on the CPU runtime, run the networks whose export ships int8 graphs
        (`tts export-graphs --int8`) with 8-bit weight products, faster and scored level with float32
        for the default voice (see its model card), and everything else in float32. True: the same,
        and an error when no part of the voice has int8 graphs or it does not run on the CPU
        runtime. False: float32 graphs only.
    lexicon: words spoken as given instead of as espeak-ng says them: a dict {word: IPA phonemes} or
        a file of `word<TAB>phonemes` lines (text.pronunciations).
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a whole number >= 1, got {threads!r}")
    precision = _precision_name(dtype)
    # Read first: its errors name the lexicon's file and line, and come before any model loads.
    lexicon = read_lexicon(lexicon)
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
    from tts.synthesizer import Synthesizer

    on_cpu_runtime = backend != "torch" and device in (None, "auto", "cpu") and precision in (None, "float32")
    if backend == "onnx" and not on_cpu_runtime:
        raise ValueError(f"backend='onnx' computes float32 on the CPU; asked for {precision} on {device}")
    if int8 not in (None, True, False):
        raise ValueError(f"int8 must be None, True or False, got {int8!r}")
    if int8 and not on_cpu_runtime:
        raise ValueError("int8=True runs int8 ONNX graphs on the CPU: it needs device='cpu' or 'auto', float32 and backend 'auto' or 'onnx'")
    quantized = int8 is not False  # the engines run int8 graphs on the CPU runtime alone
    acoustic = _acoustic_engine(Path(acoustic_dir), backend, on_cpu_runtime, device, precision, threads, quantized)
    vocoder_engine = _vocoder_engine(vocoder_spec, backend, on_cpu_runtime, device, precision, threads, quantized)
    try:
        voice = Synthesizer(acoustic, vocoder_engine, name=path.name, lexicon=lexicon)
    except ValueError as error:  # the voice's frontend or synthesis metadata, or mismatched parts
        raise ValueError(f"{Path(acoustic_dir) / 'config.json'}: {error}") from None
    if int8 and not any(name.endswith("(int8)") for name in voice.graphs):
        raise ValueError("this voice has no int8 graphs; make them with `tts export-graphs VOICE_DIR --int8` (pip install 'flowmap-tts[train]')")
    return voice


def _acoustic_engine(directory: Path, backend: str, on_cpu_runtime: bool, device, precision, threads, int8: bool):
    from model_files.onnx_runtime import graph_path
    from tts.engine.onnx_acoustic import GRAPHS, OnnxAcoustic

    has_graphs = all(graph_path(directory, name).is_file() for name in GRAPHS)
    if _use_cpu_runtime(on_cpu_runtime, has_graphs, backend):
        return OnnxAcoustic(directory, threads=threads, int8=int8)  # says which command writes missing graphs
    from tts.engine.torch_engine import TorchAcoustic
    from tts.model.acoustic import AcousticModel

    torch_device, torch_dtype = _torch_target(device, precision, threads)
    return TorchAcoustic(AcousticModel.load(directory, device="cpu"), torch_device, torch_dtype)


def _vocoder_engine(spec, backend: str, on_cpu_runtime: bool, device, precision, threads, int8: bool):
    from model_files.onnx_runtime import graph_path
    from vocoder.onnx_vocos import GRAPH, OnnxVocos, is_vocos_export

    exported = str(spec) not in ("griffin-lim", "vocos-pretrained") and is_vocos_export(spec)
    if exported and _use_cpu_runtime(on_cpu_runtime, graph_path(spec, GRAPH).is_file(), backend):
        return OnnxVocos(spec, threads=threads, int8=int8)
    if backend == "onnx":
        raise ValueError(f"backend='onnx' needs an exported Vocos vocoder with ONNX graphs; {spec} runs only in torch")
    from tts.engine.torch_engine import TorchVocoder
    from vocoder.loading import load_vocoder

    torch_device, torch_dtype = _torch_target(device, precision, threads)
    return TorchVocoder(load_vocoder(spec), torch_device, torch_dtype)


def _use_cpu_runtime(on_cpu_runtime: bool, has_graphs: bool, backend: str) -> bool:
    """Whether a part that the CPU runtime can run (an export) runs there: when float32 on the CPU is
    asked for and it has its graphs, or the CPU runtime is required (backend 'onnx', or no torch), in
    which case a missing graph is reported with the command that writes it."""
    return on_cpu_runtime and (has_graphs or backend == "onnx" or not _torch_installed())


def _torch_installed() -> bool:
    """Whether torch can be imported, without importing it (that alone takes seconds)."""
    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):  # a finder that refuses it, or a None entry in sys.modules
        return False


def _torch_target(device, precision, threads):
    """The torch device and dtype for a part that runs in torch (float32 on CPUs, float16 on GPUs by default)."""
    torch = _import_torch()
    if threads is not None:
        torch.set_num_threads(threads)
    target = resolve_device(device)
    name = precision or ("float32" if target.type == "cpu" else "float16")
    return target, getattr(torch, name)


BACKENDS = ("auto", "onnx", "torch")
