"""English text normalization: written forms (numbers, money, dates, symbols, ...) to spoken words.

`normalize(text)` takes one cleaned sentence (see `text.cleaning`) and returns words espeak-ng reads
well. Rules run in a fixed order, most specific first, each a compiled regex whose replacement is a
small function: URLs and e-mail before anything reads dots, times and dates before plain numbers,
money and units before bare symbols, and acronyms last. Every rule is a single left-to-right pass, so
the whole is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from text import lexicon
from text.numbers import cardinal, decimal, digits, ordinal, year

Rule = tuple["re.Pattern[str]", Callable[["re.Match[str]"], str]]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 200,000 | 12.99 | 7


def _number_words(text: str) -> str:
    """Any unsigned number as written ("1,234", "3.5", "007") to words."""
    text = text.replace(",", "")
    if "." in text:
        return decimal(text)
    if len(text) > 1 and text.startswith("0"):
        return digits(text)
    return cardinal(int(text))


def _is_one(text: str) -> bool:
    return text.replace(",", "") in ("1", "1.0", "1.00")


# --- URLs and e-mail -------------------------------------------------------------------------------

_TLD_WORDS = {"com": "com", "org": "org", "net": "net", "io": "I O", "ai": "A I", "edu": "E D U", "gov": "gov"}


def _read_address(text: str) -> str:
    """"www.example.com/docs" -> "w w w dot example dot com slash docs"."""
    out = []
    for part in re.split(r"([./:@\-_?=&#])", text):
        if part in (".",):
            out.append("dot")
        elif part == "/":
            out.append("slash")
        elif part == "@":
            out.append("at")
        elif part == "-":
            out.append("dash")
        elif part == "_":
            out.append("underscore")
        elif part in (":", "?", "=", "&", "#", ""):
            continue
        elif part.lower() == "www":
            out.append("w w w")
        elif part.lower() in _TLD_WORDS and out and out[-1] == "dot":
            out.append(_TLD_WORDS[part.lower()])
        elif part.isdigit():
            out.append(_number_words(part))
        else:
            out.append(part)
    return " ".join(out)


def _url(match: re.Match[str]) -> str:
    address = re.sub(r"^[a-zA-Z]+://", "", match.group(0)).rstrip("/")
    return " " + _read_address(address) + " "


def _email(match: re.Match[str]) -> str:
    return " " + _read_address(match.group(0)) + " "


# --- Times and dates -------------------------------------------------------------------------------


def _clock(hours: int, minutes: int) -> str:
    if minutes == 0:
        return cardinal(hours) + " o'clock"
    if minutes < 10:
        return cardinal(hours) + " oh " + cardinal(minutes)
    return cardinal(hours) + " " + cardinal(minutes)


def _time(match: re.Match[str]) -> str:
    hours, minutes = int(match.group("h")), int(match.group("m"))
    if hours > 24 or minutes > 59:
        return match.group(0).replace(":", " ")  # not a time: a ratio or a score, read the numbers
    suffix = match.group("ampm")
    words = _clock(hours, minutes)
    if suffix:
        words = (cardinal(hours) if minutes == 0 else words) + " " + _ampm(suffix)
    if match.group("s"):
        words += " and " + cardinal(int(match.group("s"))) + " seconds"
    return words + _final_dot(match)


def _hour_ampm(match: re.Match[str]) -> str:
    words = cardinal(int(match.group("h"))) + " " + _ampm(match.group("ampm"))
    return words + _final_dot(match)


def _ampm(suffix: str) -> str:
    """"a.m." -> "eh m", "PM" -> "p m": letter names, since espeak reads a lone "a" as the article and
    "seven a m" is heard as "seven at M"."""
    return " ".join(lexicon.LETTER_NAMES.get(c, c.lower()) for c in suffix.upper() if c != ".")


def _final_dot(match: re.Match[str]) -> str:
    """Keep the sentence's full stop when an abbreviation's own dot ended the text ("at 7 p.m.")."""
    return "." if match.group(0).endswith(".") and match.end() == len(match.string) else ""


def _month_name(text: str) -> str:
    text = text.rstrip(".")
    return lexicon.MONTH_ABBREVIATIONS.get(text, text)


def _short_name(text: str) -> str:
    """"Mon" -> "Monday", "Sept" -> "September"."""
    return lexicon.WEEKDAY_ABBREVIATIONS.get(text) or lexicon.MONTH_ABBREVIATIONS[text]


def _name_range(match: re.Match[str]) -> str:
    """"Mon-Fri" -> "Monday to Friday", "Jan.-Mar." -> "January to March"; mixed kinds are left alone."""
    a, b = match.group("a"), match.group("b")
    if (a in lexicon.WEEKDAY_ABBREVIATIONS) != (b in lexicon.WEEKDAY_ABBREVIATIONS):
        return match.group(0)
    return _short_name(a) + " to " + _short_name(b) + _final_dot(match)


def _weekday(match: re.Match[str]) -> str:
    day = match.group("day")
    if day == "Sun" and match.group(0).endswith(".") and not _sunday_context(match):
        return match.group(0)  # "Look at the Sun.": the star, not the day
    return lexicon.WEEKDAY_ABBREVIATIONS[day] + _final_dot(match)


def _sunday_context(match: re.Match[str]) -> bool:
    """"Sun." is Sunday beside a date, a time, another weekday or a word like "on" or "every"."""
    before = _DAY_CONTEXT_BEFORE.search(match.string, max(0, match.start() - 24), match.start())
    return before is not None or _DAY_CONTEXT_AFTER.match(match.string, match.end()) is not None


def _month_abbreviation(match: re.Match[str]) -> str:
    return lexicon.MONTH_ABBREVIATIONS[match.group("month")] + _final_dot(match)


def _month_day(match: re.Match[str]) -> str:
    words = _month_name(match.group("month")) + " " + ordinal(int(match.group("day")))
    if match.group("year"):
        words += ", " + year(int(match.group("year")))
    return words


def _day_of_month(match: re.Match[str]) -> str:
    return ordinal(int(match.group("day"))) + " of " + _month_name(match.group("month")) + _final_dot(match)


def _month_year(match: re.Match[str]) -> str:
    return _month_name(match.group("month")) + " " + year(int(match.group("year")))


def _numeric_date(match: re.Match[str]) -> str:
    month, day = int(match.group("month")), int(match.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0).replace("/", " slash ").replace("-", " ")
    return lexicon.MONTHS[month - 1] + " " + ordinal(day) + ", " + year(int(match.group("year")))


# --- Money, percentages, units ---------------------------------------------------------------------


def _money(match: re.Match[str]) -> str:
    unit, units, sub, subs = lexicon.CURRENCIES[match.group("cur")]
    amount, scale = match.group("amount"), match.group("scale")
    if scale:
        return _number_words(amount) + " " + lexicon.SCALE_WORDS[scale] + " " + units
    whole, _, fraction = amount.replace(",", "").partition(".")
    whole_value = int(whole) if whole else 0
    cents = int((fraction + "00")[:2]) if fraction else 0
    if len(fraction) > 2:  # "$0.125": not a price in cents, read the number
        return decimal(amount.replace(",", "")) + " " + units
    parts = []
    if whole_value or not cents:
        parts.append(cardinal(whole_value) + " " + (unit if whole_value == 1 else units))
    if cents:
        parts.append(cardinal(cents) + " " + (sub if cents == 1 else subs))
    return " and ".join(parts)


def _cents(match: re.Match[str]) -> str:
    amount = match.group("amount")
    return _number_words(amount) + (" cent" if _is_one(amount) else " cents")


def _percent(match: re.Match[str]) -> str:
    sign = "minus " if match.group("neg") else ""
    return sign + _number_words(match.group("amount")) + " percent"


def _unit(match: re.Match[str]) -> str:
    amount = match.group("amount")
    singular, plural = lexicon.UNITS[match.group("unit")]
    sign = "minus " if match.group("neg") else ""
    return sign + _number_words(amount) + " " + (singular if _is_one(amount) else plural)


def _height(match: re.Match[str]) -> str:
    """5'10" -> "five feet ten inches", 6' -> "six feet"; 5'13 is no height and is left as it is."""
    feet, inches = match.group("ft"), match.group("in1") or match.group("in2")
    if inches and float(inches) >= 12:
        return match.group(0)
    quoted = _OPEN_QUOTE_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
    if match.group(0).endswith("'") and quoted:
        return match.group(0)  # "'buy 6'": a closing quote, not feet
    words = _number_words(feet) + (" foot" if feet == "1" else " feet")
    if inches and float(inches) > 0:
        inches = inches if "." in inches else str(int(inches))  # 5'04" -> "four inches"
        words += " " + _number_words(inches) + (" inch" if _is_one(inches) else " inches")
    return words + _final_dot(match)


def _dimension_number(number: str) -> str:
    """Four digits in pairs, as in screen sizes: 1920 -> "nineteen twenty"; others as numbers."""
    return year(int(number)) if len(number) == 4 and number.isdigit() else _number_words(number)


def _dimensions(match: re.Match[str]) -> str:
    """"2x4" -> "two by four", "1920x1080" -> "nineteen twenty by ten eighty"; "2 x 3 = 6" is a product."""
    numbers = _TIMES_SIGN.split(match.group(0))
    joiner = " times " if _EQUALS_AFTER.match(match.string, match.end()) else " by "
    last = numbers.pop()
    # A unit after the last number ("10 x 20 ft") is read with it by the unit rule.
    tail = last if _UNIT_AFTER.match(match.string, match.end()) else _dimension_number(last)
    return joiner.join([_dimension_number(n) for n in numbers] + [tail])


def _multiplier(match: re.Match[str]) -> str:
    return _number_words(match.group("n")) + " times"  # "10x faster"


# --- Plain numbers ---------------------------------------------------------------------------------


def _ordinal(match: re.Match[str]) -> str:
    return ordinal(int(match.group("n").replace(",", "")))


def _phone(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    return ", ".join(digits(g) for g in groups)


def _pairs(number: str) -> str:
    """Read a label number the way people say it: 1234 -> "twelve thirty-four", 447 -> "four forty-seven"."""
    if number.startswith("0") or len(number) > 4:
        return digits(number)
    if len(number) <= 2:
        return cardinal(int(number))
    head, tail = number[:-2], number[-2:]
    if tail == "00":
        return cardinal(int(head)) + " hundred"
    tail_words = ("oh " + cardinal(int(tail))) if tail.startswith("0") else cardinal(int(tail))
    return cardinal(int(head)) + " " + tail_words


def _label_number(match: re.Match[str]) -> str:
    label = match.group("label")
    spoken = "number" if label == "#" or label.lower() == "no." else label
    return spoken + " " + _pairs(match.group("n"))


def _spell_code(code: str) -> str:
    return " ".join(cardinal(int(c)) if c.isdigit() else lexicon.LETTER_NAMES.get(c, c) for c in code)


def _flight(match: re.Match[str]) -> str:
    """"flight UA 1234" -> "flight U eh twelve thirty-four". Outside the word "flight" only a known
    airline code counts, and only glued to its number ("DL452") or in a travel phrase ("on AA 100")."""
    pre, code, number = match.group("pre") or "", match.group("code"), match.group("n")
    if not pre.lower().startswith("flight"):
        glued = not match.group("space") and len(number) >= 2
        travel = pre or _FLIGHT_AFTER.match(match.string, match.end())
        if code not in lexicon.AIRLINE_CODES or not (glued or travel):
            return match.group(0)
    return pre + _spell_code(code) + " " + _pairs(number)


def _range(match: re.Match[str]) -> str:
    a, b = match.group("a"), match.group("b")
    if len(a) == 4 and len(b) == 4 and all(_looks_like_year(x) for x in (a, b)):
        return year(int(a)) + " to " + year(int(b))
    return _number_words(a) + " to " + _number_words(b)


def _looks_like_year(text: str) -> bool:
    return len(text) == 4 and 1100 <= int(text) <= 2099


def _year(match: re.Match[str]) -> str:
    return year(int(match.group(0)))


def _decade(match: re.Match[str]) -> str:
    """"1990s" -> "nineteen nineties", "80s" -> "eighties"."""
    number = match.group("n")
    words = year(int(number)) if len(number) == 4 else cardinal(int(number))
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + "s"


def _fraction(match: re.Match[str]) -> str:
    numerator, denominator = int(match.group("a")), int(match.group("b"))
    if _is_split(match.group("a"), match.group("b")):
        a, b = cardinal(numerator), cardinal(denominator)
        return a + (" " if "-" in a + b else "-") + b  # "50/50" -> "fifty-fifty"
    if _odds_context(match):
        return cardinal(numerator) + " to " + cardinal(denominator)  # "3/1 odds" -> "three to one"
    if _date_context(match) and 1 <= numerator <= 12 and 1 <= denominator <= 31:
        return lexicon.MONTHS[numerator - 1] + " " + ordinal(denominator)  # "due 12/25"
    if denominator == 0 or denominator > 100:
        return cardinal(numerator) + " slash " + cardinal(denominator)
    if denominator == 2:
        name = "half" if numerator == 1 else "halves"
    elif denominator == 4:
        name = "quarter" if numerator == 1 else "quarters"
    else:
        name = ordinal(denominator) + ("" if numerator == 1 else "s")
    return cardinal(numerator) + " " + name


def _odds_context(match: re.Match[str]) -> bool:
    """The word "odds" just before ("odds of 5/2") or a betting word just after ("a 3/1 shot")."""
    before = _ODDS_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
    return before is not None or _ODDS_AFTER.match(match.string, match.end()) is not None


def _is_split(a: str, b: str) -> bool:
    """A share of a hundred in fives, said with a hyphen: 50/50, 60/40, 80/20."""
    return len(a) == len(b) == 2 and int(a) + int(b) == 100 and int(a) % 5 == 0


def _date_context(match: re.Match[str]) -> bool:
    """"on 12/25", "until 3/4": a month and day after a word that introduces a date, not "3/4 of"."""
    before = _DATE_BEFORE.search(match.string, max(0, match.start() - 12), match.start())
    return before is not None and _NOT_A_DATE_AFTER.match(match.string, match.end()) is None


def _signed_number(match: re.Match[str]) -> str:
    return match.group("pre") + "minus " + _number_words(match.group("n"))


def _number(match: re.Match[str]) -> str:
    return _number_words(match.group(0))


# --- Words -----------------------------------------------------------------------------------------


def _street(match: re.Match[str]) -> str:
    """After a house number and a name ("12 W. Elm Dr.") or an ordinal ("5th St.") it is the street. The
    splitter never ends a sentence at "Dr.", so its dot is kept before a capital ("Elm Dr. Turn left")."""
    abbr = match.group("abbr")
    street = lexicon.CONTEXT_ABBREVIATIONS.get(abbr, ("", lexicon.ABBREVIATIONS.get(abbr)))[1]
    place = _COMPASS.sub(lambda m: _DIRECTIONS[m.group(1)] + " ", match.group("place"))  # "W." is no watt
    return place + street + ("." if _CAPITAL_AFTER.match(match.string, match.end()) else _final_dot(match))


def _unit_before_number(match: re.Match[str]) -> str:
    return _ADDRESS_UNITS[match.group("abbr")]  # "Ste. 200" -> "Suite 200", read as a label


def _floor(match: re.Match[str]) -> str:
    """"Miami, Fl." is Florida; "3rd Fl." and "Fl. 3" (done before numbers) are a floor."""
    return (match.group("comma") + "Florida" if match.group("comma") else "Floor") + _final_dot(match)


def _initialism(match: re.Match[str]) -> str:
    """"M.D." -> "M D", "B.A." -> "B eh": letter by letter, as acronyms are."""
    return _spell(match.group(0).replace(".", "")) + _final_dot(match)


def _abbreviation(match: re.Match[str]) -> str:
    return lexicon.ABBREVIATIONS[match.group(0)] + _final_dot(match)


def _context_abbreviation(match: re.Match[str]) -> str:
    before_name, otherwise = lexicon.CONTEXT_ABBREVIATIONS[match.group("abbr")]
    return before_name + " " if match.group("name") else otherwise + _final_dot(match)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(numeral: str) -> int:
    total = 0
    for i, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _roman(match: re.Match[str]) -> str:
    word, numeral = match.group("word"), match.group("numeral")
    value = _roman_value(numeral)
    if word in lexicon.ROMAN_CARDINAL_CONTEXT:
        return word + " " + cardinal(value)
    return word + " the " + ordinal(value)  # regnal: "Henry VIII" -> "Henry the eighth"


_CONSONANT_RUN = re.compile(r"[^AEIOU]{3,}")
_ONSETS = frozenset("BL BR CH CL CR DR FL FR GL GR PL PR SC SK SL SM SN SP ST SW TR TW TH SH WH".split())


def _pronounceable(word: str) -> bool:
    """Guess whether an all-caps acronym of 4-5 letters is said as a word (NASA) or spelled (HTML)."""
    if len(word) < 4 or not re.search(r"[AEIOU]", word) or _CONSONANT_RUN.search(word):
        return False
    first_vowel = re.search(r"[AEIOU]", word).start()
    return first_vowel <= 1 or word[:first_vowel] in _ONSETS


def _spell(letters: str) -> str:
    return " ".join(lexicon.LETTER_NAMES.get(c, c) for c in letters)


def _acronym(match: re.Match[str]) -> str:
    word, suffix = match.group("word"), match.group("suffix") or ""
    if word in lexicon.SPECIAL_READINGS:
        return lexicon.SPECIAL_READINGS[word] + suffix
    if word in lexicon.PRONOUNCEABLE_ACRONYMS or word in lexicon.EMPHASIS_WORDS or _pronounceable(word):
        return word + suffix
    return _spell(word) + ("'s" if suffix else "")


def _symbol(match: re.Match[str]) -> str:
    return lexicon.SYMBOLS[match.group(0)]


# --- The rule list ---------------------------------------------------------------------------------

_MONTH = r"(?P<month>" + "|".join(lexicon.MONTHS) + "|" + "|".join(lexicon.MONTH_ABBREVIATIONS) + r")\.?"
_AMPM = r"(?P<ampm>[ap]\.?m\.?|[AP]\.?M\.?)(?![a-zA-Z])"
_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(lexicon.UNITS, key=len, reverse=True))
_LABELS = "|".join(re.escape(w) for w in sorted(lexicon.NUMBER_LABELS, key=len, reverse=True))
_ROMAN_WORDS = "|".join(re.escape(w) for w in sorted(lexicon.ROMAN_CARDINAL_CONTEXT, key=len, reverse=True))
_ABBREVIATIONS = "|".join(re.escape(a) for a in sorted(lexicon.ABBREVIATIONS, key=len, reverse=True))
_CONTEXT_ABBREVIATIONS = "|".join(re.escape(a) for a in lexicon.CONTEXT_ABBREVIATIONS)
_MONTH_WORDS = "|".join(lexicon.MONTHS + tuple(lexicon.MONTH_ABBREVIATIONS))
_WEEKDAYS = "|".join(sorted(lexicon.WEEKDAY_ABBREVIATIONS, key=len, reverse=True))
_SHORT_NAMES = "|".join(sorted({**lexicon.WEEKDAY_ABBREVIATIONS, **lexicon.MONTH_ABBREVIATIONS}, key=len, reverse=True))
_STREETS = r"Dr\.|St\.|Ave\.|Blvd\.|Rd\.|Ln\.|Ct\.|Pkwy\."
_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West"}
_COMPASS = re.compile(r"\b([NSEW])\.?\s")
_ADDRESS_UNITS = {"Apt.": "Apartment", "Ste.": "Suite", "Bldg.": "Building", "Fl.": "Floor", "Rm.": "Room"}

# Context looked at by the replacement functions; each looks only a bounded distance either side.
_DAY_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:on|next|this|last|every|until|till|through|thru|from|to|by|[Cc]losed|[Oo]pen)|(?:" + _WEEKDAYS
    + r"|day)\.?,?(?:\s(?:and|or|&|to|through|thru))?)\s$"
)
_DAY_CONTEXT_AFTER = re.compile(r",|\s?[-&/]|\s(?:\d|(?:at|morning|afternoon|evening|night|" + _MONTH_WORDS + r")\b)")
_OPEN_QUOTE_BEFORE = re.compile(r"(?:^|\s)'\w")
_UNIT_WORDS = r"(?:Apt|Apartment|Ste|Suite|Unit|Bldg|Building|Fl|Floor|Rm|Room)\b"
_CAPITAL_AFTER = re.compile(r"\s+(?!" + _UNIT_WORDS + r")[A-Z]")  # a new sentence, not "St. Apt. 5"
_TIMES_SIGN = re.compile(r"\s?[xX×]\s?")
_EQUALS_AFTER = re.compile(r"\s?=")
_UNIT_AFTER = re.compile(r"\s?(?:" + _UNIT_NAMES + r")(?![\w/])")
_FLIGHT_AFTER = re.compile(
    r"\s(?:to|from|departs|departed|departing|arrives|arrived|arriving|leaves|left|lands|landed|boards"
    r"|(?:is|was) (?:delayed|cancell?ed|on time|boarding))\b"
)
_ODDS_BEFORE = re.compile(r"\b[Oo]dds\s(?:(?:of|are|at|were|is|was|now|about|around|stand|stood)\s){0,2}$")
_ODDS_AFTER = re.compile(r"\s(?:odds|shot|favou?rites?|underdogs?|outsiders?)\b")
_DATE_BEFORE = re.compile(
    r"\b(?:on|until|till|since|due|before|after|from|through|thru|dated"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day),?\s$"
)
_NOT_A_DATE_AFTER = re.compile(r"\s(?:of|cups?|inch|inches|miles?|pounds?|teaspoons?|tablespoons?|tsp|tbsp)\b")

RULES: list[Rule] = [
    # Addresses, before anything reads their dots, slashes and digits.
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), _email),
    (re.compile(r"\b(?:https?://|www\.)[^\s,;!?\"')]+|\b[a-zA-Z0-9-]+\.(?:com|org|net|io|ai|edu|gov)\b(?:/[^\s,;!?\"')]*)?"), _url),
    # Times: 7:45, 7:45 pm, 19:30:15, 7 pm; a range before one: "9am-5pm", "9-11 a.m." -> "9am to 5pm".
    (re.compile(r"(?<![\d:])(?P<a>\d{1,2}(?::\d{2})?(?:\s?[aApP]\.?[mM]\.?)?)\s?-\s?(?=\d{1,2}(?::\d{2})?\s?[aApP]\.?[mM](?![a-zA-Z]))"),
     lambda m: m.group("a") + " to "),
    (re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s?" + _AMPM + ")?"), _time),
    (re.compile(r"\b(?P<h>1[0-2]|0?[1-9])\s?" + _AMPM), _hour_ampm),
    # Short weekday and month names, before the dates read what follows them: Mon-Fri, Sat., Wed., Jan.
    (re.compile(r"(?<![\w.])(?P<a>" + _SHORT_NAMES + r")\.?\s?-\s?(?P<b>" + _SHORT_NAMES + r")\.?(?!\w)"), _name_range),
    (re.compile(r"(?<![\w.])(?P<day>" + _WEEKDAYS + r")(?:\.|(?=,\s(?:\d{1,2}\b|(?:" + _MONTH_WORDS + r")\b)))(?!\w)"), _weekday),
    # Dates: March 3rd, Jan. 5th, 2024 | 3rd of March | March 2024 | 3/14/2024 | 2024-03-14.
    (re.compile(r"\b" + _MONTH + r"\s(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s(?P<year>\d{4})\b)?"), _month_day),
    (re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\sof\s" + _MONTH), _day_of_month),
    (re.compile(r"\b" + _MONTH + r",?\s(?P<year>1[1-9]\d\d|20\d\d)\b"), _month_year),
    (re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4})\b"), _numeric_date),
    (re.compile(r"\b(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"), _numeric_date),
    (re.compile(r"(?<![\w.])(?P<month>" + "|".join(lexicon.MONTH_ABBREVIATIONS) + r")\.(?!\w)"), _month_abbreviation),
    # Addresses: "12 Elm Dr." is a street, "Ste. 200" a suite (read as a label below).
    (re.compile(r"(?P<place>\b\d+[A-Za-z]?\s(?:[A-Z][a-z'-]*\.?\s){1,3}|\b\d+(?:st|nd|rd|th)\s)(?P<abbr>" + _STREETS + r")(?!\w)"), _street),
    (re.compile(r"(?<![\w.])(?P<abbr>" + "|".join(re.escape(u) for u in _ADDRESS_UNITS) + r")(?=\s?#?\d{1,4}[A-Za-z]?\b)"), _unit_before_number),
    # Money and amounts with a unit.
    (re.compile(r"(?P<cur>[$€£¥])\s?(?P<amount>" + _NUMBER + r")(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|[kKmMbBtT])\b)?"), _money),
    (re.compile(r"\b(?P<amount>" + _NUMBER + r")\s?¢"), _cents),
    (re.compile(r"(?<![\w.])(?P<neg>-)?(?P<amount>" + _NUMBER + r")\s?%"), _percent),
    # Heights (5'10", 6 ft 2 in) before "ft" is a unit; sizes and multipliers (2x4, 3 × 5, 10x) too.
    (re.compile(r"(?<![\w.'\"°])(?P<ft>\d{1,2})(?:\s?'\s?(?P<in1>\d{1,2}(?:\.\d+)?)(?:\s?(?:\"|''))?(?![\w'])"
                r"|\s?(?:ft\.?|feet|foot)\s?(?P<in2>\d{1,2}(?:\.\d+)?)\s?(?:\"|''|in\b\.?|inch(?:es)?\b)|'(?![\w']))"), _height),
    # A size starts only at its first number (the lookbehinds), so a long failed chain is scanned once.
    (re.compile(r"(?<![\w.×])(?<![xX×]\s)\d+(?:\.\d+)?(?:\s?[xX×]\s?\d+(?:\.\d+)?)+(?!\w)"), _dimensions),
    (re.compile(r"(?<![\w.])(?P<n>" + _NUMBER + r")[xX×](?!\w)(?!\s?[-+=*/^<>(])"), _multiplier),
    (re.compile(r"(?<![\w.])(?P<neg>-)?(?P<amount>" + _NUMBER + r")\s?(?P<unit>" + _UNIT_NAMES + r")(?![\w/])"), _unit),
    # Numbers that are labels or digit strings.
    (re.compile(r"\(?\b(\d{3})\)?[-.\s](\d{3})[-.](\d{4})\b"), _phone),
    (re.compile(r"(?<!\d)\+(\d{1,3})[-.\s](\d{3})[-.\s](\d{3})[-.\s](\d{4})\b"), _phone),
    (re.compile(r"\b(\d{3})-(\d{4})\b"), _phone),
    (re.compile(r"(?P<pre>\b(?:[Ff]lights?|on|aboard|boarding|board|took|take|booked|catch|caught)\s(?:(?:number|no\.|#)\s?)?)?"
                r"(?<![\w.])(?P<code>[A-Z][A-Z0-9]|\d[A-Z])(?P<space>\s?)(?P<n>\d{1,4})\b"), _flight),
    (re.compile(r"(?P<label>(?<![\w.])(?:" + _LABELS + r"))\s?(?P<n>\d+)\b"), _label_number),
    # Ordinals, decades, ranges, fractions, years, signs, then every remaining number.
    (re.compile(r"\b(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"), _ordinal),
    (re.compile(r"(?<![\w'])'?(?P<n>(?:1[1-9]|20)?\d0)'?s\b"), _decade),
    (re.compile(r"\b(?P<a>\d+)-(?P<b>\d+)\b"), _range),
    (re.compile(r"\b24/7\b"), lambda m: "twenty-four seven"),
    (re.compile(r"(?<![\d/])\b(?P<a>\d{1,3})/(?P<b>\d{1,3})\b(?!/)"), _fraction),
    (re.compile(r"\b(?P<a>\d+):(?P<b>\d+)\b"), lambda m: m.group("a") + " to " + m.group("b")),  # a score
    (re.compile(r"(?<![\d.,])(?:1[1-9]\d\d|20\d\d)(?![\d.,]\d)"), _year),
    (re.compile(r"(?P<pre>^|[\s(])-(?P<n>" + _NUMBER + r")"), _signed_number),
    (re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"), lambda m: " "),  # MP3 -> MP 3
    (re.compile(_NUMBER), _number),
    # Words.
    # A capitalized word after "St." is a name ("St. Louis") unless it is an address unit ("Main St. Apt. 5").
    (re.compile(r"(?<![\w.])(?P<abbr>" + _CONTEXT_ABBREVIATIONS + r")(?P<name>\s+(?=[A-Z])(?!" + _UNIT_WORDS + r"))?"), _context_abbreviation),
    (re.compile(r"(?P<comma>(?<=[a-z]),\s)?(?<![\w.])Fl\.(?!\w)"), _floor),
    (re.compile(r"(?<![\w.])(?:" + _ABBREVIATIONS + r")(?!\w)"), _abbreviation),
    (re.compile(r"(?<![\w.])[A-Z]\.(?:[A-Z]\.)+(?!\w)"), _initialism),
    (re.compile(r"(?P<word>" + _ROMAN_WORDS + r"|\b[A-Z][a-z]+)\s(?=[IVX]{2})(?P<numeral>(?:X{0,3})(?:IX|IV|V?I{0,3})\b)(?<=[IVX])"), _roman),
    (re.compile(r"\b(?P<word>[A-Z]{2,5})(?P<suffix>'?s)?\b"), _acronym),
    # Symbols left over, then spacing.
    (re.compile(r"\band/or\b"), lambda m: "and or"),
    (re.compile(r"(?<=\w)/(?=\w)"), lambda m: " slash "),
    (re.compile(r"\s-+\s|--+"), lambda m: ", "),
    (re.compile("|".join(re.escape(s) for s in lexicon.SYMBOLS)), _symbol),
]

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_COMMAS = re.compile(r"(?:,\s*){2,}")
_LEADING_COMMA = re.compile(r"^[\s,]+")
_PAUSE_BEFORE_STOP = re.compile(r"[,;:]+\s*(?=[.!?])")
_SPACES = re.compile(r"[ \t]+")


def normalize(text: str) -> str:
    """One cleaned sentence -> the words to speak. "$12.99" -> "twelve dollars and ninety-nine cents"."""
    ends_with_pause = text.rstrip().endswith((",", ";", ":"))
    if _is_shouting(text):
        text = text.lower()
    for pattern, replace in RULES:
        text = pattern.sub(replace, text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_COMMAS.sub(", ", text)
    text = _LEADING_COMMA.sub("", text)
    text = _PAUSE_BEFORE_STOP.sub("", text)
    text = text.strip()
    # A comma made from a closing bracket is no pause at the very end; one the writer put there is.
    return text if ends_with_pause else text.rstrip(",").strip()


def _is_shouting(text: str) -> bool:
    """A sentence written all in capitals is read as words, not spelled acronym by acronym."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= 4 and all(w.isupper() for w in words)
