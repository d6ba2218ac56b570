#!/usr/bin/env bash
# The own-voice fine-tune measured on the stand-in speaker: MINUTES of its recordings -> a voice, scored
# on its 100 held-out recordings beside them and the default voice (tts finetune's own card and
# eval.json), then again with tts eval for WER/CER.
# Usage: bash recipes/standin-voice/finetune.sh [VOICE] [MINUTES] [tts finetune options...], e.g.
#   OUT=runs/own-voice-short bash recipes/standin-voice/finetune.sh jf_nezumi 60 --max-steps 1000 --vocoder-steps 500
# Resumable: rerun after an interruption (with the same options).
set -euo pipefail
cd "$(dirname "$0")/../.."
VOICE=${1:-jf_nezumi}
MINUTES=${2:-60}
SOURCE=data/standin-$VOICE
SUBSET=data/standin-$VOICE-${MINUTES}min
shift $(( $# < 2 ? $# : 2 ))
OUT=${OUT:-runs/own-voice-$VOICE-${MINUTES}min}
# Whisper base as a local CTranslate2 directory (or a faster-whisper model name where a hub is reachable).
ASR=${ASR_MODEL:-data/whisper-base}
# The first MINUTES of training recordings (in their seeded order), as a folder tts finetune takes.
python - "$SOURCE" "$SUBSET" "$MINUTES" <<'PY'
import os, sys
from pathlib import Path
import soundfile as sf
source, subset, minutes = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
(subset / "wavs").mkdir(parents=True, exist_ok=True)
rows, seconds = [], 0.0
for row in (source / "metadata.csv").read_text(encoding="utf-8").splitlines():
    name = row.split("|", 1)[0]
    if seconds >= minutes * 60:
        break
    seconds += sf.info(source / "wavs" / f"{name}.wav").duration
    link = subset / "wavs" / f"{name}.wav"
    if not link.exists():
        os.symlink((source / "wavs" / f"{name}.wav").resolve(), link)
    rows.append(row + "\n")
(subset / "metadata.csv").write_text("".join(rows), encoding="utf-8")
print(f"{subset}: {len(rows)} recordings, {seconds / 60:.1f} min")
PY
RESUME=""
[ -f "$OUT/data/report.json" ] && RESUME="--resume"
# The held-out recordings are the stand-in's own test set, not a tenth of the subset.
mkdir -p "$OUT"
start=$(date +%s)
tts finetune "$SUBSET" "$OUT" --test-recordings 0 --asr-model "$ASR" $RESUME "$@"
echo "wall time of this run: $(( $(date +%s) - start )) s" | tee -a "$OUT/wall-time.txt"
tts eval --voice "$OUT" --sentences "$SOURCE/test/metadata.csv" --reference-dir "$SOURCE/test/wavs" --asr-model "$ASR" \
  --settings flow_map:1 --threads 2 --speaker-plot "$OUT/speaker.png" --out "$OUT/eval-test.json" | tee "$OUT/eval-test.md"
tts eval --sentences "$SOURCE/test/metadata.csv" --reference-dir "$SOURCE/test/wavs" --asr-model "$ASR" \
  --settings flow_map:1 --threads 2 --out "$OUT/eval-default-voice.json" | tee "$OUT/eval-default-voice.md"
