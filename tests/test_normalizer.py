"""Golden tests for the English normalizer: written form -> the words a voice should say."""

import time

import pytest

from text.cleaning import clean_text
from text.normalizer import normalize

GOLDEN = [
    # Cardinals, decimals, signs, separators
    ("I have 3 apples.", "I have three apples."),
    ("It's 200,000 people.", "It's two hundred thousand people."),
    ("There were 1,234,567 votes.", "There were one million two hundred thirty-four thousand five hundred sixty-seven votes."),
    ("Pi is 3.14.", "Pi is three point one four."),
    ("Version 2.0 is out.", "Version two point zero is out."),
    ("The temperature was -5 degrees.", "The temperature was minus five degrees."),
    ("It fell to -3.5 today.", "It fell to minus three point five today."),
    ("We sold 12 cars and 105 bikes.", "We sold twelve cars and one hundred five bikes."),
    ("It is 007.", "It is zero zero seven."),
    ("A 1000000 step run.", "A one million step run."),
    # Ordinals
    ("The 1st and 22nd and 103rd.", "The first and twenty-second and one hundred third."),
    ("She came 2nd.", "She came second."),
    ("The 11th hour.", "The eleventh hour."),
    # Money
    ("It costs $12.99.", "It costs twelve dollars and ninety-nine cents."),
    ("That's $1.", "That's one dollar."),
    ("Only $0.50 left.", "Only fifty cents left."),
    ("Only $0.01 left.", "Only one cent left."),
    ("It was €20.", "It was twenty euros."),
    ("It was £3.50.", "It was three pounds and fifty pence."),
    ("A 50¢ coin.", "A fifty cents coin."),
    ("They raised $2 billion.", "They raised two billion dollars."),
    ("Worth $1.5 million.", "Worth one point five million dollars."),
    ("It cost $1,000.", "It cost one thousand dollars."),
    ("A $5k bonus.", "A five thousand dollars bonus."),
    # Percentages
    ("It is 50% off.", "It is fifty percent off."),
    ("A 3.5% raise.", "A three point five percent raise."),
    ("Down -2% today.", "Down minus two percent today."),
    # Years and decades
    ("He was born in 1990.", "He was born in nineteen ninety."),
    ("In 2005 it rained.", "In two thousand five it rained."),
    ("In 1905 it snowed.", "In nineteen oh five it snowed."),
    ("In 2024 we met.", "In twenty twenty-four we met."),
    ("In 1800 it began.", "In eighteen hundred it began."),
    ("The 1990s were fun.", "The nineteen nineties were fun."),
    ("The '80s were fun.", "The eighties were fun."),
    ("From 1990–2000 it grew.", "From nineteen ninety to two thousand it grew."),
    # Times
    ("Meet at 7:45.", "Meet at seven forty-five."),
    ("Meet at 7:45 pm.", "Meet at seven forty-five p m."),
    ("Meet at 7 pm tomorrow.", "Meet at seven p m tomorrow."),
    ("Meet at 7 p.m.", "Meet at seven p m."),
    ("At 7:05 am we left.", "At seven oh five eh m we left."),
    ("At 7:00.", "At seven o'clock."),
    ("At 19:30.", "At nineteen thirty."),
    ("He scored 3:2.", "He scored three to two."),
    # Dates
    ("On March 3rd we left.", "On March third we left."),
    ("On Jan. 5th, 2024 we left.", "On January fifth, twenty twenty-four we left."),
    ("Born March 3, 1990.", "Born March third, nineteen ninety."),
    ("On the 3rd of March.", "On the third of March."),
    ("Due 3/14/2024.", "Due March fourteenth, twenty twenty-four."),
    ("Due 2024-03-14.", "Due March fourteenth, twenty twenty-four."),
    ("Since Dec. 2019.", "Since December twenty nineteen."),
    # Digit strings
    ("Call 555-123-4567 now.", "Call five five five, one two three, four five six seven now."),
    ("Call (555) 123-4567 now.", "Call five five five, one two three, four five six seven now."),
    ("Dial 555-0199.", "Dial five five five, zero one nine nine."),
    ("Flight 1234 to Boston.", "Flight twelve thirty-four to Boston."),
    ("Room 405 is free.", "Room four oh five is free."),
    ("Gate 12.", "Gate twelve."),
    ("See item #42.", "See item number forty-two."),
    ("Pages 10-20.", "Pages ten to twenty."),
    # Fractions
    ("He ate 2/3 of it and 1/2 of that.", "He ate two thirds of it and one half of that."),
    ("A 24/7 service.", "A twenty-four seven service."),
    # Abbreviations
    ("Dr. Smith lives on Elm Dr.", "Doctor Smith lives on Elm Drive."),
    ("St. Louis is great.", "Saint Louis is great."),
    ("We met on Main St. today.", "We met on Main Street today."),
    ("Mr. and Mrs. Jones met Ms. Lee.", "Mister and Missus Jones met Miz Lee."),
    ("Cats vs. dogs.", "Cats versus dogs."),
    ("Apples, pears, etc.", "Apples, pears, et cetera."),
    ("Fruits, e.g. apples, i.e. red ones.", "Fruits, for example apples, that is red ones."),
    ("Prof. Xavier and Capt. Kirk.", "Professor Xavier and Captain Kirk."),
    ("Martin Luther King Jr. spoke.", "Martin Luther King Junior spoke."),
    # Units
    ("It is 5 km away.", "It is five kilometers away."),
    ("It weighs 1 kg.", "It weighs one kilogram."),
    ("It is 10 cm long.", "It is ten centimeters long."),
    ("Drive 60 mph.", "Drive sixty miles per hour."),
    ("It weighs 2.5kg.", "It weighs two point five kilograms."),
    ("A 16 GB card.", "A sixteen gigabytes card."),
    ("It is 20°C outside.", "It is twenty degrees Celsius outside."),
    # Symbols
    ("Salt & pepper.", "Salt and pepper."),
    ("Two + two.", "Two plus two."),
    ("Email me @ home.", "Email me at home."),
    ("Use and/or.", "Use and or."),
    ("Black/white.", "Black slash white."),
    ("x = 5.", "x equals five."),
    # Acronyms
    ("The FBI and the USB port.", "The F B I and the U S B port."),
    ("NASA and NATO.", "NASA and NATO."),
    ("The CEO's plan.", "The C E O's plan."),
    ("HTML and JPEG files.", "H T M L and J P E G files."),
    ("An MP3 player.", "An M P three player."),
    ("The USA won.", "The U S eh won."),
    ("This is OK.", "This is okay."),
    ("I LOVE THIS SO MUCH RIGHT NOW.", "i love this so much right now."),
    ("Henry VIII was king.", "Henry the eighth was king."),
    ("World War II ended.", "World War two ended."),
    # URLs and e-mail
    ("Visit https://www.example.com/docs now.", "Visit w w w dot example dot com slash docs now."),
    ("Write to john.doe@example.com today.", "Write to john dot doe at example dot com today."),
    ("Go to example.org please.", "Go to example dot org please."),
    # Unicode punctuation
    ("“Hello,” she said — quietly…", '"Hello," she said, quietly...'),
    ("It’s fine.", "It's fine."),
    ("A café in Zürich.", "A cafe in Zurich."),
    ("Add ½ cup of ﬂour.", "Add one half cup of flour."),
]


@pytest.mark.parametrize(("written", "spoken"), GOLDEN, ids=[w for w, _ in GOLDEN])
def test_normalizer_golden(written, spoken):
    assert normalize(clean_text(written)) == spoken


def test_there_are_at_least_80_golden_cases():
    assert len(GOLDEN) >= 80


def test_plain_words_pass_through_unchanged():
    sentence = "The quick brown fox jumps over the lazy dog."
    assert normalize(sentence) == sentence


def test_output_has_no_digits_left():
    text = "On 3/4/2021 at 10:30 pm, 17 people paid $3.25 for 2 kg (about 4.4 lbs), 15% off."
    assert not any(c.isdigit() for c in normalize(clean_text(text)))


# Everyday writing once read wrongly. Each kind lists readings to fix and look-alikes to leave alone.
AM_PM = [
    # "a m" was read with the article's vowel: "seven ten at M". The letter's name is "eh".
    ("Wake me at 7:10 am please.", "Wake me at seven ten eh m please."),
    ("Open 9am to 5pm.", "Open nine eh m to five p m."),
    ("At 10 a.m. sharp.", "At ten eh m sharp."),
    ("Lunch at 12:30 PM, not 10 AM.", "Lunch at twelve thirty p m, not ten eh m."),
    ("Open 9am-5pm daily.", "Open nine eh m to five p m daily."),
    ("From 9-11 a.m. only.", "From nine to eleven eh m only."),
    ("The meeting ends at 7 p.m.", "The meeting ends at seven p m."),
    # "am" the verb is no time.
    ("I am here, am I not?", "I am here, am I not?"),
    ("Am I late?", "Am I late?"),
]
ABBREVIATIONS_WITH_DOTS = [
    ("She has a Ph.D. in math.", "She has a P H D in math."),
    ("John Smith, M.D., met Jane Doe, B.A.", "John Smith, M D, met Jane Doe, B eh."),
    ("He holds a B.Sc., an M.A. and an MBA.", "He holds a B S C, an M eh and an M B eh."),
    ("Ask Ann Lee, D.D.S. about it.", "Ask Ann Lee, D D S about it."),
    ("Apt. 4, Ste. 200, Bldg. 7, Fl. 3.", "Apartment four, Suite two hundred, Building seven, Floor three."),
    ("Take Hwy. 9 to the Pkwy. near Oak Ct.", "Take Highway nine to the Parkway near Oak Court."),
    ("It is at 12 Oak Blvd. and Pine Rd.", "It is at twelve Oak Boulevard and Pine Road."),
    ("He lives at 123 Main St. Apt. 5 now.", "He lives at one hundred twenty-three Main Street Apartment five now."),
    ("Go to 45 Elm Dr. Then turn left.", "Go to forty-five Elm Drive. Then turn left."),
    ("Meet on 5th St. at noon.", "Meet on fifth Street at noon."),
    ("Mail 77 W. Oak Ave. today.", "Mail seventy-seven West Oak Avenue today."),
    ("Sault Ste. Marie is cold.", "Sault Sainte Marie is cold."),
    ("Miami, Fl. is warm; the 3rd Fl. is not.", "Miami, Florida is warm; the third Floor is not."),
    ("Open Mon. through Fri. and Sat. till noon.", "Open Monday through Friday and Saturday till noon."),
    ("Closed Sun., Jan. 5.", "Closed Sunday, January fifth."),
    ("Due Thu. Dec. 3 or Tues. Sept. 8.", "Due Thursday December third or Tuesday September eighth."),
    ("Wed., Thurs. and Sat. and Sun. only.", "Wednesday, Thursday and Saturday and Sunday only."),
    ("See you Sun. morning.", "See you Sunday morning."),
    ("Hours: Mon-Fri, Jan.-Mar. only.", "Hours: Monday to Friday, January to March only."),
    ("In Sept. and Oct. we rest, Feb. too.", "In September and October we rest, February too."),
    ("Mon, Jan 5 is the day.", "Monday, January fifth is the day."),
    # Look-alikes: the star, the verb, a name, plain words, "Dr." before a name.
    ("Look at the Sun.", "Look at the Sun."),
    ("The sun is hot and they were wed.", "The sun is hot and they were wed."),
    ("We met Jan at noon.", "We met Jan at noon."),
    ("Scratches mar the surface.", "Scratches mar the surface."),
    ("In 2020 Dr. Smith came.", "In twenty twenty Doctor Smith came."),
    ("St. Louis and Main St. today.", "Saint Louis and Main Street today."),
]
TIMES_AND_SIZES = [
    ("It is 3x faster and 10x cheaper.", "It is three times faster and ten times cheaper."),
    ("A 1.5x speed.", "A one point five times speed."),
    ("A 2 x 4 board and a 2x4.", "A two by four board and a two by four."),
    ("At 1920x1080 on a 3 × 5 card.", "At nineteen twenty by ten eighty on a three by five card."),
    ("A 10 x 20 ft room.", "A ten by twenty feet room."),
    ("So 2 x 3 = 6.", "So two times three equals six."),
    # Look-alikes: words with an x, a hex number, algebra, a model name, a size of clothing.
    ("An xray of the box.", "An xray of the box."),
    ("Read 0x1F.", "Read zero x one F."),
    ("Solve 2x + 3.", "Solve two x plus three."),
    ("A BMW X5.", "A B M W X five."),
    ("A 2xl shirt.", "A two xl shirt."),
]
HEIGHTS = [
    ("He is 5'10\" tall.", "He is five feet ten inches tall."),
    ("She is 6' 2\".", "She is six feet two inches."),
    ("He is 5 ft 10 in tall.", "He is five feet ten inches tall."),
    ("He is 5'10 and she is 6'1\".", "He is five feet ten inches and she is six feet one inch."),
    ("A 6' fence.", "A six feet fence."),
    ("Tall: 5\u203210\u2033.", "Tall: five feet ten inches."),
    # Look-alikes: decades, a quoted number, feet then a count.
    ("The '80s and the 1990's.", "The eighties and the nineteen nineties."),
    ("She said 'buy 6' and left.", "She said 'buy six' and left."),
    ("He ran 5 feet 10 times.", "He ran five feet ten times."),
]
RATIOS = [
    ("At 3/1 odds.", "At three to one odds."),
    ("The odds of 5/2 are long.", "The odds of five to two are long."),
    ("A 7/2 shot won.", "A seven to two shot won."),
    ("A 50/50 chance, a 50/50 shot.", "A fifty-fifty chance, a fifty-fifty shot."),
    ("A 60/40 split and the 80/20 rule.", "A sixty-forty split and the eighty-twenty rule."),
    ("Open 24/7.", "Open twenty-four seven."),
    ("It is due on 12/25.", "It is due on December twenty-fifth."),
    # Look-alikes: fractions stay fractions.
    ("Add 1/2 cup and 3/4 of the rest.", "Add one half cup and three quarters of the rest."),
    ("Cut it by 1/2.", "Cut it by one half."),
]
FLIGHTS = [
    ("Flight UA 1234 is late.", "Flight U eh twelve thirty-four is late."),
    ("Take flight DL452 home.", "Take flight D L four fifty-two home."),
    ("Book BA2490 now.", "Book B eh twenty-four ninety now."),
    ("We took AA 100 to Dallas.", "We took eh eh one hundred to Dallas."),
    ("On B6 615 from Boston.", "On B six six fifteen from Boston."),
    ("Flight 1234 to Boston.", "Flight twelve thirty-four to Boston."),
    # Look-alikes: batteries, vitamins, unknown codes without the word "flight".
    ("Four AA batteries and B6 and B12.", "Four eh eh batteries and B six and B twelve."),
    ("Model XJ 220 is fast.", "Model X J two hundred twenty is fast."),
]


@pytest.mark.parametrize(("written", "spoken"), AM_PM, ids=[w for w, _ in AM_PM])
def test_clock_times_spell_am_and_pm_as_letter_names(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(("written", "spoken"), ABBREVIATIONS_WITH_DOTS, ids=[w for w, _ in ABBREVIATIONS_WITH_DOTS])
def test_degrees_addresses_weekdays_and_months_expand(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(("written", "spoken"), TIMES_AND_SIZES, ids=[w for w, _ in TIMES_AND_SIZES])
def test_multipliers_and_dimensions(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(("written", "spoken"), HEIGHTS, ids=[w for w, _ in HEIGHTS])
def test_heights_in_feet_and_inches(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(("written", "spoken"), RATIOS, ids=[w for w, _ in RATIOS])
def test_odds_and_splits_with_a_slash(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(("written", "spoken"), FLIGHTS, ids=[w for w, _ in FLIGHTS])
def test_airline_codes_before_flight_numbers(written, spoken):
    assert normalize(clean_text(written)) == spoken


@pytest.mark.parametrize(
    "text", ["1 x " * 5000 + "1a", "12 Elm " * 3000 + "Dr.", "Sun. " * 5000, "5'" * 5000, "on 1/2 " * 3000, "UA 1" * 5000]
)
def test_new_rules_stay_linear_on_long_repetitive_input(text):
    start = time.perf_counter()
    normalize(text)
    assert time.perf_counter() - start < 5.0
