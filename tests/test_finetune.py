"""`tts finetune`: a folder of recordings -> checked and prepared data -> a voice fine-tuned from the default
voice (a 3-step smoke run), resumable."""

import json
import time

import numpy as np
import pytest
import soundfile as sf
import torch

import tts
from tts.cli import main as cli
from tts.finetune import ACOUSTIC_LEARNING_RATE, FINETUNE_STRENGTH, VOCODER_LEARNING_RATE
from vocoder.audio_io import resample

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "She sells sea shells by the sea shore.",
    "Please call me back when you get this message.",
    "It is going to rain later this afternoon.",
    "Turn left at the second traffic light.",
    "My favourite colour is a deep shade of blue.",
    "We will meet at the library at noon.",
    "How many apples are left in the basket?",
    "The train to the city leaves every hour.",
    "Thank you for waiting, your table is ready.",
]


@pytest.fixture
def recordings(tmp_path):
    """Ten clips of the default voice (temperature 0: deterministic) as 16 kHz stereo wav + txt pairs,
    and four it cannot use: silent, clipped, too short, and one whose transcript is another sentence."""
    root = tmp_path / "recordings"
    root.mkdir()
    voice = tts.load(device="cpu")
    spoken = [np.asarray(voice.synthesize(text).samples, dtype=np.float32) for text in SENTENCES]

    def write(name, samples, text, gain=1.0):
        low = np.clip(gain * resample(samples, 24000, 16000), -1, 1)  # a gain > 1 clips at the file's own rate
        sf.write(root / f"{name}.wav", np.stack([low, 0.8 * low], axis=1), 16000)
        (root / f"{name}.txt").write_text(text + "\n")

    for i, (text, samples) in enumerate(zip(SENTENCES, spoken)):
        write(f"clip{i:02d}", samples, text)
    write("silent", np.zeros(32000, dtype=np.float32), "Nothing was said here.")
    write("clipped", spoken[0], SENTENCES[0], gain=20.0)
    write("short", spoken[1][:6000], SENTENCES[1])
    write("wrong", spoken[2], "Seven large ships sailed slowly into the harbour.")
    return root


@pytest.fixture
def one_thread():
    """One torch thread: on a busy 2-core machine two threads run several times slower. Restored after."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_recordings_to_a_voice_that_speaks_and_resumes(recordings, tmp_path, capsys, one_thread):
    out = tmp_path / "voice"
    args = ["finetune", str(recordings), str(out), "--max-steps", "3", "--vocoder-steps", "3", "--batch-size", "2", "--threads", "1", "--test-recordings", "2"]
    assert cli(args) == 0
    printed = capsys.readouterr().out

    # Every unusable file is listed with its reason, with what is kept, before any training.
    summary = printed[: printed.index("acoustic data:")]
    assert "kept 10 utterance(s), 0.4 minutes" in summary
    assert "dropped 4 file(s):" in summary
    for line in ("silent.wav: silent", "clipped.wav: clipped", "short.wav: too short", "wrong.wav: transcript does not match the audio"):
        assert line in summary, line

    # The prepared corpus: mono, 24 kHz, levelled, the ten good clips.
    rows = (out / "data" / "metadata.csv").read_text().splitlines()
    assert [row.split("|")[0] for row in rows] == [f"clip{i:02d}" for i in range(10)]
    assert rows[0].split("|")[1] == SENTENCES[0]
    prepared, rate = sf.read(out / "data" / "wavs" / "clip00.wav")
    assert rate == 24000 and prepared.ndim == 1
    assert -21 < 20 * np.log10(np.sqrt(np.mean(prepared**2))) < -19
    assert "max_steps: 3" in (out / "acoustic.yaml").read_text() and "max_steps: 3" in (out / "vocoder.yaml").read_text()

    # Two recordings are held out of training, to score the voice at the end.
    test = (out / "data" / "test.csv").read_text().splitlines()
    train = (out / "data" / "train.csv").read_text().splitlines()
    assert len(test) == 2 and len(train) == 8 and not set(test) & set(train) and sorted(test + train) == sorted(rows)
    assert "held out 2 recording(s)" in summary or "held out 2 recording(s)" in printed
    assert "train.csv" in (out / "acoustic.yaml").read_text() and "train.csv" in (out / "vocoder.yaml").read_text()

    # The bundle: both parts with their float32 and int8 graphs, a model card with its scores, and a
    # voice that speaks.
    for graph in ("acoustic/encoder.onnx", "acoustic/duration.onnx", "acoustic/decoder.onnx", "vocoder/spectrum.onnx", "acoustic/decoder.int8.onnx"):
        assert (out / graph).is_file(), graph
    card = (out / "README.md").read_text()
    assert "10 utterances" in card and "3 steps" in card and "tts finetune" in card and "1 clipped" in card
    assert f"learning rate {ACOUSTIC_LEARNING_RATE:g}" in card and f"learning rate {VOCODER_LEARNING_RATE:g}" in card
    # Exported part of the way back toward the default voice (tts.finetune_blend), and the card says so.
    assert f"Exported at strength {FINETUNE_STRENGTH:g}" in card
    assert json.loads((out / "acoustic" / "config.json").read_text())["training"]["base_blend"]["strength"] == FINETUNE_STRENGTH
    scores = json.loads((out / "eval.json").read_text())
    assert scores["test_recordings"] == 2 and "WER/CER: no --asr-model given" in scores["skipped"]
    # Pitch and distance to the held-out recordings, for the new voice and the one it started from.
    for row in ("voice", "base"):
        assert scores[row]["mcd_db"] > 0 and scores[row]["f0_median_hz"] > 50
    assert scores["recordings"]["f0_median_hz"] > 50 and scores["recordings"]["mcd_db"] is None
    assert "| this voice |" in card and "| the held-out recordings |" in card and "Not measured: WER/CER" in card
    assert f"--reference-dir {out / 'data' / 'wavs'}" in card
    voice = tts.load(out, device="cpu")
    assert voice.defaults.temperature == 0.0  # the base voice's synthesis defaults are kept,
    assert voice.defaults.sharpen == 1.0  # but not its spectral sharpening, chosen on that voice
    samples = np.asarray(voice.synthesize("My own voice speaks now.").samples)
    assert np.all(np.isfinite(samples)) and np.sqrt(np.mean(samples**2)) > 1e-3

    # --resume of a finished run reuses the data and the checkpoints: no step is trained again.
    # An invocation killed in between (its last heartbeat 45 s after its start) still counts in the
    # card's wall time, up to that heartbeat.
    acoustic_checkpoint = out / "runs" / "acoustic" / "checkpoints" / "last.ckpt"
    vocoder_checkpoint = out / "runs" / "vocoder" / "checkpoints" / "last.ckpt"
    ledger = json.loads((out / "finetune.json").read_text())
    assert len(ledger["commands"]) == 1 and ledger["seconds"] > 0 and "running" not in ledger
    assert "stopped before finishing" not in card
    first_seconds = ledger["seconds"]
    started = time.time() - 3600
    ledger["running"] = {"command": "tts finetune (killed)", "started": started, "last": started + 45}
    (out / "finetune.json").write_text(json.dumps(ledger))
    # (The same finished run exported again as trained, without training: --strength 1.)
    assert cli([*args, "--resume", "--strength", "1"]) == 0
    assert "base_blend" not in json.loads((out / "acoustic" / "config.json").read_text())["training"]
    assert "Exported as trained (strength 1)" in (out / "README.md").read_text()
    ledger = json.loads((out / "finetune.json").read_text())
    assert ledger["commands"][1] == "tts finetune (killed)" and len(ledger["commands"]) == 3 and ledger["interrupted"] == 1
    assert first_seconds + 45 < ledger["seconds"] < first_seconds + 45 + 600 and "running" not in ledger
    assert "(1 of them stopped before finishing" in (out / "README.md").read_text()
    # A later --resume without --strength keeps the strength the voice was exported at (here 1).
    assert cli([*args, "--resume"]) == 0
    assert "base_blend" not in json.loads((out / "acoustic" / "config.json").read_text())["training"]
    printed = capsys.readouterr().out
    assert "reusing the prepared recordings" in printed and "wrong.wav: transcript does not match" in printed
    assert torch.load(acoustic_checkpoint, weights_only=True)["global_step"] == 3
    assert int(torch.load(vocoder_checkpoint, weights_only=True)["state_dict"]["generator_step"]) == 3
    assert tts.load(out, device="cpu").synthesize("Still here.").samples is not None

    # Without --resume a folder holding runs is refused, before any work.
    assert cli(args) == 2
    assert "--resume" in capsys.readouterr().err


def test_the_wall_time_counts_a_killed_a_failed_and_an_old_invocation(tmp_path):
    """The card's wall time: a run killed mid-way counts to its last heartbeat (written while it runs,
    not read from file times), one that raises to the moment it raised; a record from before
    heartbeats loads."""
    from tts.finetune_time import STATE, Stopwatch, load, summary

    (tmp_path / STATE).write_text(json.dumps({"seconds": 120.0, "commands": ["tts finetune old"]}))
    assert load(tmp_path)["interrupted"] == 0

    watch = Stopwatch(tmp_path, "tts finetune killed", heartbeat=0.05).__enter__()  # never left: killed
    time.sleep(0.3)
    watch._stop.set()
    watch._thread.join()
    running = json.loads((tmp_path / STATE).read_text())["running"]
    assert running["last"] - running["started"] >= 0.2  # the heartbeat wrote how long it had run

    with pytest.raises(RuntimeError), Stopwatch(tmp_path, "tts finetune failed"):
        time.sleep(0.1)
        raise RuntimeError("the recordings folder was unplugged")
    with Stopwatch(tmp_path, "tts finetune done") as watch:
        pass
    state = watch.state
    assert state["commands"] == ["tts finetune old", "tts finetune killed", "tts finetune failed", "tts finetune done"]
    assert state["interrupted"] == 2 and "running" not in state
    assert 120.0 + 0.2 + 0.1 <= state["seconds"] < 120.0 + 2.0
    assert state == json.loads((tmp_path / STATE).read_text())
    assert summary(state).startswith("2.0 minutes") and "2 of them stopped before finishing" in summary(state)


def test_an_ljspeech_folder_is_checked_row_by_row(tmp_path):
    """metadata.csv + wavs/: rows without audio, unreadable files and nothing to speak are listed; with
    fewer than three usable recordings the alignment screen is skipped, and says so."""
    from tts.finetune_data import prepare_corpus
    from tts.voices import VOICES_DIR

    root = tmp_path / "ljspeech"
    (root / "wavs").mkdir(parents=True)
    samples = np.asarray(tts.load(device="cpu").synthesize(SENTENCES[3]).samples, dtype=np.float32)
    sf.write(root / "wavs" / "good.wav", resample(samples, 24000, 44100), 44100)
    sf.write(root / "wavs" / "mute.wav", samples, 24000)
    (root / "wavs" / "broken.wav").write_bytes(b"RIFF not really a wav file")
    (root / "metadata.csv").write_text(f"good|{SENTENCES[3]}\nbroken|Some words.\nmissing|More words.\nmute|...\n")
    corpus = prepare_corpus(root, tmp_path / "data", VOICES_DIR / "default" / "acoustic", progress=False)
    assert [item["id"] for item in corpus.kept] == ["good"]
    reasons = {item["name"]: item["reason"] for item in corpus.dropped}
    assert reasons["missing"] == "missing audio file"
    assert reasons["wavs/broken.wav"].startswith("unreadable: not a readable audio file")
    assert reasons["wavs/mute.wav"] == "transcript has nothing to speak"
    assert not corpus.screened and "too few recordings to screen" in corpus.summary()
    assert sf.info(tmp_path / "data" / "wavs" / "good.wav").samplerate == 24000


def test_whisper_checks_every_transcript_by_ear(tmp_path):
    """With a speech recognizer, a transcript it hears far from the audio is dropped, even where the
    alignment screen cannot run (fewer than three recordings) or cannot tell (another speaker)."""
    from tts.finetune_data import prepare_corpus
    from tts.voices import VOICES_DIR

    root = tmp_path / "recordings"
    (root / "wavs").mkdir(parents=True)
    voice = tts.load(device="cpu")
    for name, sentence in (("right", SENTENCES[1]), ("wrong", SENTENCES[2])):
        sf.write(root / "wavs" / f"{name}.wav", np.asarray(voice.synthesize(sentence).samples), 24000)
    (root / "metadata.csv").write_text(f"right|{SENTENCES[1]}\nwrong|{SENTENCES[4]}\n")
    heard = iter([SENTENCES[1].lower().rstrip("."), SENTENCES[2]])  # what each recording really says

    class Ears:
        name = "a stand-in recognizer"

        def __call__(self, samples):
            assert samples.ndim == 1 and len(samples) > 16000 * 0.5  # 16 kHz speech
            return next(heard)

    corpus = prepare_corpus(root, tmp_path / "data", VOICES_DIR / "default" / "acoustic", progress=False, transcriber=Ears())
    assert [item["id"] for item in corpus.kept] == ["right"]
    (reason,) = [item["reason"] for item in corpus.dropped]
    assert reason.startswith("transcript does not match the audio (heard") and "character error rate" in reason
    assert not (tmp_path / "data" / "wavs" / "wrong.wav").exists()
    assert (tmp_path / "data" / "metadata.csv").read_text() == f"right|{SENTENCES[1]}\n"
    assert "checked against what a stand-in recognizer heard" in corpus.summary()


def test_the_ear_check_reads_spoken_digits_however_they_are_written():
    """Whisper writes a spoken phone number as hyphenated digits; that is the transcript, not a mismatch."""
    from tts.evaluation.scorers import heard_distance
    from tts.finetune_data import ASR_MISMATCH_CER

    transcript = "You can reach them at one-eight zero zero, five five five, zero one nine nine."
    assert heard_distance(transcript, "You can reach them at 1-8-0-0-5-5-5-0-1-9-9.") < 0.05
    assert heard_distance(transcript, "You can reach them at 1800 555 0199.") < 0.05
    assert heard_distance("Call me at nine thirty a m.", "Call me at 9.30 a.m.") < 0.05
    assert heard_distance(transcript, "Seven large ships sailed slowly into the harbour.") > ASR_MISMATCH_CER
    assert heard_distance(transcript, "") == 1.0


def test_copy_synthesis_scores_the_vocoder_on_the_recordings_own_mels(tmp_path):
    """The vocoder's ceiling for a speaker: each recording's own log-mel through the vocoder, scored by
    the quality scorer, which gets audio at 16 kHz that sounds like the recording."""
    from tts.finetune_eval import copy_synthesis, scores_table
    from tts.voices import DEFAULT_VOICE, VOICES_DIR

    voice = tts.load(device="cpu")
    wavs = []
    for i, text in enumerate(SENTENCES[:2]):
        samples = np.asarray(voice.synthesize(text).samples, dtype=np.float32)
        sf.write(tmp_path / f"clip{i}.wav", samples, 24000)
        wavs.append(tmp_path / f"clip{i}.wav")
    heard = []

    def quality(audio):
        heard.append(audio)
        return {"ovrl": 3.0 + len(heard), "p808": 4.0}

    scores = copy_synthesis(VOICES_DIR / DEFAULT_VOICE / "vocoder", wavs, quality)
    assert scores == {"dnsmos_ovrl": 4.5, "dnsmos_p808": 4.0}  # the mean over the recordings (4 and 5)
    for path, audio in zip(wavs, heard):
        original = resample(sf.read(path, dtype="float32")[0], 24000, 16000)
        assert abs(len(audio) - len(original)) <= 256
        n = min(len(audio), len(original))

        def spectrum(x, n=n):
            return np.log(np.abs(np.fft.rfft(x[:n])) + 1e-3)

        # Resynthesized, not copied: close in spectrum to the recording, far from noise of its loudness.
        noise = np.random.default_rng(0).standard_normal(n).astype(np.float32) * np.std(original)
        assert np.mean(np.abs(spectrum(audio) - spectrum(original))) < 0.5 * np.mean(np.abs(spectrum(noise) - spectrum(original)))
        assert not np.allclose(audio[:n], original[:n])

    row = {"wer": None, "cer": None, "dnsmos_ovrl": 3.1, "dnsmos_p808": 3.9, "f0_median_hz": None, "f0_range_st": None, "mcd_db": None}
    results = {"recordings": row, "voice": {**row, "copy_synthesis": scores}, "base": {**row, "copy_synthesis": {"dnsmos_ovrl": 2.0, "dnsmos_p808": 3.0}}}
    table = "\n".join(scores_table(results, "default"))
    assert "| this voice's vocoder | 4.50 | 4.00 |" in table and "| `default`'s vocoder | 2.00 | 3.00 |" in table


def test_the_vocoder_fine_tune_starts_from_the_base_voices_choice(tmp_path):
    """`finetune-vocoder/` over `vocoder/` where a bundle has one; trained discriminators beside it play
    from the first step, fresh ones learn alone first."""
    from tts.finetune import vocoder_settings, vocoder_start

    base = tmp_path / "base"
    for folder in ("vocoder", "finetune-vocoder"):
        (base / folder).mkdir(parents=True)
    (base / "vocoder" / "config.json").write_text(json.dumps({"kind": "vocos", "model": {"dim": 256}}))
    training = (tmp_path / "train.csv", 500)
    assert vocoder_start(base) == base / "vocoder"  # an empty finetune-vocoder/ is not a vocoder
    plain = vocoder_settings(base, training, tmp_path / "run", 1000, None, 2)
    assert plain["model"] == {"dim": 256} and plain["loss"]["discriminator_warmup_steps"] == 200

    (base / "finetune-vocoder" / "config.json").write_text(json.dumps({"kind": "vocos", "model": {"dim": 128}}))
    assert vocoder_start(base) == base / "finetune-vocoder"
    assert vocoder_settings(base, training, tmp_path / "run", 1000, None, 2)["model"] == {"dim": 128}
    (base / "finetune-vocoder" / "discriminators.safetensors").write_bytes(b"")
    assert vocoder_settings(base, training, tmp_path / "run", 1000, None, 2)["loss"]["discriminator_warmup_steps"] == 0


def test_the_acoustic_steps_default_to_passes_over_the_recordings(tmp_path):
    """The stand-in speaker's 30 minutes (342 clips) train 2,000 steps, her hour (708) twice as many."""
    from tts.finetune import ACOUSTIC_EPOCHS, default_steps

    listing = tmp_path / "train.csv"
    assert default_steps((listing, 342), None) == 20 * ACOUSTIC_EPOCHS == 2000  # 17 validate, 325 in batches of 16
    assert default_steps((listing, 708), None) == 42 * ACOUSTIC_EPOCHS  # 32 validate, 676
    assert default_steps((listing, 708), 8) == 84 * ACOUSTIC_EPOCHS
    assert default_steps((listing, 10), None) == ACOUSTIC_EPOCHS  # fewer items than a batch: one batch a pass
