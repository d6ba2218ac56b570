"""The `tts` command line. Thin: each subcommand parses its arguments and calls the Python API."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _phonemize(args: argparse.Namespace) -> int:
    from text import TextFrontend

    text = args.text if args.text is not None else sys.stdin.read()
    frontend = TextFrontend()
    segments = frontend(text, clauses=args.clauses)
    for segment in segments:
        print(segment.normalized)
        print(f"  {segment.phonemes}")
    return 0


def _given(**options) -> dict:
    """The options a command line set; unset ones (None) fall back to the voice's defaults."""
    return {name: value for name, value in options.items() if value is not None}


def _synth(args: argparse.Namespace) -> int:
    import tts

    if args.list_voices:
        print("\n".join(tts.list_voices()) or "(no voices are shipped in this installation)")
        return 0
    if args.file is None and args.output is None and not args.raw:
        raise ValueError("say where the audio goes: -o FILE, --raw (PCM on stdout), or --file LINES --out-dir DIR")
    # Options left unset fall back to the voice's own defaults (see Synthesizer.defaults).
    options = _given(steps=args.steps, speed=args.speed, seed=args.seed, temperature=args.temperature, sharpen=args.sharpen, sample_rate=args.sample_rate)
    if args.speaker is not None:
        options["speaker"] = int(args.speaker) if args.speaker.isdigit() else args.speaker
    if args.file is not None and args.out_dir is None:
        raise ValueError("--file needs --out-dir")
    if args.file is not None:
        from tts.batch import read_lines
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
    voice = _load_voice(args)
    voice.options(**options)  # NaN, infinite and out-of-range options are refused here, before synthesis
    if args.file is not None:
        from tts.batch import synthesize_file

        summary = synthesize_file(voice, args.file, args.out_dir, args.format, args.batch_size, args.overwrite, progress=not args.quiet, **options)
        print(summary, file=sys.stderr)
        return 1 if summary.failed else 0
    if args.raw:
        for chunk in voice.stream(text, **options):
            sys.stdout.buffer.write(chunk.pcm16())
            sys.stdout.buffer.flush()
        return 0
    audio = voice.synthesize(text, **options)
    audio.save(output, format=args.format if output.suffix == "" else None)
    if not args.quiet:
        print(f"{output}: {audio.duration:.2f} s at {audio.sample_rate} Hz", file=sys.stderr)
    return 0


def _load_voice(args: argparse.Namespace):
    """The voice the common voice arguments (`_add_voice_arguments`) name."""
    import tts

    return tts.load(args.voice, vocoder=args.vocoder, device=args.device, dtype=args.dtype, threads=args.threads, backend=args.backend, int8=args.int8, lexicon=args.lexicon)


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

    voice = _load_voice(args)
    name = voice.name or "default"
    serve(
        {name: voice}, name, args.host, args.port, max_chars=args.max_chars, max_concurrent=args.max_concurrent, max_queue=args.max_queue,
        max_audio_s=args.max_audio_seconds,
    )
    return 0


def _wyoming(args: argparse.Namespace) -> int:
    from tts.wyoming_server import serve_wyoming

    voice = _load_voice(args)
    serve_wyoming({voice.name or "default": voice}, voice.name or "default", args.uri, max_chars=args.max_chars, max_audio_s=args.max_audio_seconds)
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
    voice = _load_voice(args)
    settings = [(s.split(":")[0], int(s.split(":")[1])) for s in args.settings]
    options = _given(temperature=args.temperature, sharpen=args.sharpen)
    # Time to first audio first: a scorer that has run slows the synthesizer (see evaluate_voice).
    first_texts = run.first_audio_sentences(sentences)
    first_audio = run.time_to_first_audio(voice, first_texts, **options)
    results = run.evaluate_voice(voice, sentences, transcriber, quality, settings, **options)
    reference = run.evaluate_references(args.reference_dir, sentences, transcriber, quality) if args.reference_dir else None
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
    if args.out:
        report = {
            "sentences": str(args.sentences), "count": len(sentences),
            "time_to_first_audio": {**first_audio, "texts": first_texts}, "dtype": dtype, "graphs": voice.graphs, "temperature": temperature, "sharpen": sharpen,
            "settings": [vars(r) for r in results], "reference": reference,
        }
        Path(args.out).write_text(json.dumps(report, indent=2, default=float))
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
    export = train_vocoder(config, resume=args.resume, init_from=args.init_from)
    print(f"exported vocoder: {export}")
    _write_graphs(export)
    return 0


def _acoustic_mels(args: argparse.Namespace) -> int:
    import torch

    from tts.training.acoustic_mels import write_acoustic_mels

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    written, report = write_acoustic_mels(
        args.acoustic, args.metadata, args.out_dir, steps=args.steps, temperature=args.temperature, sampler=args.sampler,
        seed=args.seed, sharpen=args.sharpen, audio_dir=args.audio_dir, format=args.format,
    )
    print(f"wrote {written} mels into {args.out_dir}; {report.summary()}")
    return 0


def _export_vocoder(args: argparse.Namespace) -> int:
    import torch

    from vocoder.training.run import export_vocoder

    dtype = torch.float16 if args.fp16 else torch.float32
    export = export_vocoder(args.checkpoint, args.out_dir, dtype)
    print(f"exported vocoder: {export}")
    _write_graphs(export)
    return 0


def _train(args: argparse.Namespace) -> int:
    from tts.training.acoustic_run import load_acoustic_config, train_acoustic

    config = load_acoustic_config(args.config, _overrides(args))
    export = train_acoustic(config, resume=args.resume, init_from=args.init_from)
    print(f"exported acoustic model: {export}")
    _write_graphs(export)
    return 0


def _pack_features(args: argparse.Namespace) -> int:
    from tts.training.acoustic_run import load_acoustic_config, pack_features

    config = load_acoustic_config(args.config, _overrides(args))
    for path in pack_features(config, args.out, parts=args.parts):
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


def _export(args: argparse.Namespace) -> int:
    import torch

    from tts.training.acoustic_run import export_acoustic

    dtype = torch.float16 if args.fp16 else torch.float32
    synthesis = _given(temperature=args.temperature, sharpen=args.sharpen)
    export = export_acoustic(args.checkpoint, args.out_dir, dtype, synthesis)
    print(f"exported acoustic model: {export}")
    _write_graphs(export)
    return 0


def _state_save(args: argparse.Namespace) -> int:
    from vocoder.training.checkpointing import last_checkpoint
    from vocoder.training.compact_state import save_compact_state

    checkpoint = last_checkpoint(Path(args.run_dir) / "checkpoints")
    if checkpoint is None:
        raise ValueError(f"{args.run_dir}: no checkpoints/last.ckpt to save")
    size = save_compact_state(checkpoint, args.state_dir)
    print(f"wrote {args.state_dir} from {checkpoint}: {size / 1e6:.1f} MB")
    return 0


def _state_restore(args: argparse.Namespace) -> int:
    from vocoder.training.checkpointing import LAST
    from vocoder.training.compact_state import restore_compact_state

    print(f"restored {restore_compact_state(args.state_dir, Path(args.run_dir) / 'checkpoints' / LAST)} from {args.state_dir}")
    return 0


def _write_graphs(directory) -> None:
    """Every export also gets the ONNX graphs the CPU runtime runs (or a line saying how to add them)."""
    import importlib.util

    if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxscript") is None:
        print(f"no ONNX graphs written (onnx and onnxscript are not installed); the CPU runtime needs them: tts export-graphs {directory}")
        return
    from tts.graphs import export_directory_graphs

    for path in export_directory_graphs(directory):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def _export_graphs(args: argparse.Namespace) -> int:
    from tts.graphs import export_directory_graphs

    for path in export_directory_graphs(args.directory, int8=args.int8):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


def _add_voice_arguments(parser: argparse.ArgumentParser, device: str = "auto") -> None:
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


def _add_training_arguments(parser: argparse.ArgumentParser, training: bool = True) -> None:
    parser.add_argument("config", help="training config (YAML), e.g. recipes/ljspeech/config.yaml (acoustic) or vocoder.yaml")
    parser.set_defaults(resume=False, max_steps=None)
    if training:
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

    synth = commands.add_parser("synth", help="speak text into an audio file, a folder of files, or stdout")
    synth.add_argument("text", nargs="?", help="text to speak (default: read standard input)")
    synth.add_argument("-o", "--output", help="output file (.wav or .flac)")
    synth.add_argument("--file", help="a text file: one utterance per line, or id|text lines")
    synth.add_argument("--out-dir", help="folder for --file outputs")
    synth.add_argument("--format", choices=["wav", "flac"], default="wav")
    synth.add_argument("--raw", action="store_true", help="stream 16-bit mono PCM to stdout (for players)")
    synth.add_argument("--batch-size", type=_positive_int, default=16)
    synth.add_argument("--overwrite", action="store_true", help="with --file: replace existing outputs (default: skip them)")
    _add_voice_arguments(synth)
    synth.add_argument("--list-voices", action="store_true", help="list the shipped voices and exit")
    synth.add_argument("--speaker", default=None, help="speaker name or index (multi-speaker voices)")
    synth.add_argument("--steps", type=int, default=None, help="flow-map steps (1 or 2; default: the voice's, else 1)")
    synth.add_argument("--speed", type=float, default=None, help="speaking rate (default: the voice's, else 1.0)")
    synth.add_argument("--temperature", type=float, default=None, help="noise scale (default: the voice's, else 0.667)")
    synth.add_argument("--sharpen", type=float, default=None, help="spectral sharpening before the vocoder, 0-4; 1 is off (default: the voice's, else 1)")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--sample-rate", type=int, default=None, help="output rate: 8000, 16000, 22050, 24000 (the voice's), 44100 or 48000")
    synth.add_argument("-q", "--quiet", action="store_true")
    synth.set_defaults(run=_synth)

    serve = commands.add_parser("serve", help="run the local speech server (OpenAI-style HTTP + WebSocket streaming)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    _add_voice_arguments(serve)
    serve.add_argument("--max-chars", type=int, default=4096, help="longest accepted input")
    serve.add_argument("--max-concurrent", type=int, default=2, help="syntheses running at once")
    serve.add_argument("--max-queue", type=int, default=8, help="requests that may wait; more get 429")
    serve.add_argument("--max-audio-seconds", type=float, default=600.0, help="most audio one request may make, pauses included; more gets 413")
    serve.set_defaults(run=_serve)

    wyoming = commands.add_parser("wyoming", help="serve the Wyoming protocol (Home Assistant); needs pip install 'flowmap-tts[wyoming]'")
    wyoming.add_argument("--uri", default="tcp://127.0.0.1:10200", help="tcp://HOST:PORT, unix://PATH or stdio://")
    _add_voice_arguments(wyoming)
    wyoming.add_argument("--max-chars", type=int, default=4096, help="longest accepted text of one request")
    wyoming.add_argument("--max-audio-seconds", type=float, default=600.0, help="most audio one request may make, pauses included")
    wyoming.set_defaults(run=_wyoming)

    evaluate = commands.add_parser("eval", help="score a voice: WER/CER (Whisper), DNSMOS, RTF, time to first audio")
    _add_voice_arguments(evaluate, device="cpu")
    evaluate.add_argument("--sentences", required=True, help="id|text lines, e.g. a recipe's held-out test.csv")
    evaluate.add_argument("--limit", type=int, default=None, help="use the first N sentences")
    evaluate.add_argument("--asr-model", default=None, help="faster-whisper model name or local directory")
    evaluate.add_argument("--no-asr", action="store_true", help="skip WER/CER")
    evaluate.add_argument("--no-mos", action="store_true", help="skip DNSMOS")
    evaluate.add_argument("--reference-dir", default=None, help="score recordings <id>.wav of the same sentences side by side")
    evaluate.add_argument("--settings", nargs="+", default=["flow_map:1", "flow_map:2", "flow_map:4", "euler:4", "euler:8", "euler:32"])
    evaluate.add_argument("--temperature", type=float, default=None, help="noise scale for every setting (default: the voice's)")
    evaluate.add_argument("--sharpen", type=float, default=None, help="spectral sharpening for every setting (default: the voice's)")
    evaluate.add_argument("--out", default=None, help="write the full report (with transcripts) as JSON")
    evaluate.add_argument("--plot", default=None, help="write the quality-vs-steps figure (.png or .svg; needs matplotlib)")
    evaluate.set_defaults(run=_eval)

    train = commands.add_parser("train", help="train the acoustic model (phonemes -> mel), then export it")
    _add_training_arguments(train)
    train.add_argument("--init-from", default=None, help="start a fresh run from this exported acoustic model's weights")
    train.set_defaults(run=_train)

    pack = commands.add_parser("pack-features", help="write the training set's features to compressed pack files (train elsewhere with data.feature_packs)")
    _add_training_arguments(pack, training=False)
    pack.add_argument("out", help="pack file to write, e.g. features.pack (with --parts N: features.1-of-N.pack, ...)")
    pack.add_argument("--parts", type=int, default=1, help="split the utterances over this many files (default 1)")
    pack.set_defaults(run=_pack_features)

    export = commands.add_parser("export", help="acoustic training checkpoint -> config.json + model.safetensors (EMA weights)")
    export.add_argument("checkpoint", help="a .ckpt written by `tts train`")
    export.add_argument("out_dir", help="directory to write the exported model into")
    export.add_argument("--fp16", action="store_true", help="store weights as float16 (half the size)")
    export.add_argument("--temperature", type=float, default=None, help="the voice's default noise scale (measure it first: tts eval --temperature)")
    export.add_argument("--sharpen", type=float, default=None, help="the voice's default spectral sharpening (measure it first: tts eval --sharpen)")
    export.set_defaults(run=_export)

    train_vocoder = commands.add_parser("train-vocoder", help="train a Vocos-style vocoder, then export it")
    _add_training_arguments(train_vocoder)
    train_vocoder.add_argument(
        "--init-from", default=None,
        help="start a fresh run from these weights: a train-vocoder .ckpt (generator and discriminators) or an exported vocoder",
    )
    train_vocoder.set_defaults(run=_train_vocoder)

    mels = commands.add_parser(
        "acoustic-mels",
        help="an acoustic model's mels of a corpus, timed like its recordings, for fine-tuning a vocoder (data.mel_dir)",
    )
    mels.add_argument("acoustic", help="an exported acoustic model (e.g. tts/voices/default/acoustic)")
    mels.add_argument("metadata", help="the corpus's metadata.csv (id|text, audio in <its folder>/wavs)")
    mels.add_argument("out_dir", help="folder for <id>.npy mels (resumable: existing files are kept)")
    mels.add_argument("--steps", type=int, default=None, help="decoder steps (default: the model's own)")
    mels.add_argument("--temperature", type=float, default=None, help="decoder noise scale (default: the model's own)")
    mels.add_argument("--sampler", choices=["flow_map", "euler"], default="flow_map")
    mels.add_argument("--sharpen", type=float, default=None, help="spectral sharpening of each mel (default: the model's own, as it speaks)")
    mels.add_argument("--seed", type=int, default=0)
    mels.add_argument("--audio-dir", default="wavs", help="audio folder, relative to the metadata's folder")
    mels.add_argument("--format", choices=["ljspeech", "multispeaker"], default="ljspeech")
    mels.add_argument("--threads", type=int, default=None, help="CPU threads")
    mels.set_defaults(run=_acoustic_mels)

    export_vocoder = commands.add_parser("export-vocoder", help="vocoder training checkpoint -> config.json + model.safetensors")
    export_vocoder.add_argument("checkpoint", help="a .ckpt written by train-vocoder")
    export_vocoder.add_argument("out_dir", help="directory to write the exported vocoder into")
    export_vocoder.add_argument("--fp16", action="store_true", help="store weights as float16 (half the size)")
    export_vocoder.set_defaults(run=_export_vocoder)

    state = commands.add_parser("state", help="a training run's compact resumable state (fp16 weights, bf16 moments), small enough to commit")
    actions = state.add_subparsers(dest="action", required=True)
    save = actions.add_parser("save", help="RUN_DIR/checkpoints/last.ckpt -> STATE_DIR (tensors.safetensors + state.json)")
    save.add_argument("run_dir", help="the run's trainer.out_dir")
    save.add_argument("state_dir", help="folder to write the state into (replaced if it holds one)")
    save.set_defaults(run=_state_save)
    restore = actions.add_parser("restore", help="STATE_DIR -> RUN_DIR/checkpoints/last.ckpt, then resume with --resume")
    restore.add_argument("state_dir", help="a folder written by `tts state save`")
    restore.add_argument("run_dir", help="the run's trainer.out_dir (refused if it has a last.ckpt)")
    restore.set_defaults(run=_state_restore)

    graphs = commands.add_parser("export-graphs", help="write ONNX graphs of an export's networks, for fast CPU inference (needs the export extra)")
    graphs.add_argument("directory", help="a voice (acoustic/ + vocoder/), an exported acoustic model, or an exported Vocos vocoder")
    graphs.add_argument(
        "--int8", action="store_true",
        help="also write int8 graphs (<name>.int8.onnx, used with --int8) of a voice bundle, calibrated by running it",
    )
    graphs.set_defaults(run=_export_graphs)
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
