"""End-to-end speed: text -> waveform RTF per sampler, streaming time-to-first-audio, memory, batches.

    python benchmarks/synthesis_speed.py [--voice DIR] [--threads 2] [--device cpu]

Without --voice it builds random-weight models of the CPU recipe sizes (recipes/custom/*.yaml) and the
vocoder size given by --vocoder-dim/--vocoder-layers: speed does not depend on the weights.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from dataclasses import replace

import torch

from tts.evaluation.run import time_to_first_audio

SHORT = "Hello there, how can I help you today?"
LONG = (
    "The quarterly report, which arrived on Tuesday, shows that revenue grew by twelve percent "
    "while costs stayed flat, so the team will present the results to the board next week."
)


def random_voice(directory: str, vocoder_dim: int, vocoder_layers: int) -> str:
    from text import TextFrontend
    from tts.model import AcousticModel
    from tts.training.run import load_acoustic_config
    from vocoder import VocosConfig, VocosVocoder

    frontend = TextFrontend()
    config = load_acoustic_config("recipes/custom/config.yaml").model
    model = AcousticModel(replace(config, n_vocab=len(frontend.symbols)))
    with torch.no_grad():  # 5.5 frames for every phoneme, like speech, whatever the random encoder says
        model.duration_predictor.out.weight.zero_()
        model.duration_predictor.out.bias.fill_(1.7)
    model.extra = {"frontend": frontend.config(), "speakers": []}
    model.save(f"{directory}/acoustic")
    VocosVocoder(VocosConfig(dim=vocoder_dim, intermediate_dim=3 * vocoder_dim, num_layers=vocoder_layers)).save(f"{directory}/vocoder")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voice", default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default=None, choices=["float32", "bfloat16", "float16"], help="default: the library's choice")
    parser.add_argument("--backend", default="auto", choices=["auto", "onnx", "torch"], help="auto/onnx: the random voice gets ONNX graphs too")
    parser.add_argument("--vocoder-dim", type=int, default=384)
    parser.add_argument("--vocoder-layers", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    import tts

    with tempfile.TemporaryDirectory() as scratch:
        path = args.voice or random_voice(scratch, args.vocoder_dim, args.vocoder_layers)
        if args.voice is None and args.backend != "torch":
            from tts.graph_export import export_directory_graphs

            export_directory_graphs(path)
        voice = tts.load(path, device=args.device, dtype=args.dtype, threads=args.threads, backend=args.backend)
    print(
        f"voice {args.voice or f'random weights (vocoder {args.vocoder_dim}x{args.vocoder_layers})'}, "
        f"device {args.device}, {str(voice.dtype).removeprefix('torch.')}, {args.threads} threads, "
        f"{voice.runtime}"
    )
    voice.synthesize(SHORT)  # warm-up
    print("real-time factor (text -> waveform, the long sentence):")
    for sampler, steps in [("flow_map", 1), ("flow_map", 2), ("flow_map", 4), ("euler", 32)]:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            audio = voice.synthesize(LONG, steps=steps, sampler=sampler)
            runs.append(time.perf_counter() - start)
        print(f"  {sampler:8s} {steps:2d} steps: RTF {min(runs) / audio.duration:.4f} ({audio.duration:.1f} s of audio)")
    print("streaming time-to-first-audio (1 step, 16-frame chunks):")
    for name, text in [("short", SHORT), ("long", LONG)]:
        first_audio = time_to_first_audio(voice, text, args.repeats)
        print(f"  {name:5s} ({len(text.split())} words): median {first_audio['median_ms']:.1f} ms, p90 {first_audio['p90_ms']:.1f} ms")
    texts = [SHORT, LONG] * 8
    start = time.perf_counter()
    audios = voice.synthesize_batch(texts, batch_size=16)
    seconds = time.perf_counter() - start
    total = sum(a.duration for a in audios)
    print(f"batch throughput: {len(texts)} utterances, {total:.1f} s of audio in {seconds:.2f} s (RTF {seconds / total:.4f})")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
