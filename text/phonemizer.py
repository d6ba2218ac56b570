"""Grapheme-to-phoneme conversion with espeak-ng through the `phonemizer` package.

The espeak-ng library comes from the `espeakng-loader` wheel (libespeak-ng 1.52 and its data), so no
system package is needed; without that wheel, phonemizer's own search for a system espeak-ng is used.
Nothing is loaded at import: the backend starts on the first call. espeak-ng keeps process-wide state,
so calls into it are serialized by one lock shared by all instances; results are cached per sentence.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Sequence

# One lock for every instance: espeak-ng's state is global to the process, not to a backend object.
_ESPEAK_LOCK = threading.RLock()


class PhonemizerUnavailableError(RuntimeError):
    """espeak-ng could not be found or loaded."""


class EspeakPhonemizer:
    """Sentences -> IPA phoneme strings with stress marks; punctuation kept, words separated by spaces.

    >>> EspeakPhonemizer()(["Hello there!"])   # doctest: +SKIP
    ['həlˈoʊ ðˈɛɹ!']
    """

    def __init__(self, language: str = "en-us", cache_size: int = 50_000):
        self.language = language
        self.cache_size = cache_size
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._backend = None

    def __call__(self, sentences: Sequence[str]) -> list[str]:
        """Phonemize a batch of sentences; one espeak call for all the ones not in the cache."""
        if isinstance(sentences, str):
            raise TypeError("pass a list of sentences, not a single string")
        with _ESPEAK_LOCK:
            known = {s: self._cache[s] for s in sentences if s in self._cache}
            missing = [s for s in dict.fromkeys(sentences) if s not in known]
            if missing:
                known.update(zip(missing, self._phonemize(missing)))
            for sentence, phonemes in known.items():
                self._remember(sentence, phonemes)
            return [known[s] for s in sentences]

    @property
    def version(self) -> str:
        """The espeak-ng version in use, e.g. "1.52.0"; recorded in each model's config."""
        with _ESPEAK_LOCK:
            return ".".join(str(v) for v in self._get_backend().version())

    def clear_cache(self) -> None:
        """Forget cached sentences, so the next call phonemizes anew (as for a reply never seen before)."""
        with _ESPEAK_LOCK:
            self._cache.clear()

    def _remember(self, sentence: str, phonemes: str) -> None:
        self._cache[sentence] = phonemes
        self._cache.move_to_end(sentence)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _phonemize(self, sentences: list[str]) -> list[str]:
        """One phoneme string per sentence. phonemizer returns fewer lines than it was given when some
        sentences are punctuation alone (a run of dots); then each sentence is phonemized apart, and
        one that yields nothing is ""."""
        backend = self._get_backend()
        phonemes = backend.phonemize(sentences, strip=True, njobs=1)
        if len(phonemes) != len(sentences):
            phonemes = [next(iter(backend.phonemize([sentence], strip=True, njobs=1)), "") for sentence in sentences]
        return [" ".join(p.split()) for p in phonemes]

    def _get_backend(self):
        if self._backend is None:
            self._backend = _make_backend(self.language)
        return self._backend


class _ImportedOnFirstUse(types.ModuleType):
    """A module object that imports the real module of its name when one of its attributes is first
    read, and answers from it."""

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self.__name__), attribute)


def _phonemizer_without_joblib():
    """Import phonemizer's espeak backend with joblib deferred: (EspeakBackend, EspeakWrapper).

    phonemizer's backends import joblib for `njobs > 1`, which this frontend never asks for; the import
    (loky, asyncio, ssl, psutil) was 50 ms of a 0.4 s cold `tts synth`. While phonemizer imports, a
    stand-in sits in sys.modules, so phonemizer binds the stand-in; it is taken out again at once, so
    every other importer of joblib gets the real package, and phonemizer's own use, if any, imports it
    then. (The stdlib's LazyLoader does not help: on Python 3.11 `import joblib` reads `__spec__`,
    which loads it.)"""
    standin = None
    if "joblib" not in sys.modules and importlib.util.find_spec("joblib") is not None:
        standin = sys.modules["joblib"] = _ImportedOnFirstUse("joblib")
    try:
        from phonemizer.backend import EspeakBackend
        from phonemizer.backend.espeak.wrapper import EspeakWrapper
    finally:
        if standin is not None and sys.modules.get("joblib") is standin:
            del sys.modules["joblib"]
    return EspeakBackend, EspeakWrapper


def _make_backend(language: str):
    try:
        EspeakBackend, EspeakWrapper = _phonemizer_without_joblib()
    except ImportError as error:
        raise PhonemizerUnavailableError("the phonemizer package is missing: pip install phonemizer") from error
    try:
        import espeakng_loader
    except ImportError:
        espeakng_loader = None
    if espeakng_loader is not None:
        EspeakWrapper.set_library(espeakng_loader.get_library_path())
        EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
    try:
        import logging

        quiet = logging.getLogger("phonemizer")
        quiet.setLevel(logging.ERROR)
        return EspeakBackend(
            language,
            preserve_punctuation=True,
            with_stress=True,
            language_switch="remove-flags",
            logger=quiet,
        )
    except RuntimeError as error:
        raise PhonemizerUnavailableError(
            f"espeak-ng is not available ({error}); install it with: pip install espeakng-loader"
        ) from error
