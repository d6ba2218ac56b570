"""Steering the delivery: prosody conditioning (pitch, voicing and loudness per phoneme), the pitch,
pitch_range and volume options, SSML `<prosody>`, and OpenAI's `instructions`."""

import asyncio
import json
import warnings

import aiohttp
import numpy as np
import pytest
import torch
from aiohttp import web

import tts
from tts.cli import main as cli
from tts.model import prosody_units
from tts.model.prosody import targets
from tts.server import SpeechServer
from tts.synthesis.instructions import instruction_options

TEXT = "Hello there, how are you today?"


def test_pitch_units_and_steering_in_semitones():
    hz = np.array([[0.0, 100.0, 150.0, 0.0, 200.0, 123.0]], dtype=np.float32)
    units = prosody_units.pitch_units(hz)
    assert units[0, 0] == 0 and np.allclose(prosody_units.hertz(units)[0, [1, 2, 4]], hz[0, [1, 2, 4]], rtol=1e-5)
    voiced = np.array([[0.1, 0.9, 0.8, 0.2, 1.0, 0.9]], dtype=np.float32)
    mask = np.array([[1, 1, 1, 1, 1, 0]], dtype=np.float32)  # the last is padding
    up = prosody_units.steer(units, voiced, mask, shift_st=2.0)
    ratio = prosody_units.hertz(up) / prosody_units.hertz(units)
    assert np.allclose(ratio[0, [1, 2, 4]], 2 ** (2 / 12), rtol=1e-5)
    assert up[0, 0] == units[0, 0] and up[0, 3] == units[0, 3] and up[0, 5] == units[0, 5]  # unvoiced and padding
    flat = prosody_units.steer(units, voiced, mask, spread=0.0)
    assert np.allclose(flat[0, [1, 2, 4]], units[0, [1, 2, 4]].mean(), atol=1e-6)
    double = prosody_units.steer(units, voiced, mask, spread=2.0)
    assert np.ptp(double[0, [1, 2, 4]]) == pytest.approx(2 * np.ptp(units[0, [1, 2, 4]]), rel=1e-5)


def test_targets_average_each_phonemes_frames():
    # Two phonemes over five frames: the first has frames 0-2 (two voiced at 110 Hz), the second 3-4 (unvoiced).
    path = torch.tensor([[[1.0, 1, 1, 0, 0], [0, 0, 0, 1, 1]]])
    f0 = torch.tensor([[110.0, 110.0, 0.0, 0.0, 0.0]])
    y = torch.zeros(1, 4, 5)
    y[:, :, :3], y[:, :, 3:] = 1.0, -2.0
    pitch, voiced, loudness = targets(path, f0, y, torch.ones(1, 1, 5))
    assert pitch[0, 0].item() == pytest.approx(float(prosody_units.pitch_units(np.array([110.0]))[0]), abs=1e-5)
    assert pitch[0, 1].item() == 0.0
    assert voiced[0].tolist() == pytest.approx([2 / 3, 0.0])
    assert loudness[0].tolist() == pytest.approx([1.0, -2.0])


@pytest.fixture(scope="module")
def steerable_voice_dir(tmp_path_factory):
    """The tiny dataset's voice trained 2 steps, then fine-tuned 3 steps with prosody conditioning
    gained (the way the default voice gains it): (directory of the plain voice's acoustic export,
    directory of the steerable bundle)."""
    from test_acoustic_training import make_dataset

    from tts.graph_export import export_directory_graphs
    from tts.training.run import load_acoustic_config, train_acoustic
    from vocoder import VocosConfig, VocosVocoder

    root = tmp_path_factory.mktemp("prosody")
    config = make_dataset(root)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        quiet = {"validate_every": 1000, "validation_samples": 0, "threads": 1}
        plain = train_acoustic(load_acoustic_config(config, {"trainer": {"out_dir": str(root / "plain"), "max_steps": 2, **quiet}}), progress=False)
        steerable = train_acoustic(
            load_acoustic_config(config, {"model": {"prosody": {"enabled": True, "harmonics": True}}, "trainer": {"out_dir": str(root / "steer"), "max_steps": 3, **quiet}}),
            progress=False,
            init_from=plain,
        )
    finally:
        torch.set_num_threads(threads)
    bundle = root / "bundle"
    bundle.mkdir()
    steerable.rename(bundle / "acoustic")
    torch.manual_seed(0)
    VocosVocoder(VocosConfig(dim=32, intermediate_dim=64, num_layers=2)).save(bundle / "vocoder")
    export_directory_graphs(bundle)
    return plain, bundle


def test_a_gained_prosody_input_starts_at_zero_so_the_voice_speaks_as_before(steerable_voice_dir):
    from tts.engine.torch_engine import TorchAcoustic
    from tts.model.acoustic import AcousticModel
    from tts.model.config import ProsodyConfig
    from tts.training.run import _load_initial_weights

    plain = AcousticModel.load(steerable_voice_dir[0])
    grown = AcousticModel(type(plain.config)(**{**plain.config.__dict__, "prosody": ProsodyConfig(enabled=True, harmonics=True)}))
    _load_initial_weights(grown, plain.state_dict())
    ids = [[1, 5, 9, 12, 20, 7, 3, 2]]
    before, _ = TorchAcoustic(plain).synthesize(ids, temperature=0.0)
    after, _ = TorchAcoustic(grown.eval()).synthesize(ids, temperature=0.0)
    assert np.array_equal(before, after)


def test_a_steerable_voice_trains_exports_and_steers_on_both_engines(steerable_voice_dir):
    _, bundle = steerable_voice_dir
    assert json.loads((bundle / "acoustic" / "config.json").read_text())["model"]["prosody"]["enabled"]
    assert (bundle / "acoustic" / "prosody.onnx").is_file()
    onnx_voice, torch_voice = tts.load(bundle, backend="onnx"), tts.load(bundle, backend="torch", device="cpu")
    assert onnx_voice.steerable and "prosody" in onnx_voice.acoustic.graphs
    mels = {}
    for name, voice in (("onnx", onnx_voice), ("torch", torch_voice)):
        for pitch in (0.0, 4.0):
            mels[name, pitch] = voice.acoustic.synthesize([[1, 5, 9, 12, 20, 7, 3, 2]], temperature=0.0, pitch=pitch)[0]
    assert np.abs(mels["onnx", 4.0] - mels["torch", 4.0]).max() < 1e-3  # the same steering, graph or module
    assert not np.array_equal(mels["onnx", 0.0], mels["onnx", 4.0])  # the decoder hears the pitch
    flat = onnx_voice.synthesize(TEXT, pitch_range=0.0, pitch=-2.0)
    assert flat.duration > 0.3 and np.isfinite(flat.samples).all()
    assert cli(["synth", TEXT, "--voice", str(bundle), "--pitch", "2", "--pitch-range", "1.5", "-o", str(bundle / "steered.wav")]) == 0


def test_a_voice_without_prosody_refuses_pitch_but_takes_volume(tiny_voice, tiny_voice_dir, tmp_path, capsys):
    assert not tiny_voice.steerable
    with pytest.raises(ValueError, match="no prosody conditioning"):
        tiny_voice.synthesize(TEXT, pitch=2.0)
    with pytest.raises(ValueError, match="volume must be from -40 to 12"):
        tiny_voice.synthesize(TEXT, volume=20.0)
    with pytest.raises(ValueError, match="pitch must be from -12 to 12"):
        tiny_voice.options(pitch=13.0)
    plain = tiny_voice.synthesize(TEXT, temperature=0.0).samples
    rms = lambda x: 20 * np.log10(np.sqrt(np.mean(np.square(x)))) if len(x) else -np.inf  # noqa: E731
    for gain in (-6.0, 6.0):
        louder = tiny_voice.synthesize(TEXT, temperature=0.0, volume=gain).samples
        assert rms(louder) - rms(plain) == pytest.approx(gain, abs=0.5)
    assert cli(["synth", TEXT, "--voice", str(tiny_voice_dir), "--pitch", "2", "-o", str(tmp_path / "x.wav")]) == 2
    assert "no prosody conditioning" in capsys.readouterr().err and not (tmp_path / "x.wav").exists()
    assert cli(["synth", TEXT, "--voice", str(tiny_voice_dir), "--volume", "-6", "-o", str(tmp_path / "quiet.wav")]) == 0


def test_ssml_prosody_pitch_range_and_volume(tiny_voice):
    from text.ssml import parse_ssml

    (part,) = parse_ssml('<speak><prosody pitch="+2st" range="x-high" volume="-6dB" rate="slow">Hi there.</prosody></speak>')
    assert (part.pitch, part.pitch_range, part.volume, part.speed) == (2.0, 1.8, -6.0, 0.8)
    (nested,) = parse_ssml('<speak><prosody pitch="high" volume="loud"><prosody pitch="-10%" volume="+2dB">Hi.</prosody></prosody></speak>')
    assert nested.pitch == pytest.approx(3 + 12 * np.log2(0.9)) and nested.volume == 6.0
    inner = parse_ssml('<speak><emphasis level="strong">very <prosody rate="slow">important</prosody> words</emphasis></speak>')
    assert [p.emphasis for p in inner] == [(1.0,), (1.0,), (1.0,)]  # a <prosody> inside keeps the emphasis
    for markup, message in (('pitch="120Hz"', "prosody pitch"), ('range="wide"', "prosody range"), ('volume="11"', "prosody volume")):
        with pytest.raises(ValueError, match=message):
            parse_ssml(f"<speak><prosody {markup}>Hi.</prosody></speak>")
    # A voice without prosody conditioning speaks the volume and says it cannot act on the pitch.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        quiet = tiny_voice.synthesize('<speak><prosody pitch="+3st" volume="-6dB">Hello there.</prosody></speak>', temperature=0.0)
    assert any("prosody pitch and range" in str(w.message) for w in caught)
    loud = tiny_voice.synthesize("<speak>Hello there.</speak>", temperature=0.0)
    assert np.abs(quiet.samples).max() == pytest.approx(0.5 * np.abs(loud.samples).max(), rel=0.03)


def test_instructions_are_a_small_vocabulary():
    assert instruction_options("Speak calmly and slowly, please.", steerable=True) == pytest.approx(
        {"speed": 0.92 * 0.8, "pitch_range": 0.7, "volume": -2.0}
    )
    assert instruction_options("Speak calmly and slowly, please.", steerable=False) == pytest.approx({"speed": 0.92 * 0.8, "volume": -2.0})
    assert instruction_options("Sound like a pirate captain from 1750", steerable=True) == {}
    assert instruction_options("excited excited excited excited excited", steerable=True)["pitch_range"] == 3.0  # kept in range
    with pytest.raises(TypeError):
        instruction_options(["calm"], steerable=True)


def test_http_takes_instructions_and_steering_fields(tiny_voice):
    async def scenario():
        runner = web.AppRunner(SpeechServer({"tiny": tiny_voice}, "tiny", chunk_frames=8).app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1/audio/speech"
        try:
            async with aiohttp.ClientSession() as session:
                answers = {}
                for name, extra in (("plain", {}), ("quickly", {"instructions": "Read this quickly."}), ("quiet", {"volume": -12}),
                                    ("pitch", {"pitch": 3}), ("bad volume", {"volume": "loud"}), ("bad instructions", {"instructions": 5})):
                    async with session.post(url, json={"input": TEXT, "response_format": "pcm", **extra}) as response:
                        answers[name] = response.status, await response.read()
                return answers
        finally:
            await runner.cleanup()

    answers = asyncio.run(scenario())
    plain = np.frombuffer(answers["plain"][1], dtype="<i2").astype(float)
    assert answers["quickly"][0] == 200 and len(answers["quickly"][1]) < 0.85 * len(answers["plain"][1])
    quiet = np.frombuffer(answers["quiet"][1], dtype="<i2").astype(float)
    assert 20 * np.log10(np.abs(quiet).max() / np.abs(plain).max()) == pytest.approx(-12, abs=0.5)
    assert answers["pitch"][0] == 400 and b"no prosody conditioning" in answers["pitch"][1]
    assert answers["bad volume"][0] == 400 and b"volume must be a number" in answers["bad volume"][1]
    assert answers["bad instructions"][0] == 400


def test_emphasis_lengthens_its_words_within_their_sentence(tiny_voice):
    plain = tiny_voice.synthesize("<speak>I really want it.</speak>", temperature=0.0)
    strong = tiny_voice.synthesize('<speak>I <emphasis level="strong">really</emphasis> want it.</speak>', temperature=0.0)
    reduced = tiny_voice.synthesize('<speak>I <emphasis level="reduced">really</emphasis> want it.</speak>', temperature=0.0)

    def seconds(audio, word):
        (timing,) = [w for w in audio.words if w.text == word]
        return timing.end - timing.start

    # Still one sentence with the same words: emphasis is not a sentence break.
    assert [w.text for w in strong.words] == [w.text for w in plain.words] == ["I", "really", "want", "it"]
    assert seconds(strong, "really") >= 1.10 * seconds(plain, "really")
    assert seconds(reduced, "really") < seconds(plain, "really")
    assert seconds(strong, "want") == pytest.approx(seconds(plain, "want"), abs=0.025)


def test_emphasis_raises_the_mel_and_a_steerable_voices_pitch(tiny_voice, steerable_voice_dir):
    ids = [[1, 5, 9, 12, 20, 7, 3, 2]]
    levels = [np.array([0, 0, 1, 1, 1, 0, 0, 0], dtype=np.float32)]
    engine = tiny_voice.acoustic
    emphasized = engine.prepare(ids, temperature=0.0, emphasis=levels)
    plain = engine.prepare(ids, temperature=0.0, durations=emphasized.durations)
    frames = np.repeat(levels[0], emphasized.durations[0]) > 0
    difference = engine.generate(emphasized) - engine.generate(plain)
    assert np.allclose(difference[0][:, frames], 3.0 * np.log(10) / 20, atol=1e-5)  # +3 dB on its frames
    assert np.allclose(difference[0][:, ~frames], 0.0, atol=1e-5)
    assert engine.prepare(ids, temperature=0.0, emphasis=[np.zeros(8)]).gain is None

    steerable = tts.load(steerable_voice_dir[1], backend="onnx").acoustic
    raised = steerable.prepare(ids, temperature=0.0, emphasis=levels)
    level = steerable.prepare(ids, temperature=0.0, durations=raised.durations)
    frames = np.repeat(levels[0], raised.durations[0]) > 0
    voiced = raised.prosody[0, 1] > prosody_units.VOICED
    # The decoder is given pitch times voicing: 3 semitones more on the emphasized voiced phonemes.
    assert (frames & voiced).any()
    shift = (raised.prosody[0, 0] - level.prosody[0, 0])[frames & voiced]
    assert np.allclose(shift, 3.0 / prosody_units.PITCH_SCALE_ST * raised.prosody[0, 1][frames & voiced], atol=1e-5)
    assert np.allclose(raised.prosody[0, 0][~frames], level.prosody[0, 0][~frames])


def test_websocket_config_takes_instructions_and_null_fields(tiny_voice):
    async def scenario():
        runner = web.AppRunner(SpeechServer({"tiny": tiny_voice}, "tiny", chunk_frames=8).app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1/audio/stream"
        try:
            heard = {}
            async with aiohttp.ClientSession() as session:
                for name, config in (("plain", {"speed": None}), ("quickly", {"instructions": "quickly please"}), ("bad", {"instructions": 3})):
                    async with session.ws_connect(url) as ws:
                        await ws.receive_json()
                        await ws.send_json({"type": "config", **config})
                        await ws.send_json({"type": "text", "text": TEXT})
                        await ws.send_json({"type": "flush"})
                        audio, errors = 0, []
                        while True:
                            message = await ws.receive()
                            if message.type == aiohttp.WSMsgType.BINARY:
                                audio += len(message.data)
                                continue
                            event = json.loads(message.data)
                            if event["type"] == "error":
                                errors.append(event["message"])
                            if event["type"] == "flushed":
                                break
                        heard[name] = audio, errors
            return heard
        finally:
            await runner.cleanup()

    heard = asyncio.run(scenario())
    assert heard["plain"][1] == [] and heard["quickly"][1] == []
    assert heard["quickly"][0] < 0.85 * heard["plain"][0]
    assert any("instructions" in message for message in heard["bad"][1])


def test_wyoming_takes_the_controls_through_ssml(tiny_voice):
    from servers import with_wyoming
    from wyoming.audio import AudioChunk
    from wyoming.tts import Synthesize

    async def talk(client):
        peaks = []
        for text in ("<speak>Hello there.</speak>", '<speak><prosody volume="-6dB">Hello there.</prosody></speak>', '<speak><prosody volume="9">x</prosody></speak>'):
            await client.write_event(Synthesize(text=text).event())
            samples = []
            while True:
                event = await asyncio.wait_for(client.read_event(), 30)
                if AudioChunk.is_type(event.type):
                    samples.append(np.frombuffer(AudioChunk.from_event(event).audio, dtype="<i2"))
                if event.type in ("audio-stop", "error"):
                    peaks.append((event.type, np.abs(np.concatenate(samples)).max() if samples else 0))
                    break
        return peaks

    (plain, quiet, bad) = asyncio.run(with_wyoming(tiny_voice, talk))
    assert plain[0] == quiet[0] == "audio-stop" and quiet[1] == pytest.approx(plain[1] / 2, rel=0.05)
    assert bad[0] == "error"  # a malformed volume is refused, and the connection stays open


def test_the_harmonic_comb_marks_the_bands_a_pitch_fills():
    """The decoder's comb features (tts.model.harmonics) follow the log-mel of a real harmonic tone:
    they correlate with it at its own F0, and not at an F0 three semitones away."""
    from tts.model.harmonics import HarmonicComb
    from vocoder.features import LogMelSpectrogram
    from vocoder.mel_config import MelConfig

    mel = MelConfig()
    comb = HarmonicComb(mel)
    bands = comb.channels // 2
    time = np.arange(mel.sample_rate) / mel.sample_rate
    for f0 in (95.0, 180.0):
        tone = sum(np.sin(2 * np.pi * k * f0 * time) for k in range(1, int(3000 / f0)))
        log_mel = LogMelSpectrogram(mel)(torch.from_numpy(tone.astype(np.float32)))[:bands, 10:-10].mean(-1).numpy()
        shape = log_mel - np.convolve(log_mel, np.ones(5) / 5, mode="same")  # the comb, without the envelope

        def features(hz):
            pitch = float(prosody_units.pitch_units(np.array([hz]))[0])
            return comb(torch.tensor([[[pitch], [1.0], [0.0]]]))[0, :bands, 0].numpy()

        right, wrong = (np.corrcoef(shape[3:-3], features(hz)[3:-3])[0, 1] for hz in (f0, f0 * 2 ** (3 / 12)))
        assert right > 0.5 and right > wrong + 0.4, (f0, right, wrong)


def test_a_voices_steering_calibration_scales_what_its_decoder_is_given(steerable_voice_dir, tmp_path):
    """model.prosody's gains map the semitones and range asked to the decoder's input, each side of
    neutral with its own: a voice calibrated at 2 upward speaks pitch=2 as an uncalibrated one speaks
    pitch=4, and with 1.5 downward pitch=-2 as pitch=-3; likewise range."""
    import shutil

    from tts.model.config import ProsodyConfig

    _, bundle = steerable_voice_dir
    calibrated = tmp_path / "calibrated"
    shutil.copytree(bundle, calibrated)
    config_path = calibrated / "acoustic" / "config.json"
    data = json.loads(config_path.read_text())
    data["model"]["prosody"].update(pitch_gain=2.0, pitch_gain_down=1.5, range_gain=1.5, range_gain_narrow=2.0)
    config_path.write_text(json.dumps(data))
    ids = [[1, 5, 9, 12, 20, 7, 3, 2]]
    plain, scaled = tts.load(bundle).acoustic, tts.load(calibrated).acoustic
    assert scaled.config.prosody.pitch_gain == 2.0
    np.testing.assert_array_equal(scaled.synthesize(ids, temperature=0.0, pitch=2.0)[0], plain.synthesize(ids, temperature=0.0, pitch=4.0)[0])
    np.testing.assert_array_equal(scaled.synthesize(ids, temperature=0.0, pitch=-2.0)[0], plain.synthesize(ids, temperature=0.0, pitch=-3.0)[0])
    np.testing.assert_array_equal(scaled.synthesize(ids, temperature=0.0, pitch_range=1.5)[0], plain.synthesize(ids, temperature=0.0, pitch_range=1.75)[0])
    np.testing.assert_array_equal(scaled.synthesize(ids, temperature=0.0, pitch_range=0.75)[0], plain.synthesize(ids, temperature=0.0, pitch_range=0.5)[0])
    np.testing.assert_array_equal(scaled.synthesize(ids, temperature=0.0, pitch_range=0.4)[0], plain.synthesize(ids, temperature=0.0, pitch_range=0.0)[0])
    assert not np.array_equal(scaled.synthesize(ids, temperature=0.0, pitch=-2.0)[0], plain.synthesize(ids, temperature=0.0, pitch=-4.0)[0])
    with pytest.raises(ValueError, match="pitch_gain"):
        ProsodyConfig(enabled=True, pitch_gain=0.0)
    with pytest.raises(ValueError, match="range_gain_narrow"):
        ProsodyConfig(enabled=True, range_gain_narrow=9.0)
    data["model"]["prosody"]["range_gain"] = "high"
    config_path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="range_gain"):
        tts.load(calibrated)


def test_recorded_prosody_times_and_measures_a_recording_per_phoneme():
    # What benchmarks/timing_split.py speaks a sentence with: the recording's frames per phoneme
    # (alignment search) and its pitch, voicing and loudness per phoneme, as training measures them.
    from test_acoustic_model import tiny_config

    from tts.model import AcousticModel
    from tts.model.config import ProsodyConfig
    from tts.training.losses import recorded_prosody

    torch.manual_seed(0)
    ids, frames = torch.tensor([[1, 5, 9, 13, 2]]), 40
    mel = torch.randn(1, 100, frames)
    f0 = torch.cat([torch.full((1, 20), 150.0), torch.zeros(1, 20)], 1)  # voiced, then unvoiced
    steerable = AcousticModel(tiny_config(prosody=ProsodyConfig(enabled=True))).eval()
    durations, (pitch, voiced, loudness) = recorded_prosody(steerable, ids, torch.tensor([5]), mel, torch.tensor([frames]), f0)
    assert durations.shape == (1, 5) and durations.sum() == frames and (durations >= 1).all()
    # Each phoneme's voiced fraction is the share of its aligned frames in the voiced half.
    ends = durations[0].cumsum(0)
    starts = ends - durations[0]
    expected = [(min(int(e), 20) - min(int(b), 20)) / int(e - b) for b, e in zip(starts, ends)]
    assert voiced[0].tolist() == pytest.approx(expected)
    units = float(prosody_units.pitch_units(np.array([150.0]))[0])
    assert pitch[0].tolist() == pytest.approx([units if v > 0 else 0.0 for v in expected], abs=1e-5)
    assert torch.isfinite(loudness).all()
    plain = AcousticModel(tiny_config()).eval()
    durations, measured = recorded_prosody(plain, ids, torch.tensor([5]), mel, torch.tensor([frames]), f0)
    assert measured is None and durations.sum() == frames
