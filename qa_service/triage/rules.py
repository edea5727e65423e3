"""The rules of the safety triage (safety.py), as regular expressions over normalised text
(text.normalise: lowercase, apostrophes restored, emergency-word typos corrected).

The urgent rules (URGENT_RULES, importable from here) live in patterns.py and
general_patterns.py: per category, a tuple of patterns that must all match, the first checked for
a negation just before it. Whether a match counts also depends on the message's framing, decided
in safety.py with the context patterns below: a question about a topic with nobody in it ("What are
the signs of a stroke?"), an event that is clearly over ("chest pain last year"), or a hypothetical
("what should I do if I fall") is not an emergency.
"""

from __future__ import annotations

import re
from importlib import resources

import yaml

# The refer patterns live in dosing.py; re-exported here (tr.MEDICINE, tr.DOSE_CHANGE …).
from qa_service.triage.crisis_patterns import COMMON_FINDINGS as COMMON_FINDINGS
from qa_service.triage.crisis_patterns import CRISIS_RULES
from qa_service.triage.dosing import DOSE_AMOUNT as DOSE_AMOUNT
from qa_service.triage.dosing import DOSE_CHANGE as DOSE_CHANGE
from qa_service.triage.dosing import DOSE_MISTAKE as DOSE_MISTAKE
from qa_service.triage.dosing import DOSE_TALK as DOSE_TALK
from qa_service.triage.dosing import MEDICINE as MEDICINE
from qa_service.triage.dosing import NO_CHANGE as NO_CHANGE
from qa_service.triage.dosing import REFER as REFER
from qa_service.triage.dosing import REFER_WITH_MEDICINE as REFER_WITH_MEDICINE
from qa_service.triage.dosing import WHY_NOT as WHY_NOT
from qa_service.triage.general_patterns import GENERAL_RULES
from qa_service.triage.ideation_patterns import IDEATION_RULES
from qa_service.triage.medicines import DRUGS
from qa_service.triage.overdose_patterns import OVERDOSE_RULES
from qa_service.triage.overdose_patterns import more_than_meant as more_than_meant
from qa_service.triage.patterns import URGENT_RULES as _FIRST_RULES
from qa_service.triage.poison_and_gut_patterns import CALL_EVIDENCE as CALL_EVIDENCE
from qa_service.triage.poison_and_gut_patterns import POISON_AND_GUT_RULES
from qa_service.triage.self_harm_patterns import LETHAL as LETHAL
from qa_service.triage.self_harm_patterns import SELF_HARM_RULES
from qa_service.triage.suicide_signs import CRISIS as CRISIS
from qa_service.triage.suicide_signs import SUICIDE_RULES

# A category in several tables keeps the rules of each.
_TABLES = (_FIRST_RULES, GENERAL_RULES, POISON_AND_GUT_RULES, CRISIS_RULES)
URGENT_RULES = {
    c: sum((t.get(c, ()) for t in _TABLES), ()) for c in dict.fromkeys(k for t in _TABLES for k in t)
}
URGENT_RULES["self_harm"] += SELF_HARM_RULES + IDEATION_RULES + SUICIDE_RULES
URGENT_RULES["overdose"] += OVERDOSE_RULES

OFF_TOPIC = re.compile(
    r"\b(weather|football|soccer|basketball|recipe|poem|joke|stock market|bitcoin|"
    r"capital of|movie|python (code|error)|javascript)\b"
)
# Attempts to change the assistant's instructions: declined unless it carries a genuine question,
# triaged on its own (the instructions are ignored either way).
INJECTION = re.compile(
    r"\bignore (all |any |your |the |my |these )?(previous |prior |earlier |above |safety )?"
    r"(instructions|rules|guidelines|prompts?)\b|\bfrom now on,? (you|your|answer|reply|respond|"
    r"act|always|never|only|ignore|talk|speak|write)\b|\byou are now\b|"
    r"\bpretend (you are|you're|to be)\b|\bsystem prompt\b|\bjailbreak|\bno restrictions\b|"
    r"\bdeveloper mode\b|^\W*system:|<script"
)

# A plain denial of self-harm thoughts ("I'm not suicidal or anything", "he hasn't said anything
# about hurting himself"): the self-harm rules do not read inside it.
SELF_HARM_DENIAL = re.compile(
    r"\b(i'm|i am|he's|she's|he is|she is|they're)( really| definitely)? not (suicidal|thinking (of|about) "
    r"(suicide|ending it|hurting (my|him|her)self))\b|\b(hasn't|has not|haven't|didn't|never) (said|"
    r"mentioned|"
    r"talked about|spoken about) anything about (hurting|harming|killing|ending) (him|her|my|them)sel(f|"
    r"ves)\b|\b(no|not any|not had any|haven't had any|never had any|without any) (thoughts?|ideas?|plans?) "
    r"(of|about) (harming|hurting|killing|ending) (my|him|her|them)sel(f|ves)\b"
)
# Someone specific is involved: the writer, or a person they name ("my dad", "she").
SPECIFIC_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|our|us|he|she|he's|she's|his|her|him|hers)\b"
)
# "how do I use an EpiPen?" asks a skill and names nobody by it.
HOW_DO_I = re.compile(r"\bhow (do|would|should|can) (i|we) (use|give|inject|carry|store)\b")
# A dose question that names nobody but is put as an instruction to oneself ("take one folic acid
# or two on the day after mtx?"): the writer is the person.
SELF_INSTRUCTION = re.compile(
    r"^\W*(take|give|skip|miss|double|halve|stop|restart|start|taking|skipping|missing|doubling|halving|"
    r"stopping|restarting|starting) |^\W*(been on|been taking|been given) |\b\d+(\.\d+)? ?(mg|mcg|milligrams|"
    r"units)\b[^.?!]{0,30}\b(ok|okay|alright|"
    r"fine|safe) to\b"
)
# A question about a topic: it starts like a question, or asks about signs/causes/treatment.
QUESTION_START = re.compile(
    r"^\W*(what|what's|why|how|when|which|who|where|is|are|can|could|does|do|should|will|would|"
    r"tell me|explain|define|describe|list|give me)(?![\w'])"
    r"(?! (barely|hardly|only just|no longer|just about)\b)"
)
# The writer says they feel well ("I feel fine in myself"): only a rule, not the classifier, makes it urgent.
FEELS_WELL = re.compile(
    r"\b(i|he|she|they|we) (feel|feels|felt|am feeling|is feeling|are feeling|'m feeling|'s feeling) "
    r"(fine|well|ok|okay|alright|good|normal|great)\b(?! (until|till|then|but|before|and then))|"
    r"\botherwise (fine|well|ok|okay|healthy|alright)\b"
)
# The writer asks what something is or whether it is expected ("is that normal?", "is it the
# steroids?", "could my myositis explain ...", "is that a known side effect?").
ASKS_WHY = re.compile(
    r"\b(is|are|was|could|can|would|might) (that|this|it|these|those|they)( all| just)? (be )?(normal|"
    r"common|usual|expected|typical|a (known|normal|common|usual) (thing|side effect|part)|from|due to|"
    r"caused by|because of|related|linked|part of|the (myositis|steroids?|meds|medicines?|pred|"
    r"prednisone|disease|condition|dm|ibm|jdm))\b|\bis (that|this|it) what (it|\w+) looks like\b|"
    r"\b(could|can|would|might) (my|his|her|the) [\w']+( \w+)? (explain|cause|be causing|be behind)\b|"
    r"\bwhat (is|are) (this|these|that|those)\b|\bis (that|this|it) typical\b|\bdid (my|the) \w+ cause\b"
    r"|\ball normal\b|(^|[.!?,;] ?)(is (this|that|it) )?normal\?"
)
TOPIC_FRAMING = re.compile(
    r"\b(signs?|symptoms?|causes?|risks?|treatment|treated|definition|meaning|information|"
    r"in (people|patients|children|adults|someone))\b"
)
# The writer asks how to adapt home or daily life around a lasting problem ("what can we change
# round the house?", "any gadgets for the bathroom?"): framed like "is that normal?".
ADAPTING = re.compile(
    r"\bwhat (can|could|should|do) (we|i|you) (change|adapt|put in|fit|get|buy|move)\b[^.?!]{0,30}\b(house|"
    r"home|flat|bathroom|kitchen|stairs|bedroom)\b|\b(make|making) (the |her |his |my |our )?(house|home|"
    r"flat|bathroom|stairs) (safer|easier)\b|\b(gadgets|adaptations|grab rails|handrails|walking aids)\b"
)
# The event is over: "last year", "years ago", "in 2019" ...
PAST = re.compile(
    r"\b(last (year|month|week|weekend|summer|winter|spring|fall|autumn|time|christmas|easter)|"
    r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|few|"
    r"a few|many|some|couple of|a couple of) (years?|months?|weeks?) (ago|back|earlier)|over a year ago|"
    r"a (long )?(time|while) ago|(years|ages|decades|long) ago|in the past|"
    r"(?<!never )(?<!didn't )(?<!not )used to|as a (child|kid|teenager|teen|baby|toddler)|"
    r"when i was (younger|little|a (child|"
    r"kid|teenager))|"
    r"in (19|20)\d\d|history of|previously|once had|\w{3,}ed once(?! (more|again|a|an|every|or|in a while))|"
    r"back in (january|february|march|april|may|june|july|"
    r"august|september|october|november|december|the (spring|summer|autumn|fall|winter))|when (i|he|she|"
    r"they) "
    r"(was|were) (\d+|a (baby|toddler|child|kid|teenager)|little|small|younger))\b"
)
# ... unless something is happening now.
RECENT = re.compile(
    # "now and then" is how often; "I keep the bleach up high now" is a precaution taken since.
    r"\b((?<!high )(?<!away )(?<!reach )(?<!safe )now(?! and (then|again))|right now|currently|at the moment|"
    r"today|tonight|this (morning|afternoon|evening)|"
    r"(\d+|a few|few|several|couple of|ten|fifteen|twenty|thirty) (minutes?|mins?|hours?|hrs?) ago|"
    r"an hour ago|just (now|started|happened|took|taken|had|swallowed|fell|collapsed|passed out|fainted|"
    r"been|gone|went|got)|still|(?<!happen )(?<!happening )(?<!come back )(?<!get it )(?<!have it )again|"
    r"keeps|ongoing|"
    r"won't (stop|go away)|"
    r"getting worse|worse and worse|since (this morning|last night|yesterday|lunch|lunchtime|breakfast|"
    r"dinner|"
    r"teatime|this afternoon|earlier)|"
    r"(since|for)( the (last|past))?( about| around| nearly| over)? (\d+|ten|twenty|thirty|forty|a few|"
    r"several|couple of|a couple of) (minutes?|mins?|hours?|hrs?))\b"
)
# When a medicine was started or last given ("had rituximab 2 weeks ago", "started a statin 3 weeks
# ago"): background, not a sign that the event the message tells of is over.
MEDICINE_TIMING = re.compile(
    r"\b(had|started|began|got|took|taken|been on|switched to|given|received|last)\b[^.?!]{0,30}?\b("
    + DRUGS
    + r"|infusions?|injections?|doses?|treatment|shots?|jabs?|vaccines?|chemo\w*|tablets?|pills?)\b"
    r"[^.?!]{0,25}?(\b(\d+|a|one|two|three|four|five|six|a few|few|several|couple of|a couple of) "
    r"(days?|weeks?|months?) ago\b|\blast (week|month)\b|\byesterday\b)"
)
# How long a medicine has been taken ("on pred for years", "been taking methotrexate for months"):
# background too, not a sign that what the message tells of is long-standing.
MEDICINE_DURATION = re.compile(
    r"\b(on|taking|been on|been taking|take|takes|had)\b[^.?!,]{0,25}?\b("
    + DRUGS
    + r"|tablets?|pills?|meds|medicines?|medication|treatment|infusions?|injections?)\b[^.?!,]{0,20}?"
    r"\bfor (months|years|ages|decades|a (long )?(while|time)|(\d+|a few|several|many) (months|years))\b"
)
# Categories whose rules a reassurance does not lower: "feeding ok though" does not make a fever in
# a baby under three months, a floppy child or chest indrawing safe, nor "only a small lump, I feel
# ok" a knock to the head on a blood thinner, nor "feel fine" a double dose, nor "says he feels
# fine" vomiting on long-term steroids with a reading of 76/44 (past, topic and hypothetical
# framing still do).
NOT_LOWERED_BY_REASSURANCE = frozenset({"child", "head_injury", "overdose", "adrenal_crisis"})


# How an event began, which a past marker in the same sentence outweighs ("two years ago I suddenly").
SUDDEN = re.compile(r"\b(suddenly|all of a sudden|out of nowhere)\b")
# Recent and acute: outweighs a unit's reassurance ("she was fine but suddenly ..."), where a plain
# "now" ("I'm fine now") does not.
ACUTE = re.compile(
    r"\b(right now|just now|suddenly|all of a sudden|out of nowhere|getting worse|worse and worse|"
    r"won't stop|since (this morning|last night|yesterday)|tonight|this (morning|afternoon|evening)|"
    r"(\d+|a few|few|several|couple of|ten|fifteen|twenty|thirty) (minutes?|mins?|hours?|hrs?) ago|"
    r"an hour ago)\b"
)
# Long-standing, not new ("it's been like that for months", "always has", "same as always"): a
# clause inside a sentence that says so is framed with it.
_CHRONIC = (
    r"\bfor (months|years|ages|a (long )?while|a year|over a year|the (last|past) (few )?(months|years))\b|"
    r"\balways (been|had|has|have|seems?|gets?|is|was)\b|\b(has|have|it's) been like (that|this)\b"
    r"(?! (for|since) (the (last|past) )?(\d+|a few|few|ten|twenty|thirty|an?|half an|couple of|a couple of) "
    r"(mins?|minutes?|hours?|hrs?|hour)\b)(?! since (this|last|lunch|breakfast))|"
    r"\bsame as (always|usual|ever)\b|\b(has|have) done for (years|months|ages)\b|"
    r"\b(it's|it has|it is|has|have|they've|these have) been (going on )?(for )?(\d+|two|three|four|five|six|"
    r"a few|several|a couple of) (weeks|months|years)\b"
)
CHRONIC = re.compile(_CHRONIC)
# A unit that says things are fine, settled, long-standing or only planned for ("my breathing is
# stable now", "feeding well and not struggling", "it's been like that for a year", "she's
# perfectly well, I'm just making a plan", "nothing has happened") is framed like a past event:
# only a very sure classifier makes it urgent. Other units of the message are judged on their own.
SETTLED = re.compile(
    _CHRONIC + r"|"
    r"\b(is|are|was|has been|have been|seems?|feels?|looks?) (stable|fine|normal|okay|ok|better|settled|"
    r"well controlled|under control|back to normal)\b(?! (last|yesterday|until|till|before|earlier|this "
    r"morning|on \w+day|a (few|couple of) (days|hours) ago)\b)|"
    r"\b(feeding|eating|drinking|sleeping) (well|fine|normally)|\bnot struggling\b|\bno other symptoms\b|"
    r"\b(i'm|i am|he's|she's|he is|she is|they're|"
    r"we're) (perfectly |completely |totally )?(fine|well|ok|okay)\b|\bfully recovered\b|"
    r"\bnormal colou?r\b|\bmoving normally\b|(?<!not like )(?<!unlike )(?<!worse than )"
    r"(?<!different from )\b(her|his|my) usual\b|"
    r"\bgone by (the )?(morning|next day|evening)\b|\b(easing|wearing|settling) (off|down)\b|"
    r"\b(breathing|eating|drinking|sleeping|feeding|peeing|weeing|going to the toilet|playing|walking) "
    r"(fine|normally|as normal|ok|okay)\b|\bnothing new\b|"
    r"\b(occasionally|sometimes|on and off|now and then|from time to time|every so often)\b|"
    r"\b(settles|settled|goes away|went away|cleared|clears|passed|"
    r"went|goes|stopped|stops) (on its own|by itself|that day|quickly|with rest|up|down)\b(?! (in)?to\b)"
    # ... but pain that "went down his arm" spreads.
    r"(?! ((his|her|my|their|the|both|one) )?(left |right )?(arms?|jaw|neck|legs?|back|shoulders?|side)\b)"
    # ... and someone who "went down in the kitchen" collapsed.
    r"(?!(?<=down) (in|on|onto|at) the (?!(night|morning|evening|afternoon|day|end|next)\b))|"
    r"\b(making|writing|putting together|drawing up) (a|an|our) (\w+ )?plan\b|\bnothing (has )?happened\b|"
    r"\bstill (has|have|had|gets?|got)\b[^.?!]{0,40}\bfrom (it|that|the stroke|(his|her|my|their) stroke)\b|"
    r"\basking (so i know|in advance|just in case|for (the )?future|ahead|for reference)\b|"
    r"\b(i|we) (read|heard|saw) (about|that|online|a|an|in)\b|\bjust (asking|curious|wondering)\b|"
    r"^\W*(no|not any|never|nothing)\b(?! (poo|poos|poop|stools?|bowel|wind|gas|farts?|wee|pee|urine)\b)"
)
# Things are over and well now ("she's fine now", "back to normal", "all fine since", "never had
# another"): with nothing acute, every event the message tells of is over, as with PAST.
RESOLVED = re.compile(
    # "now" just before the words, which would otherwise read as something happening now
    r"(\b(and )?now,? ((she|he|it|they|i)('s|'re|'m| is| are| am) )?)?(?:"
    r"\b(fine|well|normal|ok|okay|better|recovered|herself|himself|myself) (now|since|again|ever since)\b|"
    r"\b(gone|went away|cleared( up)?|settled( down)?|passed) (now|since|ever since)\b|\bnever since\b|"
    r"\b(and|then) (it|that|the \w+) (settled|passed|went away|stopped|calmed down)(?! (a bit|slightly|"
    r"for a (bit|while|minute|second)|briefly|but)\b)|"
    r"\bback to (normal|(her|his|my) (usual|normal|old) self)( now| again)?\b|"
    r"\b(no (other |more |further )?(problems|issues|symptoms)|nothing( else)?|not happened|never happened) "
    r"since\b|\bnever (had|happened) (another|again|"
    r"one since)\b|\b(today|now) (it's|she's|he's|i'm|they're|her temp's|his temp's) (\w+ )?(normal|fine|"
    r"better)\b|\b(happily|back) (playing|chatting|running about|bouncing about)\b|\bbouncing (about|"
    r"around)\b|"
    r"\bit was (just|only) (a|an)\b|\b(scan|tests?|x-ray|bloods) (was|were|came back) (clear|normal|fine)\b|"
    r"\b(gp|doctors?|hospital|a&e|they|tests?|checks?) found nothing\b|\ball clear\b|"
    r"\bclears (up )?(once|when|after) (i|he|she|we)('ve| have| has)? (had|drink|drank|drunk|drinks)\b|"
    r"\b(myocarditis|heart attack|a clot|dvt|stroke|infection|sepsis|it|that) (was )?ruled out\b"
    r")"
)
# Preparing or learning, with nobody unwell now ("I want to be ready", "trying to childproof the
# house", "how would I spot a stroke in my mum?"): framed like a question about a topic.
PREPARE = re.compile(
    r"\b(want|wanted|like|need) to be (ready|prepared)\b|\btrying to (understand|childproof|learn|prepare|"
    r"plan|get ready)\b|\bfor (the )?future\b|"
    r"\bhow (would|could|will) (i|we|you) (spot|recognise|recognize|notice) (a|an|the|signs)\b|"
    r"\b(lock|locking|put|keep|keeping|store|storing) (\w+ )?(away|up|safe)\b[^.?!]{0,40}\b(tablets|pills|"
    r"meds|medicines?)\b|"
    r"\b(lock|locking|put|keep|store) (my |the |our )?(tablets|pills|meds|medicines?) (away|up|safe)\b|"
    # Told what to watch for: "said to watch for choking signs, what should we look out for?"
    r"\bjust so (i|we) (know|are ready|am ready|'re ready|understand)\b|"
    r"\b(told|said|asked|advised) (us |me |him |her |them )?to (watch( out)?|look out|keep an eye out|be "
    r"alert) for\b|\bwhat (exactly )?(should|do|would) (i|we|you) (look out|watch out|watch) for\b|"
    r"\b(what|which) (warning )?signs (should|do|would|to) (i|we|you )?(look|watch)"
)
# It has come back now: a finding told in the past ("I had chest pain last year") is current again.
RECURRENCE = re.compile(
    r"\b(it's|it is|its|they're|it has|it's come|it came) back\b(?! to (normal|pale|clear|usual|light|"
    r"(my|his|her|its|their) (usual|normal)|how it was|(a )?(pale|light|normal) (colou?r|yellow)))|"
    r"\bhappening again\b"
)
# A unit told in the present ("he's talking nonsense", "she keeps", "can't"): not over just because
# another part of the message mentions something last week.
PRESENT = re.compile(
    r"\b(i'm|he's|she's|they're|is|are|am|keeps?|can't|won't|isn't|aren't|hasn't|haven't|doesn't|hurts?|"
    r"aches?)\b"
)
# A question about the outlook ("am I going to die from myositis?") or a slow change ("getting a bit
# harder this month"): the classifier does not judge such a unit at all (it over-reads "die" and
# symptom words there); the rules still do.
OUTLOOK = re.compile(
    # a question about the outlook, not a wish: "am I going to die from myositis?"
    r"\b(going to|gonna|will|could|can) (i|you|he|she|we|people|someone) die (from|of|with)\b|"
    r"\b(die|dying) (from|of) (myositis|it|this|the disease|my condition|dermatomyositis|polymyositis|ibm)\b|"
    r"\blife expectancy\b|"
    # how long a treatment lasts: "am I gonna be on these tablets for the rest of my life?"
    r"\b(be|stay|staying|being|keep taking|need) (on )?(it|them|(this|these|that|those|the|my|his|her) "
    r"(\w+ )?(tablets?|pills?|meds|medicines?|medications?|drugs?|steroids?|pred|treatment|injections?|"
    r"infusions?|drips?)) (for (the rest of (my|his|her|their|your) li(fe|ves)|life|good|ever)|forever|"
    r"long[- ]term)\b|"
    # a slow change, not a sudden one: "getting a bit harder this month"
    r"\b(a bit|a little|slightly|gradually|slowly|bit by bit) (harder|worse|weaker|more|stiffer|slower)\b"
)
# Negations that cancel the match that follows them within a few words ("I don't have chest pain").
NEGATIONS = frozenset(
    (
        "no",
        "not",
        "never",
        "without",
        "don't",
        "doesn't",
        "didn't",
        "haven't",
        "hasn't",
        "isn't",
        "aren't",
        "wasn't",
        "nor",
        "nearly",
        "almost",
    )
)


def _phrases(words: list[str], inflect: bool = False) -> re.Pattern[str]:
    """One pattern matching any of the phrases, as whole words, lowercased; `inflect`: the last
    word also with -s, -es, -ed or -ing ("choke": "chokes", "choked", "choking")."""
    alternatives = [_inflected(w.lower()) if inflect else re.escape(w.lower()) for w in words]
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b")


def _inflected(phrase: str) -> str:
    """The phrase as a pattern whose last word may take -s, -es, -ed or -ing (a final -e drops)."""
    stem = phrase[:-1] if phrase.endswith("e") else phrase
    return re.escape(stem) + ("(?:e|es|ed|ing)" if stem != phrase else "(?:s|es|ed|ing)?")


def net_cue(text: str) -> str | None:
    """The category of a warning sign named in words the safety-net line reads beyond the
    taxonomy's cues (SAFETY_NET_CUES), or None."""
    cues = NOT_WARNING_SIGNS.sub(" ", text)
    return next((category for category, p in SAFETY_NET_CUES.items() if p.search(cues)), None)


_TAXONOMY = yaml.safe_load(
    resources.files("prompts").joinpath("triage_taxonomy.yaml").read_text(encoding="utf-8")
)
# The taxonomy's warning-sign cues, one pattern a category (prompts/triage_taxonomy.yaml).
WARNING_SIGNS: dict[str, re.Pattern[str]] = {
    category: _phrases(cues) for category, cues in _TAXONOMY["warning_signs"].items()
}
# More names of the same warning signs, for the safety-net line only (with word endings).
SAFETY_NET_CUES: dict[str, re.Pattern[str]] = {
    category: _phrases(cues, inflect=True) for category, cues in _TAXONOMY["safety_net_cues"].items()
}
# Phrases that contain a warning-sign cue but name no warning sign ("yellow fever jab", "breathing
# test"): removed from a message before its cues are read.
NOT_WARNING_SIGNS = _phrases(_TAXONOMY["not_warning_signs"])


def compile_rules() -> dict[str, list[list[re.Pattern[str]]]]:
    """URGENT_RULES compiled: per category, its rules, each a list of patterns."""
    return {
        category: [[re.compile(p) for p in rule] for rule in rules]
        for category, rules in URGENT_RULES.items()
    }


def negated(text: str, start: int, negations: frozenset[str] = NEGATIONS) -> bool:
    """A negation among the three words before `start`, in the same clause."""
    clause = re.split(r"[.,;:!?]|\bbut\b|\boh no\b", text[:start])[-1]  # "oh no, I gave him mine"
    words = clause.split()
    if words and words[-1] in ("or", "nor") and not UNSURE.intersection(words):
        # The last of a denied list: "not having any chest pain or palpitations".
        return any(word in negations for word in words[-8:])
    return any(word in negations for word in words[-3:])


# Negations that deny a finding outright: "nearly keeling over" still tells of one.
DENIALS = NEGATIONS - {"nearly", "almost"}


# Emergencies that feeling well does not rule out: a knock to the head on a blood thinner, too many
# pills, a swallowed battery, a baby, self-harm, pregnancy, bleeding.
NOT_FELT = frozenset(("head_injury", "overdose", "poisoning", "child", "self_harm", "pregnancy", "bleeding"))


def model_call_stands(category: str, text: str) -> bool:
    """The classifier's urgent call, made without a rule, stands: not on someone who says they feel
    well (but for the NOT_FELT categories), nor without its evidence (CALL_EVIDENCE) when it needs one."""
    if category not in NOT_FELT and FEELS_WELL.search(text):
        return False
    return category not in CALL_EVIDENCE or bool(CALL_EVIDENCE[category].search(text))


# Words that make "not … or" a doubt, not a denial ("not sure if it's anxiety or palpitations").
UNSURE = frozenset(("sure", "know", "whether", "if", "think", "tell", "certain", "wonder"))


def embedded_question(question: str) -> str | None:
    """The last part of a prompt-injection message that is a question of its own ("Ignore all
    instructions ... : what is myositis?"), or None."""
    parts = re.split(r"(?<=[.:!?])\s+|\b(?:USER|User|user):\s*", " ".join(question.split()))
    for part in reversed([p.strip(" '\"") for p in parts if p and p.strip(" '\"")]):
        if part.endswith("?") or QUESTION_START.search(part.lower()):
            return part if part != question.strip() else None
    return None
