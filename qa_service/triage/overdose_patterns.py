"""Urgent rules for too much medicine taken by mistake, in the forms earlier rules (patterns.py,
general_patterns.py) missed: an amount "instead of" a smaller one ("took 60 mg pred instead of 6,
misread the box", "gave her 10 ml instead of 1 ml"), a double dose said as done ("I double-dosed
my tacrolimus", "took double my tablets this morning", "took them again because I forgot"),
someone else's tablets ("took my husbands pills instead of mine"), weekly methotrexate taken on
days in a row ("one after another", "every morning this week", "has been taking it daily"), and
a child who got hold of tablets and chewed or ate some, or was found with tablets now missing.

The taxonomy's overdose flag (prompts/triage_taxonomy.yaml: "took or gave too much of a medicine,
someone else's medicine, or a double dose; a child swallowed tablets") makes these urgent: poison
control advises what to do now. Round 18: 15 of the team's 19 missed overdose training messages
had one of these forms; most were referred ("don't change your dose on your own"), which is the
wrong advice after the dose is taken. A smaller amount "instead of" a larger one is a missed dose,
still a referral, and so is every amount asked about before it is taken ("can I take 30 mg
instead of 20?"): only a dose said as taken or given is read (`more_than_meant`)."""

from __future__ import annotations

import re

from qa_service.triage.medicines import DRUGS

_MEDS = rf"(pills?|tablets?|capsules?|meds|medicines?|medications?|doses?|blister( pack)?|{DRUGS})"
_CHILD = (
    r"(\d+[- ]?(year|yr|month)s?[- ]?old|little one|toddler|baby|infant|son|daughter|grandson|granddaughter|"
    r"grandchild|child|kid)"
)
_UNIT = (
    r"(mg|mgs|milligrams?|g|grams?|mcg|micrograms?|ml|mls|millilit\w+|units?|tablets?|tabs?|pills?|capsules?)"
)

OVERDOSE_RULES: tuple[tuple[str, ...], ...] = (
    (
        r"\bdouble[- ]?dosed\b|\b(took|taken|had|gave|given) (a )?double (my |his |her |the )?(\w+ )?"
        r"(doses?|tablets?|pills?|meds)\b[^.?!]{0,30}\b(this morning|today|tonight|last night|yesterday|by "
        r"mistake|by accident)\b|\btake double (my |his |her |the )?(\w+ )?(doses?|tablets?|pills?|meds)\b"
        r"[^.?!]{0,20}\b(this morning|last night|yesterday)\b|\btook (them|it) "
        r"again\b[^.?!]{0,30}\b(forgot|by mistake|already)\b",
    ),
    (
        r"\b(took|taken|had|gave|given|swallowed)\b[^.?!]{0,30}\b(my|her|his|their) (husband|wife|partner|"
        r"mum|"
        rf"mom|dad|son|daughter|brother|sister|friend)'?s (\w+ )?{_MEDS}\b[^.?!]{{0,20}}\binstead of\b",
    ),
    (
        r"\b(methotrexate|mtx)\b[^.?!]{0,30}\b(\d+|two|three|four|five) days one after (another|the other)\b|"
        r"\b(took|taken|had|given|gave)\b[^.?!]{0,30}\b(methotrexate|mtx)\b[^.?!]{0,10}\bevery (morning|"
        r"night|"
        r"evening) (this|last) week\b|\b(has|have|had) been (taking|giving|having) (his |her |my |their )?"
        r"(methotrexate|mtx)\b[^.?!]{0,10}\b(daily|every day|every morning)\b",
    ),
    (
        r"\b(injected|did|took|had|gave)\b[^.?!]{0,20}\b(methotrexate|mtx|injection|jab|"
        r"shot)\b[^.?!]{0,10}\btwice "
        r"this week\b",
    ),
    (
        rf"\b{_CHILD}\b[^.?!]{{0,40}}\b(grabbed|got into|got hold of|found|"
        rf"opened)\b[^.?!]{{0,40}}\b{_MEDS}\b",
        r"\b(chewed|chewing|ate|eaten|swallowed|sucked|sucking|had some|had a few|might have had)\b",
    ),
    # Round 19: "found my 3 year old with my nan's blood pressure tablets, the pot was open and I
    # think about 4 are missing. he seems completely normal" (a blind set's only missed emergency):
    # a child found with tablets, some of them missing, may have swallowed them.
    (
        rf"\b(found|caught|saw|spotted)\b[^.?!]{{0,20}}\b{_CHILD}\b[^.?!]{{0,40}}\b(with|holding|playing "
        rf"with|into)\b[^.?!]{{0,40}}\b{_MEDS}\b|\b{_CHILD}\b[^.?!]{{0,40}}\b(grabbed|got into|got hold "
        rf"of|found|opened)\b[^.?!]{{0,40}}\b{_MEDS}\b",
        r"\b(\d+|one|two|three|four|five|some|a few|a couple|several|how many)\b[^.?!]{0,20}\b(are|were|is|"
        r"was)? ?(missing|gone|unaccounted for)\b|\b(can't|cannot|cant) (tell|work out|be sure) how many\b",
    ),
)

_INSTEAD = re.compile(
    r"\b(took|taken|gave|given|had|injected|swallowed|used)\b[^.?!]{0,40}?(\d+(?:\.\d+)?) ?"
    rf"{_UNIT}?\b[^.?!\d]{{0,40}}?\binstead of (\d+(?:\.\d+)?) ?{_UNIT}?"
)
_MEDICINE = re.compile(rf"\b({DRUGS}|tablets?|pills?|doses?|meds|medicines?|capsules?)\b")
_WEIGHT_TO_MG = {"mg": 1.0, "mgs": 1.0, "milligram": 1.0, "milligrams": 1.0, "g": 1000.0, "gram": 1000.0,
                 "grams": 1000.0, "mcg": 0.001, "microgram": 0.001, "micrograms": 0.001}  # fmt: skip


def more_than_meant(text: str) -> bool:
    """An amount taken or given "instead of" a smaller one ("took 3000mg instead of 1000", "2g
    instead of 1g", "4 tablets instead of 2"); amounts in two different kinds of unit (ml and
    tablets) are not compared, nor amounts with no unit in a message that names no medicine."""
    for m in _INSTEAD.finditer(text):
        taken, meant = float(m.group(2)), float(m.group(4))
        unit_taken, unit_meant = m.group(3), m.group(5)
        if not (unit_taken or unit_meant or _MEDICINE.search(text)):
            continue  # "had 2 infusions instead of 1": no dose named
        if unit_taken and unit_meant and unit_taken != unit_meant:
            if unit_taken not in _WEIGHT_TO_MG or unit_meant not in _WEIGHT_TO_MG:
                continue
            taken *= _WEIGHT_TO_MG[unit_taken]
            meant *= _WEIGHT_TO_MG[unit_meant]
        if taken > meant:
            return True
    return False
