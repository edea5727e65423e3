"""Urgent rules for the suicide warning signs that earlier rules (self_harm_patterns.py,
ideation_patterns.py) did not name, by kind: asking how much of a medicine it would take; a plan
with a date or a method; goodbyes and final arrangements (letters "to open after", "won't be
needing this app", "where I'm going"); hopelessness said as an end ("not worth it anymore", "done
fighting", "can't see a future"); hurting oneself to cope; the means bought with no other use
(a rope, a blade "I don't do crafts").

Round 18: the team's 3,376 urgent training messages (scripts/train_triage.py reads them) still
had 57 self-harm messages that neither the rules nor the classifier flagged, the largest group of
misses; the classifier's self-harm score could not separate them from low mood without false
alarms (at a self-harm probability of 0.3 it would have caught 28 and raised 13 ordinary messages).
The taxonomy's flag (prompts/triage_taxonomy.yaml, `self_harm`) is "any mention of wanting to die,
a plan, saying goodbye, giving things away, or hurting oneself"; each rule below names one of
those, not a feeling, so "so fed up with this disease", "I scratch the rash until it bleeds" and
"how many weeks would it take to work?" stay answers.

CRISIS is read first and whatever the framing, like self_harm_patterns.LETHAL ("is it normal to
want to die?" asks about the writer); SUICIDE_RULES have the form of patterns.URGENT_RULES (every
pattern of a rule must match, normalised text) and join the self-harm rules in rules.py."""

from __future__ import annotations

import re

from qa_service.triage.medicines import DRUGS

_PILLS = rf"(pills?|tablets?|meds|medicines?|medications?|capsules?|insulin|{DRUGS})"
_DAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend)"
_TAKE_END = r"(?=\s*([,.?!]|$|roughly|exactly|to (die|kill|end|not wake|never wake|be fatal|overdose|do it)))"
"""What may follow "would it take" in a lethality question: nothing, or a lethal end ("how many
would it take?", "… to end it"), never a treatment aim ("… to get my CK down", "before it works")."""

CRISIS = re.compile(
    # How much of a medicine it would take, enough to end things.
    rf"\benough (of (my|the|his|her) \w+ )?to end (things|it all|everything|my life|the pain for good)\b|"
    rf"\bhow (many|much)\b[^.?!]{{0,40}}\b{_PILLS}\b[^.?!]{{0,30}}\b(would|will|it'?d) (it "
    rf")?take\b{_TAKE_END}|"
    rf"\b(worked out|know|figured out|counted) (exactly )?how (many|much)\b[^.?!]{{0,40}}\b(would|it'?d) "
    rf"(take|do it)\b{_TAKE_END}|"
    rf"\bhow (much|many)\b[^.?!]{{0,40}}\bwould do it\b{_TAKE_END}|"
    r"\b(stop|keep) (someone|me|you|a person|him|her) (from )?(waking|wake) up\b|"
    r"\bmake sure (i|he|she|they)( just)? (go to sleep and )?(don'?t|do not|never|won'?t) wake( up)?\b|"
    r"\b(quickest|easiest|fastest|surest|most painless|least painful) way to (go|die|do it)\b|"
    r"\bmake it look (natural|like an accident)\b|"
    rf"\b(take|takes|taking|took|swallow\w*)\b[^.?!]{{0,40}}\b(all|a whole|the whole|every one "
    rf"of)\b[^.?!]{{0,40}}"
    r"\bat once\b[^.?!]{0,80}[.?!]?[^.?!]{0,40}\b(asking for (me|myself)|thinking about (it|doing it)|i want "
    r"to|for me)\b|"
    # A wish to die, asked about as if it were a topic: the writer's own.
    r"\b(is it|it is|it's) (normal|ok|okay|wrong|bad|common) (to|that i|that you|if i|if you)\b[^.?!]{0,20}"
    r"\b(want(ing)? to die|wish(ing)? (i|you) (could|would|were|was) (die|dead)|wish(ing)? to die|hope "
    r"(the next|something) [^.?!]{0,30}takes me|not want(ing)? to (live|be alive|wake up))\b|"
    r"\b(i|i'm|i am)\b[^.?!]{0,20}\b(want|wanting|wanted) to die\b|"
    r"\b(better off|easier|better) (if i (just )?(didn'?t|did not|don'?t|never) wake|not waking) up\b|"
    r"\boverdose\b[^.?!]{0,40}[.?!]? how (many|much) would it take\b|"
    r"\bdie (from|if) (taking|you take|i take|i took|they take|he takes|she takes) (\d+|all|a whole|the "
    r"whole)\b|"
    # "how much X is too much. Not for a quiz."
    r"\b(how (much|many)|the most)\b[^.?!]{0,50}\b(is|would be|are|before it'?s) '?too (much|many)'?"
    r"[.?!]? ?[^?!]{0,20}\b(not for a quiz|asking for reasons|not for (school|homework|a friend))\b"
)

SUICIDE_RULES: tuple[tuple[str, ...], ...] = (
    # A plan with a date, or the event planned: "I've got a plan and a date. Sunday."
    (
        rf"\b(a plan and a date|(got|have|made) a (plan|date)\b[^.?!]{{0,40}}\b{_DAYS}|planning (mine|my "
        r"(death|exit|end|way out|goodbye))|been planning (it|this) for (weeks|months|a while)|make sure "
        r"tomorrow (doesn'?t|does not|never|won'?t) (happen|come)|walk into the (sea|river|lake)|(don'?t|do "
        r"not) try to (talk me out of it|stop me))\b",
    ),
    # Goodbyes and final arrangements.
    (
        r"\b(won'?t|will not|wont) be needing (this app|the app|this chat|you)\b|\bgood ?night and "
        r"(good)?bye\b|"
        r"\blast time (i'?ll|i will|i'?m going to|i am going to) (use|talk to|message|write to) (this|the|"
        r"you)\b|"
        r"\b(saying goodbye like it'?s the last|see you (all )?on the other "
        r"side|won'?t be (driving|needing \w+) where (i'?m|he'?s|she'?s) going)\b|['\"](to open|for) "
        r"after['\"]",
    ),
    (
        r"\b(written|wrote|writing|write|left) (a |the )?letters? (to|for) (each of )?(my |our |the |his |"
        r"her )?"
        r"(kids|children|wife|husband|partner|family|grandchildren|grandkids|mum|mom|dad|us|son|daughter)\b"
        r"(?!'s|s')",
        r"\b(why|just in case|drawer|explaining|goodbye|finds? me|to open|when i'?m gone|for after)\b",
    ),
    # Hopelessness said as an end.
    (
        r"(^|[.!?] ?)((it'?s|it is|life is|living is|this is) )?(just )?not worth it (anymore|any more)\b"
        r"[^.?!]{0,20}(none of it|nothing is|$|[.!])|"
        r"\b(don'?t|do not|can'?t|cannot) see (why i should (keep going|carry on|bother|go on|be here)|the "
        r"point (in|of) (living|going on|carrying on|any of it|anything|trying|me)|a future)\b(?! (for|"
        r"with|in) "
        r"(my|the|this) (job|career|house|business|hobby|garden))|\b(i'?m|i am) (just )?(so )?done "
        r"(fighting|with "
        r"(it all|everything|life|living))\b|\b(i'?m|i am) just so done\s*([.!]|$)|\b(can'?t|cannot|cant) "
        r"face "
        r"another "
        r"day\b|\b(hope|hoping|wish)\b[^.?!]{0,30}\b(infection|illness|flu|virus|pneumonia|disease|flare|"
        r"something|it) (just )?takes? me( out| away)?\s*([.!?,]|$)|\bstopped caring (whether|if) i "
        r"(live|die|wake)\b|\bif i (don'?t|do not) wake up tomorrow\b|\bonly thing stopping me (is|are)\b|"
        r"\b(notice|care) if (you|i) (just )?(disappear|vanish|was gone|were gone)\b",
    ),
    (
        r"\b(how (much|many)|the most)\b[^.?!]{0,50}\b(is|would be|are|before it'?s) '?too (much|many)'?",
        r"\b(very|so|really) (low|down|flat)\b|\bsince (his|her|my) (wife|husband|partner) died\b|\bhad "
        r"enough\b",
    ),
    (
        r"\b(funeral wishes|where the will is)\b",
        r"\b(soon|haven'?t told anyone|not coming back|it won'?t)\b",
    ),
    (
        r"\bwon'?t be needing (it|them|these|this)\b",
        r"\b(gave|giving|given|handed|hands)\b[^.?!]{0,40}\b(rings?|watch|jewel\w*|keys|tools|medals|"
        r"photos|wedding)\b",
    ),
    (
        r"'?sorted (things|everything|it all) out'?",
        r"\b(burden|we'?ll be fine|better off|without (me|him|her))\b",
    ),
    (
        r"\bgiv(ing|en|es|e) (his|her|my|their|all (his|her|my|their)) [^.?!]{0,40}\baway\b",
        r"\b(sorry (for|about) being|so much trouble|a burden|goodbye|won'?t need (them|it|these)|last "
        r"time)\b",
    ),
    (r"\bkeep (counting|checking) (them|the (pills|tablets))\b", rf"\b{_PILLS}\b"),
    (
        r"\b(railway|train tracks|railway line|bridge|cliffs?)\b[^?!]{0,80}\bto (look|stare) at (it|them|the "
        r"(drop|water|tracks))\b",
        r"\b(at night|every night|on my own|alone)\b",
    ),
    # Hurting oneself to cope, or the means bought with no other use.
    (
        r"\b(scratch\w*|cut\w*|burn\w*|hit\w*|bang\w*|pinch\w*)\b[^.?!]{0,40}\b(until|till|til) (they|it|i) "
        r"(bleed|bled|bruise)\w*\b[^.?!]{0,40}\b(when|whenever|because) (i|i'm|i get) (get )?(overwhelmed|"
        r"upset|stressed|angry|sad|low|anxious|panicky)|\bwants? to '?feel it'? instead\b|"
        r"\b(bought|got|"
        r"found|there'?s|keeps?) (a |some )?(length of )?(rope|new blade|razor "
        r"blades?)\b[^?!]{0,60}\b(nothing (in the house )?(it'?s|its) for|not for (anything|crafts|work)|"
        r"don'?t do "
        r"(crafts|diy)|doesn'?t do (crafts|diy)|no reason|isn'?t going to use it|says (he|she) (isn'?t|"
        r"won'?t) "
        r"(going to )?use it)",
    ),
    (
        r"\b(marks|cuts|scratches)( are)? (on|across) both wrists\b",
        r"\b(says|said|claims|fell|trampoline|cat|excuse|won'?t say|long sleeves|hid\w*)\b",
    ),
)
