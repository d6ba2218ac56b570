"""Voice-agent sentences for the default voice's corpus: what an assistant says on a call or a speaker.

    from agent_texts import agent_sentences
    agent_sentences(seed=1234, count=12000) -> sorted list of unique sentences

Short replies and confirmations, every kind of question (yes/no, wh-, either-or, tag), numbers,
prices, times, dates, durations, phone numbers, spelled codes, names, addresses, lists and long
sentences with commas. Slots are filled from small word lists here and from Faker (MIT; names,
streets, cities, companies), seeded, so the same seed and Faker version give the same sentences.
The held-out voice-agent sentences (agent-test.txt) were written by hand, apart from these
templates; texts.py drops any generated sentence that matches one of them.
"""

from __future__ import annotations

import random

ACKS = ["Sure", "Okay", "Got it", "All right", "Of course", "No problem", "Absolutely", "Certainly", "Done", "Alright then", "Perfect", "Sounds good"]
CLOSERS = [
    "Anything else?",
    "Is there anything else you need?",
    "What else can I do for you?",
    "Let me know if that works.",
    "Just say the word if you want to change it.",
    "Talk to you soon.",
    "Have a good one.",
    "Enjoy your day.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
RELATIVE_DAYS = ["today", "tonight", "tomorrow", "tomorrow morning", "this afternoon", "this evening", "next week", "the day after tomorrow", "this weekend"]
EVENTS = ["dentist appointment", "team meeting", "haircut", "yoga class", "parent-teacher conference", "flight", "interview", "lunch with the client", "piano lesson", "car service", "eye exam", "book club", "vet appointment", "standup", "budget review"]
ROOMS = ["kitchen", "living room", "bedroom", "hallway", "garage", "office", "bathroom", "basement", "dining room", "porch"]
DEVICES = ["lights", "heater", "fan", "air conditioner", "television", "porch light", "sprinklers", "coffee maker", "dishwasher", "speaker"]
GROCERIES = ["milk", "eggs", "bread", "butter", "coffee", "rice", "bananas", "tomatoes", "olive oil", "cheddar cheese", "orange juice", "paper towels", "chicken", "yogurt", "spinach", "garlic", "onions", "cereal", "pasta", "dish soap"]
FOODS = ["burrito", "cheeseburger", "pad thai", "veggie wrap", "chicken sandwich", "caesar salad", "margherita pizza", "ramen", "fish tacos", "tomato soup"]
DRINKS = ["iced tea", "lemonade", "coffee", "sparkling water", "hot chocolate", "green tea", "orange juice"]
SIZES = ["small", "medium", "large", "extra large"]
WEATHER = ["sunny", "cloudy", "rainy", "windy", "foggy", "partly cloudy", "snowy", "humid", "clear", "stormy"]
UNITS = [("mile", "miles"), ("kilometer", "kilometers"), ("minute", "minutes"), ("hour", "hours"), ("pound", "pounds"), ("ounce", "ounces"), ("cup", "cups"), ("step", "steps"), ("block", "blocks"), ("day", "days")]
AIRLINES = ["United", "Delta", "American", "Southwest", "Alaska", "JetBlue", "Frontier"]
STORES = ["pharmacy", "grocery store", "hardware store", "post office", "bank", "gas station", "bookstore", "bakery", "gym", "library", "coffee shop", "dry cleaner"]
CUISINES = ["Mexican", "Thai", "Italian", "Japanese", "Indian", "Greek", "Korean", "Vietnamese", "Ethiopian", "French", "Chinese", "Lebanese"]
ISSUES = ["your internet connection", "the payment", "your last order", "the login", "the delivery", "your account", "the update", "the reservation"]
TOPICS = ["the weather", "your calendar", "the news", "traffic", "your messages", "sports scores", "your reminders", "the stock market"]
FEELINGS = ["sorry", "glad", "happy", "sorry to hear", "excited", "relieved"]
NATO = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "X-ray", "Yankee", "Zulu"]
NOT_FOUND = ["couldn't find", "don't see", "wasn't able to locate"]
FACTS = [
    "honey never spoils",
    "a group of crows is called a murder",
    "bananas are technically berries",
    "the Eiffel Tower grows a little taller in summer",
    "sea otters hold hands while they sleep",
    "the shortest war in history lasted under an hour",
    "Venus spins in the opposite direction of most planets",
    "a day on Mars is about forty minutes longer than ours",
    "sharks existed before trees",
    "the human nose can detect about a trillion smells",
]


def agent_sentences(seed: int, count: int) -> list[str]:
    """`count` unique sentences drawn from the templates below (seeded)."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)

    def pick(options):
        return rng.choice(options)

    def first():
        return fake.first_name()

    def full_name():
        return f"{fake.first_name()} {fake.last_name()}"

    def doctor():
        return f"Dr. {fake.last_name()}"

    def city():
        return fake.city()

    def street():
        return f"{rng.randint(1, 9999)} {fake.street_name()}"

    def company():
        return fake.company()

    def money(small=False):
        if small or rng.random() < 0.6:
            return f"${rng.randint(1, 99 if small else 999)}.{rng.randint(0, 99):02d}"
        return f"${rng.choice([rng.randint(2, 99), rng.randint(100, 9999), rng.randint(2, 50) * 100]):,}"

    def clock():
        hour, minute = rng.randint(1, 12), rng.choice([0, 0, 5, 10, 15, 20, 25, 30, 30, 35, 40, 45, 50, 55, rng.randint(1, 59)])
        suffix = pick(["a.m.", "p.m.", "AM", "PM", "", ""])
        if minute == 0 and rng.random() < 0.5:
            return f"{hour} {suffix}".strip() if suffix else f"{hour} o'clock"
        return f"{hour}:{minute:02d} {suffix}".strip()

    def date():
        style = rng.random()
        day = rng.randint(1, 28)
        if style < 0.4:
            return f"{pick(MONTHS)} {day}"
        if style < 0.7:
            return f"{pick(WEEKDAYS)}, {pick(MONTHS)} {day}{_suffix(day)}"
        return f"{pick(MONTHS)} {day}, {rng.randint(1990, 2031)}"

    def when():
        return pick([pick(RELATIVE_DAYS), f"on {pick(WEEKDAYS)}", f"on {date()}", f"at {clock()}", f"{pick(RELATIVE_DAYS)} at {clock()}", f"on {pick(WEEKDAYS)} at {clock()}"])

    def phone():
        return pick([f"555-{rng.randint(0, 9999):04d}", f"({rng.randint(200, 989)}) 555-{rng.randint(0, 9999):04d}", f"1-800-555-{rng.randint(0, 9999):04d}"])

    def code():
        return ", ".join(pick([str(rng.randint(0, 9)), f"{c} as in {NATO[ord(c) - 65]}"]) for c in (chr(rng.randint(65, 90)) for _ in range(rng.randint(3, 5))))

    def digits(n):
        return " ".join(str(rng.randint(0, 9)) for _ in range(n))

    def amount(unit_index=None):
        singular, plural = UNITS[unit_index] if unit_index is not None else pick(UNITS)
        value = pick([1, rng.randint(2, 12), rng.randint(13, 500), round(rng.uniform(0.5, 30), 1)])
        return f"{value} {singular if value == 1 else plural}"

    def items(options, low=2, high=5):
        chosen = rng.sample(options, rng.randint(low, high))
        if len(chosen) == 1:
            return chosen[0]
        return ", ".join(chosen[:-1]) + pick([" and ", ", and "]) + chosen[-1]

    def score():
        high = rng.randint(1, 130)
        return f"{high} to {rng.randint(0, high - 1) if high > 1 else 0}"

    def count_word():
        return pick(["two", "three", "four", "five", "a few", "several", str(rng.randint(2, 40))])

    templates = [
        # Short replies and confirmations.
        lambda: f"{pick(ACKS)}.",
        lambda: f"{pick(ACKS)}, I'll take care of it.",
        lambda: f"{pick(ACKS)}, I've set an alarm for {clock()}.",
        lambda: f"{pick(ACKS)}, I've added {items(GROCERIES, 1, 4)} to your shopping list.",
        lambda: f"{pick(ACKS)}. I've turned {pick(['on', 'off'])} the {pick(DEVICES)} in the {pick(ROOMS)}.",
        lambda: f"{pick(ACKS)}, your {pick(EVENTS)} is now {when()}.",
        lambda: f"{pick(ACKS)}. I sent your message to {first()}.",
        lambda: f"{pick(ACKS)}, I'll remind you to {pick(['call', 'text', 'email', 'visit'])} {first()} {when()}.",
        lambda: f"{pick(ACKS)}, a timer for {rng.randint(1, 90)} minutes, starting now.",
        lambda: f"{pick(ACKS)}. {pick(CLOSERS)}",
        lambda: f"I've {pick(['booked', 'reserved', 'confirmed', 'canceled', 'rescheduled'])} your {pick(EVENTS)} {when()}.",
        lambda: f"You're all set for {when()}. {pick(CLOSERS)}",
        lambda: f"Thanks, {first()}. {pick(CLOSERS)}",
        lambda: f"I'm {pick(FEELINGS)} about that, {first()}.",
        lambda: f"One moment while I {pick(['look that up', 'check your account', 'pull up your order', 'find the nearest one', 'connect you'])}.",
        lambda: f"I'm sorry, I {pick(NOT_FOUND)} {pick(['that contact', 'an order with that number', 'any events', 'a store nearby', 'that song'])}.",
        lambda: f"Sorry, I missed {pick(['that', 'the last part', 'the date', 'the number', 'your name'])}. Could you {pick(['repeat it', 'say it once more', 'spell it for me'])}?",
        lambda: f"I can't {pick(['do that yet', 'access your email', 'make calls from here', 'change that setting'])}, but I can {pick(['send you a link', 'set a reminder', 'read you the steps', 'connect you with someone who can'])}.",
        # Questions of every kind.
        lambda: f"Would you like me to {pick(['read it back', 'book it', 'send a reminder', 'call them', 'add it to your calendar', 'save this address'])}?",
        lambda: f"Do you want the {pick(SIZES)} or the {pick(SIZES)}?",
        lambda: f"Should I {pick(['cancel', 'move', 'confirm', 'repeat'])} your {pick(EVENTS)} {when()}?",
        lambda: f"What time works best for you, {clock()} or {clock()}?",
        lambda: f"Which {pick(['day', 'address', 'card', 'account', 'size', 'color'])} would you like to use?",
        lambda: f"Where should I send the {pick(['receipt', 'invoice', 'tickets', 'package', 'confirmation'])}?",
        lambda: f"When would you like to {pick(['come in', 'pick it up', 'start', 'leave', 'check in'])}?",
        lambda: f"How many {pick(['people', 'tickets', 'nights', 'rooms', 'copies', 'bags'])} will you need?",
        lambda: f"Who should I {pick(['invite', 'call', 'send this to', 'add to the meeting'])}?",
        lambda: f"Why don't we {pick(['try a different time', 'start over', 'check the address', 'look at other options'])}?",
        lambda: f"Is {phone()} still the best number to reach you?",
        lambda: f"Are you sure you want to {pick(['delete', 'archive', 'send', 'forward'])} {count_word()} {pick(['messages', 'photos', 'files', 'contacts'])}?",
        lambda: f"You're flying to {city()} {when()}, right?",
        lambda: f"That's {money()}, isn't it?",
        lambda: f"Did you mean {city()} or {city()}?",
        lambda: f"Can I help you with {pick(ISSUES)}, or is it something else?",
        lambda: f"Would you rather hear {pick(TOPICS)} or {pick(TOPICS)}?",
        lambda: f"Was it {first()} or {first()} who called?",
        lambda: f"Have you tried {pick(['restarting the router', 'logging out and back in', 'updating the app', 'clearing the cache'])}?",
        # Numbers, money, times, dates, durations.
        lambda: f"Your total is {money()}, including tax.",
        lambda: f"Your balance is {money()} as of {pick(['today', 'this morning', 'yesterday', pick(WEEKDAYS)])}.",
        lambda: f"{article(pick(SIZES)).capitalize()} {pick(FOODS)} and {article(pick(DRINKS))} come to {money(small=True)}.",
        lambda: f"The {pick(['monthly', 'annual', 'basic', 'premium', 'family'])} plan costs {money()}.",
        lambda: f"Your refund of {money()} will reach your card in {rng.randint(2, 10)} business days.",
        lambda: f"Tickets are {money(small=True)} each, or {money()} for the group.",
        lambda: f"It's {rng.randint(-10, 105)} degrees and {pick(WEATHER)} in {city()}.",
        lambda: f"{pick(['Today', 'Tomorrow', pick(WEEKDAYS)])} will be {pick(WEATHER)}, with a high of {rng.randint(20, 100)} and a low of {rng.randint(0, 60)}.",
        lambda: f"The chance of {pick(['rain', 'snow', 'thunderstorms', 'showers'])} {pick(RELATIVE_DAYS)} is {rng.randint(1, 99)}%.",
        lambda: f"The next {pick(['bus', 'train', 'ferry', 'shuttle'])} to {city()} leaves at {clock()} from {pick(['platform', 'gate', 'stop', 'bay'])} {rng.randint(1, 30)}.",
        lambda: f"{pick(AIRLINES)} flight {rng.randint(100, 2999)} to {city()} is {pick(['on time', 'delayed by ' + str(rng.randint(10, 180)) + ' minutes', 'boarding now', 'canceled'])}.",
        lambda: f"Your {pick(EVENTS)} is {when()}.",
        lambda: f"It's {pick(['a quarter past', 'half past', 'a quarter to', 'ten past', 'twenty to'])} {pick(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'])}.",
        lambda: f"It's {clock()} in {city()}.",
        lambda: f"We're open {' through '.join(rng.sample(WEEKDAYS, 2))}, from {rng.randint(6, 11)} to {rng.randint(4, 10)}.",
        lambda: f"The drive takes about {rng.randint(5, 55)} minutes, and it's {amount(0)}.",
        lambda: f"Turn {pick(['left', 'right'])} in {rng.randint(1, 9) * 100} feet, then continue for {amount(0)}.",
        lambda: f"You walked {rng.randint(1000, 20000):,} steps {pick(['today', 'yesterday', 'this week'])}, which is {rng.randint(2, 40)}% more than usual.",
        lambda: f"Your order number is {digits(rng.randint(5, 8))}.",
        lambda: f"Your confirmation code is {code()}.",
        lambda: f"You can reach them at {phone()}.",
        lambda: f"Please enter your {rng.randint(4, 10)}-digit {pick(['account number', 'PIN', 'member ID', 'zip code'])}.",
        lambda: f"Your package is {pick(['out for delivery', 'on its way', 'delayed', 'at the post office', 'arriving early'])} and should arrive by {pick(WEEKDAYS)}.",
        lambda: f"The battery is at {rng.randint(1, 100)}%.",
        lambda: f"That was {rng.randint(2, 999)} {pick(['calories', 'points', 'votes', 'people', 'reviews', 'pages'])} in {amount(2)}.",
        lambda: f"The recipe needs {amount(6)} of flour, {rng.randint(2, 4)} eggs, and {amount(5)} of milk.",
        lambda: f"Bake at {rng.choice([325, 350, 375, 400, 425])} degrees for {rng.randint(10, 60)} minutes.",
        lambda: f"{pick(['The Lakers', 'The Giants', 'Chelsea', 'The Yankees', 'The Bruins', 'The Cowboys'])} won {score()} last night.",
        lambda: f"The exchange rate is {rng.randint(0, 2)}.{rng.randint(1, 99):02d} dollars to the {pick(['euro', 'pound', 'yen', 'peso'])}.",
        lambda: f"Your {pick(['rent', 'phone bill', 'insurance payment', 'car payment', 'electricity bill'])} of {money()} is due on {date()}.",
        lambda: f"Between {pick(MONTHS)} {rng.randint(1, 14)} and {pick(MONTHS)} {rng.randint(15, 28)}, you spent {money()} on {pick(['groceries', 'travel', 'dining out', 'gas', 'subscriptions'])}.",
        lambda: f"{pick(['The store', 'The clinic', 'The museum', 'The pool'])} closes at {clock()} on {pick(WEEKDAYS)}s.",
        # Names and addresses.
        lambda: f"Your appointment with {doctor()} is {when()}.",
        lambda: f"{full_name()} from {company()} called at {clock()}.",
        lambda: f"{first()} wrote, \"{pick(['Running late', 'Call me when you can', 'See you at the game', 'Thanks for dinner', 'Can you pick up the kids'])}.\"",
        lambda: f"You have {count_word()} new messages, including one from {full_name()}.",
        lambda: f"The delivery to {street()} is scheduled for {date()}.",
        lambda: f"The nearest {pick(STORES)} is at {street()}, about {amount(0)} away.",
        lambda: f"I found {count_word()} {pick(CUISINES)} restaurants near {street()}.",
        lambda: f"Your ride is a {pick(['white', 'black', 'silver', 'blue', 'red', 'gray'])} {pick(['Honda Civic', 'Toyota Prius', 'Ford Escape', 'Tesla Model 3', 'Nissan Altima', 'Hyundai Sonata'])}, arriving in {rng.randint(1, 15)} minutes.",
        lambda: f"{full_name()} is the manager at {company()} in {city()}.",
        lambda: f"Should I save {street()}, {city()}, as your home address?",
        lambda: f"The office of {doctor()} is on the {pick(['first', 'second', 'third', 'fourth', 'fifth', 'ninth'])} floor, suite {rng.randint(100, 950)}.",
        # Lists and long sentences with commas.
        lambda: f"{pick(['Today', 'Tomorrow', 'On ' + pick(WEEKDAYS)])} you have {items(['your ' + event for event in EVENTS], 2, 4)}.",
        lambda: f"The menu has {items(FOODS, 3, 5)}, but no {pick(FOODS)}.",
        lambda: f"You can pick up {items(GROCERIES, 2, 4)} at the {pick(STORES)} on your way home.",
        lambda: f"Your options are {items(['email', 'text', 'a phone call', 'a letter', 'the app'], 2, 3)}.",
        lambda: f"First, {pick(['unplug the router', 'open the settings', 'sign in', 'find the serial number'])}; then {pick(['wait thirty seconds', 'tap the menu', 'choose reset', 'enter the code'])}; and finally, {pick(['plug it back in', 'press save', 'restart the app', 'confirm the change'])}.",
        lambda: f"If you'd like to {pick(['change your order', 'speak with someone', 'hear this again', 'go back'])}, {pick(['say', 'press'])} {pick(['one', 'two', 'zero', 'star', 'menu', 'agent'])}.",
        lambda: f"Based on your calendar, {pick(RELATIVE_DAYS[:5] + WEEKDAYS)} looks free, although {first()} asked to keep the afternoon open for the {pick(EVENTS)}.",
        lambda: f"I checked {pick(ISSUES)}, and everything looks normal, but if it happens again, let me know and I'll open a ticket.",
        lambda: f"Most reviewers liked the {pick(['battery life', 'screen', 'price', 'sound', 'camera', 'design'])}, some disliked the {pick(['weight', 'price', 'setup', 'noise', 'size'])}, and a few mentioned {pick(['shipping delays', 'the warranty', 'the color options', 'customer service'])}.",
        lambda: f"Here's a fun fact: {pick(FACTS)}.",
        lambda: f"{pick(['Good morning', 'Good afternoon', 'Good evening', 'Hi there', 'Welcome back', 'Hello'])}, {first()}. {pick(['You have ' + count_word() + ' reminders today.', 'Your first meeting is at ' + clock() + '.', 'It looks like a ' + pick(WEATHER) + ' day.', 'How can I help?'])}",
        lambda: f"Thank you for calling {company()}. {pick(['How can I help you today?', 'Your call is important to us.', 'Please listen carefully, as our options have changed.', 'Please hold for the next available agent.'])}",
    ]
    sentences: set[str] = set()
    attempts = 0
    while len(sentences) < count and attempts < count * 50:
        attempts += 1
        sentence = " ".join(pick(templates)().split()).replace("..", ".")  # "a.m." ending a sentence
        sentences.add(sentence[0].upper() + sentence[1:])
    return sorted(sentences)


def article(phrase: str) -> str:
    return ("an " if phrase[0].lower() in "aeio" else "a ") + phrase


def _suffix(day: int) -> str:
    return "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
