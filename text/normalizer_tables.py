"""Word tables the English normalizer reads: abbreviations, units, months, symbols, acronyms.

These are the normalizer's own tables, read by the `text.rules_*` modules (and the sentence splitter and
SSML reader); a user's pronunciation lexicon is `text.pronunciations`.
"""

from __future__ import annotations

# Abbreviations that always expand the same way. Keys are matched case-sensitively with their dot.
ABBREVIATIONS = {
    "Mr.": "Mister",
    "Mrs.": "Missus",
    "Ms.": "Miz",
    "Mx.": "Mix",
    "Prof.": "Professor",
    "Jr.": "Junior",
    "Sr.": "Senior",
    "Gen.": "General",
    "Gov.": "Governor",
    "Sen.": "Senator",
    "Rep.": "Representative",
    "Capt.": "Captain",
    "Lt.": "Lieutenant",
    "Sgt.": "Sergeant",
    "Col.": "Colonel",
    "Mt.": "Mount",
    "Ave.": "Avenue",
    "Blvd.": "Boulevard",
    "Rd.": "Road",
    "Ln.": "Lane",
    "Ft.": "Fort",
    "vs.": "versus",
    "etc.": "et cetera",
    "e.g.": "for example",
    "i.e.": "that is",
    "approx.": "approximately",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Co.": "Company",
    "Corp.": "Corporation",
    "Dept.": "Department",
    "Univ.": "University",
    # "eh", not "a": espeak reads a lone "a" as the article, and "7 a m" is heard as "7 at M".
    "a.m.": "eh m",
    "p.m.": "p m",
    "A.M.": "eh m",
    "P.M.": "p m",
    # Address units.
    "Apt.": "Apartment",
    "Bldg.": "Building",
    "Rm.": "Room",
    "Ct.": "Court",
    "Pkwy.": "Parkway",
    "Hwy.": "Highway",
    # Degrees with lower-case letters; all-capital ones with dots (M.D., B.A.) are spelled by rule.
    "Ph.D.": "P H D",
    "PhD": "P H D",
    "B.Sc.": "B S C",
    "BSc": "B S C",
    "M.Sc.": "M S C",
    "MSc": "M S C",
    "Ed.D.": "E D D",
    "LL.B.": "L L B",
    "LL.M.": "L L M",
}
# Abbreviations whose reading depends on what follows: (before a capitalized name, otherwise).
CONTEXT_ABBREVIATIONS = {
    "Dr.": ("Doctor", "Drive"),
    "St.": ("Saint", "Street"),
    "Ste.": ("Sainte", "Suite"),  # "Sault Ste. Marie", "Ste. 200"
}
# Words (without dot) that never end a sentence when followed by a dot; the splitter reads this.
NON_TERMINAL_ABBREVIATIONS = frozenset(
    {k[:-1] for k in ABBREVIATIONS if k.count(".") == 1}
    | {k[:-1] for k in CONTEXT_ABBREVIATIONS}
    | {"Vol", "vol", "pp", "p", "Fig", "fig", "Eq", "eq", "Ch", "ch", "cf", "Jan", "Feb",
       "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
) - {"etc", "Inc", "Ltd", "Co", "Corp"}  # these often do end a sentence

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTH_ABBREVIATIONS = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Jun": "June", "Jul": "July",
    "Aug": "August", "Sep": "September", "Sept": "September", "Oct": "October", "Nov": "November",
    "Dec": "December",
}

# Weekdays, read only with their dot or in a date ("Mon, Jan 5"); never in NON_TERMINAL_ABBREVIATIONS,
# so "Look at the Sun." still ends a sentence.
WEEKDAY_ABBREVIATIONS = {
    "Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
    "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday",
}
# Two-character IATA codes of common airlines: spelled before a flight number ("UA 1234", "DL452").
# Codes that are also everyday abbreviations (AM, AI, LA, AV) are left out.
AIRLINE_CODES = frozenset(
    {"AA", "UA", "DL", "WN", "B6", "AS", "NK", "F9", "G4", "HA", "SY", "BA", "LH", "AF", "KL", "EK", "QF",
     "AC", "WS", "VS", "IB", "AZ", "LX", "OS", "SK", "AY", "TK", "QR", "EY", "SQ", "CX", "JL", "NH", "KE",
     "NZ", "FR", "U2", "EI", "TP", "DY", "ET", "MH", "TG", "VN", "BR", "CI"}
)

# Currency symbol -> (unit singular, unit plural, subunit singular, subunit plural).
CURRENCIES = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "sen", "sen"),
}
SCALE_WORDS = {
    "thousand": "thousand", "k": "thousand", "K": "thousand",
    "million": "million", "m": "million", "M": "million", "mn": "million",
    "billion": "billion", "b": "billion", "B": "billion", "bn": "billion",
    "trillion": "trillion", "t": "trillion", "T": "trillion", "tn": "trillion",
}

# Unit after a number -> (singular, plural). Matched case-sensitively.
UNITS = {
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "ms": ("millisecond", "milliseconds"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "sec": ("second", "seconds"),
    "kW": ("kilowatt", "kilowatts"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "W": ("watt", "watts"),
    "V": ("volt", "volts"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
}

# Symbols read aloud where they stand alone (after numbers, money and units have taken theirs).
SYMBOLS = {
    "&": " and ",
    "+": " plus ",
    "@": " at ",
    "=": " equals ",
    "%": " percent ",
    "×": " times ",
    "÷": " divided by ",
    "±": " plus or minus ",
    "°": " degrees ",
    "#": " hash ",
    "<": " less than ",
    ">": " greater than ",
    "§": " section ",
    "©": " copyright ",
    "®": "",
    "™": "",
    "¶": "",
    "~": " about ",
    "*": " ",
    "_": " ",
    "^": " ",
    "|": ", ",
    "\\": " ",
    "`": "'",
    "(": ", ",
    ")": ", ",
    "[": ", ",
    "]": ", ",
    "{": ", ",
    "}": ", ",
    "¢": " cents ",
    "€": " euros ",
    "£": " pounds ",
    "¥": " yen ",
    "$": " dollars ",
}

# All-caps words read as words, not spelled: a short list of common ones; longer acronyms are
# judged by `rules_words._pronounceable`.
PRONOUNCEABLE_ACRONYMS = frozenset(
    {"NASA", "NATO", "UNESCO", "UNICEF", "OPEC", "FIFA", "UEFA", "SCUBA", "LASER", "RADAR", "AIDS", "CERN",
     "GIF", "PIN", "SIM", "ZIP", "RAM", "ROM", "WIFI", "COVID", "NAFTA", "OK"}
)
# Common words often written in capitals for emphasis; read as words.
EMPHASIS_WORDS = frozenset(
    {"NO", "NOT", "YES", "ALL", "NOW", "STOP", "HELP", "WOW", "HEY", "YOU", "AND", "THE", "BUT", "WHY", "HOW",
     "WHO", "WAS", "ARE", "DO", "GO", "SO", "WE", "HE", "ME", "MY", "BE", "IS", "IN", "ON", "OF", "TO", "UP",
     "BIG", "NEW", "HOT", "GET", "OUT", "FREE", "NEVER", "VERY", "MUST", "ONLY", "SALE", "WARNING", "NOTE"}
)
SPECIAL_READINGS = {"OK": "okay"}
# Spelled letters: "A" alone would be read as the article.
LETTER_NAMES = {"A": "eh"}

# Words after which a number is a label read in pairs ("flight 1234" -> "twelve thirty-four").
NUMBER_LABELS = frozenset(
    {"flight", "gate", "room", "platform", "bus", "route", "train", "track", "suite", "apartment", "channel",
     "extension", "ext.", "number", "no.", "No.", "Flight", "Gate", "Room", "Platform", "Bus", "Route",
     "Train", "Track", "Suite", "Apartment", "Channel", "Extension", "Number", "#"}
)
# Words after which a Roman numeral is a cardinal number ("World War II" -> "World War two").
ROMAN_CARDINAL_CONTEXT = frozenset(
    {"War", "Chapter", "Part", "Volume", "Vol.", "Act", "Book", "Phase", "Level", "Type", "Class", "Section",
     "Episode", "Season", "Stage", "Grade", "Article", "Appendix", "Apollo", "Mark", "Super Bowl"}
)
