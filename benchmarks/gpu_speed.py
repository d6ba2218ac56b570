"""The default voice on a GPU (torch engine): batch-1 latency and RTF per precision, batched throughput
from batch 1 to 256, and time to first audio. Prints a markdown table; `--json FILE` also writes it.

    python benchmarks/gpu_speed.py --sentences data/default-voice/test.csv            # CUDA
    python benchmarks/gpu_speed.py --device cpu --dtypes float32 --batches 1 2 --count 4   # a dry run

Needs the torch extra (`pip install '.[torch]'`). Times are wall clock around whole calls, with the
device synchronized before each clock read; each setting is warmed up first (CUDA kernels load lazily).
RTF is synthesis seconds over audio seconds; "times real time" is its inverse. `--compile` also runs
the decoder and vocoder through torch.compile (measured beside the plain modules).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch

import tts
from tts.evaluation.run import read_sentences

FALLBACK_SENTENCES = [
    "Sure, I can help you with that.",
    "Your table for four is booked at seven tonight.",
    "The next train to the airport leaves from platform two in eleven minutes.",
    "I have sent the confirmation to your phone; is there anything else?",
]


def synchronized(device: str) -> float:
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter()


def batch_one(voice, sentences: list[str], device: str) -> tuple[float, float]:
    """(median seconds per sentence, RTF over all) speaking the sentences one at a time."""
    walls, audio = [], 0.0
    for text in sentences:
        start = synchronized(device)
        result = voice.synthesize(text)
        walls.append(synchronized(device) - start)
        audio += result.duration
    return statistics.median(walls), sum(walls) / audio


def batched(voice, sentences: list[str], batch: int, device: str) -> float:
    """Times real time of `synthesize_batch` over `batch` sentences (the list repeated to fill it)."""
    texts = [sentences[i % len(sentences)] for i in range(batch)]
    voice.synthesize_batch(texts[: min(batch, 4)], batch_size=batch)  # warm-up for this shape
    start = synchronized(device)
    audios = voice.synthesize_batch(texts, batch_size=batch)
    wall = synchronized(device) - start
    return sum(a.duration for a in audios) / wall


def first_audio(voice, sentences: list[str], device: str) -> float:
    """Median milliseconds from `voice.stream(text)` to its first chunk."""
    times = []
    for text in sentences:
        start = synchronized(device)
        stream = voice.stream(text)
        next(iter(stream))
        times.append(synchronized(device) - start)
        stream.close()
    return statistics.median(times) * 1000


def compiled(voice):
    """The voice with its decoder and vocoder modules run through torch.compile."""
    voice.acoustic.model.decoder = torch.compile(voice.acoustic.model.decoder, dynamic=True)
    voice.vocoder.model = torch.compile(voice.vocoder.model, dynamic=True)
    return voice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtypes", nargs="+", default=["float16", "bfloat16", "float32"])
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 4, 16, 64, 256])
    parser.add_argument("--sentences", default=None, help="a metadata file (id|text); default: four built-in sentences")
    parser.add_argument("--count", type=int, default=32, help="sentences for the batch-1 and first-audio rows")
    parser.add_argument("--compile", action="store_true", help="also measure torch.compile'd modules")
    parser.add_argument("--json", default=None, help="also write the rows to this file")
    args = parser.parse_args()

    sentences = [text for _, text in read_sentences(args.sentences)] if args.sentences else FALLBACK_SENTENCES
    rows = []
    variants = [(dtype, False) for dtype in args.dtypes] + ([(args.dtypes[0], True)] if args.compile else [])
    for dtype, compile_modules in variants:
        voice = tts.load(device=args.device, backend="torch", dtype=dtype)
        if compile_modules:
            voice = compiled(voice)
        few = sentences[: args.count]
        batch_one(voice, few[:3], args.device)  # warm-up
        latency, rtf = batch_one(voice, few, args.device)
        row = {
            "device": torch.cuda.get_device_name() if args.device.startswith("cuda") else args.device,
            "dtype": dtype + (" + compile" if compile_modules else ""),
            "batch-1 median ms": round(latency * 1000, 2),
            "batch-1 RTF": round(rtf, 5),
            "first audio ms": round(first_audio(voice, few, args.device), 2),
        }
        for batch in args.batches:
            row[f"x real time @{batch}"] = round(batched(voice, sentences, batch, args.device), 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("| " + " | ".join("---" for _ in columns) + " |")
    for row in rows:
        print("| " + " | ".join(str(row.get(column, "")) for column in columns) + " |")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    main()
