"""More urgent rules for self-harm: the indirect ways people say they may end their life or harm
themselves (taxonomy flag `self_harm`: "any mention of wanting to die, a plan, saying goodbye,
giving things away, or hurting oneself"), written from the taxonomy after team writer L's
development messages showed the first rules caught only the direct wordings. Same form as
patterns.URGENT_RULES (every pattern of a rule must match; normalised text); rules.py merges them.
Kept apart because these are read before any framing: a topic question is the only thing that
lowers them (safety.py)."""

from __future__ import annotations

import re

from qa_service.triage.medicines import DRUGS

_PILLS = (
    r"(pills?|pils|tablets?|meds|medicines?|medications?|capsules?|packets?|boxes|bottles?|prescriptions|"
    rf"{DRUGS})"
)

SELF_HARM_RULES: tuple[tuple[str, ...], ...] = (
    # The means gathered: tablets saved, hidden, counted out, lined up, bought in several shops.
    (
        rf"\b(sav\w*|stash\w*|hoard\w*|hid|hidden|hiding|stockpil\w*|keep\w* back|kept back|collect\w*|"
        rf"pile|counted out|lined up|laid out|set out)\b[^.?!]{{0,40}}\b{_PILLS}\b|"
        rf"\b{_PILLS}\b[^.?!]{{0,30}}\b(counted out|lined up|laid out|set out|stashed|stashing|hidden|hiding|"
        r"hoarding|saved up)\b|"
        rf"\bput(ting)? (my|the|his|her) {_PILLS} aside\b|"
        rf"\bbought\b[^.?!]{{0,30}}\b{_PILLS}\b[^.?!]{{0,40}}\b(different|several|\w+ separate) (shops|"
        r"chemists|pharmacies|stores)",
        r"\b(nobody|no one|no-one|won't|wouldn't|not) (counts?|checks?|notices?|notice|know|knows|noticed|"
        r"miss)|"
        r"\bwhat (it's|it is|they're|they are) for\b|\b(can't|cant|cannot) (do this|go on|cope|take)|"
        r"\b(point|pointless|enough|tonight|anymore|any more|good pile|that's all|thats all|opened it|"
        r"different shops|burden|over|ready)\b",
    ),
    # A method looked into or readied: a height, a rope, the edge of a platform, a train.
    (
        r"\b(looked|looking|searched|searching|googled|reading|read) (up )?[^.?!]{0,30}\b(how high|how tall|"
        r"painless ways|ways to go|ways to die|how to die|which of my \w+ (are|is) (the )?most "
        r"dangerous|how many (\w+ )?it takes|what amount)\b|"
        r"\b(bought|got|have|found) (a |the )?rope\b|\b(edge of|end of) the (platform|cliff|roof|bridge)\b|"
        r"\b(step|jump|throw myself|walk) (in front of|under|off) (a|the) (train|bus|lorry|truck|car|"
        r"bridge|roof|balcony|cliff)\b|\b(going|go|jump|jumping|throw\w*) (off|over) the (balcony|"
        r"bridge|edge|roof|cliff)\b|\bpicturing myself (going|jumping|falling)\b",
    ),
    # A plan and a time: "going to do it tonight", "I'll be gone by then", "set a date".
    (
        r"\b(tonight|today|this weekend|soon) (i'm|im|i am) (going to|gonna) do it\b|"
        r"\b(i'm|im|i am) (going to|gonna) do it (tonight|today|this weekend|soon)\b|"
        r"\b(i'll|i will|i'm going to) be gone (by then|soon|before)\b|"
        r"\b(not|won't|wont) (going to )?be (around|here) (for|by|at|much longer|next)\b|"
        r"\b(i've|i have) (set|picked|chosen) a (date|day)\b|\bkms\b|"
        r"\b(decided|going) to stop being (a|one)\b|\b(want|wants) it (all )?to be over\b|"
        r"\bplanning my (own )?funeral\b|\blook like (an accident|the \w+ did it)\b|"
        r"\b(hope|hoping) it finishes me( off)?\b|"
        r"\b(nobody|no one|no-one) will have to (look after|care for|worry about) me\b|"
        r"\b(won't|wont|will not) need (them|it|any of (it|them)) where (i'm|im|i am) going\b|"
        r"\bscared of what (i'll|i will|i might|i'd) do\b|\b(pill bottle|pills|tablets) and think about it\b|"
        r"\b(giving|gives|gave) me (helplines|the samaritans|crisis numbers)\b",
    ),
    # Goodbyes and affairs put in order: letters beside a will, the phone switched off after
    # saying goodbye, a note left and the person gone, children given into someone's keeping.
    (
        r"\b(wrote|written|writing|left) (a )?(letters?|notes?)\b[^.?!]{0,60}\b(my will|not your fault|"
        r"look after|goodbye|sorry)\b|"
        r"\b(sorted|sorting|made a list|wrote down) [^.?!]{0,40}\b(passwords|where everything is|"
        r"my affairs|what i owe)\b|"
        r"\btold (my|her|him)\b[^.?!]{0,40}\b(i love (her|him|them|you)|have a good life|keep (them|the "
        r"kids|my kids))\b",
        r"\b(feel|feeling|felt) (weirdly |strangely |oddly |so )?(calm|calmer|peaceful|at peace)|"
        r"\bswitched (my|the) phone off\b|\b(not|isn't|isnt) in (her|his) room\b|\bmy will\b|"
        r"\b(can't|cant|cannot|just can't) (anymore|any more|do this)\b|\bgoodbye\b|\bkeep them\b",
    ),
    # Hurting oneself: cutting, burning, scratching, hitting; an urge with the means in hand.
    (
        r"\b(cut|cutting|burnt|burned|burning|scratched|carved) (my|his|her) (arm|arms|wrist|wrists|leg|"
        r"legs|thigh|thighs|skin|hand)\b(?![^.?!]{0,30}\b(on (a|an|the|some|broken|my)|by accident|"
        r"accidentally|while|chopping|slicing|cooking|opening|in the kitchen|at work|bread knife)\b)|"
        r"\bhold(ing)? my hand (over|on) the (hob|flame|stove|cooker)\b|"
        r"\b(feel|feeling) like cutting\b|\b(scratched|carved|cut)\b[^.?!]{0,20}\binto (my|his|her) (arm|"
        r"skin|leg|wrist|hand)\b|\bblades out of (my|the|his|her) razor\b|"
        r"\b(says|feels|think) (she|he|i) deserves? to (hurt|suffer)\b",
    ),
    # Asking what would be lethal "for me": "would it stop your heart? asking for me".
    (
        r"\basking for (me|myself)\b",
        r"\b(how (much|many)|would it|enough|stop (your|my|the) heart|dangerous|fatal|lethal)\b",
    ),
    # A place or a way to die thought about, with how easy, quick or final it would be ("looking at
    # the bridge near work, thinking how easy it would be"; "going to drive into a tree so he
    # doesn't have to go into a home").
    (
        r"\bhow (easy|quick|simple|painless) it (would|could) be\b|\bit would be (so )?(easy|quick)\b|"
        r"\b(going to|gonna|want to|wants to|will|thinking (of|about)|could just|might just) (drive|crash|"
        r"steer|swerve|jump|walk|step)\b[^.?!]{0,40}\b(into|off|in front of|under)\b[^.?!]{0,60}\b"
        r"(so (that )?(i|he|she|they) (don't|doesn't|won't|wont|never)|on purpose|for good|be over|end it|"
        r"nobody|no one|anymore|any more)\b",
        r"\b(bridge|railway|rail line|train tracks|tracks|platform|cliff|ledge|roof|balcony|rope|river|"
        r"motorway|highway|tree|wall|lorry|truck|car|train|gun|blade|pills|tablets|meds)\b",
    ),
    # Cuts, burns or scratches on the arms or legs in neat lines, hidden or explained away.
    (
        r"\b(cuts|cut marks|scratches|burns|scars|slashes|marks)\b[^.?!]{0,40}\b(arms?|forearms?|wrists?|"
        r"thighs?|legs?|stomach|tummy)\b|\b(arms?|forearms?|wrists?|thighs?)\b[^.?!]{0,40}\b(cuts|"
        r"scratches|burns|slashes)\b",
        r"\b(neat|straight|parallel|lines|rows|in a row|hides?|hiding|hidden|covers? (them|it) up|covering|"
        r"long sleeves|says? the (cat|dog)|blames?|won't (say|tell|talk)|wont (say|tell|talk)|keeps? "
        r"(them|it) secret|on purpose|did it (himself|herself|themselves))\b",
    ),
    # Stopping food or every medicine in order to die.
    (
        r"\bstop (eating|all my|everything)\b[^.?!]{0,60}\b(nobody|no one|much longer|for good|die)\b|"
        r"\bstop (the|my) \w+ all at once\b[^.?!]{0,60}\b(finish\w* me|let whatever|die|end it)\b",
    ),
)

# Asking how much of something would kill, overdosing on purpose, or a way to make it all stop:
# always the crisis message, whatever the framing ("What is the lethal dose of ...?" included;
# safety.py reads it first, rules.py re-exports it).
LETHAL = re.compile(
    r"\b(lethal|fatal|deadly|killing) (dose|amount|overdose|quantity)|"
    r"\b(how (much|many)|the most|most|maximum|max)\b[^.?!]{0,60}\b(before (it|they|that) )?kills? "
    r"(them|you|me|someone|a person|him|her|myself)\b|"
    r"\b(what|which|how much|how many)( (amount|dose|quantity|number))?( of [^.?!]{1,40})? (is|are|would be|"
    r"will be|would|will|become|becomes) (fatal|lethal|deadly|kill( me| you| someone| a person)?)\b|"
    r"\b(how (much|many)|enough)\b[^.?!]{0,60}\bto (kill (me|myself|him|her|someone|a person)|die|"
    r"end (it|my life)|never wake up|not wake up|overdose|(not|never) come back)\b|"
    # "how many would it take to just go to sleep and that's it"
    r"\b(how (much|many)|enough)\b[^.?!]{0,60}\bto (just |simply )?(go to sleep|sleep|drift off|be gone|"
    r"be done)"
    r"( and that's (it|that)| and be done| for good| forever| for ever| permanently)\b|"
    r"\b(how (much|many)|enough)\b[^.?!]{0,60}\bso (that )?(i|he|she) (just )?(don't|won't|never|wouldn't) "
    r"wake up\b|"
    r"\boverdos(e|ed|ing) on purpose|\b(intentional(ly)?|deliberate(ly)?) overdos|"
    r"\b(how (much|many)|what amount)\b[^.?!]{0,40}\b(is|are|would be|would|could) (\w+ )?(deadly|fatal|"
    r"lethal)\b|"
    r"\benough to (finish (me|him|her|someone|somebody|a person)|not wake up|end it)\b|"
    r"\b(how (much|many)|what amount|the most)\b[^.?!]{0,60}\b(finish (someone|me|him|her|a person)( off)?|"
    r"stop (your|my|the|a|his|her|someone'?s|a person'?s) heart|make sure it work\w*|(to )?go peacefully)\b|"
    # "the quickest way to make it all stop": asked as a question, still about oneself.
    r"\b(quickest|easiest|fastest|painless|surest|simplest) (way|ways|method) (to|of) (make|making) "
    r"(it|this|everything) (all )?stop\b|\bmake (it|everything|this) (all )?stop (for good|forever|"
    r"permanently)\b|\b(quickest|easiest|painless) (way|ways) (to|of) (not wak|end (it all|things|"
    r"everything|my life))"
)
