"""The `tts` command line. Thin: each subcommand parses its arguments and calls the Python API."""

from __future__ import annotations

import argparse
import sys


def _phonemize(args: argparse.Namespace) -> int:
    from text import TextFrontend

    text = args.text if args.text is not None else sys.stdin.read()
    frontend = TextFrontend()
    try:
        segments = frontend(text, clauses=args.clauses)
    except ValueError as error:
        print(f"tts: error: {error}", file=sys.stderr)
        return 2
    for segment in segments:
        print(segment.normalized)
        print(f"  {segment.phonemes}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from tts import __version__

    parser = argparse.ArgumentParser(prog="tts", description="Flow-map text-to-speech.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    phonemize = commands.add_parser("phonemize", help="show the normalized text and phonemes the voice would speak")
    phonemize.add_argument("text", nargs="?", help="text to process (default: read standard input)")
    phonemize.add_argument("--clauses", action="store_true", help="split into clauses, as streaming does")
    phonemize.set_defaults(run=_phonemize)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
