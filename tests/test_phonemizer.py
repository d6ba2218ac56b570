import threading

import pytest

from text import EspeakPhonemizer


@pytest.fixture(scope="module")
def phonemizer():
    return EspeakPhonemizer()


@pytest.mark.parametrize(
    ("text", "phonemes"),
    [
        ("test", "tˈɛst"),
        ("Hello there, world!", "həlˈoʊ ðˈɛɹ, wˈɜːld!"),
        ("How are you?", "hˈaʊ ɑːɹ juː?"),
    ],
)
def test_golden_phonemes_with_stress_and_punctuation(phonemizer, text, phonemes):
    assert phonemizer([text]) == [phonemes]


def test_espeak_version_is_recorded(phonemizer):
    assert phonemizer.version.startswith("1.52")


def test_batch_equals_one_by_one(phonemizer):
    sentences = ["The cat sat.", "On the mat!", "The cat sat."]
    assert phonemizer(sentences) == [phonemizer([s])[0] for s in sentences]


def test_cache_is_bounded():
    small = EspeakPhonemizer(cache_size=2)
    small(["one", "two", "three"])
    assert len(small._cache) == 2


def test_thread_safe_under_concurrent_calls(phonemizer):
    sentences = [f"Sentence number {word} is here." for word in ("one", "two", "three", "four", "five")]
    expected = EspeakPhonemizer()(sentences)
    results, errors = {}, []

    def work(index):
        try:
            fresh = EspeakPhonemizer()  # separate caches: every thread really calls espeak
            for _ in range(5):
                results[index] = fresh(sentences)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(result == expected for result in results.values())


def test_a_single_string_is_refused(phonemizer):
    with pytest.raises(TypeError, match="list of sentences"):
        phonemizer("not a list")


def test_joblib_loads_only_when_something_uses_it():
    """phonemizer imports joblib for parallel jobs this frontend never runs: a cold start skips it, and
    a program that uses joblib afterwards still gets the real module."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from text import EspeakPhonemizer\n"
        "assert EspeakPhonemizer()(['test']) == ['tˈɛst']\n"
        "assert 'joblib' not in sys.modules and 'joblib.parallel' not in sys.modules\n"
        "import importlib.util\n"
        "assert importlib.util.find_spec('joblib') is not None\n"
        "import joblib.parallel\n"
        "import joblib\n"
        "assert joblib.Parallel is joblib.parallel.Parallel\n"
        "from joblib import Parallel, delayed\n"
        "assert Parallel(n_jobs=1)(delayed(abs)(x) for x in (-1, -2)) == [1, 2]\n"
        "import phonemizer.backend.base as base\n"
        "assert base.joblib.Parallel is Parallel and base.joblib.cpu_count() >= 1\n"
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
