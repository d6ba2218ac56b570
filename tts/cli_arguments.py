"""Arguments several `tts` subcommands share: the voice to load, and the options a command line set."""

from __future__ import annotations

import argparse


def given(**options) -> dict:
    """The options a command line set; unset ones (None) fall back to the voice's defaults."""
    return {name: value for name, value in options.items() if value is not None}


def load_voice(args: argparse.Namespace):
    """The voice the common voice arguments (`add_voice_arguments`) name."""
    import tts

    return tts.load(args.voice, vocoder=args.vocoder, device=args.device, dtype=args.dtype, threads=args.threads, backend=args.backend, int8=args.int8, lexicon=args.lexicon)


def add_voice_arguments(parser: argparse.ArgumentParser, device: str = "auto") -> None:
    parser.add_argument("--voice", "--model", dest="voice", default=None, help="voice name or directory (default: the embedded voice)")
    parser.add_argument("--vocoder", default=None, help="vocoder for a bare acoustic model: a directory, vocos-pretrained or griffin-lim")
    parser.add_argument("--device", default=device, help="auto, cpu, cuda or mps")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads")
    parser.add_argument(
        "--dtype", default=None, choices=["float32", "bfloat16", "float16"],
        help="compute precision (default: float32 on CPUs, float16 on GPUs)",
    )
    parser.add_argument(
        "--backend", default="auto", choices=["auto", "onnx", "torch"],
        help="auto: the CPU runtime (ONNX Runtime + numpy, no torch) for each part whose export ships ONNX graphs "
        "(float32 on CPUs), torch for the rest; onnx: the CPU runtime only; torch: torch only",
    )
    parser.add_argument("--int8", action="store_true", help="use the voice's int8 graphs (faster on CPUs, slightly different audio)")
    parser.add_argument("--lexicon", default=None, help="a file of word<TAB>IPA lines: pronunciations that override espeak-ng's")
