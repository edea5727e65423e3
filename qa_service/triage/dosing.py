"""Personal medicine changes (issue #12's refer): the patterns that find a request to change a
dose, its timing, or to skip, stop, start or swap a medicine, over normalised text (text.normalise).
safety.py refers such a message ("please don't change it on your own, ask the prescriber") and then
answers with the library's general information; rules.py re-exports these names."""

from __future__ import annotations

import re

from qa_service.triage.medicines import DRUGS

_MEDICINE = (
    r"\b(medicines?|medications?|meds|drugs?|pills?|tablets?|capsules?|doses?|dosage|mg|milligrams?|"
    r"units?|corticosteroids?|rituximab|rituxan|ivig|immunoglobulin|infusions?|injections?|"
    r"folic acid|supplements?|coq10|antibiotics?|vaccines?|shots?|jabs?|metoject|weekly one|little \w+ ones|"
    r"taper|tapering|patch(es)?|pulses|methylpred|\w{3,}grel|"
    + DRUGS
    + r")\b|\b\d+(\.\d+)? ?(mg|mcg|ml|units?)\b"
)
MEDICINE = re.compile(_MEDICINE)
# A course of a medicine, or "it": "my 5-day IVIG course", "all her infusions", "the doses".
_COURSE = rf"(it|them|(the|my|his|her) (\d+-day |\w+ )?(course|infusions?|doses?|ivig|{DRUGS})( course)?)"
# Requests about a specific person's dose, or to start, stop or change a medicine.
DOSE_AMOUNT = re.compile(
    r"\bhow (much|many)\b[^.?!]{0,60}?\b(should|do|does|can|could|must|would|shall) "
    r"(i|we|he|she|they|my|our|his|her)\b[^.?!]{0,40}?\b(take|give|inject|be on|use|need|have|be taking|"
    r"be having|be giving)\b"
)
REFER = re.compile(
    # A dose missed, asked about ("missed dose of azathioprine what do i do").
    r"\b(missed|forgot|forgotten|skipped) (a |my |his |her |the |today's |this week's |last night's )?"
    r"(dose|tablets?|pills?|injection)\b[^.?!]{0,40}\bwhat (do|should|now)\b|"
    # Starting a supplement ("can I start taking creatine for my muscles?").
    r"\b(can|could|should|may) (i|he|she|we) (start|begin) (taking |using |on )?(creatine|turmeric|curcumin|"
    r"cbd|fish oil|omega-?3|coq10|co-?enzyme q10|supplements?|st john'?s wort|echinacea|ashwagandha)\b|"
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
    r"leave out|leave off|hold|withhold|omit)\b(?! (down |back )?on( (milk|cheese|dairy|salt|sugar|"
    r"caffeine|coffee|carbs|fat|food|meat|bread)\b| ?[?.!]| ?$))|"
    r"\b(take|skip|have|miss) (it|them|the dose) or (skip|take|miss|leave|"
    r"wait|not)\b|"
    r"\b(ok|okay|alright|fine) to (just )?not (start|take|have|go on)\b|\b(rather|like to|want to|"
    r"prefer to) hold off\b|"
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
    r"\b(put|push) (it|them) (off|back)\b[^.?!]{0,40}\?|"
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
    # "can I skip methotrexate this week?": the medicine named between the change and the when.
    r"\b(skip|miss|stop|pause|double|halve|drop|postpone|delay|cancel|leave out) (my |his |her |the )?"
    r"(" + DRUGS + r")( dose| injection| tablets?| shot)? (this|next|tomorrow|today|tonight)\b|"
    # A dose written as old → new: "pred 10 -> 7.5", "aza 100 → 50mg".
    r"\b\d+(\.\d+)? ?(mg|milligrams|mcg|units|g)? ?(-+>|→|=>|>) ?\d|"
    r"\b\d+(\.\d+)? ?(mg|milligrams|mcg|units|g|tablets?|pills?)? instead\b|"
    r"\b(from|on) (mon|tues|wednes|thurs|fri|satur|sun)days? to (mon|tues|wednes|thurs|fri|satur|sun)days?\b|"
    r"\b(don't|do not|doesn't|does not) want (any more|anymore|more|to (take|have|be on|keep taking)) (of )?"
    r"((my|the|this|these|that|his|her) )?(\w+ )?(" + DRUGS + r"|infusions?|injections?|shots?|jabs?)\b|"
    # "leaving off tomorrow's jab", "leaving the pred out on saturday", "do my tablets every second
    # day", "stretch my IVIG from every 4 weeks", "no more folic acid for me", "go without until then"
    r"\bleav\w* (off|out) (my|the|his|her|tomorrow'?s|tonight'?s|today'?s|this \w+'?s|next \w+'?s)\b|"
    r"\bleav\w* (my|the|his|her) (\w+ )?(\w+ )?(out|off) (on|this|tonight|tomorrow|today|for|until|till)\b|"
    r"\b(do|doing|have|having|take|taking) (my|the|his|her) (\w+ )?(\w+ )?(every (second|other|\d+)|"
    r"fortnightly)\b|\b(come|coming|get|getting|go|going) off everything\b|"
    r"\b(stretch\w*|spread\w*|space\w*) (my|the|his|her) (\w+ )?(\w+ )?from every\b|\binstead of every\b|"
    r"\bno more (\w+ )?(\w+ )?for (me|him|her)\b|\b(add|adding) (it|them|some) to (my|his|her)\b|"
    r"\b(drop|move|change|switch|cut) (my|the|his|her) \w+( \w+)? to every\b|"
    r"\b(doing|having|taking) (my |the )?\w+( \w+)? fortnightly\b|"
    r"\bonly (having|taking|doing|getting) (one|half)\b|\b(go|going) without\b(?! (food|sleep|eating))|"
    # "not doing my methotrexate jab this saturday", "10mg one day and none the next"
    r"\b(not|won't|wont) (doing|taking|having|giving|injecting|bothering with) (my|his|her|the|this \w+'?s?) "
    r"(\w+ )?(dose|jab|shot|injection|infusion|tablets?|pills?|meds?|" + DRUGS + r")( \w+)? (this|next|on|"
    r"tomorrow|tonight|today|for)\b|\b\d+(\.\d+)? ?(mg|mcg|units)? one day and (none|nothing|\d+)|"
    r"\b(i'll|i will|i'm|i am|gonna|going to) (just )?(not|stop|quit|skip) (book|take|have|go to|turn up|"
    r"bother|taking|having|booking)\b|"
    r"\b(stretch\w*|spac\w* out|spread\w* out|extend\w*|push\w* back) (it|them|my \w+|the \w+|(his|her) \w+)?"
    r" ?(out )?to every\b|\b(thinking|thought) (of|about) (moving|shifting|changing|switching|swapping)\b|"
    r"\b(want|wants|wanting|going|gonna|plan|plans|planning|thinking of|thinking about|like|tempted|decided) "
    r"(to )?(just |simply |completely |slowly |quickly |probably )?"
    r"(come off|stop|quit|cancel|postpone|leave out|ditch|bin|pack in|give up|"
    r"go off|get off|"
    r"drop|skip|cut|halve|reduce|lower|double|increase|pause|split)\b|"
    r"\b(cut|drop|reduce|lower|bring|take|put|up|increase|raise|bump|go|come) (it|them|that|this|"
    r"my \w+( \w)?|"
    r"(his|her|the) (dose|dosage|\w+)) (down |up )?(to|by) \d+|"
    # "take two omeprazole instead of one", "take double tonight?", "have twice as much"
    r"\b(take|have|give|use) (one|two|three|four|\d+|half|both|a whole one)\b[^.?!]{0,30}\binstead of\b|"
    r"\b(take|have|give) (a )?(double|twice (the|as much|as many))\b|"
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
    # "upping my prednisone back to 30 for a few days"
    r"\b(upp(ing|ed)?|bump\w*|rais\w*|increas\w*|go(ing)?|put\w*|tak\w*) "
    r"(it |them |my \w+ |(his|her|the) \w+ )?"
    r"back (up )?to \d+(\.\d+)?(?!\d)(?! ?(years?|months?|weeks?|days?|hours?|minutes?|kg|lbs?|percent|%))|"
    r"\b(going|go|drop\w*|cut\w*|reduc\w*|lower\w*|increas\w*|bump\w*) (straight |right |all the way )?"
    r"(down |up )?to \d+(\.\d+)?(?!\d)"
    r"(?! ?(years?|months?|weeks?|days?|hours?|minutes?|kg|lbs?|percent|%))|"
    r"\b(i'm|i am|we're|he's|she's|i've|i have|she has|he has) (decided to |now )?(stopping|quitting|"
    r"skipping|halving|doubling|cutting|dropping|pausing|cancelling|canceling|coming off|going off|"
    r"stop|quit|skip) (it|them|my|his|her|the|taking)\b|"
    r"\b(stopping|skipping|halving|pausing|dropping) (it|them)\b(?! (was|is|will|would|has|had|should|"
    r"makes|made|did|can|could|might)\b)|"
    r"\b(?<!sugar )(?<!dummy )(\d+ ?(mg|mcg|units|ml|g|tablets?|pills?)|doses?|tablets?|pills?|weekly|daily|"
    r"mornings?|nights?|evenings?)\b[^.?!]{0,40}\b(instead of|rather than)\b|\b(instead of|"
    r"rather than)\b[^.?!]{0,30}\b(\d+ ?(mg|mcg|"
    r"units|ml|g|am|pm)|doses?|weekly|daily|before|after|morning|night|evening|every (day|morning|night|"
    r"evening|week)|(once|twice) a (day|week))\b|"
    r"\b(with|at|before|after) (breakfast|lunch|dinner|tea|supper|bedtime|night) instead\b|"
    # A course given in fewer days than planned: "squeeze my 5-day IVIG into 2 days", "have all her
    # infusions over two days" (not "I have it in 2 days": a date, not a change).
    rf"\b((squeeze|squash|cram|compress|condense|fit) (all )?{_COURSE} (all )?(into|in|over)|"
    rf"(do|have|get|give) (all )?{_COURSE} (all )?(into|over)) (\d+|one|two|three|four|a single|fewer|less) "
    r"(days?|sittings?|sessions?|visits?|goes?)\b|"
    r"\b(restart\w*|start\w* (back on|again)|go(ing)? back on)\b[^.?!]{0,40}\b(i|we|he|she) "
    r"(stopped|came off|quit|dropped)\b|"
    r"\b(move|switch|change|shift|take) (it|them|my \w+|(his|her) \w+|the dose)\b[^.?!]{0,20}\b(to|in) the "
    r"(morning|evening|night|afternoon)|\b(double|doubling) (up|the dose|my dose|it)\b|\ba double dose\b|"
    r"\b(take|have|give) (two|2|both|a double dose) (at once|together|tomorrow|lots|doses|sets|"
    r"days'? worth|weeks'? worth)\b|"
    r"\b(skip|skipping|miss|pause|stop|stopping|quit|come off|go off|restart|start) (my|his|her|"
    r"the|this weeks?'?s?|next weeks?'?s?|tonight'?s|today'?s|tomorrow'?s) (\w+ )?(dose|injection|infusion|"
    r"tablets?|pills?|meds?|medicines?|jabs?|shots?|" + DRUGS + r")\b"
)
# A terse note that leads with the change to a medicine it names ("trim medrol to 4 mg, fine?",
# "halve the imuran till the rash calms down", "bin the pred once this pack's done?", "fancy
# shaving it to 1.5"), or puts it on hold, on holiday, off cold turkey or on a new schedule
# ("pred holiday for the weekend?", "omeprazole every other day instead, that ok?").
_SHORT_VERB = (
    r"trim|shave|chop|halve|cut|drop|lower|reduce|nudge|bump|increase|raise|double|triple|skip|ditch|bin|"
    r"nix|stop|quit|pause|shift|move|push|stretch|space|swap|switch|leave|taper|wean|omit|knock|split|"
    r"spread|come off|go off|scale back|ease off|bring forward|put|give"
)
_CHANGE_STEM = (
    r"trim|shav|chop|halv|cut|drop|lower|reduc|nudg|bump|increas|rais|doubl|skip|ditch|bin|nix|stop|quit|"
    r"paus|shift|mov|push|stretch|spac|swap|switch|taper|wean|omit|split|spread"
)
DOSE_SHORTHAND = re.compile(
    rf"^\W*({_SHORT_VERB}|up) (it|them|the|my|this|that|these|those|\d|{DRUGS})\b|"
    r"\b(can|could|should) (i|we|he|she) (just )?(not bother with|go without|do without|not take|not have)\b|"
    r"^\W*(two|2|both|double|an extra|extra|another) (\w+ )?(" + DRUGS + r"|jabs?|shots?|tablets?|pills?|"
    r"doses?|injections?)\b|\b(stretch|space|push|shift|move) (it|them) (out )?to (every|fortnightly|weekly|"
    r"monthly|\w+day)\b|\b(should|can|could) (i|we|he|she|they) be (having|taking|on|getting) (less|more|"
    r"a (lower|higher|smaller|bigger))\b|"
    r"\b(fancy|tempted to|thinking of|planning to|plan to|wanna|want to|like to|rather|prefer to|"
    r"reasonable to)( just| maybe)?( try| trying)? (swallow|tak|hav|go|"
    rf"{_CHANGE_STEM})\w*\b|\b(ok|okay|fine|alright|safe) to( just| maybe)? ({_CHANGE_STEM})\w*\b|"
    r"\b(on hold|give (it|them|the \w+( \w+)?) a miss)\b|^\W*off (the|my) [^.?!]{0,30}\bcold turkey\b|"
    r"\b(" + DRUGS + r"|medicines?|drugs?|steroids?) holiday\b|"
    r"\b(go|be|have|take|do|move|switch|shift|push|try|trying)( it| them| the \w+)? (to )?(daily|weekly|"
    r"fortnightly|"
    r"monthly|every (other|second|\d+(st|nd|rd|th)?) (day|week)|every \d+ (days|weeks)|once (a day|daily)|"
    r"alternate (days?|weeks?|mornings?)|"
    r"(mon|tues|wednes|thurs|fri|satur|sun)day)\b|"
    r"\b(every other day|every second day|fortnightly|mon/wed/fri)\b[^.?!]{0,20}\b(instead|ok|okay|fine|"
    r"alright)\b|\b(two|2|both) (\w+ )?(today|tonight|this morning|now)\b[^.?!]{0,30}\b(catch up|"
    r"stay on track|make up)\b|\b(do|take|give|have) it (now|tonight|today) and\b"
)
# "Why can't I just stop my pred?": asks the reason, which the library gives, not for a change.
WHY_NOT = re.compile(
    r"(^|[.?!]\s)\W*why (can't|cant|cannot|can i not|shouldn't|should i not|won't|do i have to|must i|"
    r"do (i|we) need to|is it bad to)\b|"
    # "I thought stopping the statin would fix it?": a belief about a change, not a request.
    r"\b(i|we) (thought|assumed|hoped|expected|was told|were told|had been told) (that )?(stopping|coming "
    r"off|quitting)\b"
)
# A change the prescriber makes, asked about for its effect ("will the weight come off once they
# lower my pred?"), or coming off as an outlook ("will I ever be able to come off the medicines?",
# "would I have to come off my meds to join one?"): nothing is to be changed by the writer.
_PLANNED = re.compile(
    r"\b(once|when|after|as|until|till) (they|the (doctors?|team|consultant|rheumy|rheumatologist)|my "
    r"(doctors?|team|consultant|rheumy|rheumatologist|gp)) (lower|reduce|cut|taper|drop|bring down|wean)s?\b|"
    r"\b(once|when|after|as|until|till) (my|the|his|her) (\w+ )?(dose|doses|pred|prednisone|prednisolone|"
    r"steroids?) (is|are|goes|go|gets|get|comes|come|has been|have been) (lower|lowered|down|reduced|"
    r"tapered|cut)\b|\b(my|his|her) (\w+ )?(dose|pred|steroids?) (is|are) (going|coming) down\b"
)
_EFFECT = re.compile(
    r"\bwill (it|the|my|his|her|i|he|she|that|this|they)\b(?![^.?!]{0,40}\b(too|safe|ok|okay)\b)"
)
_OUTLOOK = re.compile(
    r"\b(will|would|could|can) (i|he|she|we) ever (be able to )?(come off|stop|get off|be off)\b|"
    r"\b(have|need) to (come off|stop) (my|his|her|the|all) [\w' ]{0,20}?(meds|medicines?|medications?|"
    r"treatment|tablets) (to|before) (join|take part|enrol|enroll|be in|sign up)\b"
)
_OWN = re.compile(r"\b(myself|himself|herself|on my own|on (his|her) own|without asking)\b")


def asks_of_a_planned_change(text: str) -> bool:
    """The message asks what a change the prescriber makes will do, or whether coming off is ever
    possible, and asks to change nothing itself."""
    if _OWN.search(text):
        return False
    return bool(_OUTLOOK.search(text) or (_PLANNED.search(text) and _EFFECT.search(text)))


# Questions about a medicine that change nothing: whether it mixes with a food, a drink or another
# medicine, where a vaccine fits around it, whether one could ever take it again, what else there is.
# They weaken only the looser signs ("can I take", the classifier's refer); an explicit change ("skip
# this week's methotrexate, I want a drink at the wedding") is still referred.
NO_CHANGE = re.compile(
    r"\b(grapefruit|alcohol|wine|beer|a drink|drinking)\b|\b(combin\w*|combo|together with|interact\w*)\b|"
    r"\b(ok|okay|safe|fine|a problem) (to take )?with (it|them|my \w+)\b|"
    r"\b(flu|covid|shingles|pneumonia|pneumococcal|flumist) (jab|shot|vaccine|vaccination|nose spray)s?\b|"
    r"\bcan (i|he|she|we) ever\b|\bwhat (else )?(can|could|should) (i|we|he|she) take\b|"
    r"\bwhat else is there\b|"
    r"\b(drug|clinical|research) trials?\b|" + WHY_NOT.pattern
)
# ... but moving the medicine itself around a vaccine or a meal is a timing change ("should my
# daughter have her methotrexate before or after her flu jab?").
_MEDICINE_TIMED = re.compile(
    r"\b(take|have|give) (my|his|her|the|their) (\w+ )?(" + DRUGS + r")\b[^.?!]{0,20}\bbefore or after\b"
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


def asks_for_a_dose(text: str) -> bool:
    """An amount for someone ("how much ... should my son take") or a change to a named medicine
    ("can I stop my prednisone"). "How much should I take?" counts even without a medicine;
    "how much exercise should I do" and "can I take a shower" do not. A change stated with numbers
    ("drop it from 20 to 10 mg", "an extra 10 mg before my flight") counts when a medicine is named."""
    if asks_of_a_planned_change(text):
        return False
    if REFER.search(text):
        return True
    if DOSE_MISTAKE.search(text) or WHY_NOT.search(text):
        # too much taken already ("been taking it daily instead of weekly"), or why something must
        # not be done: not a request
        return False
    medicine = bool(MEDICINE.search(text))
    if medicine and (DOSE_CHANGE.search(text) or DOSE_SHORTHAND.search(text)):
        return True
    dose = DOSE_AMOUNT.search(text)
    if dose and (medicine or dose.group(4) == "take"):
        return True
    timed = _MEDICINE_TIMED.search(text)
    return (
        medicine
        and bool(REFER_WITH_MEDICINE.search(text))
        and (timed is not None or not NO_CHANGE.search(text))
    )


def talks_of_a_change(text: str) -> bool:
    """The message talks of a dose or a change to one (an amount, a change next to a medicine's name,
    or a change stated outright), not merely of a medicine."""
    return bool(DOSE_TALK.search(text) or DOSE_CHANGE.search(text) or DOSE_SHORTHAND.search(text))
