"""Arguments several `tts` subcommands share: the voice to load, and the options a command line set."""

from __future__ import annotations

import argparse
import re


def given(**options) -> dict:
    """The options a command line set; unset ones (None) fall back to the voice's defaults."""
    return {name: value for name, value in options.items() if value is not None}


def load_voice(args: argparse.Namespace, source=None):
    """The voice the common voice arguments (`add_voice_arguments`) name (or `source`, with their settings)."""
    import tts

    source = args.voice if source is None else source
    return tts.load(source, vocoder=args.vocoder, device=args.device, dtype=args.dtype, threads=args.threads, backend=args.backend, int8=args.int8, lexicon=args.lexicon)


def load_voices(args: argparse.Namespace) -> tuple[dict, str]:
    """The voices a server's repeatable `--voice [NAME=]VOICE` names, by served name, and the default
    (the first). A voice is named by NAME, else by its directory's name."""
    voices: dict = {}
    for spec in args.voice or [None]:
        name, source = served_name(spec)
        voice = load_voice(args, source)
        name = name or voice.name or "default"
        if name in voices:
            raise ValueError(f"two voices would be served as {name!r}: name them, e.g. --voice other={source or 'default'}")
        voices[name] = voice
    return voices, next(iter(voices))


def served_name(spec: str | None) -> tuple[str | None, str | None]:
    """'NAME=VOICE' -> (NAME, VOICE); a plain voice name or directory -> (None, it)."""
    if spec is None or "=" not in spec:
        return None, spec
    name, source = spec.split("=", 1)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name) or not source:
        raise ValueError(f"--voice {spec!r}: expected NAME=VOICE, with a NAME of letters, digits, '_', '.' or '-' (at most 64)")
    return name, source


def add_voice_arguments(parser: argparse.ArgumentParser, device: str = "auto", several: bool = False) -> None:
    if several:
        parser.add_argument(
            "--voice", "--model", dest="voice", action="append", default=None, metavar="[NAME=]VOICE",
            help="a voice to serve: a shipped voice's name or a directory, served as NAME if given, else by its name; "
            "repeat for several (the first is the default; default: the embedded voice)",
        )
    else:
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
        "(int8 where it ships int8 graphs, else float32), torch for the rest; onnx: the CPU runtime only; torch: torch only",
    )
    parser.add_argument(
        "--int8", action=argparse.BooleanOptionalAction, default=None,
        help="--int8: require the voice's int8 graphs; --no-int8: float32 graphs only "
        "(default: the int8 graphs a voice ships, on the CPU runtime)",
    )
    parser.add_argument("--lexicon", default=None, help="a file of word<TAB>IPA lines: pronunciations that override espeak-ng's")
