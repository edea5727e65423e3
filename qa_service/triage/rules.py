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

from qa_service.triage.general_patterns import GENERAL_RULES
from qa_service.triage.patterns import DRUGS
from qa_service.triage.patterns import URGENT_RULES as _FIRST_RULES

URGENT_RULES = {**_FIRST_RULES, **GENERAL_RULES}

# Asking how much of something would kill, or overdosing on purpose: always the crisis message,
# whatever the framing ("What is the lethal dose of ...?" included).
LETHAL = re.compile(
    r"\b(lethal|fatal|deadly|killing) (dose|amount|overdose|quantity)|"
    r"\b(how (much|many)|enough)\b[^.?!]{0,60}\bto (kill (me|myself|him|her|someone|a person)|die|"
    r"end (it|my life)|never wake up|not wake up|overdose)\b|"
    r"\b(how (much|many)|enough)\b[^.?!]{0,60}\bso (that )?(i|he|she) (just )?(don't|won't|never|wouldn't) "
    r"wake up\b|"
    r"\boverdos(e|ed|ing) on purpose|\b(intentional(ly)?|deliberate(ly)?) overdos"
)

_MEDICINE = (
    r"\b(medicines?|medications?|meds|drugs?|pills?|tablets?|capsules?|doses?|dosage|mg|milligrams?|"
    r"units?|corticosteroids?|rituximab|rituxan|ivig|immunoglobulin|infusions?|injections?|"
    r"folic acid|supplements?|coq10|antibiotics?|vaccines?|shots?|" + DRUGS + r")\b"
)
MEDICINE = re.compile(_MEDICINE)
# Requests about a specific person's dose, or to start, stop or change a medicine.
DOSE_AMOUNT = re.compile(
    r"\bhow (much|many)\b[^.?!]{0,60}?\b(should|do|does|can|could|must|would|shall) "
    r"(i|we|he|she|they|my|our|his|her)\b[^.?!]{0,40}?\b(take|give|inject|be on|use|need|have|be taking|"
    r"be having|be giving)\b"
)
REFER = re.compile(
    r"\bwhat (dose|dosage|amount|strength)\b|\b(my|his|her|our) (dose|dosage)\b|\bhow many (mg|milligrams)\b|"
    r"\b(\d+ ?(mg|milligrams)|dose|amount)\b[^.?!]{0,30}\b(too (much|high|low)|enough|safe) for "
    r"(me|him|her|my)\b"
)
# Starting, stopping or changing something is about a medicine only when one is named ("Can I
# stop physical therapy?" is not a dosing question).
REFER_WITH_MEDICINE = re.compile(
    r"\b(should|can|could|may|must|shall) (i|we|he|she|they|my \w+|my \w+ \w+) "
    r"(just |simply |now |safely |then |also )?(stop|start|quit|"
    r"skip|double|increase|decrease|lower|raise|reduce|change|switch|come off|go off|get off|"
    r"go back on|taper|keep taking|stop taking|take|try|give|use|cut|halve|split|pause|hold off|drop|"
    r"miss|delay|move|have a double|open|crush|chew|dissolve|sprinkle|break|swap|replace|cancel|postpone|"
    r"leave out|leave off|hold|withhold|omit)\b|\b(take|skip|have|miss) (it|them|the dose) or (skip|take|"
    r"miss|leave|"
    r"wait|not)\b|"
    r"\b(is it|it is|it's|is that|would it be|will it be|would that be) (ok|okay|safe|fine|alright)( for (me|"
    r"him|"
    r"her|my \w+))? to (stop|skip|"
    r"double|quit|take|start|change|lower|increase|mix|combine|miss|give|move|delay|restart|"
    r"come off|pause|split|halve)\b|"
    # Choosing between amounts: "one tablet or two", "1 or 2 alendronic acid", "200 or 400 a day".
    r"\b(ok|okay|alright) to (split|halve|skip|stop|double|miss|pause|move|delay|cut|drop|come off|lower|"
    r"increase|take (it|them|both))\b|"
    r"\b(one|1|two|2|half( a)?) (tablets?|pills?|capsules?|doses?|sachets?) or (two|2|one|1|three|3|"
    r"a whole( one)?|whole)\b|\b(one|1|two|2) or (two|2|three|3)( (tablets?|pills?|capsules?|doses?)\b|"
    r" ?([?.!,]|$))|"
    r"\b(one|1|two|2|half( a)?) (\w+ ){0,2}(tablets?|pills?|capsules?|doses?|" + DRUGS + r") or (two|2|one|1|"
    r"a whole|whole)\b|"
    r"(?<!around )(?<!about )(?<!between )\b\d+ ?(mg|g|mcg|units)? or \d+ ?(mg|g|mcg|units)?\b(?! ?(years?|"
    r"months?|weeks?|days?|times?|hours?|"
    r"minutes?|mins?|kg|lbs?|percent|%)\b)|"
    # Moving a dose: "take it late", "give it on Sunday instead of Saturday", "delay my rituximab".
    r"\b(should|can|could|do|does|shall|may|must|to|or) ((i|we|he|she|they) )?(take|give|have) "
    r"(it|them|the dose|my \w+|his \w+|her \w+)( \w+)? (late|later|early|earlier|"
    r"in the (morning|evening)|at night|before bed|on \w+day)\b|"
    r"\b(on|to) \w+day instead of( on)? \w+day\b|\b(delay|postpone|push back|bring forward|put off|"
    r"move|reschedule) (my|his|her|the|this|next|our)( next)? (\w+ )?(dose|infusion|injection|drip|"
    r"course|tablets?|" + DRUGS + r")\b|"
    r"\b(stop|quit|skip) (taking )?my\b|\b(increase|decrease|lower|raise|double|halve|change|adjust) my\b|"
    # "is it fine if I take it every other day", "can my next pulse be halved", "skip this week?",
    # "postpone?", "stop it while I'm away?", "swap it for…", "take another one?"
    r"\b(is it|would it be|will it be|is that) (ok|okay|fine|safe|alright|bad) if (i|we|he|she|they) (take|"
    r"skip|"
    r"stop|miss|double|halve|give|have|leave|cut|drop|move|delay|don't take)\b|"
    r"\b(any|what's the|is there (any|a)) (harm|risk|problem) (in|with|if) (me |him |her |us )?(just )?"
    r"(stop|skip|stretch|spac|delay|halv|doubl|miss|cutt?|drop|mov|chang|tak)\w*\b|"
    r"\b(can|could|should|may) (it|they|my|his|her|the|this|that|next)\b[^.?!]{0,30}\b(be|get) (halved|"
    r"skipped|delayed|stopped|reduced|lowered|cut|doubled|postponed|moved|increased|dropped|tapered|"
    r"cancelled|canceled|split)\b|"
    r"\b(skip|miss|stop|pause|double|halve|drop|postpone|delay|cancel) (this|next|that|tomorrow's|today's|"
    r"tonight's|the next) (week|one|dose|day|time|month|infusion|injection|shot|jab)\b|"
    r"\b(postpone|delay|cancel|put off|push back|skip|hold off|reschedule|halve|double|stop)( it|"
    r" them)?\W*\?|"
    r"\b(stop|skip|halve|double|pause|drop|cut) (it|them)\b[^.?!]{0,40}\?|"
    r"\b(swap|switch|replace|trade) (it|them|my|his|her|the)\b[^.?!]{0,40}\b(for|with|to)\b|"
    r"\b(take|have|give) (another|an extra|a second|one more|half)( one| dose| tablet| pill| doses)?\b|"
    r"\b(take|have|give|double)\b[^.?!]{0,30}\b(to )?(catch up|make up for it|make up)\b|"
    r"\b(do|should|must) (i|we|he|she|they) still (take|give|have|use|inject)\b|"
    r"\b(take|do|give|have|inject) (it|them|the dose|the shot|the injection) (today|now|tonight|tomorrow|"
    r"late|"
    r"anyway)\b[^.?!]{0,20}\bor\b|"
    r"\b(take|have|give|get)\b[^.?!]{0,40}\bbefore or after\b"
)
# A personal change to a dose or its timing, stated with numbers or not ("drop my prednisone from
# 20 to 10 mg myself", "take 500 mg instead", "cut it to 30 or move it to the morning", "an extra
# 10 mg before my flight", "double up after a missed dose"). Read only when someone is named.
DOSE_CHANGE = re.compile(
    r"\bfrom \d+(\.\d+)? ?(mg|milligrams|mcg|units|g)? to \d+|"
    # A dose written as old → new: "pred 10 -> 7.5", "aza 100 → 50mg".
    r"\b\d+(\.\d+)? ?(mg|milligrams|mcg|units|g)? ?(-+>|→|=>|>) ?\d|"
    r"\b\d+(\.\d+)? ?(mg|milligrams|mcg|units|g|tablets?|pills?)? instead\b|"
    r"\b(from|on) (mon|tues|wednes|thurs|fri|satur|sun)days? to (mon|tues|wednes|thurs|fri|satur|sun)days?\b|"
    r"\b(don't|do not|doesn't|does not) want (any more|anymore|more|to (take|have|be on|keep taking)) (of )?"
    r"((my|the|this|these|that|his|her) )?(\w+ )?(" + DRUGS + r"|infusions?|injections?|shots?|jabs?)\b|"
    r"\b(i'll|i will|i'm|i am|gonna|going to) (just )?(not|stop|quit|skip) (book|take|have|go to|turn up|"
    r"bother|taking|having|booking)\b|"
    r"\b(stretch\w*|spac\w* out|spread\w* out|extend\w*|push\w* back) (it|them|my \w+|the \w+|(his|her) \w+)?"
    r" ?(out )?to every\b|\b(thinking|thought) (of|about) (moving|shifting|changing|switching|swapping)\b|"
    r"\b(want|wants|wanting|going|gonna|plan|plans|planning|thinking of|thinking about|like|tempted|decided) "
    r"(to )?(just |simply |completely |slowly |quickly |probably )?"
    r"(come off|stop|quit|cancel|postpone|leave out|"
    r"go off|get off|"
    r"drop|skip|cut|halve|reduce|lower|double|increase|pause|split)\b|"
    r"\b(cut|drop|reduce|lower|bring|take|put|up|increase|raise|bump|go|come) (it|them|that|this|my \w+|"
    r"(his|her|the) (dose|dosage|\w+)) (down |up )?(to|by) \d+|"
    r"\b(an |one )?extra (\d+ ?(mg|milligrams|tablets?|pills?)|dose|tablet|pill)\b|"
    r"\b(thinking|thought|think) (of|about) (skipping|missing|stopping|coming off|dropping|halving|"
    r"doubling|pausing|cutting|reducing|lowering|increasing|splitting|delaying|cancelling|postponing)\b|"
    # "thinking of taking it every other day", "taking 3 at bedtime", "going to 22.5 over Christmas".
    r"\b(thinking|thought|think|want|wants|going|plan\w*|decided|tempted|maybe) (of|about|to)? ?(tak\w+|"
    r"hav\w+|"
    r"us\w+|inject\w+|giv\w+) (it|them|my \w+|(his|her|the) \w+|\d+|two|three|four|half|an extra|another|"
    r"more|less|only)\b[^.?!]{0,40}\b(every|instead|rather than|less|more|only|twice|once|at (night|"
    r"bedtime)|in the "
    r"(morning|evening)|later|earlier|a day|a week|weekly|daily)\b|"
    r"\b(going|go|drop\w*|cut\w*|reduc\w*|lower\w*|increas\w*|bump\w*) (down |up )?to \d+(\.\d+)?\b"
    r"(?! ?(years?|months?|weeks?|days?|hours?|minutes?|kg|lbs?|percent|%))|"
    r"\b(i'm|i am|we're|he's|she's|i've|i have|she has|he has) (decided to |now )?(stopping|quitting|"
    r"skipping|halving|doubling|cutting|dropping|pausing|cancelling|canceling|coming off|going off|"
    r"stop|quit|skip) (it|them|my|his|her|the|taking)\b|"
    r"\b(stopping|skipping|halving|pausing|dropping) (it|them)\b(?! (was|is|will|would|has|had|should|"
    r"makes|made|did|can|could|might)\b)|"
    r"\b(\d+ ?(mg|mcg|units|ml|g|tablets?|pills?)|doses?|tablets?|pills?|weekly|daily|mornings?|nights?|"
    r"evenings?)\b[^.?!]{0,40}\b(instead of|rather than)\b|\b(instead of|"
    r"rather than)\b[^.?!]{0,30}\b(\d+ ?(mg|mcg|"
    r"units|ml|g|am|pm)|doses?|weekly|daily|before|after|morning|night|evening)\b|"
    r"\b(move|switch|change|shift|take) (it|them|my \w+|(his|her) \w+|the dose)\b[^.?!]{0,20}\b(to|in) the "
    r"(morning|evening|night|afternoon)|\b(double|doubling) (up|the dose|my dose|it)\b|\ba double dose\b|"
    r"\btake (two|2|both|a double dose) (at once|together|tomorrow)|"
    r"\b(skip|skipping|miss|pause|stop|stopping|quit|come off|go off|restart|start) (my|his|her|"
    r"the|this week's|tonight's|today's) (\w+ )?(dose|injection|infusion|tablets?|pills?|meds?|"
    r"medicines?|" + DRUGS + r")\b"
)
# A dose already taken wrongly: what the classifier reads as an overdose is left to it.
DOSE_MISTAKE = re.compile(
    r"\b(accidentally|mistakenly|wrongly) (took|taken|gave|given|had|swallowed|double\w*|used|injected)\b|"
    r"\b(took|taken|gave|given|had|swallowed|doubled|used|injected)\b[^.?!]{0,40}\b(by mistake|by accident|"
    r"accidentally)\b|\b(just )?(realised|realized|noticed)\b"
    r"[^.?!]{0,60}\b(been taking|been giving|took|taken|instead of)\b|\b(been|was) (taking|giving|having) "
    r"[^.?!]{0,40}\b(every|each) (day|morning|night|evening)\b[^.?!]{0,20}\binstead of\b"
)
# Talk of a dose itself (an amount, or a change next to a medicine's name), as opposed to a question
# that merely names a medicine ("I'm on pred. Should I try cold water?").
_CHANGE = (
    r"stop|stopping|skip|skipping|double|doubling|halve|halving|cut|cutting|pause|pausing|split|"
    r"splitting|reduce|reducing|lower|lowering|increase|raise|miss|missed|missing|dropping|"
    r"forgot|"
    r"forgotten|delay|move|come off|go off|taper|restart|up|drop|switch|cancel|postpone|leave out|swap|"
    r"another|extra|instead|halved|skipped|stopped"
)
DOSE_TALK = re.compile(
    rf"\b({_CHANGE})\b[^.?!]{{0,40}}\b({DRUGS}|doses?|tablets?|pills?|injections?|infusions?)\b|"
    rf"\b({DRUGS}|doses?|tablets?|pills?|injections?|infusions?)\b[^.?!]{{0,40}}\b({_CHANGE})\b|"
    rf"\b({_CHANGE}|skip|stretch\w*|come off) (it|them|this|that|it off)\b|"
    r"\b\d+(\.\d+)? ?(mg|mcg|milligrams|units|g)\b|\bhow (much|many)\b|\bdouble dose\b|\btake (two|2|both)\b"
)
OFF_TOPIC = re.compile(
    r"\b(weather|football|soccer|basketball|recipe|poem|joke|stock market|bitcoin|"
    r"capital of|movie|python (code|error)|javascript)\b"
)
# Attempts to change the assistant's instructions. The message is declined unless it carries a
# genuine question, which is then triaged on its own (the instructions are ignored either way).
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
    r"ves)\b"
)
# Someone specific is involved: the writer, or a person they name ("my dad", "she").
SPECIFIC_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|our|us|he|she|he's|she's|his|her|him|hers)\b"
)
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
)
TOPIC_FRAMING = re.compile(
    r"\b(signs?|symptoms?|causes?|risks?|treatment|treated|definition|meaning|information|"
    r"in (people|patients|children|adults|someone))\b"
)
# The event is over: "last year", "years ago", "in 2019" ...
PAST = re.compile(
    r"\b(last (year|month|week|weekend|summer|winter|spring|fall|autumn|time|christmas|easter)|"
    r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|few|"
    r"a few|many|some|couple of|a couple of) (years?|months?|weeks?) (ago|back|earlier)|over a year ago|"
    r"a (long )?(time|while) ago|(years|ages|decades|long) ago|in the past|"
    r"used to|as a (child|kid|teenager)|when i was (younger|little|a (child|kid|teenager))|"
    r"in (19|20)\d\d|history of|previously|once had|back in (january|february|march|april|may|june|july|"
    r"august|september|october|november|december|the (spring|summer|autumn|fall|winter))|when (i|he|she|"
    r"they) "
    r"(was|were) (\d+|a (baby|toddler|child|kid|teenager)|little|small|younger))\b"
)
# When a medicine was started or last given ("had rituximab 2 weeks ago", "started a statin 3 weeks
# ago"): background, not a sign that the event the message tells of is over.
MEDICINE_TIMING = re.compile(
    r"\b(had|started|began|got|took|taken|been on|switched to|given|received|last)\b[^.?!]{0,30}?\b("
    + DRUGS
    + r"|infusions?|injections?|doses?|treatment|shots?|jabs?|vaccines?|chemo\w*|tablets?|pills?)\b"
    r"[^.?!]{0,25}?\b(\d+|a|one|two|three|four|five|six|a few|few|several|couple of|a couple of) "
    r"(days?|weeks?|months?) ago\b"
)
# ... unless something is happening now.
RECENT = re.compile(
    r"\b(now|right now|currently|at the moment|today|tonight|this (morning|afternoon|evening)|"
    r"(\d+|a few|few|several|couple of|ten|fifteen|twenty|thirty) (minutes?|mins?|hours?|hrs?) ago|"
    r"an hour ago|just (now|started|happened|took|taken|had|swallowed|fell|collapsed|passed out|fainted|"
    r"been|gone|went|got)|still|again|keeps|ongoing|won't (stop|go away)|"
    r"getting worse|worse and worse|since (this morning|last night|yesterday)|"
    r"(since|for)( the (last|past))?( about| around| nearly| over)? (\d+|ten|twenty|thirty|forty|a few|"
    r"several|couple of|a couple of) (minutes?|mins?|hours?|hrs?))\b"
)
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
# A hypothetical clause: "what should I do if ...", "If I get chest pain, ...". Events already
# happened ("if I took too many") are not hypothetical and keep their clause.
HYPOTHETICAL = re.compile(
    r"\b(what (should|do|would|can|could|must) (i|we|you|one|someone|a person|people|they|he|she|"
    r"(my|our) \w+( \w+)?) do|what (happens|would happen|to do|does it mean)|how (do|would|can|should|"
    r"could|will) (i|we|you|one|someone|(my|our) \w+)\b[^.?!]{0,60}?|is it (an emergency|serious|"
    r"dangerous)|should (i|we|you|someone) (call|go|worry))\s+(if|when|in case)\b[^.?!]*"
    r"|(^|[.?!]\s+)(if|in case|suppose|supposing)\b[^,.?!]*"
)
# A conditional about medicine already taken ("what should I do if I took too many") keeps its
# clause; "if my wife passed out" stays a hypothetical.
HAPPENED = re.compile(r"\b(took|taken|swallowed|drank|ate|overdosed)\b")
# ... unless the clause says it is imagined ("what would happen if my kid ever swallowed one").
IMAGINED = re.compile(r"\b(ever|would|were to|happened to|god forbid)\b")
# Long-standing, not new ("it's been like that for months", "always has", "same as always"): a
# clause inside a sentence that says so is framed with it.
_CHRONIC = (
    r"\bfor (months|years|ages|a (long )?while|a year|over a year|the (last|past) (few )?(months|years))\b|"
    r"\balways (been|had|has|have|seems?|gets?|is|was)\b|\b(has|have|it's) been like (that|this)\b|"
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
    r"well controlled|under control|back to normal)\b|\b(feeding|eating|drinking|sleeping) (well|fine|"
    r"normally)|\bnot struggling\b|\bno other symptoms\b|\b(i'm|i am|he's|she's|he is|she is|they're|"
    r"we're) (perfectly |completely |totally )?(fine|well|ok|okay)\b|\bfully recovered\b|"
    r"\bnormal colou?r\b|\bmoving normally\b|(?<!not like )(?<!unlike )(?<!worse than )"
    r"(?<!different from )\b(her|his|my) usual\b|"
    r"\bgone by (the )?(morning|next day|evening)\b|\b(easing|wearing|settling) (off|down)\b|"
    r"\b(breathing|eating|drinking|sleeping|feeding|peeing|weeing|going to the toilet|playing|walking) "
    r"(fine|normally|as normal|ok|okay)\b|\bnothing new\b|"
    r"\b(occasionally|sometimes|on and off|now and then|from time to time|every so often)\b|"
    r"\b(settles|settled|goes away|went away|cleared|clears|passed|"
    r"went|goes) (on its own|by itself|that day|quickly|with rest|up|down)\b|"
    r"\b(making|writing|putting together|drawing up) (a|an|our) (\w+ )?plan\b|\bnothing (has )?happened\b|"
    r"\bstill (has|have|had|gets?|got)\b[^.?!]{0,40}\bfrom (it|that|the stroke|(his|her|my|their) stroke)\b|"
    r"\basking (so i know|in advance|just in case|for (the )?future|ahead|for reference)\b|"
    r"\b(i|we) (read|heard|saw) (about|that|online|a|an|in)\b|\bjust (asking|curious|wondering)\b|"
    r"^\W*(no|not any|never|nothing)\b"
)
# Things are over and well now ("she's fine now", "back to normal", "all fine since", "never had
# another"): with nothing acute, every event the message tells of is over, as with PAST.
RESOLVED = re.compile(
    # "now" just before the words, which would otherwise read as something happening now
    r"(\b(and )?now,? ((she|he|it|they|i)('s|'re|'m| is| are| am) )?)?(?:"
    r"\b(fine|well|normal|ok|okay|better|recovered|herself|himself|myself) (now|since|again|ever since)\b|"
    r"\bback to (normal|(her|his|my) (usual|normal|old) self)( now| again)?\b|"
    r"\b(no problems|nothing|not happened|never happened) since\b|\bnever (had|happened) (another|again|"
    r"one since)\b|\b(today|now) (it's|she's|he's|i'm|they're|her temp's|his temp's) (\w+ )?(normal|fine|"
    r"better)\b|\b(happily|back) (playing|chatting|running about|bouncing about)\b|\bbouncing (about|"
    r"around)\b|"
    r"\bit was (just|only) (a|an)\b|\b(scan|tests?|x-ray|bloods) (was|were|came back) (clear|normal|fine)\b"
    r")"
)
# Preparing or learning, with nobody unwell now ("I want to be ready", "trying to childproof the
# house", "how would I spot a stroke in my mum?"): framed like a question about a topic.
PREPARE = re.compile(
    r"\b(want|wanted|like|need) to be (ready|prepared)\b|\btrying to (understand|childproof|learn|prepare|"
    r"plan|get ready)\b|\bfor (the )?future\b|"
    r"\bhow (would|could|will) (i|we|you) (spot|recognise|recognize|notice) (a|an|the|signs)\b"
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


def _warning_signs() -> dict[str, re.Pattern[str]]:
    """The taxonomy's warning-sign cues (prompts/triage_taxonomy.yaml), one pattern a category."""
    raw = resources.files("prompts").joinpath("triage_taxonomy.yaml").read_text(encoding="utf-8")
    cues: dict[str, list[str]] = yaml.safe_load(raw)["warning_signs"]
    return {
        category: re.compile(r"\b(" + "|".join(re.escape(c.lower()) for c in words) + r")\b")
        for category, words in cues.items()
    }


WARNING_SIGNS = _warning_signs()


def _not_warning_signs() -> re.Pattern[str]:
    """Phrases that contain a warning-sign cue but name no warning sign ("yellow fever jab",
    "breathing test"): prompts/triage_taxonomy.yaml, `not_warning_signs`."""
    raw = resources.files("prompts").joinpath("triage_taxonomy.yaml").read_text(encoding="utf-8")
    phrases: list[str] = yaml.safe_load(raw)["not_warning_signs"]
    return re.compile(r"\b(" + "|".join(re.escape(p.lower()) for p in phrases) + r")\b")


NOT_WARNING_SIGNS = _not_warning_signs()


def compile_rules() -> dict[str, list[list[re.Pattern[str]]]]:
    """URGENT_RULES compiled: per category, its rules, each a list of patterns."""
    return {
        category: [[re.compile(p) for p in rule] for rule in rules]
        for category, rules in URGENT_RULES.items()
    }
