#!/usr/bin/env bash
# LJSpeech, staged: bash recipes/ljspeech/run.sh [start_stage] [stop_stage]
#   0: check the data   1: vocoder   2: acoustic model   3: speak a test sentence
# Every training stage resumes where it stopped, so re-running the script is safe.
set -euo pipefail
stage=${1:-0}
stop_stage=${2:-3}
data=data/LJSpeech-1.1

if [ "$stage" -le 0 ] && [ "$stop_stage" -ge 0 ]; then
  if [ ! -f "$data/metadata.csv" ]; then
    echo "Download LJSpeech-1.1 (https://keithito.com/LJ-Speech-Dataset/) and unpack it to $data" >&2
    exit 1
  fi
fi
if [ "$stage" -le 1 ] && [ "$stop_stage" -ge 1 ]; then
  tts train-vocoder recipes/ljspeech/vocoder.yaml --resume
fi
if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 2 ]; then
  tts train recipes/ljspeech/config.yaml --resume
fi
if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 3 ]; then
  # ONNX graphs of both exports (no weights in them): ONNX Runtime runs the networks on CPUs.
  tts export-graphs runs/ljspeech/export && tts export-graphs runs/ljspeech-vocoder/export
  tts synth "Printing, in the only sense with which we are at present concerned." \
    --model runs/ljspeech/export --vocoder runs/ljspeech-vocoder/export -o runs/ljspeech/test.wav
fi
