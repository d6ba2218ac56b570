"""Golden tests for the English normalizer: written form -> the words a voice should say."""

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
    ("At 7:05 am we left.", "At seven oh five a m we left."),
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
