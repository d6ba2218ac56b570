"""The `tts` subcommands that train, export and save models: `train`, `pack-features`, `export`, `train-vocoder`,
`acoustic-mels`, `export-vocoder`, `state`, `export-graphs` and `finetune`. Each parses its arguments and calls the Python API."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from tts.cli_arguments import given


def _overrides(args: argparse.Namespace) -> dict:
    trainer = {}
    if args.max_steps is not None:
        trainer["max_steps"] = args.max_steps
    if args.out_dir is not None:
        trainer["out_dir"] = args.out_dir
    return {"trainer": trainer} if trainer else {}


def _train_vocoder(args: argparse.Namespace) -> int:
    from vocoder.training.run import load_vocoder_config, train_vocoder

    return _train_and_export(args, load_vocoder_config, train_vocoder, "vocoder")


def _train_and_export(args: argparse.Namespace, load_config, train, what: str) -> int:
    """Both trainers' command: read the config with the CLI's overrides, train, then write the export's graphs."""
    config = load_config(args.config, _overrides(args))
    export = train(config, resume=args.resume, init_from=args.init_from)
    if export is None:  # another process of a multi-process run: rank 0 exports
        return 0
    print(f"exported {what}: {export}")
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
    export = export_vocoder(args.checkpoint, args.out_dir, dtype, discriminators=args.discriminators)
    print(f"exported vocoder: {export}" + (" (with its discriminators, for fine-tunes)" if args.discriminators else ""))
    _write_graphs(export)
    return 0


def _train(args: argparse.Namespace) -> int:
    from tts.training.run import load_acoustic_config, train_acoustic

    return _train_and_export(args, load_acoustic_config, train_acoustic, "acoustic model")


def _pack_features(args: argparse.Namespace) -> int:
    from tts.training.run import load_acoustic_config, pack_features

    config = load_acoustic_config(args.config, _overrides(args))
    for path in pack_features(config, args.out, parts=args.parts):
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    return 0


def _export(args: argparse.Namespace) -> int:
    import torch

    from tts.training.run import export_acoustic

    dtype = torch.float16 if args.fp16 else torch.float32
    synthesis = given(temperature=args.temperature, sharpen=args.sharpen)
    export = export_acoustic(args.checkpoint, args.out_dir, dtype, synthesis)
    print(f"exported acoustic model: {export}")
    _write_graphs(export)
    return 0


def _state_save(args: argparse.Namespace) -> int:
    from training.checkpoints import last_checkpoint
    from training.compact_state import save_compact_state

    checkpoint = last_checkpoint(Path(args.run_dir) / "checkpoints")
    if checkpoint is None:
        raise ValueError(f"{args.run_dir}: no checkpoints/last.ckpt to save")
    size = save_compact_state(checkpoint, args.state_dir)
    print(f"wrote {args.state_dir} from {checkpoint}: {size / 1e6:.1f} MB")
    return 0


def _state_restore(args: argparse.Namespace) -> int:
    from training.checkpoints import LAST
    from training.compact_state import restore_compact_state

    print(f"restored {restore_compact_state(args.state_dir, Path(args.run_dir) / 'checkpoints' / LAST)} from {args.state_dir}")
    return 0


def _finetune(args: argparse.Namespace) -> int:
    from tts.finetune import finetune

    options = given(
        max_steps=args.max_steps, vocoder_steps=args.vocoder_steps, base=args.base, batch_size=args.batch_size, threads=args.threads,
        test_recordings=args.test_recordings, asr_model=args.asr_model, strength=args.strength,
    )
    # The command as it could be typed again, for the model card.
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in options.items()] + [f"--freeze={part}" for part in args.freeze]
    flags += ["--resume"] if args.resume else []
    if args.freeze:
        options["frozen"] = tuple(args.freeze)
    command = shlex.join(["tts", "finetune", args.recordings, args.out, *flags])
    finetune(args.recordings, args.out, resume=args.resume, command=command, **options)
    return 0


def _write_graphs(directory) -> None:
    from tts.graph_export import write_graphs

    write_graphs(directory)


def _export_graphs(args: argparse.Namespace) -> int:
    if args.int8:
        from tts.quantization import export_int8_graphs as export
    else:
        from tts.graph_export import export_directory_graphs as export

    for path in export(args.directory):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


def _add_training_arguments(parser: argparse.ArgumentParser, training: bool = True) -> None:
    parser.add_argument("config", help="training config (YAML), e.g. recipes/ljspeech/config.yaml (acoustic) or vocoder.yaml")
    parser.set_defaults(resume=False, max_steps=None)
    if training:
        parser.add_argument("--resume", action="store_true", help="continue from OUT_DIR/checkpoints/last.ckpt if it exists")
        parser.add_argument("--max-steps", type=int, default=None, help="override trainer.max_steps")
    parser.add_argument("--out-dir", default=None, help="override trainer.out_dir")


def add_training_commands(commands) -> None:
    """Add the training and export subcommands to `commands` (the `tts` parser's subparsers)."""
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
    export_vocoder.add_argument(
        "--discriminators", action="store_true",
        help="also write the run's discriminators (discriminators.safetensors): a fine-tune from the export (--init-from, tts finetune) then starts against trained critics",
    )
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
        help="also write int8 graphs (<name>.int8.onnx, which tts.load runs by default) of a voice bundle, calibrated by running it",
    )
    graphs.set_defaults(run=_export_graphs)

    tune = commands.add_parser(
        "finetune", help="a folder of recordings -> a voice (OUT/acoustic + OUT/vocoder), fine-tuned from the default voice",
    )
    tune.add_argument("recordings", help="metadata.csv (id|text) with wavs/, or name.wav + name.txt pairs; any sample rate, mono or stereo")
    tune.add_argument("out", help="folder for the voice, its prepared data (data/), configs and training runs (runs/)")
    tune.add_argument("--max-steps", type=int, default=None, help="acoustic-model steps (default: 100 passes over the recordings, 2000 steps for 30 minutes of them, about 20 minutes on 2 CPU cores)")
    tune.add_argument("--vocoder-steps", type=int, default=None, help="vocoder steps (default 3000: about 65 minutes on 2 CPU cores)")
    tune.add_argument("--resume", action="store_true", help="continue both runs from their checkpoints, on the data already prepared in OUT/data")
    tune.add_argument("--base", default=None, help="the voice bundle to start from (default: the default voice)")
    tune.add_argument("--batch-size", type=int, default=None, help="cap both trainers' batches (default: 16 and 8)")
    tune.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    tune.add_argument(
        "--test-recordings", type=int, default=None,
        help="recordings held out of training to score the voice at the end (default: a tenth, at most 100; none from fewer than 30)",
    )
    tune.add_argument("--asr-model", default=None, help="a faster-whisper model (name or local directory): every transcript is checked by ear before training, and WER and CER join the final scores")
    tune.add_argument(
        "--freeze", action="append", default=[], choices=["encoder", "duration_predictor", "prosody_predictor"],
        help="hold this part of the acoustic model still (repeatable): fewer weights trained on little data; on a stand-in speaker the frozen encoder did far worse (WER 78%% against 28%%)",
    )
    tune.add_argument(
        "--strength", type=float, default=None,
        help="how far the exported acoustic model moves from the base voice toward the trained one, in (0, 1] (1: as trained; default 0.85,"
        " or with --resume the strength OUT was exported at). With --resume it exports a finished run at another strength, without training",
    )
    tune.set_defaults(run=_finetune)
