"""`tts finetune RECORDINGS OUT`: a folder of recordings -> a voice bundle fine-tuned from the default voice.

1. Check and prepare the recordings (tts.finetune_data) into `OUT/data/`, and print what is kept and
   what is dropped, with reasons, before any training.
2. Write the two training configs, `OUT/acoustic.yaml` and `OUT/vocoder.yaml`, after the default
   voice's recipe (recipes/default-voice/config.yaml and vocoder.yaml): the base voice's own networks,
   flow objective and symbol table (so its weights fit), a fine-tuning learning rate, the prepared
   corpus, runs under `OUT/runs/`.
3. Train the acoustic model from the base voice's weights (`train_acoustic(init_from=...)`), then the
   vocoder from the base's (`train_vocoder(init_from=...)`): its `finetune-vocoder/` where it has one,
   else `vocoder/`; the generator, and the discriminators it was trained against where the export
   keeps them (else fresh ones, which learn alone for the first steps). `resume=True` continues both
   from their checkpoints.
4. Export both (float16, like the default voice) as `OUT/acoustic/` and `OUT/vocoder/` with their
   ONNX graphs (float32 and int8), the acoustic model drawn part of the way back toward the base
   (FINETUNE_STRENGTH, tts.finetune_blend); score the voice on the recordings held out of training
   (tts.finetune_eval), and write `OUT/README.md`, the model card. `tts.load(OUT)` loads the voice.

The step counts are measured on a stand-in speaker (recipes/standin-voice, 48.6 minutes kept): 100
passes of the acoustic model over the recordings (4,000 steps took 39 minutes on 2 CPU cores), 3,000
vocoder steps about 65 (1,000 of them gave DNSMOS OVRL 0.1 less). Full fine-tuning beat holding the
text encoder still (`--freeze encoder`: validation mel L1 0.97 against 0.58, WER 78% against 28%), so
every part learns by default.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch
import yaml

from model_files.typed_config import load_file
from training.checkpoints import last_checkpoint
from tts import finetune_time
from tts.finetune_blend import blend_toward_base, check_strength
from tts.finetune_data import (
    LOUDNESS_DBFS,
    PreparedCorpus,
    corpus_as_dict,
    prepare_corpus,
)
from tts.finetune_eval import (
    TEST_FILE,
    default_test_count,
    evaluate_finetuned,
    hold_out,
    scores_table,
)
from tts.graph_export import write_graphs
from tts.training.run import export_acoustic, load_acoustic_config, train_acoustic
from tts.voices import DEFAULT_VOICE, VOICES_DIR
from vocoder.training.run import (
    DISCRIMINATORS_FILE,
    export_vocoder,
    load_vocoder_config,
    train_vocoder,
)

ACOUSTIC_BATCH_SIZE = 16
"""The acoustic run's batch by default (the recipe's), which `default_steps` counts passes in."""
ACOUSTIC_EPOCHS = 100
"""Acoustic passes over the training set by default (`default_steps`), about 0.6 s a step at batch 16
on 2 CPU cores. On the stand-in speaker (recipes/standin-voice) that is 2,000 steps for her first 30
minutes (20 batches a pass) and 4,200 for her hour (42). The hour at a fixed 2,000 steps spoke at WER
19.08 and MCD 10.50 dB; at 4,000, 18.15 / 9.94 dB and 18.26 / 10.07 dB in two runs of different seeds.
The 30 minutes at 3,000 steps (150 passes) spoke worse than at 2,000 (WER 20.51 against 19.69)."""
DEFAULT_VOCODER_STEPS = 3000
"""Vocoder generator steps: 1.2-2.0 s each at batch 8 on 2 CPU cores, 65-100 minutes. On the stand-in
speaker 3,000 steps resynthesize her recordings at DNSMOS OVRL 2.94, 1,000 at 2.83."""
FINETUNE_SHARPEN = 1.0
"""A fine-tuned voice speaks without spectral sharpening (1 leaves the mel as it is). The default voice's
2 was chosen on that voice; on the stand-in speaker each step of it cost intelligibility for little
DNSMOS (100 held-out sentences, WER % / OVRL: sharpen 1 26.3 / 2.74, 1.5 27.6 / 2.76, 2 29.4 / 2.78,
3 34.0 / 2.72). Measure another voice with `tts eval --sharpen`."""
FINETUNE_VOCODER = "finetune-vocoder"
"""A voice bundle's optional starting point for its fine-tunes' vocoders, used instead of `vocoder/`."""
ACOUSTIC_LEARNING_RATE = 1.2e-3
"""Four times the default voice's from-scratch rate (3e-4): on a 30-minute stand-in speaker, 2,000 steps
left held-out WER at 25.33 with 2e-4, 22.15 with 6e-4 and 19.69 with 1.2e-3 (the same data, vocoder and
step count; recipes/standin-voice/README.md), though validation mel L1 hardly moved (0.593, 0.589, 0.593).
At 2.4e-3 training overshoots: WER 32.62 and validation L1 0.638."""
FINETUNE_STRENGTH = 0.85
"""The exported acoustic model is the base's weights plus this share of what training moved them
(tts.finetune_blend). On the stand-in speaker (100 held-out sentences; her recordings WER 14.05, median
F0 235.4 Hz; one 1,000-step vocoder throughout), her hour at strength 1 / 0.85 / 0.8 / 0.6 spoke at WER
18.26 / 16.51 / 16.92 / 17.54 and median F0 235.1 / 226.1 / 222.9 / 207.0 Hz; her 30 minutes at 1 / 0.85 / 0.8 / 0.6, WER 19.69 / 16.21 /
18.05 / 16.82 and F0 236.2 / 227.2 / 223.8 / 207.6 Hz. Toward the base voice she is clearer and lower
(the WER steps between neighbours are within the 100 sentences' noise); 0.85 keeps her pitch within 5%."""
VOCODER_LEARNING_RATE = 2e-4
"""Below the vocoder recipe's from-scratch rate (5e-4), as the recipe's vocoder fine-tune."""
DISCRIMINATOR_PERIOD_CHANNELS = [16, 32, 64, 128, 128]
DISCRIMINATOR_RESOLUTION_CHANNELS = 16
"""The default voice's vocoder recipe's discriminators (an export keeps them only where `tts export-vocoder --discriminators` wrote it)."""


def finetune(
    recordings: str | Path,
    out: str | Path,
    max_steps: int | None = None,
    vocoder_steps: int = DEFAULT_VOCODER_STEPS,
    resume: bool = False,
    base: str | Path | None = None,
    batch_size: int | None = None,
    threads: int | None = 2,
    progress: bool = True,
    command: str | None = None,
    test_recordings: int | None = None,
    asr_model: str | None = None,
    frozen: tuple[str, ...] = (),
    strength: float | None = None,
) -> Path | None:
    """Fine-tune the `base` voice (default: the default voice) on `recordings`; returns `out`, the
    voice bundle (None in a non-zero rank of a multi-process run). `max_steps`: the acoustic model's
    (default: `default_steps`, ACOUSTIC_EPOCHS passes over the recordings). `batch_size` caps both trainers'
    batches (default: the recipes', 16 and 8, at most the training set). `test_recordings` are held
    out of training and score the voice at the end (default: a tenth, at most 100, none from fewer
    than 30). `asr_model` (faster-whisper) checks every transcript by ear before training and adds WER
    and CER to the final scores. `frozen` parts of the acoustic model (`encoder`, `duration_predictor`,
    `prosody_predictor`) are held still. `strength`: how far the exported acoustic model is from the
    base toward the trained weights (1: as trained; tts.finetune_blend); default FINETUNE_STRENGTH, or on
    `resume` the strength of the voice already exported in `out`."""
    out = Path(out)
    base = Path(base) if base is not None else VOICES_DIR / DEFAULT_VOICE
    if (max_steps is not None and max_steps < 1) or vocoder_steps < 1 or (batch_size is not None and batch_size < 1):
        raise ValueError(f"steps and batch size must be at least 1, got {max_steps}, {vocoder_steps} steps and batch size {batch_size}")
    if strength is None:
        strength = exported_strength(out) if resume else None
        strength = FINETUNE_STRENGTH if strength is None else strength
    check_strength(strength)
    if not (base / "acoustic" / "config.json").is_file() or not (base / "vocoder" / "config.json").is_file():
        raise FileNotFoundError(f"{base}: not a voice bundle (acoustic/ + vocoder/) to fine-tune from")
    runs = {"acoustic": out / "runs" / "acoustic", "vocoder": out / "runs" / "vocoder"}
    if not resume:
        for run in runs.values():
            if last_checkpoint(run / "checkpoints") is not None:
                raise FileExistsError(f"{run} holds a training run: pass --resume to continue it, or choose another OUT")
    with finetune_time.Stopwatch(out, command or f"tts finetune ... {out}") as watch:
        if threads:
            torch.set_num_threads(threads)
        transcriber = None
        if asr_model is not None:
            from tts.evaluation.scorers import WhisperTranscriber

            transcriber = WhisperTranscriber(asr_model, threads=threads or 2)
        corpus, training = _prepared(recordings, out, base, resume, progress, transcriber, test_recordings)
        max_steps = default_steps(training, batch_size) if max_steps is None else max_steps
        acoustic_yaml = _write_yaml(out / "acoustic.yaml", acoustic_settings(base, training, runs["acoustic"], max_steps, batch_size, threads, frozen))
        vocoder_yaml = _write_yaml(out / "vocoder.yaml", vocoder_settings(base, training, runs["vocoder"], vocoder_steps, batch_size, threads))
        print(f"fine-tuning {base.name}: acoustic model {max_steps} steps ({acoustic_yaml}), then vocoder {vocoder_steps} steps ({vocoder_yaml})", flush=True)
        if train_acoustic(load_acoustic_config(acoustic_yaml), resume=resume, progress=progress, init_from=base / "acoustic") is None:
            return None
        if train_vocoder(load_vocoder_config(vocoder_yaml), resume=resume, progress=progress, init_from=vocoder_start(base)) is None:
            return None
        _export(base, out, runs, strength)
        scores = evaluate_finetuned(out, base, asr_model, threads, transcriber)
    card = write_model_card(out, base, corpus, watch.state, scores)
    print(f"wrote {card}; the voice: tts synth 'Hello.' --voice {out} -o hello.wav")
    return out


def _prepared(recordings, out: Path, base: Path, resume: bool, progress: bool, transcriber, test_recordings: int | None) -> tuple[PreparedCorpus, tuple[Path, int]]:
    """Step 1: the checked recordings in `OUT/data/` (those of an earlier run on --resume), their summary
    printed, and the held-out ones set aside. Returns the corpus and (training list, its length)."""
    corpus = PreparedCorpus.load(out / "data") if resume else None
    if corpus is not None:
        print(f"reusing the prepared recordings in {corpus.directory} (--resume)")
    else:
        corpus = prepare_corpus(recordings, out / "data", base / "acoustic", progress, exclude=out, transcriber=transcriber)
    print(corpus.summary(), flush=True)
    if len(corpus.kept) < 2:
        raise ValueError(f"{recordings}: {len(corpus.kept)} usable recording(s); fine-tuning needs at least 2")
    held = default_test_count(len(corpus.kept)) if test_recordings is None else test_recordings
    train_list, held = hold_out(corpus.directory, held)
    print(f"held out {held} recording(s) to score the voice at the end ({corpus.directory / TEST_FILE})" if held else "no recordings held out to score the voice")
    return corpus, (train_list, len(corpus.kept) - held)


def _export(base: Path, out: Path, runs: dict[str, Path], strength: float) -> None:
    """Step 4's export: both last checkpoints as float16 `OUT/acoustic/` (speaking at FINETUNE_SHARPEN,
    otherwise with the base voice's synthesis settings; blended toward the base at `strength`) and
    `OUT/vocoder/`, with their ONNX graphs."""
    synthesis = {**(load_file(base / "acoustic" / "config.json").get("synthesis") or {}), "sharpen": FINETUNE_SHARPEN}
    checkpoint = last_checkpoint(runs["acoustic"] / "checkpoints")
    if strength == 1:
        acoustic = export_acoustic(checkpoint, out / "acoustic", torch.float16, synthesis)
    else:  # blended in float32, then stored as float16 like the base
        acoustic = blend_toward_base(export_acoustic(checkpoint, out / "acoustic", torch.float32, synthesis), base / "acoustic", strength)
    vocoder = export_vocoder(last_checkpoint(runs["vocoder"] / "checkpoints"), out / "vocoder", torch.float16)
    print(f"exported {acoustic} and {vocoder}")
    _write_graphs(out)


def default_steps(training: tuple[Path, int], batch_size: int | None) -> int:
    """Acoustic steps for ACOUSTIC_EPOCHS passes over the training list (`training`: its path and
    length), less the validation items, in whole batches (`batch_size`, default ACOUSTIC_BATCH_SIZE)."""
    data = _data_section(training, batch_size or ACOUSTIC_BATCH_SIZE)
    return ACOUSTIC_EPOCHS * max(1, (training[1] - data["validation_items"]) // data["batch_size"])


def _validation_items(utterances: int) -> int:
    """Held out for validation: 5% of the corpus, at least 1, at most the recipe's 32."""
    return min(32, max(1, utterances // 20))


def _data_section(training: tuple[Path, int], batch_size: int) -> dict:
    """Both runs' `data:` section: the training list (id|text) and its length -> metadata, a batch
    of at most the training items left after validation, and the validation items."""
    metadata, count = training
    validation = _validation_items(count)
    return {"metadata": str(metadata), "batch_size": min(batch_size, count - validation), "validation_items": validation}


def acoustic_settings(
    base: Path, training: tuple[Path, int], out_dir: Path, max_steps: int, batch_size: int | None, threads: int | None, frozen: tuple[str, ...] = (),
) -> dict:
    """The acoustic run's config, after recipes/default-voice/config.yaml, on the base voice's network;
    `training`: the training list (id|text) and its length; `frozen`: parts held still."""
    voice = load_file(base / "acoustic" / "config.json")
    return {
        "model": voice["model"],
        "data": _data_section(training, batch_size or ACOUSTIC_BATCH_SIZE),
        "flow": voice.get("training", {}).get("flow", {"objective": {"method": "splitmeanflow"}}),
        "optim": {"learning_rate": ACOUSTIC_LEARNING_RATE, "warmup_steps": min(200, max(1, max_steps // 10)), "frozen": list(frozen)},
        "trainer": {
            "out_dir": str(out_dir),
            "max_steps": max_steps,
            "checkpoint_every": min(250, max_steps),
            "validate_every": 500,
            "validation_samples": 2,
            "vocoder": str(base / "vocoder"),
            "threads": threads,
            "devices": 1,  # one process: several would each prepare the data again
        },
    }


def vocoder_start(base: Path) -> Path:
    """The exported vocoder a fine-tune of `base` starts from: `base/finetune-vocoder/` if present, else `base/vocoder/`."""
    start = base / FINETUNE_VOCODER
    return start if (start / "config.json").is_file() else base / "vocoder"


def vocoder_settings(base: Path, training: tuple[Path, int], out_dir: Path, max_steps: int, batch_size: int | None, threads: int | None) -> dict:
    """The vocoder run's config, after recipes/default-voice/vocoder.yaml, on the base voice's vocoder.
    It learns the recordings' own mels. Discriminators the start keeps play from the first step; fresh
    ones learn alone first (`discriminator_warmup_steps`) while the generator is held still."""
    start = vocoder_start(base)
    voice = load_file(start / "config.json")
    warmup = 0 if (start / DISCRIMINATORS_FILE).is_file() else min(200, max_steps // 5)
    return {
        "model": voice["model"],
        "data": _data_section(training, batch_size or 8),
        "discriminators": {"period_channels": DISCRIMINATOR_PERIOD_CHANNELS, "resolution_channels": DISCRIMINATOR_RESOLUTION_CHANNELS},
        "loss": {"gan_start_step": 0, "discriminator_warmup_steps": warmup},
        "optim": {"learning_rate": VOCODER_LEARNING_RATE, "discriminator_learning_rate": 5e-4, "warmup_steps": min(100, max(1, max_steps // 10))},
        "trainer": {
            "out_dir": str(out_dir), "max_steps": max_steps, "checkpoint_every": min(250, max_steps), "validate_every": 500, "threads": threads, "devices": 1,
        },
    }


def _write_yaml(path: Path, settings: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Written by `tts finetune` (rewritten by each run of it): the default voice's recipe, pointed at the prepared recordings.\n"
    path.write_text(header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _scores_section(out: Path, base: Path, scores: dict | None) -> list[str]:
    again = f"tts eval --voice {out} --sentences {out / 'data' / TEST_FILE} --reference-dir {out / 'data' / 'wavs'} --asr-model MODEL"
    if scores is None:
        return [
            "None: no recordings were held out (`--test-recordings`). Score it with",
            f"`tts eval --voice {out} --sentences TEST.csv --reference-dir RECORDINGS` on recordings of the same speaker.",
        ]
    lines = [
        f"On {scores['test_recordings']} recordings held out of training (`data/test.csv`), at the voice's defaults, "
        + (f"{scores['threads']} CPU thread(s)" if scores.get("threads") else "default threads")
        + (f"; WER and CER by Whisper `{scores['asr_model']}`" if scores["asr_model"] else "") + ":",
        "",
        *scores_table(scores, base.name),
        "",
        "F0 by SwiftF0 (10th to 90th percentile for the range); MCD: mel-cepstral distance to the recording",
        "of the same sentence after DTW (lower is closer).",
    ]
    lines += [f"Not measured: {line}." for line in scores["skipped"]]
    lines += ["", "Measured again, one setting at a time, with:", "", f"    {again}"]
    return lines


def exported_strength(out: Path) -> float | None:
    """The strength `OUT/acoustic/` was exported at (1 for an export without a blend), None before any export."""
    config = out / "acoustic" / "config.json"
    if not config.is_file():
        return None
    return float(((load_file(config).get("training") or {}).get("base_blend") or {}).get("strength", 1.0))


def _blend_line(out: Path, base: Path) -> str:
    """The card's line on the export's strength (tts.finetune_blend)."""
    strength = exported_strength(out)
    if strength == 1:
        return "- Exported as trained (strength 1)."
    return (
        f"- Exported at strength {strength:g}: each acoustic weight is `{base.name}`'s plus {strength:g} of what"
        " training moved it (`--strength`; 1 is the model as trained)."
    )


def _steps(directory: Path) -> int:
    return int(load_file(directory / "config.json").get("training", {}).get("steps", 0))


def _write_graphs(out: Path) -> None:
    """The float32 graphs and the int8 ones (which the CPU runtime runs by default), when onnx is installed."""
    if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxscript") is None:
        write_graphs(out)  # says what to install
        return
    from tts.quantization import export_int8_graphs

    for path in export_int8_graphs(out):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def write_model_card(out: Path, base: Path, corpus: PreparedCorpus, state: dict, scores: dict | None = None) -> Path:
    """OUT/README.md: the data, the training, the time it took, the scores on held-out recordings and
    the commands that made the voice."""
    data = corpus_as_dict(corpus)
    acoustic, vocoder = load_file(out / "acoustic.yaml"), load_file(out / "vocoder.yaml")
    dropped = ", ".join(f"{count} {reason}" for reason, count in data["dropped"].items()) or "none"
    trained = _steps(out / "acoustic") - _steps(base / "acoustic")
    commands = "\n".join(f"    {command}" for command in state["commands"])
    lines = [
        f"# A voice fine-tuned from `{base.name}`",
        "",
        "Made by `tts finetune` from a folder of recordings: the base voice's acoustic model and vocoder,",
        "trained further on them. It keeps the base voice's text frontend (English, espeak-ng phonemes).",
        "",
        "## Data",
        "",
        f"- Kept: {data['utterances']} utterances, {data['minutes']:.1f} minutes, trimmed of silence at the ends,",
        f"  levelled to {LOUDNESS_DBFS:.0f} dBFS RMS and resampled to {acoustic['model']['mel']['sample_rate']} Hz (`data/`).",
        f"- Dropped: {dropped} (every file and its reason: `data/report.json`)"
        + (f"; every transcript was checked against what {corpus.heard_by} heard." if corpus.heard_by else "."),
        "",
        "## Training",
        "",
        (
            f"- Acoustic model: {trained} steps at batch {acoustic['data']['batch_size']} and learning rate"
            f" {acoustic['optim']['learning_rate']:g} from `{base.name}` ({_steps(out / 'acoustic')} in all), config `acoustic.yaml`."
        ),
        _blend_line(out, base),
        (
            f"- Vocoder: {vocoder['trainer']['max_steps']} steps at batch {vocoder['data']['batch_size']} and learning rate"
            f" {vocoder['optim']['learning_rate']:g} from `{base.name}`'s, config `vocoder.yaml`."
        ),
        f"- Wall time: {finetune_time.summary(state)}",
        "",
        "Made with:",
        "",
        commands,
        "",
        "## Scores",
        "",
        *_scores_section(out, base, scores),
        "",
        "## Use",
        "",
        f"    tts synth 'Hello there.' --voice {out} -o hello.wav",
        "",
    ]
    path = out / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
