"""The urgent rules of the safety triage: for each red-flag category, the phrasings that make a
message an emergency, as regular expressions over normalised text (text.normalise).

A rule is a tuple of patterns that must all match the message (most have one; "dark urine" needs a
muscle symptom as well). The first pattern is the one checked for a negation just before it ("no
chest pain"). rules.py holds the rest of the rules (referrals, framing, negations) and
compiles these; safety.py decides what a match means.
"""

from __future__ import annotations

from qa_service.triage.medicines import CHEMICALS as _CHEMICALS
from qa_service.triage.medicines import DRUGS

_MEDS = rf"pills?|tablets?|capsules?|meds|medicines?|medications?|doses?|bottle|pack|packet|box|strip|{DRUGS}"
_CHILD = (
    r"\d+[- ]?(year|yr|month)s?[- ]?old|little one|little (boy|girl)|youngster|grandkid|child|kid|son|"
    r"daughter|toddler|baby|infant|boy|girl|grandson|granddaughter|grandchild|"
    r"teen|teenager|niece|nephew|dog|puppy|cat"
)
_WHO = r"(my|his|her|their|our|the)"
_SOON = (
    r"(sudden|suddenly|all of a sudden|out of nowhere|since (this morning|last night|yesterday)|overnight|"
    r"(weaker|worse) by the (hour|minute))"
)

URGENT_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "self_harm": (
        (r"\bsuicid|\bself[- ]?harm",),
        (
            # Not fasting for a test: "do I have to starve myself before it?".
            r"\b(kill|killing|harm|harming|hurting|cutting|burning|hang|hanging|(?<!have to )(?<!need to )"
            r"(?<!got to )starv(e|ing)(?! (my|your)sel(f|ves) (before|for (a|the|my|your|this|that|it))\b)|"
            r"shoot|poison|poisoning) (my|him|her|them|your)sel(f|ves)\b",
        ),
        (r"\b(hurt|cut|burn) (my|him|her)self (on purpose|deliberately|intentionally|again)",),
        (
            r"\b(i|he|she) (cut|cuts|cutting|burn|burns|burning) (my|his|her) "
            r"(arms?|wrists?|legs?|thighs?|skin)\b",
        ),
        (
            r"\b(thanks|thank you) for everything\b|\b(text|texted|message|messaged|note|"
            r"letter)\b[^.?!]{0,40}"
            r"\bgoodbye\b",
            r"\b(not|isn't|won't|hasn't been|stopped) (answering|picking up|replying|responding)|"
            r"\bcan't (reach|get hold)",
        ),
        (
            r"\b(want|wanted|urges?|thinking|think|thoughts|plan|planning|going) (to|of|about) (hurt|"
            r"hurting) (my|him|her)self",
        ),
        (
            r"\b(end|ending|take|taking) (my|his|her) (own )?life\b|\b(end|ending) (it all|everything|"
            r"things)\b|"
            r"\bso (it|this|everything) (all )?(ends|stops)\b|\b(end|ending) it (tonight|today|now|soon)\b|"
            r"\b(gonna|going to|want to|wanna) end it\b|\b(disappear|vanish) (forever|for good)|"
            r"\bways to (die|disappear|end it)",
        ),
        (
            r"\b(going|gonna|plan|planning|want|wanna) to (take|swallow) (them all|all (of )?(my|the|them|"
            r"these|those)|"
            r"every (pill|tablet)|the whole|a whole)|\bstockpil|\b(pills|tablets|boxes|"
            r"packets) (\w+ )?saved up\b|"
            r"\bsaved up\b[^.?!]{0,30}\b(pills|tablets|boxes|packets|meds)\b",
        ),
        (r"\b(nobody|no one|no-one) (would|will|'d) (miss|care about|notice) (me|if i)",),
        (
            # Hopelessness beside looking into the means ("don't see the point anymore, looked up
            # how many pills it would take").
            r"\b(don'?t|do not|can'?t) see (the|any) point (anymore|any more|in anything)\b|\bwhat'?s the "
            r"point (anymore|any more|of anything)\b|\bno point (anymore|any more)\b",
            r"\bhow (many|much)\b[^.?!]{0,40}\b(it would|would it|it'd|to|does it) take\b|\b(looked|looking|"
            r"searched|searching|googled|googling) (up |into )?(how|ways|pills|tablets|methods)",
        ),
        (
            r"\b(goodbye|suicide) (letters?|notes?)|\bsaid (my )?goodbyes\b|"
            r"\b(giving|gave|given) away (my|all my|our) (things|stuff|belongings|cat|dog|pets?)|"
            r"\b(given|gave|giving) (my|our) (cat|dog|pets?) (away|to)\b|\bgiving (my|all my) (things|stuff|"
            r"belongings|"
            r"possessions) away\b|\bsaving up (my |all my |the )?(tablets|pills|meds|medicines?)\b",
        ),
        (
            r"\b(worked out|figured out|decided|planned|know) (how|when|where) (i'?ll|i'd|i would|"
            r"i'm going to|"
            r"to) (do it|end it)\b|\bworked out how\b(?=\W*$|\W*[.!])|\b(thinking|thought|thoughts) "
            r"(about|of) how (to|i'?d|i could|i would|i might) (end it|do it|die|kill myself|end my life)\b|"
            r"\b(thinking|thought|thoughts) (about|"
            r"of) "
            r"ending it\b|\b(standing|stood|sitting|sat) on (the|a) (edge of (the|a) (roof|bridge|cliff|"
            r"platform|balcony|building)|ledge|bridge|roof|cliff|railway)",
        ),
        (
            r"\b(no|don't see (the|any)|there's no|what's the|see no|lost (all )?the) point (in|of|to) "
            r"(living|live|going on|life|being alive|carrying on)",
        ),
        (
            r"\b(thinking|think|thought|thoughts|planning|plan|want|wanna|going|gonna|urge) "
            r"(of|about|to) (overdos\w*|take an overdose)",
        ),
        (r"\b(want|wanna|wanted|ready|plan|planning|wish) to die\b|\brather (be dead|die)\b",),
        (
            r"\bwish(ing)? (i|i'd) (was|were|could|would|had)? ?(be )?(dead|die|disappear|"
            r"never (been born|wake up)|not (wake up|be here|be alive|exist))",
        ),
        (
            r"\b(don't|do not|never|no longer|doesn't|does not) (want|wish) to (live|be alive|be here|"
            r"wake up|exist|go on|keep going|keep living)\b",
        ),
        (
            r"\b(everyone|everybody|my family|they all)('d| would| will|'ll) be better off\b(?! (with|in|at|"
            r"on|using|taking|seeing|going)\b)|"
            r"\bwish (i|i'd|i could|i would)( just)? (go to sleep and )?(never wake|not wake|stay asleep|"
            r"disappear|not exist|not be here|be dead|die)\b",
        ),
        (
            r"\b(better off|happier|easier) (dead|without me|if (i|i'm|i was|i were|i am) "
            r"(just |simply |only )?"
            r"(was |were |am )?(dead|gone|not here|not around|not alive|died|never|(wasn't|weren't) (here|"
            r"around|alive)))",
        ),
        (
            r"\b(so|and) (that )?(i|i'd|i'll|he|she) (never|not|won't|wouldn't|don't|doesn't) "
            r"(wake|waking) up|\bhop(e|ing) (that )?(i|he|she) (just |simply )?(don't|dont|won't|wont|never|"
            r"wouldn't|doesn't|doesnt) (wake|waking) up\b|\b(sleep|fall asleep) and (never|not) wake up",
        ),
        (
            r"\bno (reason|point) (to|in|for) (live|living|go on|going on|being alive|carrying on)|"
            r"\bcan't go on\b",
        ),
    ),
    "chest_pain": (
        (
            r"\bchest (pain|pains|pressure|tightness|discomfort|heaviness|hurts?|hurting|aches?|"
            r"is (really |very |so )?(tight|heavy|hurting|crushing|killing)|"
            r"feels? (really |very |so )?(tight|heavy|crushed|like))|"
            r"\bchest (is |has been |keeps |started |was )?(squeezing|burning|aching|hurting|tightening)",
        ),
        (
            r"\b(sitting|standing|pressing|pushing|crushing|weight|something heavy|elephant|tight|band|"
            r"squeezing)\b[^.?!]{0,25}\b(on|around|round|across) (my|his|her|the) (chest|ribs|breastbone)|"
            r"\b(goes|going|spreading|spreads|radiating|radiates|shooting|moving) (up |down )?(in)?to "
            r"(my|his|her) (jaw|left arm)\b|"
            r"\b(clutching|grabbing|gripping|holding) (at )?(my|his|her|their) (chest|heart)|\bpain (goes|"
            r"going|spreading|spreads|radiating|radiates|shooting|"
            r"moving) (in)?to (my|his|her) (jaw|left arm|arm|arms|back|neck|shoulder)",
        ),
        (
            r"\b(pain|pressure|tightness|squeezing|crushing|heaviness|ache|aching|weight)\b"
            r"[^.?!]{0,20}\b(in|on|across|behind|around) (the (middle|center|centre) of )?"
            r"(my|his|her|the) (chest|breastbone)",
        ),
        (
            r"\b(having|had|is having|just had) a heart attack|\bthink (i'm|i am|he's|she's|"
            r"it's) a heart attack",
        ),
    ),
    "breathing": (
        (
            r"\b(can't|cannot|can not|couldn't|unable to|struggling to|struggle to|hard to|hardly|barely|"
            r"trouble|difficulty|problems?|fighting to|hard time|not able to|n't able to|n't been able to) "
            r"(breathe|breath|breathing|catch (my|his|her|a) breath|get (my|his|her|a|any|enough) (breath|"
            r"air|oxygen)|"
            r"get (any )?air|"
            r"take a (deep |full )?breath)",
        ),
        (
            r"\bgasping\b|\bchoking\b|\b(sips|gulps) of air\b|\bsuffocating\b|\b(turning|going|gone|"
            r"went) (blue|bluish|gr[ae]y|purple)\b",
        ),
        (
            r"\b(lips|face|mouth|tongue)\b[^.?!]{0,25}\b(blue|bluish|gr[ae]y|greyish|grayish|purple|dusky|"
            r"slate)\b|"
            r"\b(fingers|fingertips|skin) (are |is |look |looks |went |turned |turning |going |have gone |"
            r"has gone )?(turning |going )?(blue|bluish|gr[ae]y|greyish|grayish|purple)\b",
        ),
        (r"\b(isn't|is not|not|stopped|has stopped|wasn't|no longer) breathing",),
        (
            r"\b(short|out) of breath (at rest|sitting|lying|even|while (sitting|resting)|"
            r"when (sitting|resting)|suddenly|and can't)|\bbreathless (at rest|sitting|even)",
        ),
        (
            r"\b(food|something|a (piece|bone|pill|tablet)) (is |got )?(stuck|lodged) in (my|his|her|"
            r"the) (throat|windpipe)",
        ),
    ),
    "severe_weakness": (
        (
            r"\bcan't swallow (my|his|her) (own )?(spit|saliva)|\bcan't (get|keep) (my|his|her) (own )?(spit|"
            r"saliva) "
            r"down\b|\b(can't|cannot|unable to|couldn't) (hold|"
            r"keep|lift) (my|his|her) head up|\bhead (keeps )?(flopping|flops|falling|drops|"
            r"dropping) (forward|down|"
            r"onto)",
        ),
        (
            # Unable now, and new: the onset is often told in another sentence, in the past ("was
            # walking the dog on Sunday"), so the inability is the finding and the onset the co-finding.
            r"\b(can't|cannot|unable to|couldn't|can no longer|not able to) (stand|get up|walk|swallow|"
            r"sit up|roll over|move (my|his|her) (arms|legs)|get (on|to|onto) (my|his|her) feet|get off the "
            r"(floor|ground))|"
            r"\b(barely|hardly|can't|cannot) (lift|hold) (a|my|his|her) (cup|mug|glass|arms?)\b|"
            r"\b(stairs?|one stair|standing|walking) (is|are) (now )?impossible\b",
            rf"\b{_SOON}\b|\b(within|in) (a|one|1) day\b|\bthis is new\b|\bnever (happened|been like this) "
            r"before\b|\bwas (walking|fine|ok|okay|out|driving|gardening|working)\b[^.?!]{0,30}\b"
            r"((on )?\w+day|yesterday|last week|(two|three|2|3|a few) days ago)\b",
        ),
    ),
    "muscle_breakdown": (
        (
            # A high CK result with the clinic's word to go to the emergency department now.
            r"\b(said|says|told (me|us|him|her)|want(s|ed)? (me|us|him|her)|advised( me)?) (to )?(go|get) "
            r"(to|into|down to|straight to) (a ?& ?e|a and e|the er|er|emergency|the emergency (room|"
            r"department)|hospital)\b",
            r"\b(ck|creatine kinase|cpk)\b",
        ),
        (
            r"\b(urine|pee|peed|peeing|wee|weeing|piss|pissing|passed (any |much |some )?water|loo water|"
            r"toilet water)\b[^.?!]{0,60}?\b(dark|darker|brown|cola|"
            r"coke|tea|red|rooibos|bovril|guinness|mahogany|coffee|"
            r"reddish|black|rusty?)\b(?! yellow)|\b(dark|brown|cola|coke|tea|red|reddish|black|rusty?)[- ]"
            r"(colou?red )?(urine|pee)\b",
            r"\b(weak|weakness|(can't|barely|hardly) (stand|walk|get up|move)|muscles? (hurt|ache|aches|"
            r"pain|are|is)|"
            r"(body|legs|arms|thighs|calves) (hurts?|aches?|is aching|are aching)|"
            r"muscle (pain|aches?|cramps?)|agony|agonising|agonizing|swollen|sore|"
            r"(barely|hardly|not|can't) (peeing|pee)|"
            r"muscles? (\w+ )?(screaming|killing|on fire)|"
            r"(very )?little (urine|pee)|cramps?)\b",
        ),
    ),
    "stroke": (
        (
            r"\b(face|mouth|smile|lip)\b[^.?!]{0,20}\b(droop|drooping|droops|drooped|droopy|lopsided|"
            r"sagging|uneven)",
        ),
        (r"\bslurr(ed|ing)\b",),
        (
            r"\b(words|speech|talking)\b[^.?!]{0,25}?\b(wrong|jumbled|garbled|mixed up|nonsense|weird|"
            r"strange|funny|gibberish|backwards)|\bcan't (get|find) (my|his|her|the) words|"
            r"\bcan't (speak|talk) (properly|right|clearly|normally)",
        ),
        (
            rf"\b{_SOON}\b[^.?!]{{0,40}}\b(numb|weak|can't (move|lift|feel|see|speak|talk)|confus|"
            r"blind|lost (my|his|her) (vision|sight|balance)|double vision|can't see)",
        ),
        (
            r"\b(one|left|right) side of (my|his|her|the) (body|face)\b|\b(numb|weak|numbness|weakness|"
            r"paralysed|"
            r"paralyzed) on one side|\b(one|my|his|her) (arm|leg|hand) (is |went |has gone |feels |"
            r"just went )?"
            r"(suddenly )?(numb|dead|limp|paralysed|paralyzed)\b",
        ),
        (
            r"\bworst headache\b|\bthunderclap headache|\bsudden(ly)? (severe|terrible|"
            r"excruciating) headache|"
            r"\bheadache\b[^.?!]{0,30}\b(nothing to (10|ten)|0 to 10|in (a few )?seconds)",
        ),
        (r"\bcan't see out of (one|my|his|her) (eye|left|right)|\bhaving a stroke\b",),
    ),
    "anaphylaxis": (
        (
            r"\b(throat|tongue|lips?|mouth|airway)\b[^.?!]{0,25}?\b(swelling|swollen|swell|closing|narrow\w*|"
            r"tight|tightening|puff(ed|ing|y)|blowing up|blew up|getting (bigger|tight|fat))",
        ),
        (
            r"\b(face|eyes?|eyelids) (is |are |feels? |looks? |went |got )?(really |very |so )?"
            r"(swelling|swollen|puff(ed|ing|y)|blowing up|blew up)",
            r"\b(sting|stung|bite|bitten|hives|wheez|breath|throat|tongue|lips|allerg|reaction|infusion|"
            r"after (a|an|my|the|taking|eating)|faint|dizzy)",
        ),
        (r"\banaphyla",),
        (r"\bhaving (an|a) (bad |severe |serious )?(allergic )?reaction\b",),
        (r"\bhives\b", r"\b(throat|breath|wheez|tongue|lips|faint|dizzy|swell)"),
    ),
    "bleeding": (
        (
            r"\b(bleeding|blood|nosebleed|nose bleed)\b[^.?!]{0,40}?\b(won't|will not|doesn't|does not|can't|"
            r"isn't) (stop|"
            r"stopping)|"
            r"\b(blood|nosebleed|bleeding|bleed)\b[^.?!]{0,40}\bsoak(ing|ed)? (through|the|\w+ (towels?|"
            r"tissues?|cloths?|pads?|tea towels?))|"
            r"\b(nosebleed|nose bleed|bleeding)\b[^.?!]{0,30}\b(for|over) ([2-9]\d|twenty|thirty|forty|"
            r"an hour|over an hour)( (minutes|mins))?\b|"
            r"\b(can't|cannot|won't|couldn't) (get (it|the bleeding) to )?stop (the )?bleeding",
        ),
        (
            r"\bbleeding (heavily|a lot|badly|profusely|everywhere|nonstop|non-stop|through)|"
            r"\bheavy bleeding|\b(lot of|so much|pool of) blood|\bblood (is )?(everywhere|pouring|"
            r"gushing|spurting|pumping|all over)|\b(spurting|gushing|pouring|pumping) (out )?blood",
        ),
        (
            r"\b(vomiting|throwing up|coughing( up)?|coughed( up)?|vomited|threw up|spitting up|peeing|"
            r"pooping) (up )?((bright |fresh |dark )?red |fresh )?blood|\bblood in (my|his|her|the) (vomit|"
            r"sick)|"
            r"\b(coughing|coughed|vomiting|vomited|threw|throwing|bringing|"
            r"brought) up (\w+ ){1,4}(of )?(bright red |"
            r"fresh |dark red |dark |red )?blood\b|"
            r"\b(vomit|vomited|vomiting|threw up|throwing up|sick|puked?|brought up|bringing up)\b"
            r"[^.?!]{0,40}"
            r"coffee[- ]grounds?|"
            r"\bblack,? (and )?(tarry|sticky|tar-like) (stools?|poop?s?|bowel movements?|motions?)|"
            r"\b(poo|poop|stools?|motions?)\b[^.?!]{0,20}\b(jet )?black\b[^.?!]{0,20}\b(sticky|tar|tarry)\b|"
            r"\b(stools?|poop?s?|motions?) (is |are |were |was )?(black|like tar|tarry)\b",
        ),
    ),
    "unconscious": (
        (
            r"\bpassed out\b|\bfaint(ed|ing)\b|\bwon't wake|\bcan't (wake|rouse)|\b(can|could) (barely|"
            r"hardly) "
            r"(wake|rouse)|\bkeeled over\b|\b(hasn't|has not|haven't|didn't|not|isn't|is not|wasn't|aren't|"
            r"doesn't|does not|won't) "
            r"(properly |really |fully )?((come|came) (round|around|to)|coming (round|around))\b|"
            r"\b(hard|difficult|impossible|unable) to wake|\bnot waking up|\bwon't respond|"
            r"\b(isn't|is not|not|stopped|wasn't) (responding|responsive|reacting)(?! (well )?to ((the|his|"
            r"her|my|their) )?"
            r"(any\w*|treatments?|medicines?|meds|drugs|steroids|therapy|prednisone|ivig|rituximab)\b)|"
            r"\bunresponsive|"
            r"\bunconscious|\bblacked out|\bcollapsed\b|\b(having|had|is having) (a )?(seizure|fit|"
            r"convulsions)|\b(is|he's|she's|they're|are|keeps|started|starts|been) fitting\b|"
            r"\bfitting (on|in|and|right|now)\b|"
            r"\bseizing\b|\bconvulsing|\b(had|having) (what looked like|something like|what seemed like) a "
            r"(seizure|fit)",
        ),
        (
            r"\b(fitting|seizing|jerking|convulsing|shaking|twitching)\b[^.?!]{0,40}\b(\d+|five|six|seven|"
            r"eight|"
            r"ten|several)( or \d+)? (minutes|mins)|\b(fit|seizure|fitting|jerking|"
            r"convulsion)s?\b[^.?!]{0,30}"
            r"\b(isn't|is not|not|won't|hasn't) (stopping|stop|stopped)",
        ),
    ),
    "poisoning": (
        (
            r"\b(swallowed|drank|drunk|drink|drinks|ate|eaten|drinking|swallowing|ingested|got into|chewed|"
            r"sprayed|chewing|chewing on|sucking|sucking on|licking|licked|bit into|bitten into|swig|"
            r"swigged|gulp|gulped|mouthful|sip|sipped)\b"
            rf"[^.?!]{{0,40}}?\b({_CHEMICALS})\b",
        ),
        (r"\b(was|been|got|is|are|were) poisoned\b",),
        (
            r"\b(ate|eaten|swallowed|chewed|eating|chewing)\b[^.?!]{0,40}\b(berries|mushrooms|toadstools|"
            r"leaves|"
            r"plant|yew|foxglove|lily|daffodil bulbs?|laburnum|nightshade|hemlock)\b",
            rf"\b({_CHILD})\b|\b(yew|foxglove|laburnum|nightshade|hemlock|poison\w*|toxic|deadly|drooling)\b",
        ),
    ),
    "overdose": (
        (r"\boverdos(e|ed|ing)\b",),
        (
            r"\b(took|taken|swallowed|ate|eaten|drank|had|used|injected|gave|downed|popped|gulped|chugged)\b"
            r"[^.?!]{0,30}?\b(too many|"
            r"too much|way too much|extra|a double|double|twice|two doses|three doses|the wrong|"
            r"(a|the|his|her|my) (whole|full|entire)|all (of )?(my|his|her|the|their|a)|"
            r"half (of )?(my|his|her|the|a)|a (bunch|handful|lot|load) of|someone else's|"
            r"(?!(19|20)\d\d\b)(\d{2,}|ten|twenty|thirty|forty|fifty|a dozen) "
            r"(?!(years?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|kg|kilos?|pounds?|lbs?|mg|mcg|g|ml|"
            r"milligrams?|micrograms?|units?)\b))"
            rf"[^.?!]{{0,40}}?\b({_MEDS})\b",
        ),
        (r"\b(took|taken|swallowed|had) too many\b",),
        (
            r"\b(took|taken|gave|given|swallowed|had|injected)\b[^.?!]{0,40}?\b(" + _MEDS + r")\b"
            r"[^.?!]{0,40}?\b(by (mistake|accident)|accidentally)\b|"
            r"\baccidentally (took|taken|gave|given|swallowed|injected|doubled)\b[^.?!]{0,40}?"
            r"\b(" + _MEDS + r")\b",
        ),
        (
            rf"\b({_CHILD})\b[^.?!]{{0,30}}?\b(swallowed|ate|eaten|drank|got into|chewed|"
            r"might have (swallowed|eaten|taken))\b[^.?!]{0,55}?\b(" + _MEDS + r")\b",
        ),
        (
            r"\b(took|taken|taking|been taking|have taken|had|gave|given|giving|swallowed|accidentally)\b"
            r"[^.?!]{0,40}?\b(weekly \w+|methotrexate|mtx)\b[^.?!]{0,30}?\b(every day|each day|daily|"
            r"days in a row|consecutive days|twice (this|in a|in one) week)|"
            r"\b(methotrexate|mtx)\b[^.?!]{0,30}?\b(every day|daily|days in a row) (by mistake|by accident|"
            r"instead of (once a week|weekly))|"
            r"\b(been|was|were|accidentally)\b[^.?!]{0,40}\bdaily instead of (once a week|weekly)",
        ),
        (
            r"\b(took|taken|had|given|gave)\b[^.?!]{0,40}\b("
            + _MEDS
            + r")\b[^.?!]{0,15}\b(twice|two times)\b"
            r"(?! (a|per|each|every) (day|week|month)| daily| weekly)",
        ),
        (
            r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday),? (and |then )?(monday|tuesday|"
            r"wednesday|thursday|friday|saturday|sunday)\b|\b(every|each) (morning|day|night|"
            r"evening)\b[^.?!]{0,20}"
            r"\bfor (\d+|two|three|four|five|six|a few|several) days",
            r"\b(methotrexate|mtx)\b",
            r"\b(weekly|once a week|a week|\w+days? only|meant to be|supposed to be|instead of)\b",
        ),
        (
            r"\b(did|took|had|gave|done|taken|given) (another|a second|a 2nd) (one|dose|injection|jab|shot|"
            r"lot)\b|"
            r"\b(took|had|did|gave) (it|them|my \w+|his \w+|her \w+) (again|twice) (this|in the same) week\b",
            r"\b(weekly|methotrexate|mtx|once a week)\b",
        ),
    ),
}
