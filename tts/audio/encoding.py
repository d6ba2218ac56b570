"""Audio containers for the server, encoded as the audio streams: `encoder(format, rate)` gives an
object whose `encode(samples) -> bytes` and `finish() -> bytes` produce the file piece by piece.

wav (a streaming header), pcm (16-bit little-endian), pcm_mulaw (G.711 μ-law bytes, for telephony),
opus (Ogg pages from libsndfile through soundfile) and mp3 (constant-bit-rate frames from LAME through
lameenc) stream as the audio is produced. flac (soundfile) is sent whole: libsndfile writes a
placeholder header and rewrites it at the end; so is mp3 where lameenc is missing (libsndfile's MP3
writer has the same header). aac (ADTS, streamed) goes through PyAV when it is installed.
"""

from __future__ import annotations

import importlib.util
import io
import struct

import numpy as np

MEDIA_TYPES = {
    "wav": "audio/wav", "pcm": "audio/pcm", "pcm_mulaw": "audio/basic", "mp3": "audio/mpeg",
    "opus": "audio/ogg", "aac": "audio/aac", "flac": "audio/flac",
}
STREAMED = {"wav", "pcm", "pcm_mulaw", "opus", "aac"}
"""Formats whose bytes are always sent as the audio is produced (mp3 too with lameenc: `streams`)."""
MP3_KBPS = {8000: 24, 16000: 32, 22050: 48, 24000: 48, 44100: 96, 48000: 96}
"""Constant bit rates for mono speech, by sample rate (each one its MPEG version allows)."""


def streams(format: str) -> bool:
    """Whether `format`'s bytes are sent as the audio is produced; the rest are sent once complete."""
    return format in STREAMED or (format == "mp3" and importlib.util.find_spec("lameenc") is not None)


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] (clipped) -> little-endian 16-bit PCM bytes."""
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


_MULAW_SEGMENT_ENDS = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF])


def mulaw(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] -> G.711 μ-law bytes, bit for bit what `audioop.lin2ulaw` gives for
    the same 16-bit PCM (the reference g711.c encoder, on 14-bit magnitudes).

    Written out because audioop, the standard library's encoder, is gone from Python 3.13.
    """
    value = np.frombuffer(to_pcm16(samples), dtype="<i2").astype(np.int32) >> 2
    mask = np.where(value < 0, 0x7F, 0xFF)
    value = np.minimum(np.abs(value), 8159) + 33  # clip, then add the bias (0x84 >> 2)
    segment = np.searchsorted(_MULAW_SEGMENT_ENDS, value)
    code = (segment << 4) | ((value >> (np.minimum(segment, 7) + 1)) & 0x0F)
    return (np.where(segment >= 8, 0x7F ^ mask, code ^ mask) & 0xFF).astype(np.uint8).tobytes()


def wav_header(sample_rate: int) -> bytes:
    """A 16-bit mono WAV header for a stream of unknown length (sizes set to the maximum)."""
    return (
        b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
        + b"data" + struct.pack("<I", 0xFFFFFFFF)
    )


class _Raw:
    def __init__(self, rate: int, convert, header: bytes = b""):
        self._convert, self._header = convert, header

    def encode(self, samples: np.ndarray) -> bytes:
        header, self._header = self._header, b""
        return header + self._convert(samples)

    def finish(self) -> bytes:
        header, self._header = self._header, b""
        return header


class _Sink(io.RawIOBase):
    """A write-only file for libsndfile that hands over what was appended since the last look.

    At close, libsndfile seeks back to rewrite its header (totals, VBR tags); bytes already sent
    cannot change, so those rewrites are dropped: players read such streams as they read radio."""

    def __init__(self):
        self._new = bytearray()
        self._end = 0
        self._position = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if self._position == self._end:
            self._new += data
            self._end += len(data)
        self._position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._position = {0: offset, 1: self._position + offset, 2: self._end + offset}[whence]
        return self._position

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        return b""

    def take(self) -> bytes:
        new, self._new = bytes(self._new), bytearray()
        return new


class _Soundfile:
    def __init__(self, rate: int, format: str, subtype: str):
        import soundfile as sf

        self._sink = _Sink()
        self._file = sf.SoundFile(self._sink, "w", rate, 1, format=format, subtype=subtype)

    def encode(self, samples: np.ndarray) -> bytes:
        self._file.write(np.clip(samples, -1.0, 1.0).astype(np.float32))
        return self._sink.take()

    def finish(self) -> bytes:
        self._file.close()
        return self._sink.take()


class _Whole:
    """FLAC and MP3, encoded as the audio comes into an in-memory file and sent once complete:
    libsndfile rewrites their headers at the end, so the bytes are final only then. Memory grows with
    the encoded size, not with the samples (a minute of 48 kHz mp3 is about 0.5 MB, not 11 MB of floats)."""

    def __init__(self, rate: int, format: str, subtype: str):
        import soundfile as sf

        self._buffer = io.BytesIO()
        self._file = sf.SoundFile(self._buffer, "w", rate, 1, format=format, subtype=subtype)

    def encode(self, samples: np.ndarray) -> bytes:
        self._file.write(np.clip(samples, -1.0, 1.0).astype(np.float32))
        return b""

    def finish(self) -> bytes:
        self._file.close()
        return self._buffer.getvalue()


class _Mp3:
    """MP3 through LAME (lameenc): constant-bit-rate frames, each sent as it is encoded, with no header
    to rewrite at the end."""

    def __init__(self, rate: int):
        import lameenc

        self._encoder = lameenc.Encoder()
        self._encoder.set_in_sample_rate(rate)
        self._encoder.set_channels(1)
        self._encoder.set_bit_rate(MP3_KBPS[rate])
        self._encoder.set_quality(2)

    def encode(self, samples: np.ndarray) -> bytes:
        return bytes(self._encoder.encode(to_pcm16(samples)))

    def finish(self) -> bytes:
        return bytes(self._encoder.flush())


class _Aac:
    """AAC in ADTS frames through PyAV (FFmpeg's encoder), streamed."""

    def __init__(self, rate: int):
        try:
            import av
        except ImportError as error:
            raise ValueError("aac needs PyAV: pip install 'flowmap-tts[aac]' (or choose mp3 or opus)") from error
        self._av = av
        self._buffer = io.BytesIO()
        self._container = av.open(self._buffer, mode="w", format="adts")
        self._stream = self._container.add_stream("aac", rate=rate, layout="mono")
        self._rate, self._sent = rate, 0

    def _take(self) -> bytes:
        data = self._buffer.getvalue()[self._sent :]
        self._sent += len(data)
        return data

    def encode(self, samples: np.ndarray) -> bytes:
        pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)[None]
        frame = self._av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = self._rate
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        return self._take()

    def finish(self) -> bytes:
        for packet in self._stream.encode(None):
            self._container.mux(packet)
        self._container.close()
        return self._take()


def encoder(format: str, sample_rate: int):
    """A streaming encoder for `format` (a key of MEDIA_TYPES) at `sample_rate`."""
    if format == "pcm":
        return _Raw(sample_rate, to_pcm16)
    if format == "wav":
        return _Raw(sample_rate, to_pcm16, wav_header(sample_rate))
    if format == "pcm_mulaw":
        if sample_rate != 8000:
            raise ValueError("pcm_mulaw is 8 kHz telephony audio: ask for sample_rate 8000")
        return _Raw(sample_rate, mulaw)
    if format == "mp3":
        if sample_rate not in MP3_KBPS:
            raise ValueError(f"mp3 does not take {sample_rate} Hz")
        return _Mp3(sample_rate) if streams("mp3") else _Whole(sample_rate, "MP3", "MPEG_LAYER_III")
    if format == "opus":
        if sample_rate not in (8000, 16000, 24000, 48000):
            raise ValueError(f"opus takes 8000, 16000, 24000 or 48000 Hz, not {sample_rate}")
        return _Soundfile(sample_rate, "OGG", "OPUS")
    if format == "flac":
        return _Whole(sample_rate, "FLAC", "PCM_16")
    if format == "aac":
        return _Aac(sample_rate)
    raise ValueError(f"response_format must be one of {sorted(MEDIA_TYPES)}, got {format!r}")
