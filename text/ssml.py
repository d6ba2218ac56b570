"""SSML: text that starts with `<speak>` is read as markup, into parts the synthesizer speaks in order.

Supported: `<break time="300ms"/>` (or `strength=`), `<say-as interpret-as="characters|spell-out|
cardinal|number|ordinal|digits|telephone|date" [format="mdy|dmy|ymd|md|dm|ym|my"]>`, `<phoneme
ph="IPA">` (inline phonemes), `<sub alias="...">`, `<prosody rate="x-slow|slow|medium|fast|x-fast|NN%"
pitch="x-low|low|medium|high|x-high|+2st|-10%" range="x-low|low|medium|high|x-high|+20%"
volume="silent|x-soft|soft|medium|loud|x-loud|+3dB">` (nested ones combine), `<emphasis
level="strong|moderate|reduced|none">` (its words, within their sentence), and `<p>`/`<s>` (sentence
breaks). Any other element is dropped, its text kept, with one warning per call; markup that does not
parse is a ValueError.

The parser is the standard library's expat (through ElementTree): it expands no external entities, and
its built-in limits stop entity-expansion bombs. An XML declaration may come before `<speak>`; a
document type (and with it any entity declaration) is refused, and so is markup nested deeper than
MAX_DEPTH elements (the walk below recurses once per level).
"""

from __future__ import annotations

import dataclasses
import math
import re
import warnings
from dataclasses import dataclass

from text.normalizer_tables import MONTHS
from text.numbers import cardinal, digits, ordinal, year

BREAK_STRENGTHS = {"none": 0.0, "x-weak": 0.1, "weak": 0.2, "medium": 0.35, "strong": 0.55, "x-strong": 0.8}
RATES = {"x-slow": 0.6, "slow": 0.8, "medium": 1.0, "default": 1.0, "fast": 1.25, "x-fast": 1.5}
MAX_BREAK_S = 10.0
KNOWN = {"speak", "break", "say-as", "phoneme", "sub", "prosody", "emphasis", "p", "s"}
TOKEN = re.compile(r"\[\[.*?\]\]|\S+")
"""A token of spoken text: an inline phoneme block, or a run without whitespace."""
EMPHASIS_LEVELS = {"strong": 1.0, "moderate": 0.5, "none": 0.0, "reduced": -0.5}
MAX_DEPTH = 64
"""Deepest nesting of elements accepted; real SSML nests a handful."""
_PROLOG = re.compile(r"\s*<\?xml\b[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)


class UnsupportedSsmlWarning(UserWarning):
    """SSML elements or attributes this voice does not act on were dropped (their text is kept)."""


@dataclass(frozen=True)
class SpokenPart:
    text: str
    speed: float = 1.0
    """A factor on the call's speed (from `<prosody rate>`)."""
    pitch: float = 0.0
    """Semitones added to the call's pitch (`<prosody pitch>`)."""
    pitch_range: float = 1.0
    """A factor on the call's pitch range (`<prosody range>`)."""
    volume: float = 0.0
    """dB added to the call's volume (`<prosody volume>`)."""
    emphasis: tuple[float, ...] = ()
    """An `<emphasis>` level per TOKEN of `text` (1 strong, 0.5 moderate, -0.5 reduced), or () for none."""

    def same_delivery(self, other: SpokenPart) -> bool:
        return (self.speed, self.pitch, self.pitch_range, self.volume) == (other.speed, other.pitch, other.pitch_range, other.volume)


@dataclass(frozen=True)
class Delivery:
    """The prosody in force at a point of the markup (nested `<prosody>` elements combine)."""

    speed: float = 1.0
    pitch: float = 0.0
    pitch_range: float = 1.0
    volume: float = 0.0
    emphasis: float = 0.0


@dataclass(frozen=True)
class Pause:
    seconds: float


def is_ssml(text: str) -> bool:
    """Whether `text` is SSML: it starts with `<speak`, an XML declaration, or a document type."""
    if not isinstance(text, str):
        return False
    start = text.lstrip()[:9].lower()
    return start.startswith(("<speak", "<?xml", "<!doctype"))


def parse_ssml(markup: str) -> list[SpokenPart | Pause]:
    """SSML -> spoken parts and pauses, in order (adjacent text of one speed is one part)."""
    markup = markup.strip()
    body = markup[_PROLOG.match(markup).end() :] if _PROLOG.match(markup) else markup
    if _DOCTYPE.search(body):
        raise ValueError("SSML with a document type (<!DOCTYPE ...>) is refused: entity declarations are not accepted")
    import xml.etree.ElementTree as ET  # here, not at import: plain text never needs it

    try:
        root = ET.fromstring(markup)
    except ET.ParseError as error:
        raise ValueError(f"malformed SSML: {error}") from None
    if _name(root) != "speak":
        raise ValueError(f"SSML must have <speak> at its root, got <{_name(root)}>")
    _check_depth(root)
    parts: list[SpokenPart | Pause] = []
    dropped: set[str] = set()
    _walk(root, Delivery(), parts, dropped)
    if dropped:
        warnings.warn(f"SSML not acted on (text kept): {', '.join(sorted(dropped))}", UnsupportedSsmlWarning, stacklevel=2)
    merged: list[SpokenPart | Pause] = []
    for part in parts:
        if isinstance(part, SpokenPart) and merged and isinstance(merged[-1], SpokenPart) and merged[-1].same_delivery(part):
            joiner = "" if part.text[:1] in ",.;:!?" else " "
            text = f"{merged[-1].text}{joiner}{part.text}"
            merged[-1] = dataclasses.replace(part, text=text, emphasis=_joined_emphasis(merged[-1], part, joiner))
        else:
            merged.append(part)
    return [p for p in merged if isinstance(p, Pause) or p.text.strip()]


def _check_depth(root) -> None:
    """ValueError when elements nest deeper than MAX_DEPTH (checked without recursion)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"SSML nested more than {MAX_DEPTH} elements deep")
        stack.extend((child, depth + 1) for child in element)


def _name(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _add_text(parts: list, text: str | None, delivery: Delivery) -> None:
    if text and text.strip():
        text = " ".join(text.split())
        emphasis = (delivery.emphasis,) * len(TOKEN.findall(text)) if delivery.emphasis else ()
        parts.append(SpokenPart(text, delivery.speed, delivery.pitch, delivery.pitch_range, delivery.volume, emphasis))


def _levels(part: SpokenPart) -> tuple[float, ...]:
    return part.emphasis or (0.0,) * len(TOKEN.findall(part.text))


def _joined_emphasis(first: SpokenPart, second: SpokenPart, joiner: str) -> tuple[float, ...]:
    """The emphasis levels of two parts' texts joined by `joiner`; with no space, the last token of
    the first and the first of the second are one token, which keeps the stronger level."""
    if not first.emphasis and not second.emphasis:
        return ()
    a, b = _levels(first), _levels(second)
    if joiner or not a or not b:
        return a + b
    glued = a[-1] if abs(a[-1]) >= abs(b[0]) else b[0]
    return a[:-1] + (glued,) + b[1:]


def _walk(element, delivery: Delivery, parts: list, dropped: set) -> None:
    name = _name(element)
    if name not in KNOWN:
        dropped.add(f"<{name}>")
    if name == "break":
        parts.append(Pause(_break_seconds(element)))
    elif name == "say-as":
        _add_text(parts, _say_as(element, dropped), delivery)
    elif name == "phoneme":
        ph = element.get("ph", "").strip()
        if element.get("alphabet", "ipa") != "ipa" or not ph or "]]" in ph:
            dropped.add("<phoneme> without IPA")
            _add_text(parts, "".join(element.itertext()), delivery)
        else:
            _add_text(parts, f"[[{ph}]]", delivery)
    elif name == "sub":
        _add_text(parts, element.get("alias", "".join(element.itertext())), delivery)
    else:
        if name == "prosody":
            delivery = _prosody(element, delivery, dropped)
        elif name == "emphasis":
            level = element.get("level", "moderate")
            if level not in EMPHASIS_LEVELS:
                raise ValueError(f'<emphasis level="{level}">: one of {list(EMPHASIS_LEVELS)}')
            delivery = dataclasses.replace(delivery, emphasis=EMPHASIS_LEVELS[level])
        _add_text(parts, element.text, delivery)
        for child in element:
            _walk(child, delivery, parts, dropped)
            _add_text(parts, child.tail, delivery)
        if name in ("p", "s"):
            parts.append(Pause(BREAK_STRENGTHS["medium"] if name == "s" else BREAK_STRENGTHS["strong"]))
        return
    return


def _break_seconds(element) -> float:
    time = element.get("time")
    if time is not None:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", time)
        if not match:
            raise ValueError(f'<break time="{time}">: give milliseconds or seconds, e.g. "300ms" or "1.5s"')
        seconds = float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)
        return min(seconds, MAX_BREAK_S)
    strength = element.get("strength", "medium")
    if strength not in BREAK_STRENGTHS:
        raise ValueError(f'<break strength="{strength}">: one of {list(BREAK_STRENGTHS)}')
    return BREAK_STRENGTHS[strength]


PITCHES = {"x-low": -6.0, "low": -3.0, "medium": 0.0, "default": 0.0, "high": 3.0, "x-high": 6.0}
"""`<prosody pitch>` words, in semitones."""
RANGES = {"x-low": 0.3, "low": 0.6, "medium": 1.0, "default": 1.0, "high": 1.4, "x-high": 1.8}
"""`<prosody range>` words, as factors on the pitch's variation."""
VOLUMES = {"silent": -40.0, "x-soft": -12.0, "soft": -6.0, "medium": 0.0, "default": 0.0, "loud": 4.0, "x-loud": 8.0}
"""`<prosody volume>` words, in dB."""
PROSODY_ATTRIBUTES = {"rate", "pitch", "range", "volume"}


def _prosody(element, delivery: Delivery, dropped: set) -> Delivery:
    """The delivery inside a `<prosody>` element: its attributes on top of the enclosing one's."""
    dropped.update(f"prosody {attribute}" for attribute in element.attrib if attribute not in PROSODY_ATTRIBUTES)
    return dataclasses.replace(
        delivery,
        speed=delivery.speed * _rate(element.get("rate"), dropped),
        pitch=delivery.pitch + _pitch(element.get("pitch")),
        pitch_range=delivery.pitch_range * _range(element.get("range")),
        volume=delivery.volume + _volume(element.get("volume")),
    )


def _pitch(pitch: str | None) -> float:
    units = {"st": lambda value: value, "%": lambda value: 12 * math.log2(max(1e-3, 1 + value / 100))}
    return _prosody_value("pitch", pitch, PITCHES, units, 0.0, (-24.0, 24.0), ', semitones such as "+2st", or a percentage such as "-10%"')


def _range(spread: str | None) -> float:
    units = {"%": lambda value: 1 + value / 100}
    return _prosody_value("range", spread, RANGES, units, 1.0, (0.0, 3.0), ' or a change such as "+20%"')


def _volume(volume: str | None) -> float:
    units = {"dB": lambda value: value}
    return _prosody_value("volume", volume, VOLUMES, units, 0.0, (-40.0, 12.0), ' or a change in dB such as "+3dB"')


def _prosody_value(attribute: str, text: str | None, words: dict, units: dict, neutral: float, bounds: tuple[float, float], example: str) -> float:
    """A `<prosody>` attribute: absent (`neutral`), one of `words`, or a signed number with one of
    `units` (each converts it), kept within `bounds`."""
    if text is None:
        return neutral
    if text.strip() in words:
        return words[text.strip()]
    match = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*(" + "|".join(re.escape(unit) for unit in units) + r")\s*", text)
    if not match:
        raise ValueError(f'<prosody {attribute}="{text}">: one of {list(words)}{example}')
    return max(bounds[0], min(bounds[1], units[match.group(2)](float(match.group(1)))))


def _rate(rate: str | None, dropped: set) -> float:
    if rate is None:
        return 1.0
    if rate in RATES:
        return RATES[rate]
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", rate)
    if not match:
        raise ValueError(f'<prosody rate="{rate}">: one of {list(RATES)} or a percentage such as "120%"')
    return min(4.0, max(0.25, float(match.group(1)) / 100))


def _say_as(element, dropped: set) -> str:
    kind = element.get("interpret-as", "")
    text = "".join(element.itertext()).strip()
    if kind in ("characters", "spell-out", "verbatim"):
        return " ".join(c for c in text if not c.isspace())
    if kind in ("cardinal", "number"):
        value = re.sub(r"[,\s]", "", text)
        # cardinal() reads more than 15 digits digit by digit itself; the bound keeps int() small.
        return cardinal(int(value)) if re.fullmatch(r"-?\d{1,15}", value) else digits(value) or text
    if kind == "ordinal":
        value = re.sub(r"\D", "", text)
        return ordinal(int(value)) if value and len(value) <= 15 else text
    if kind == "digits":
        return digits(text) or text  # digits() reads only the digits
    if kind == "telephone":
        groups = [digits(group) for group in re.findall(r"\d+", text)]
        return ", ".join(groups) if groups else text
    if kind == "date":
        return _date(text, element.get("format", "mdy"))
    dropped.add(f'say-as interpret-as="{kind}"')
    return text


def _date(text: str, form: str) -> str:
    fields = re.findall(r"\d+", text)
    if not fields or len(fields) != len(form) or not set(form) <= set("dmy"):
        return text
    values = dict(zip(form, (int(v) for v in fields)))
    month = MONTHS[values["m"] - 1] if 1 <= values.get("m", 1) <= 12 and "m" in values else None
    words = []
    if month:
        words.append(month)
    if "d" in values and 1 <= values["d"] <= 31:
        words.append(ordinal(values["d"]))
    if "y" in values:
        words.append(year(values["y"]))
    return " ".join(words) if words else text
