"""Checking and preparing a folder of recordings for `tts finetune` (tts.finetune).

Input layouts: an LJSpeech-style `metadata.csv` (`id|text`) with the audio in `wavs/`, or pairs
`name.wav` + `name.txt` anywhere under the folder. Any sample rate, mono or stereo (down-mixed by
`vocoder.audio_io.load_audio`).

Every file that cannot be used is listed with its reason, checked in this order: unreadable, silent,
clipped, too short or too long (after trimming silence; the acoustic trainer's limits), a transcript
with nothing to speak, and a transcript that does not match the audio. The last is a screen, not a
proof: the base voice's text encoder predicts a mel per phoneme, monotonic alignment search finds
the best path of the transcript's phonemes through the recording's mel, and a recording that the
phonemes explain much worse in their order than in any order (an alignment distance far above the
corpus median), or whose phoneme rate is absurd, is dropped. A transcript that is mostly right, or
a corpus that is mostly wrong, can pass; a right one spoken very unlike the rest can be dropped.
That screen separates right from wrong transcripts for voices like the base voice, but not for others:
on a Kokoro voice speaking English with a Japanese accent, right transcripts scored 0.10-0.33 and
another sentence's 0.13-0.47. Given a speech recognizer (`transcriber`, Whisper through `tts finetune
--asr-model`), every kept recording is also transcribed, and one whose character error rate against its
transcript passes ASR_MISMATCH_CER is dropped: on the same accented voice, Whisper base heard the right
transcripts at CER 0-0.12 and another sentence's at 0.72 or more.

What is kept is trimmed of leading and trailing silence, levelled to one RMS loudness, resampled to
the voice's rate and written as `out_dir/metadata.csv` + `out_dir/wavs/<id>.wav`, with `report.json`
(kept and dropped, written last, so a folder without it is an unfinished preparation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from training.metadata import AUDIO_SUFFIXES, SkipReport, file_stem, read_metadata
from tts.data.features import text_ids
from tts.model.acoustic import AcousticModel
from tts.model.alignment import gaussian_log_likelihood, maximum_path
from tts.model.voice_config import VoiceConfig
from tts.synthesis.planning import model_frontend
from tts.training.config import AcousticDataConfig
from vocoder.audio_io import (
    AudioFileError,
    load_audio,
    loudness_normalize,
    resample,
    rms_dbfs,
    save_audio,
)
from vocoder.features import LogMelSpectrogram

REPORT = "report.json"
SILENT_DBFS = -60.0
"""A recording whose RMS level is below this is silent (a quiet room is about -70 to -60 dBFS)."""
CLIP_LEVEL, CLIP_FRACTION = 0.999, 0.001
"""Clipped: flat tops, more than 0.1% of the samples within 0.1% of the file's peak (whatever gain the
file was saved at, or a channel mix). Clean audio has a handful there (the default voice's corpus,
peak-normalized: at most 2 samples a file, 0.01%)."""
TRIM_DB, TRIM_PAD_SECONDS, TRIM_WINDOW_SECONDS = 40.0, 0.1, 0.02
"""Silence at the ends: 20 ms windows more than 40 dB below the loudest one; 0.1 s of it is kept."""
LOUDNESS_DBFS, PEAK_LIMIT = -20.0, 0.99
"""Every kept recording is levelled to -20 dBFS RMS (the default voice's corpus: -17 to -22), peaks at most 0.99."""
PHONEME_RATE = (4.0, 40.0)
"""Phoneme ids (spaces and punctuation included) per second of trimmed audio outside this range cannot
be the transcript of the audio: the default voice speaks about 20 a second."""
MISMATCH_RATIO, MISMATCH_MADS, MISMATCH_MARGIN = 1.5, 4.0, 0.05
"""An alignment distance (`AlignmentScreen.distance`) above 1.5 x the corpus median, the median + 4 robust
standard deviations (1.4826 MAD) and the median + 0.05 is an outlier. Measured on ten sentences of the
default voice, as they are, band-limited to 8 or 16 kHz, pitch-shifted 15% up or down, or with white
noise 20 dB below the speech: the right transcripts 0.015-0.17 (at most 0.025 above their condition's
median, or 1.3 x it), another sentence's transcript 0.17-0.48 (at least 0.07 above and 1.7 x the median
of the right ones)."""
MIN_SCREENED = 3
"""The corpus median means nothing below this many recordings: the distance screen is skipped then."""
ASR_MISMATCH_CER = 0.4
"""A recording that the speech recognizer hears this far from its transcript (character error rate,
after Whisper's English normalizer) is dropped."""


@dataclass(frozen=True)
class Recording:
    id: str
    """The prepared corpus's id (a file name)."""
    text: str
    audio: Path
    name: str
    """The recording as the user knows it (its path relative to the recordings folder)."""


@dataclass
class PreparedCorpus:
    directory: Path
    kept: list[dict] = field(default_factory=list)
    """{"id", "name", "seconds", "distance"} per kept recording."""
    dropped: list[dict] = field(default_factory=list)
    """{"name", "reason"} per recording (or metadata row) left out."""
    screened: bool = True
    """Whether the alignment-distance screen ran (it needs MIN_SCREENED recordings)."""
    heard_by: str | None = None
    """The speech recognizer that checked every transcript, if one did."""

    @property
    def metadata(self) -> Path:
        return self.directory / "metadata.csv"

    @property
    def minutes(self) -> float:
        return sum(item["seconds"] for item in self.kept) / 60

    def summary(self) -> str:
        lines = [f"kept {len(self.kept)} utterance(s), {self.minutes:.1f} minutes of audio, in {self.directory}"]
        if not self.screened:
            lines.append(f"  (too few recordings to screen transcripts by alignment: fewer than {MIN_SCREENED})")
        if self.heard_by:
            lines.append(f"  (every transcript checked against what {self.heard_by} heard)")
        lines.append(f"dropped {len(self.dropped)} file(s)" + (":" if self.dropped else ""))
        lines += [f"  {item['name']}: {item['reason']}" for item in self.dropped]
        return "\n".join(lines)

    def save(self) -> None:
        data = {"kept": self.kept, "dropped": self.dropped, "screened": self.screened, "heard_by": self.heard_by}
        (self.directory / REPORT).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> PreparedCorpus | None:
        """A finished preparation in `directory`, or None."""
        directory = Path(directory)
        if not (directory / REPORT).is_file() or not (directory / "metadata.csv").is_file():
            return None
        data = json.loads((directory / REPORT).read_text(encoding="utf-8"))
        return cls(directory, data["kept"], data["dropped"], data.get("screened", True), data.get("heard_by"))


class _EveryRow(SkipReport):
    """A SkipReport that keeps every example, not three: each unusable row is listed."""

    def skip(self, reason: str, example: str) -> None:
        self.counts[reason] += 1
        self.examples.setdefault(reason, []).append(example)


def find_recordings(root: str | Path, exclude: str | Path | None = None) -> tuple[list[Recording], list[dict]]:
    """The recordings under `root` (metadata.csv + wavs/, or wav/flac + txt pairs; none under `exclude`,
    the output when it lies inside `root`) and the entries left out."""
    root, exclude = Path(root), Path(exclude).resolve() if exclude is not None else None
    if not root.is_dir():
        raise FileNotFoundError(f"recordings folder not found: {root}")
    dropped = []
    if (root / "metadata.csv").is_file():
        report = _EveryRow()
        utterances, _ = read_metadata(root, "metadata.csv", "wavs", "ljspeech", report)
        for reason, examples in report.examples.items():
            dropped += [{"name": example, "reason": reason} for example in examples]
        found = [(u.id, u.text, u.audio_path) for u in utterances]
    else:
        found = []
        for audio in sorted(p for p in root.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()):
            if exclude is not None and audio.resolve().is_relative_to(exclude):
                continue
            name = audio.relative_to(root).as_posix()
            transcript = audio.with_suffix(".txt")
            if not transcript.is_file():
                dropped.append({"name": name, "reason": f"no transcript ({transcript.name})"})
                continue
            try:
                text = transcript.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                dropped.append({"name": transcript.relative_to(root).as_posix(), "reason": f"unreadable transcript ({error})"})
                continue
            found.append((audio.relative_to(root).with_suffix("").as_posix(), text, audio))
        if not found and not dropped:
            raise FileNotFoundError(f"{root}: no metadata.csv and no .wav/.flac recordings with .txt transcripts")
    recordings, ids = [], set()
    for utterance_id, text, audio in found:
        # One line of metadata: "|" separates its columns, and a new id must not collide with another's.
        text, new_id = " ".join(text.replace("|", " ").split()), file_stem(utterance_id).replace("|", "_")
        name = audio.relative_to(root).as_posix() if audio.is_relative_to(root) else str(audio)
        if not text:
            dropped.append({"name": name, "reason": "empty transcript"})
        elif new_id in ids:
            dropped.append({"name": name, "reason": f"duplicate id {new_id}"})
        else:
            ids.add(new_id)
            recordings.append(Recording(new_id, text, audio, name))
    return recordings, dropped


def audio_problem(samples: np.ndarray) -> str | None:
    """'silent' or 'clipped (...)' for a recording at its own rate, or None."""
    if rms_dbfs(samples) < SILENT_DBFS:
        return f"silent (RMS level {rms_dbfs(samples):.0f} dBFS, below {SILENT_DBFS:.0f})"
    magnitude = np.abs(samples)
    clipped = float(np.mean(magnitude >= CLIP_LEVEL * magnitude.max()))
    if clipped > CLIP_FRACTION:
        return f"clipped ({100 * clipped:.1f}% of the samples at the peak)"
    return None


def trim_silence(samples: np.ndarray, rate: int) -> np.ndarray:
    """Cut leading and trailing silence (windows TRIM_DB below the loudest), keeping TRIM_PAD_SECONDS of it."""
    window = max(1, int(TRIM_WINDOW_SECONDS * rate))
    count = len(samples) // window
    if count < 2:
        return samples
    levels = np.sqrt(np.mean(np.square(samples[: count * window].reshape(count, window), dtype=np.float64), axis=1))
    loud = np.flatnonzero(levels > max(levels.max() * 10 ** (-TRIM_DB / 20), 10 ** (SILENT_DBFS / 20)))
    if loud.size == 0:
        return samples
    pad = int(TRIM_PAD_SECONDS * rate)
    start, end = max(0, loud[0] * window - pad), min(len(samples), (loud[-1] + 1) * window + pad)
    return samples[start:end]


class AlignmentScreen:
    """The base voice's acoustic model, scoring how well a transcript aligns to a recording."""

    def __init__(self, acoustic_dir: str | Path):
        self.model = AcousticModel.load(acoustic_dir, device="cpu").eval()
        self.frontend = model_frontend(VoiceConfig.of_model(self.model).frontend)
        self.features = LogMelSpectrogram(self.model.config.mel)

    @property
    def sample_rate(self) -> int:
        return self.model.config.mel.sample_rate

    @torch.no_grad()
    def distance(self, samples: np.ndarray, ids: list[int]) -> float:
        """How much worse the transcript's phonemes explain the recording in their order than in any order.

        Both the recording's normalized mel and the encoder's prior means (one per phoneme) are
        standardized per mel channel (which takes out level, a band limit and much of a voice's
        timbre). The mean squared distance per channel and frame along the best monotonic path, the
        Gaussian alignment log-likelihood per frame log N(y; mu, I) without its constant and scale,
        minus the same with each frame free to take its nearest phoneme in any order: the transcript's
        order costs little for the right transcript and a lot for a wrong one. Needs a frame per phoneme.
        """
        y = _standardized(self.model.normalize(self.features(torch.from_numpy(samples))[None]))
        encoded = self.model.encode(torch.tensor(ids)[None], torch.tensor([len(ids)]))
        mu = _standardized(encoded.mu)
        log_likelihood = gaussian_log_likelihood(y, mu)
        path = maximum_path(log_likelihood, torch.ones_like(log_likelihood))
        channels = y.shape[1]
        in_order = float(((y - torch.bmm(mu, path)) ** 2).mean())
        constant = -0.5 * channels * np.log(2 * np.pi)
        any_order = float((constant - log_likelihood.max(dim=1).values).mean()) * 2 / channels
        return in_order - any_order


def _standardized(x: torch.Tensor) -> torch.Tensor:
    """(B, C, T) -> zero mean and unit variance per channel over T (a flat channel stays flat)."""
    return (x - x.mean(-1, keepdim=True)) / x.std(-1, keepdim=True).clamp_min(1e-3)


def mismatches(distances: dict[str, float]) -> dict[str, str]:
    """The ids whose alignment distance is an outlier of the corpus (MISMATCH_RATIO, MISMATCH_MADS), with reasons."""
    if len(distances) < MIN_SCREENED:
        return {}
    values = np.array(list(distances.values()))
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    limit = max(MISMATCH_RATIO * median, median + MISMATCH_MADS * spread, median + MISMATCH_MARGIN)
    return {
        key: f"transcript does not match the audio (alignment distance {value:.2f}, corpus median {median:.2f}, limit {limit:.2f})"
        for key, value in distances.items()
        if value > limit
    }


def prepare_corpus(
    recordings_dir: str | Path,
    out_dir: str | Path,
    acoustic_dir: str | Path,
    progress: bool = True,
    exclude: str | Path | None = None,
    transcriber=None,
) -> PreparedCorpus:
    """Check every recording under `recordings_dir` (but `exclude`, default `out_dir`), and write the usable
    ones, trimmed, levelled and at the base voice's rate, into `out_dir` (metadata.csv, wavs/, report.json).
    `transcriber(samples_16k) -> text` (a `WhisperTranscriber`) also checks every transcript by ear."""
    from tqdm import tqdm

    limits = AcousticDataConfig()  # the acoustic trainer's length limits
    recordings, dropped = find_recordings(recordings_dir, exclude if exclude is not None else out_dir)
    screen = AlignmentScreen(acoustic_dir)
    rate = screen.sample_rate
    corpus = PreparedCorpus(Path(out_dir), dropped=dropped)
    wavs = corpus.directory / "wavs"
    wavs.mkdir(parents=True, exist_ok=True)
    (corpus.directory / REPORT).unlink(missing_ok=True)  # unfinished until written again
    kept, distances = {}, {}
    for recording in tqdm(recordings, desc="checking recordings", disable=not progress, unit="file"):
        result, samples = _check(recording, screen, limits)
        if isinstance(result, str):
            corpus.dropped.append({"name": recording.name, "reason": result})
            continue
        distances[recording.id] = result
        save_audio(wavs / f"{recording.id}.wav", samples, rate)
        kept[recording.id] = {"id": recording.id, "name": recording.name, "seconds": round(len(samples) / rate, 3), "distance": round(result, 4)}
    corpus.screened = len(distances) >= MIN_SCREENED
    names = {r.id: r.name for r in recordings}
    for key, reason in mismatches(distances).items():
        corpus.dropped.append({"name": names[key], "reason": reason})
        (wavs / f"{key}.wav").unlink(missing_ok=True)
        del kept[key]
    texts = {r.id: r.text for r in recordings}
    if transcriber is not None:
        corpus.heard_by = getattr(transcriber, "name", None) or "a speech recognizer"
        checked = tqdm(list(kept), desc="checking transcripts by ear", disable=not progress, unit="file")
        for key, reason in misheard(checked, texts, wavs, rate, transcriber).items():
            corpus.dropped.append({"name": names[key], "reason": reason})
            (wavs / f"{key}.wav").unlink(missing_ok=True)
            del kept[key]
    corpus.kept = list(kept.values())
    lines = [f"{key}|{texts[key]}\n" for key in kept]
    temporary = corpus.metadata.with_suffix(".tmp")
    temporary.write_text("".join(lines), encoding="utf-8")
    temporary.replace(corpus.metadata)
    corpus.save()
    return corpus


def _check(recording: Recording, screen: AlignmentScreen, limits: AcousticDataConfig) -> tuple[str | float, np.ndarray | None]:
    """(reason to drop, None) or (alignment distance, prepared samples at the voice's rate)."""
    try:
        samples, rate = load_audio(recording.audio)
    except AudioFileError as error:
        return f"unreadable: {str(error).removeprefix(f'{recording.audio}: ')}", None
    problem = audio_problem(samples)
    if problem:
        return problem, None
    samples = trim_silence(resample(samples, rate, screen.sample_rate), screen.sample_rate)
    seconds = len(samples) / screen.sample_rate
    if seconds < limits.min_seconds:
        return f"too short ({seconds:.2f} s after trimming silence; at least {limits.min_seconds} s)", None
    if seconds > limits.max_seconds:
        return f"too long ({seconds:.1f} s after trimming silence; at most {limits.max_seconds} s)", None
    try:
        ids = text_ids(screen.frontend, recording.text)
    except ValueError:
        return "transcript has nothing to speak", None
    low, high = PHONEME_RATE
    frames = screen.model.config.mel.num_frames(len(samples))
    if not low <= len(ids) / seconds <= high or frames < len(ids):
        return f"transcript does not match the audio ({len(ids)} phonemes for {seconds:.1f} s)", None
    samples = loudness_normalize(samples, LOUDNESS_DBFS, PEAK_LIMIT)
    return screen.distance(samples, ids), samples


def misheard(keys, texts: dict[str, str], wavs: Path, rate: int, transcriber) -> dict[str, str]:
    """The prepared recordings (`wavs/<key>.wav`) that `transcriber` hears too far from their transcript
    (ASR_MISMATCH_CER), with reasons."""
    from tts.evaluation.scorers import SCORER_RATE, heard_distance

    reasons = {}
    for key in keys:
        samples, _ = load_audio(wavs / f"{key}.wav", rate)
        heard = transcriber(resample(samples, rate, SCORER_RATE))
        cer = heard_distance(texts[key], heard)
        if cer is None:
            continue  # a transcript Whisper's normalizer empties cannot be compared
        if cer > ASR_MISMATCH_CER:
            reasons[key] = f"transcript does not match the audio (heard {heard[:80]!r}: character error rate {cer:.2f})"
    return reasons


def corpus_as_dict(corpus: PreparedCorpus) -> dict:
    """The corpus's summary numbers, for the model card: kept utterances and minutes, dropped files by reason."""
    reasons: dict[str, int] = {}
    for item in corpus.dropped:
        key = item["reason"].split(" (")[0]
        reasons[key] = reasons.get(key, 0) + 1
    return {"utterances": len(corpus.kept), "minutes": round(corpus.minutes, 2), "dropped": reasons, "screened": corpus.screened}
