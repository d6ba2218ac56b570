"""The `tts` command line. Thin: each subcommand parses its arguments and calls the Python API.

Here: `main`, the parser, and the commands that speak (`phonemize`, `synth`, `serve`, `wyoming`, `eval`);
the training and export commands are in `tts.cli_training`, the arguments they share in `tts.cli_arguments`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tts.cli_arguments import add_voice_arguments, given, load_voice, load_voices
from tts.cli_training import add_training_commands
from tts.request_limits import MAX_AUDIO_SECONDS, MAX_INPUT_CHARS


def _phonemize(args: argparse.Namespace) -> int:
    from text import TextFrontend

    text = args.text if args.text is not None else sys.stdin.read()
    frontend = TextFrontend()
    segments = frontend(text, clauses=args.clauses)
    for segment in segments:
        print(segment.normalized)
        print(f"  {segment.phonemes}")
    return 0


def _synth(args: argparse.Namespace) -> int:
    import tts

    if args.list_voices:
        print("\n".join(tts.list_voices()) or "(no voices are shipped in this installation)")
        return 0
    if args.file is None and args.output is None and not args.raw:
        raise ValueError("say where the audio goes: -o FILE, --raw (PCM on stdout), or --file LINES --out-dir DIR")
    # Options left unset fall back to the voice's own defaults (see Synthesizer.defaults).
    options = given(
        steps=args.steps, speed=args.speed, seed=args.seed, temperature=args.temperature, sharpen=args.sharpen, sample_rate=args.sample_rate,
        pitch=args.pitch, pitch_range=args.pitch_range, volume=args.volume,
    )
    if args.speaker is not None:
        options["speaker"] = int(args.speaker) if args.speaker.isdigit() else args.speaker
    if args.file is not None and args.out_dir is None:
        raise ValueError("--file needs --out-dir")
    if args.file is not None:
        from tts.line_files import read_lines
        from vocoder.audio_io import check_writable_dir

        read_lines(args.file)  # an unreadable or empty file, and
        check_writable_dir(args.out_dir)  # an unwritable folder, fail before the voice loads
    output = None
    if args.file is None and not args.raw:
        from vocoder.audio_io import check_writable

        output = Path(args.output)
        if output.suffix.lower() not in ("", ".wav", ".flac"):
            raise ValueError(f"{output}: unsupported audio format {output.suffix!r}; use .wav or .flac")
        check_writable(output)  # before any work: a long synthesis must not end in an unwritable path
    text = None if args.file is not None else (args.text if args.text is not None else _read_stdin_text())
    voice = load_voice(args)
    # Checked once, here, before synthesis (NaN, infinite and out-of-range options are refused).
    options = voice.options(**options)
    if args.file is not None:
        from tts.line_files import synthesize_file

        summary = synthesize_file(voice, args.file, args.out_dir, args.format, args.batch_size, args.overwrite, progress=not args.quiet, options=options)
        print(summary, file=sys.stderr)
        return 1 if summary.failed else 0
    if args.raw:
        for chunk in voice.stream(text, options=options):
            sys.stdout.buffer.write(chunk.pcm16())
            sys.stdout.buffer.flush()
        return 0
    audio = voice.synthesize(text, options=options)
    audio.save(output, format=args.format if output.suffix == "" else None)
    if not args.quiet:
        print(f"{output}: {audio.duration:.2f} s at {audio.sample_rate} Hz", file=sys.stderr)
    return 0


def _read_stdin_text() -> str:
    """Standard input as text; bytes that are not UTF-8 text (binary data) are refused."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8", "surrogatepass")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"standard input is not UTF-8 text ({error.reason} at byte {error.start}); pass text, not binary data") from None
    if "\x00" in text:
        raise ValueError("standard input holds NUL bytes: pass text, not binary data")
    return text


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {value}")
    return number


def _serve(args: argparse.Namespace) -> int:
    from tts.server import serve

    voices, default = load_voices(args)
    serve(
        voices, default, args.host, args.port, max_chars=args.max_chars, max_concurrent=args.max_concurrent, max_queue=args.max_queue,
        max_audio_s=args.max_audio_seconds,
    )
    return 0


def _wyoming(args: argparse.Namespace) -> int:
    from tts.wyoming_server import serve_wyoming

    voices, default = load_voices(args)
    serve_wyoming(voices, default, args.uri, max_chars=args.max_chars, max_audio_s=args.max_audio_seconds)
    return 0


def _eval(args: argparse.Namespace) -> int:
    import json

    from tts.evaluation import run
    from tts.evaluation.scorers import WhisperTranscriber, dnsmos

    if args.asr_model is None and not args.no_asr:
        raise ValueError("give --asr-model (a faster-whisper model name, or a local CTranslate2 Whisper directory for offline use) or --no-asr")
    sentences = run.read_sentences(args.sentences, args.limit)
    transcriber = None if args.no_asr else WhisperTranscriber(args.asr_model, threads=args.threads or 2)
    quality = None if args.no_mos else dnsmos
    voice = load_voice(args)
    settings = [(s.split(":")[0], int(s.split(":")[1])) for s in args.settings]
    options = given(temperature=args.temperature, sharpen=args.sharpen)
    # Time to first audio first: a scorer that has run slows the synthesizer (see evaluate_voice).
    first_texts = run.first_audio_sentences(sentences)
    first_audio = run.time_to_first_audio(voice, first_texts, **options)
    recordings = run.load_references(args.reference_dir, sentences) if args.reference_dir else None
    results = run.evaluate_voice(voice, sentences, transcriber, quality, settings, references=recordings, **options)
    reference = run.evaluate_references(args.reference_dir, sentences, transcriber, quality, audios=recordings) if args.reference_dir else None
    if recordings is not None and not run.speaker_available():
        print("closeness to the recordings' speaker (F0, MCD) skipped: pip install 'flowmap-tts[eval]' (swift-f0, librosa)")
    dtype = str(voice.dtype).removeprefix("torch.")
    resolved = voice.options(**options)
    temperature, sharpen = resolved.temperature, resolved.sharpen
    print(
        f"{len(sentences)} sentences from {args.sentences}; temperature {temperature:g}, sharpen {sharpen:g}; "
        f"{dtype} on {voice.device}, {args.threads or 'default'} threads, {voice.runtime}"
    )
    print(run.format_table(results, reference))
    words = sorted(len(text.split()) for text in first_texts)
    print(
        f"time to first audio (streaming, 1 step, {len(first_texts)} sentences of {words[0]}-{words[-1]} words): "
        f"median {first_audio['median_ms']:.1f} ms, p90 {first_audio['p90_ms']:.1f} ms"
    )
    if args.plot:
        from tts.evaluation.plot import plot_quality_vs_steps

        print(f"plot: {plot_quality_vs_steps(results, reference, args.plot, title=f'{voice.name}, {len(sentences)} held-out sentences')}")
    if args.speaker_plot:
        if recordings is None:
            raise ValueError("--speaker-plot compares the voice with its recordings: give --reference-dir too")
        from tts.evaluation.scorers import to_scorer_rate
        from tts.evaluation.speaker import plot_speaker_comparison

        sampler, steps = settings[0]
        spoken = voice.synthesize(sentences[0][1], steps=steps, sampler=sampler, **options)
        title = f"{voice.name}, {sentences[0][0]}: {sentences[0][1][:80]}"
        print(f"speaker plot: {plot_speaker_comparison(to_scorer_rate(spoken.samples, voice.sample_rate), recordings[0], args.speaker_plot, title)}")
    if args.out:
        report = {
            "sentences": str(args.sentences), "count": len(sentences),
            "time_to_first_audio": {**first_audio, "texts": first_texts}, "dtype": dtype, "graphs": voice.graphs, "temperature": temperature, "sharpen": sharpen,
            "settings": [vars(r) for r in results], "reference": reference,
        }
        Path(args.out).write_text(json.dumps(report, indent=2, default=float))
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

    synth = commands.add_parser("synth", help="speak text into an audio file, a folder of files, or stdout")
    synth.add_argument("text", nargs="?", help="text to speak (default: read standard input)")
    synth.add_argument("-o", "--output", help="output file (.wav or .flac)")
    synth.add_argument("--file", help="a text file: one utterance per line, or id|text lines")
    synth.add_argument("--out-dir", help="folder for --file outputs")
    synth.add_argument("--format", choices=["wav", "flac"], default="wav")
    synth.add_argument("--raw", action="store_true", help="stream 16-bit mono PCM to stdout (for players)")
    synth.add_argument("--batch-size", type=_positive_int, default=16)
    synth.add_argument("--overwrite", action="store_true", help="with --file: replace existing outputs (default: skip them)")
    add_voice_arguments(synth)
    synth.add_argument("--list-voices", action="store_true", help="list the shipped voices and exit")
    synth.add_argument("--speaker", default=None, help="speaker name or index (multi-speaker voices)")
    synth.add_argument("--steps", type=int, default=None, help="flow-map steps (1 or 2; default: the voice's, else 1)")
    synth.add_argument("--speed", type=float, default=None, help="speaking rate (default: the voice's, else 1.0)")
    synth.add_argument("--temperature", type=float, default=None, help="noise scale (default: the voice's, else 0.667)")
    synth.add_argument("--sharpen", type=float, default=None, help="spectral sharpening before the vocoder, 0-4; 1 is off (default: the voice's, else 1)")
    synth.add_argument("--pitch", type=float, default=None, help="pitch shift in semitones, -12 to 12 (voices with prosody conditioning)")
    synth.add_argument("--pitch-range", type=float, default=None, help="pitch variation, 0 (monotone) to 3; 1 is the voice's (voices with prosody conditioning)")
    synth.add_argument("--volume", type=float, default=None, help="gain in dB, -40 to 12 (positive gains clip a voice that peaks at full scale)")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--sample-rate", type=int, default=None, help="output rate: 8000, 16000, 22050, 24000 (the voice's), 44100 or 48000")
    synth.add_argument("-q", "--quiet", action="store_true")
    synth.set_defaults(run=_synth)

    serve = commands.add_parser("serve", help="run the local speech server (OpenAI-style HTTP + WebSocket streaming)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    add_voice_arguments(serve, several=True)
    serve.add_argument("--max-chars", type=int, default=MAX_INPUT_CHARS, help="longest accepted input")
    serve.add_argument("--max-concurrent", type=int, default=2, help="syntheses running at once")
    serve.add_argument("--max-queue", type=int, default=8, help="requests that may wait; more get 429")
    serve.add_argument("--max-audio-seconds", type=float, default=MAX_AUDIO_SECONDS, help="most audio one request may make, pauses included; more gets 413")
    serve.set_defaults(run=_serve)

    wyoming = commands.add_parser("wyoming", help="serve the Wyoming protocol (Home Assistant); needs pip install 'flowmap-tts[wyoming]'")
    wyoming.add_argument("--uri", default="tcp://127.0.0.1:10200", help="tcp://HOST:PORT, unix://PATH or stdio://")
    add_voice_arguments(wyoming, several=True)
    wyoming.add_argument("--max-chars", type=int, default=MAX_INPUT_CHARS, help="longest accepted text of one request")
    wyoming.add_argument("--max-audio-seconds", type=float, default=MAX_AUDIO_SECONDS, help="most audio one request may make, pauses included")
    wyoming.set_defaults(run=_wyoming)

    evaluate = commands.add_parser("eval", help="score a voice: WER/CER (Whisper), DNSMOS, RTF, time to first audio")
    add_voice_arguments(evaluate, device="cpu")
    evaluate.add_argument("--sentences", required=True, help="id|text lines, e.g. a recipe's held-out test.csv")
    evaluate.add_argument("--limit", type=int, default=None, help="use the first N sentences")
    evaluate.add_argument("--asr-model", default=None, help="faster-whisper model name or local directory")
    evaluate.add_argument("--no-asr", action="store_true", help="skip WER/CER")
    evaluate.add_argument("--no-mos", action="store_true", help="skip DNSMOS")
    evaluate.add_argument("--reference-dir", default=None, help="score recordings <id>.wav of the same sentences side by side, and the voice's closeness to them (F0, MCD)")
    evaluate.add_argument("--settings", nargs="+", default=["flow_map:1", "flow_map:2", "flow_map:4", "euler:4", "euler:8", "euler:32"])
    evaluate.add_argument("--temperature", type=float, default=None, help="noise scale for every setting (default: the voice's)")
    evaluate.add_argument("--sharpen", type=float, default=None, help="spectral sharpening for every setting (default: the voice's)")
    evaluate.add_argument("--out", default=None, help="write the full report (with transcripts) as JSON")
    evaluate.add_argument("--plot", default=None, help="write the quality-vs-steps figure (.png or .svg; needs matplotlib)")
    evaluate.add_argument(
        "--speaker-plot", default=None,
        help="with --reference-dir: write the first sentence's spectrograms and F0 contours, recording beside voice (.png or .svg)",
    )
    evaluate.set_defaults(run=_eval)

    add_training_commands(commands)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return args.run(args)
    except ModuleNotFoundError as error:
        # `pip install .` is the CPU runtime; training and torch inference are extras.
        extra = "train" if error.name in TRAINING_MODULES else None
        hint = f"; install it with: pip install 'flowmap-tts[{extra}]'" if extra else ""
        print(f"tts: error: {error}{hint}", file=sys.stderr)
        return 2
    except (OSError, ValueError, ImportError) as error:
        # Bad input (a missing file, a config typo): one clear line, not a traceback.
        print(f"tts: error: {error}", file=sys.stderr)
        return 2


TRAINING_MODULES = {"torch", "torchaudio", "vocos", "lightning", "librosa", "numba", "onnx", "onnxscript", "yaml"}
"""Modules of the `train` extra (and `torch`, which it includes)."""


if __name__ == "__main__":
    sys.exit(main())
