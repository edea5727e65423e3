"""Urgent rules for self-harm by the kind of thing said, not by one wording: the steps of a
suicide-risk screen (a wish to be dead or not to wake up; a plan or a time; preparations such as
saving tablets, putting affairs in order, finding pets a new home; a method or a place thought
about; hurting oneself) each written as the families of phrases people use for it.

Round 15: team writer O's 170 self-harm messages, mostly indirect, were missed 97 times by the
rules and the classifier of round 14 ("tired of waking up", "I've decided Friday", "I counted them
again tonight. 84. thats enough I think"). A learned head over the embedding (scripts/
train_self_harm.py) could not tell these from low mood without many false alarms, so the kinds are
written out here. Each rule names a wish, a plan or an act, not a feeling: "so tired of this
disease", "tired of waking up stiff" and "I scratch the rash until it bleeds" stay answers.
Same form as patterns.URGENT_RULES (every pattern of a rule must match; normalised text)."""

from __future__ import annotations

from qa_service.triage.medicines import DRUGS

_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend|the weekend"
_DAY = rf"({_DAYS})"
_PETS = r"(dogs?|cats?|rabbits?|pets?|bird|birds|hamsters?|guinea pigs?|horse|budgie)"

IDEATION_RULES: tuple[tuple[str, ...], ...] = (
    # A wish to be dead, not to exist or not to wake up.
    (
        r"\b(wish|wishing|wished|want|wanted|wanna|rather|prefer|hope|hoping|happy|mind|"
        r"fine)\b[^.?!]{0,30}\b(i (was|were) dead|to be dead|(not )?to (not )?(exist|be alive|be here)|"
        r"to not wake|not to wake|i (just )?(didn't|did not|wouldn't|would not|don't|do not|never) (wake|"
        r"woke|exist)|(go to )?sleep (and|for) (not|never|good|ever))\b|\b(stop|stopped|cease|"
        r"ceased) (existing|being alive|living)\b|\b(rather|prefer) not (to )?(wake|be here|be alive|exist|"
        r"live|see (the )?(morning|tomorrow))\b|\bnot to see (the )?(morning|next day|tomorrow)\b|"
        r"\bnot wanting to (live|be alive|be here|exist|wake up|go on)\b|\b(wish|wishes|wished|hope|hopes|"
        r"want|wants)\b[^.?!]{0,40}\bfinish (me|her|him|them) off\b|\b(sorry|apologi\w+) (for|"
        r"about) '?(still )?being (here|alive|around)\b|\bremov(e|ing) myself\b|\bwhat'?s the point (of|"
        r"in) me\b|\b(i|me)\b[^.?!]{0,30}\band be gone\b|\bi('?d| should| could| would| will|"
        r"'?ll) (just )?be gone\b|\b(feel|feeling|feels) like it'?s time (for me )?to go\b(?! (to|home|back|"
        r"for|in))|\b(don'?t|do not|not|won'?t|never)\b[^.?!]{0,20}\b(be|being) (here|around) (for )?(long|"
        r"much longer|to see|to eat|next (week|month|year))\b|\b(tired|sick|weary) of (waking up|"
        r"being alive|living|life|existing|breathing)\b(?![^.?!]{0,6}\b(with|in|stiff|sore|at|feeling|to|"
        r"and (stiff|sore|aching)))|\b(disappointed|gutted|annoyed|upset|sad) (that )?(i|to have) (woke|"
        r"wake|woken)( up)?\b|\b(give|given|giving|gave) up on (life|living|being alive|everything|myself|"
        r"me)\b|\bon being alive\b|\b(no|run out of|any|ran out of) reasons? (left )?(to (stay|live|"
        r"keep going|be here|carry on|go on))\b|\b(went|go|going) to sleep and (stayed|stay) asleep\b|"
        r"\b(sleep|asleep) (forever|for ever|for good)\b|\bgo to sleep and not come back\b|\b(picture|"
        r"picturing|imagine|imagining|keep thinking about) (just |myself )?(fading|slipping|drifting) (out|"
        r"away)\b",
    ),
    # A method in mind: "I keep thinking about taking all my pills at once" (not a schedule).
    (
        r"\b(think|thinking|thought|thoughts) (about|of) (taking|swallowing|downing) (all|every one of|the "
        r"whole|a whole|the lot of) (of )?(my |the |his |her )?(pills|tablets|meds|medicines?|packets?|"
        r"boxes?|bottles?|stash)\b(?![^.?!]{0,30}\b(morning|breakfast|evening|bedtime|night|instead|rather|"
        r"together|with food|a day|to save|ok|okay|safe)\b)",
    ),
    # Others better off, the writer gone: "they'd be fine. Better, even."
    (
        r"\b(better|easier|lighter|happier|cope|fine|move on|save)\b[^.?!]{0,40}\b(without (me|him|her)|"
        r"if (i|he|she) (was|were|wasn't|weren't|wasnt|werent) (gone|dead|here|around|in it)|when i'?m gone|"
        r"with me gone)\b|\b(without me|if i (was|were) gone|with me gone)\b[^.?!]{0,40}\b(better|easier|"
        r"lighter|happier|cope|fine|save|move on)\b|\btake myself out of the (picture|equation)\b|\b(won't|"
        r"will not|wont|not going to) be (a (problem|burden|bother|worry)|around|here) (for )?(much|any|"
        r"very) (longer|more|long)\b|\b(not|won't|wont) (be )?doing this (much|any|for) (longer|long)\b",
    ),
    (
        r"\b(i'?m|im|i am) (a |such a |just a )?(burden|waste of space)\b",
        r"\b(would|will|'d) (cope|move on|be fine|be better)\b|\bwithout me\b",
    ),
    # A time set or the mind made up: "tonight's the night", "I've decided Friday", "a date picked".
    (
        r"\btonight'?s the night\b|\b(i'?ve|i have|i) decided(,| on)? " + _DAY + r"\b(?! (to|for|at))|"
        r"\b(i'?ve|i have|got) (a |the )?(date|day) (picked|chosen)\b|"
        r"\bmade (up )?my mind( up)? about (things|everything|it all)\b|\bthe plan is (after|before|on|"
        r"for) (christmas|my birthday|the (holidays|wedding|weekend)|" + _DAYS + r")\b|\bi (have|"
        r"'ve got|got) a plan\b(?=\W*($|[.!]))|\b(after|once|when)\b[^.?!]{0,40}\b(i'?m|i am) done\b|"
        r"\bi('?ll| will) end it\b|\bworked out how and when\b|\b(which|what) (bridge|tree|cliff|building|"
        r"car park)\b[^.?!]{0,30}\b(no barriers|i'?d use|would do|high enough)\b|\bi know which (tree|"
        r"bridge|cliff)\b|\b(the )?last (one|time|test|appointment) (i'?ll|i will|i'm going to) (ever )?(do|"
        r"have|need|go to)\b|\b(won't|will not|wont) need (any more|anymore|them|it|this|"
        r"more)\b[^.?!]{0,30}\bafter " + _DAY + r"|"
        r"\b(it|everything|all this)('ll| will) (all )?be over (by|after|before) " + _DAY,
    ),
    # Tablets kept back secretly until there is a pile; counted "again" as "enough".
    (
        rf"\b((keep|keeping|kept|held|holding) (aside|back)|(putting|put) aside)\b[^.?!]{{0,40}}\b(tablets?|"
        rf"pills?|meds|strips?|doses|{DRUGS})\b|\b(keep|keeping|kept|holding|"
        rf"held)\b[^.?!]{{0,30}}\b(tablets?|pills?|meds|strips?|{DRUGS})\b[^.?!]{{0,10}}\b(aside|"
        rf"back)\b(?! (up|to|by|a|an|one|two|\d))",
        r"\b(pile|stash|collection|quite a few|have about|got about|months?|weeks?|enough|now)\b",
    ),
    (
        r"\b(counted|counting|count) (them|my (pills|tablets|meds)|the (pills|tablets))( out)?( again)?\b",
        r"\b(enough|again|how many|tonight|all of them)\b",
    ),
    # Affairs put in order beside a goodbye, an odd calm, or the end of things.
    (
        r"\b(sorted|sorting|written|wrote|writing|made|updated|done) (out )?(my|a|his|her) will\b|"
        r"\bcancel+ed (all )?my (subscriptions|direct debits|accounts)\b|\bgoodbye (cards|messages|texts)\b",
        r"\b(light|calm|peace|cancel+ed|subscriptions|paid|up front|letters|goodbye|passwords|last|done|"
        r"pointless|sorted)\b",
    ),
    # Pets given a new home, things given out, "won't be needing him".
    (
        rf"\b(rehomed|re-homed|new homes? for|given away|gave away|dropped (off|round)|"
        rf"handed over)\b[^.?!]{{0,40}}\b{_PETS}\b|\b{_PETS}\b[^.?!]{{0,40}}\b(rehomed|re-homed)\b",
        r"\b(won'?t|will not|wont) (be )?(need|needing)\b|\blast (few )?things\b|\b(so )?low\b|\bgoodbye\b|"
        r"\bjust the last\b|\bto sort\b|\bsorted\b",
    ),
    (r"\b(won'?t|will not|wont) be needing (him|her)\b",),
    # A method or place: the tide or train times, the train that doesn't stop, the cliffs at dusk,
    # driving off the road, all the tablets at once "would it be quick".
    (
        r"\b(tide|train) (times|timetable)\b",
        r"\b(pier|cliff|cliffs|bridge|platform|know what that sounds like|doesn'?t stop|tracks)\b",
    ),
    (
        r"\btrain that (doesn'?t|does not|won'?t|wont) stop\b|\b(throw|throwing|threw) (myself|himself|"
        r"herself)\b|\b(drift|slip|slipping|drifting) under\b|\blooks? like an accident\b",
    ),
    (
        r"\b(thinking (about|of)|keep thinking about|picturing|imagining)\b[^.?!]{0,30}\b(walking in(to)?|"
        r"jumping|turning the wheel|driving into|stepping (off|out|in front)|crashing|wrap(ping)? the car)\b",
    ),
    (
        r"\b(stood|standing|stand) at the edge\b",
        r"\b(top|roof|multi-storey|bridge|cliff|platform|long time|ledge)\b",
    ),
    (r"\b(hose|exhaust pipe)\b", r"\b(car|garage)\b", r"\b(decide|just in case|keys|tape)\b"),
    (
        r"\b(gun|shotgun|rifle|pistol)\b[^.?!]{0,40}\b(out|loaded|sitting|bedroom|bed|under|next to|"
        r"cabinet)\b",
        r"\b(low|flat|had enough|doesn'?t shoot|can'?t lift|keeps (saying|looking)|no reason|quiet)\b",
    ),
    (r"\bnot coming back\b", r"\b(river|bridge|sea|cliff|woods|phone|left|gone)\b"),
    (
        r"\b(love you all|sorry for everything|last (sunset|drive|walk|look|goodbye))\b",
        r"\b(not|isn't|won't|hasn't|stopped) (been )?(answering|picking up|replying|responding|come back|"
        r"home)|\bphone (has been |is |was |'s |went )?(off|switched off|turned off|dead)\b|\bcan'?t (reach|"
        r"get hold)",
    ),
    (
        r"\bif anything happens to me\b|\b(important papers|spare key|passwords) (are|is)\b",
        r"\b(passwords|papers|will|folder|soon|tell my|take the (children|kids)|tomorrow|spare key)\b",
    ),
    (
        r"\bwon'?t be (needing|coming to|going to) (the|my) (\w+ )?(appointment|clinic|check-?up)\b",
        r"\b(thank|tomorrow|setting|did (her|his|their) best|everything)\b",
    ),
    (r"\bwant to (vanish|disappear)\b", r"\b(not run away|everyone|forever|for good|get over it|nobody)\b"),
    (r"\bdone fighting\b", r"\bfor good\b|\bgloves\b|\bany ?more\b|\bgive up\b"),
    (
        r"\b(take|taking|swallow\w*) (the lot|them all|all of them|everything)\b",
        r"\b(tonight|vodka|bottle of|planning|going to|gonna)\b",
    ),
    (r"\b(razor )?blades?\b", r"\b(hidden|hiding|pencil case|blood|under (his|her|the) (bed|mattress))\b"),
    (r"\bthey'?re cuts\b", r"\b(forearms?|arms?|wrists?|thighs?|plasters?)\b"),
    (
        r"\b(going|goes|gone|been going|went) (up )?to the (cliffs?|bridge|tracks|railway|pier|edge)\b",
        r"\b(not yet|on (his|her|my) own|alone|every (night|evening|day)|keeps?)\b",
    ),
    (
        r"\b(thinking (of|about)|might|going to|gonna|want to|could) (just )?driv(e|ing) (off|into)\b",
        r"\b(road|cliff|bridge|edge|wall|tree|river|sea|lorry|truck|anyway)\b",
    ),
    (
        rf"\b(took|take|taking|swallow\w*) (all|every one|the whole (box|lot|bottle|pack|packet))( of)? (my|"
        rf"the|them|these|those|his|her)?\s*(\w+ )?(meds|pills|tablets|{DRUGS})?\b[^.?!]{{0,30}}\bat once\b",
        r"\b(would it|will it|quick|painless|enough|die|kill|hurt|work|stop)\b",
    ),
    # Hurting oneself: on purpose, to feel it, again; a sharp point on the skin.
    (
        r"\b(pick|picking|picked|scratch\w*|hit|hitting|punch\w*|bang\w*|burn\w*|bite|biting|cut|cuts|"
        r"cutting|hurt|hurting|bruis\w*|raw)\b[^.?!]{0,50}\b(on purpose|deliberately|to punish (myself|"
        r"himself|herself)|to feel (it|something|pain|that) instead|(want|wants) to feel (it|something|"
        r"pain))\b",
    ),
    (
        r"\b(keep|kept|been|started|i) (hitting|punching|banging|slapping) (my|his|her) (own )?(legs|arms|"
        r"head|thighs|body|face|stomach)\b|\b(been|started|am|i'm|im) cutting( myself)?( again)?\b(?! (back|"
        r"down|out|up|my (pred|dose|tablets|food)))",
    ),
    (
        r"\b(compass|blade|razor|craft knife|knife|scissors|lighter)\b[^.?!]{0,30}\b(on|into|in|across) (my|"
        r"his|her) (arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach)\b",
    ),
    (
        r"\b(lines|marks|cuts|scratches|burns)\b[^.?!]{0,20}\bon (both )?(her|his|my) (thighs|wrists|"
        r"forearms|arms)\b",
        r"\b(says?|said|claims?|blames?) (she|he|it|the)\b|\bfell on\b|\bcaught it\b|\bthe cat did\b|"
        r"\bhides?\b|\bhiding\b|\blong sleeves\b",
    ),
    # Repeated pleading to make it stop, or it all to stop for good.
    (
        r"(make it stop\W+){2,}|\b(want|need) (it|everything|this) (all )?to stop\b[^.?!]{0,20}(permanently|"
        r"for good|forever|for ever)|\b(all )?to stop\. (all of it\. )?(permanently|for good|forever)\b",
    ),
)
