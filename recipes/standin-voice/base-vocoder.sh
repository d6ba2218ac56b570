#!/usr/bin/env bash
# A multi-speaker base vocoder for own-voice fine-tunes: the default voice's vocoder (its finished
# vocoder-long run, discriminators included) trained on. Four Kokoro stand-in speakers plus the
# teacher; jf_nezumi, the speaker the fine-tune is measured on, is held out of it entirely.
# Usage: bash recipes/standin-voice/base-vocoder.sh [CLIPS_PER_SPEAKER] [TEACHER_CLIPS]
# Needs data/default-voice (bash recipes/default-voice/run.sh 1 3) and the vocoder-long checkpoint
# (runs/default-voice-vocoder-long, or its compact state restored with `tts state restore`).
# Resumable: spoken clips are kept, and the training run resumes.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIPS=${1:-120}
TEACHER=${2:-250}
ENV=data/venv-kokoro
[ -x "$ENV/bin/python" ] || { echo "run recipes/standin-voice/run.sh first (it makes $ENV)"; exit 1; }
OUT=data/base-vocoder
mkdir -p "$OUT/wavs"
# Texts: the default voice's training texts without any of jf_nezumi's held-out sentences.
python - <<'PY'
from pathlib import Path
held = {row.split("|")[-1].strip() for row in Path("data/standin-jf_nezumi/test/metadata.csv").read_text(encoding="utf-8").splitlines()}
rows = [row for row in Path("data/default-voice/texts/train.spoken.txt").read_text(encoding="utf-8").splitlines() if row.split("|")[-1].strip() not in held]
Path("data/base-vocoder/texts.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
PY
# Two speakers at a time, one thread each (Kokoro runs one utterance at a time: two processes use two cores better).
speak() { KOKORO_JA_CACHE=data/kokoro-cache "$ENV/bin/python" recipes/standin-voice/speak.py --voice "$1" --train "$CLIPS" --test 0 \
  --texts "$OUT/texts.txt" --seed 2026 --threads 1 --out "data/standin-$1-base"; }
speak jf_alpha & speak jf_gongitsune & wait
speak jf_tebukuro & speak jm_kumo & wait
# One folder of links: every stand-in clip, and the teacher's first TEACHER clips in a seeded draw.
python - "$TEACHER" <<'PY'
import os, random, sys
from pathlib import Path
out = Path("data/base-vocoder")
rows = []
for voice in ("jf_alpha", "jf_gongitsune", "jf_tebukuro", "jm_kumo"):
    source = Path(f"data/standin-{voice}-base")
    for row in (source / "metadata.csv").read_text(encoding="utf-8").splitlines():
        name, text = row.split("|", 1)
        rows.append((f"{voice}_{name}", source / "wavs" / f"{name}.wav", text))
teacher = (Path("data/default-voice/metadata-first.csv")).read_text(encoding="utf-8").splitlines()
for row in random.Random(2026).sample(teacher, int(sys.argv[1])):
    name, text = row.split("|", 1)
    rows.append((f"joe_{name}", Path("data/default-voice/wavs") / f"{name}.wav", text))
for name, path, _ in rows:
    link = out / "wavs" / f"{name}.wav"
    if not link.exists():
        os.symlink(path.resolve(), link)
(out / "metadata.csv").write_text("".join(f"{name}|{text}\n" for name, _, text in rows), encoding="utf-8")
print(f"{out}: {len(rows)} clips")
PY
RESUME=""
[ -f runs/base-vocoder/checkpoints/last.ckpt ] && RESUME="--resume"
tts train-vocoder recipes/standin-voice/vocoder-base.yaml --init-from runs/default-voice-vocoder-long/checkpoints/last.ckpt $RESUME
