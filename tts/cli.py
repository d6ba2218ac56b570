"""The `tts` command line. Thin: each subcommand parses its arguments and calls the Python API."""

from __future__ import annotations

import argparse
import sys


def _phonemize(args: argparse.Namespace) -> int:
    from text import TextFrontend

    text = args.text if args.text is not None else sys.stdin.read()
    frontend = TextFrontend()
    segments = frontend(text, clauses=args.clauses)
    for segment in segments:
        print(segment.normalized)
        print(f"  {segment.phonemes}")
    return 0


def _overrides(args: argparse.Namespace) -> dict:
    trainer = {}
    if args.max_steps is not None:
        trainer["max_steps"] = args.max_steps
    if args.out_dir is not None:
        trainer["out_dir"] = args.out_dir
    return {"trainer": trainer} if trainer else {}


def _train_vocoder(args: argparse.Namespace) -> int:
    from vocoder.training.run import load_vocoder_config, train_vocoder

    config = load_vocoder_config(args.config, _overrides(args))
    export = train_vocoder(config, resume=args.resume)
    print(f"exported vocoder: {export}")
    return 0


def _export_vocoder(args: argparse.Namespace) -> int:
    from vocoder.training.run import export_vocoder

    print(f"exported vocoder: {export_vocoder(args.checkpoint, args.out_dir)}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from tts.training.acoustic_run import load_acoustic_config, train_acoustic

    config = load_acoustic_config(args.config, _overrides(args))
    print(f"exported acoustic model: {train_acoustic(config, resume=args.resume)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import torch

    from tts.training.acoustic_run import export_acoustic

    dtype = torch.float16 if args.fp16 else torch.float32
    print(f"exported acoustic model: {export_acoustic(args.checkpoint, args.out_dir, dtype)}")
    return 0


def _add_training_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="training config (YAML), e.g. recipes/ljspeech/vocoder.yaml")
    parser.add_argument("--resume", action="store_true", help="continue from OUT_DIR/checkpoints/last.ckpt if it exists")
    parser.add_argument("--max-steps", type=int, default=None, help="override trainer.max_steps")
    parser.add_argument("--out-dir", default=None, help="override trainer.out_dir")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from tts import __version__

    parser = argparse.ArgumentParser(prog="tts", description="Flow-map text-to-speech.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    phonemize = commands.add_parser("phonemize", help="show the normalized text and phonemes the voice would speak")
    phonemize.add_argument("text", nargs="?", help="text to process (default: read standard input)")
    phonemize.add_argument("--clauses", action="store_true", help="split into clauses, as streaming does")
    phonemize.set_defaults(run=_phonemize)

    train = commands.add_parser("train", help="train the acoustic model (phonemes -> mel), then export it")
    _add_training_arguments(train)
    train.set_defaults(run=_train)

    export = commands.add_parser("export", help="acoustic training checkpoint -> config.json + model.safetensors (EMA weights)")
    export.add_argument("checkpoint", help="a .ckpt written by `tts train`")
    export.add_argument("out_dir", help="directory to write the exported model into")
    export.add_argument("--fp16", action="store_true", help="store weights as float16 (half the size)")
    export.set_defaults(run=_export)

    train_vocoder = commands.add_parser("train-vocoder", help="train a Vocos-style vocoder, then export it")
    _add_training_arguments(train_vocoder)
    train_vocoder.set_defaults(run=_train_vocoder)

    export_vocoder = commands.add_parser("export-vocoder", help="vocoder training checkpoint -> config.json + model.safetensors")
    export_vocoder.add_argument("checkpoint", help="a .ckpt written by train-vocoder")
    export_vocoder.add_argument("out_dir", help="directory to write the exported vocoder into")
    export_vocoder.set_defaults(run=_export_vocoder)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, FileExistsError, ValueError) as error:
        # Bad input (a missing file, a config typo): one clear line, not a traceback.
        print(f"tts: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
