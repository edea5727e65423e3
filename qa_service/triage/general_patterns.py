"""The urgent rules for the red flags beyond the twelve first written (patterns.py): spinal
cord compression, diabetic emergencies, head injury, serious infection, adrenal crisis, blood clots,
young children and pregnancy (poisoning and the abdomen: poison_and_gut_patterns.py). Same form as
patterns.URGENT_RULES; rules.py merges them."""

from __future__ import annotations

from qa_service.triage.medicines import DRUGS

GENERAL_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "self_harm": (
        # Giving belongings away because they will not be needed ("handing my things out, I won't
        # need them soon"); an urge to cut again with the means at hand ("the blade is next to me").
        (
            r"\b(giv\w*|hand\w*|gave) (away |out )?(all )?(of )?(my|his|her) (things|stuff|belongings|"
            r"possessions|treasures)\b|\b(giv\w*|gave) away (all )?(of )?(my|his|her|their) (\w+ ){0,2}\w+\b|"
            r"\b(giv\w*|gave) (all )?(of )?(my|his|her|their) (\w+ ){0,2}\w+ away\b",
            r"\b(won'?t|will not|not going to|wont) (be )?(need|needing|using|want|wanting)\b",
        ),
        (
            r"\b(cutting|cut|burning|burn) (myself |himself |herself )?again\b",
            r"\b(blades?|razors?|knife|knives|scissors|sharpener)\b|\b(urges?|tempted|can'?t stop thinking|"
            r"keep thinking|thoughts? (of|about))\b",
        ),
        # Medicines saved up with an intent or a secret: "3 boxes saved up and I know what I'm going
        # to do with them".
        (
            r"\b(saved|saving|stockpil\w*|hoard\w*|collected|collecting|stash|stashed|hidden|hid|"
            r"kept)( up)?\b"
            rf"[^.?!]{{0,40}}\b(pills|tablets|boxes|packets|packs|bottles|meds|medicines?|doses|{DRUGS})\b|"
            rf"\b(pills|tablets|boxes|packets|packs|bottles|meds|{DRUGS})\b[^.?!]{{0,40}}\b(saved|stockpiled|"
            r"hoarded|stashed|hidden|put aside)\b",
            r"\b(know (exactly )?what (i'm|i am) (going|gonna) (to )?do|haven't told (anyone|anybody)|"
            r"not told "
            r"(anyone|anybody)|nobody knows|no one knows|when the time comes|enough to|for when|my plan|"
            r"(can't|cannot|don't) see the point|done with (all )?(this|it|everything|life)|had enough|"
            r"wanted to (tell|say)|thanks for|won't do anything|say goodbye|know what (it|they|that|those) "
            r"(would|will|could) do|(all|every one of them) at once|in one go)\b",
        ),
        # Putting affairs in order with farewell letters: "written letters for my kids and sorted out
        # who gets my things".
        (
            r"\b(written|wrote|writing|left) (\w+ )?(letters?|notes?|cards?) (to|for) (my|the|each of my) ",
            r"\b(who gets|given away|giving away|gave away|sorted out|sorting out|my (things|stuff|"
            r"belongings)|goodbye|won't need|thanks for|thank you for|look after (them|my))\b",
        ),
        (r"\b(plan|planned|planning) to (end it|end my life|kill myself|take (them|it) all|overdose)\b",),
        # Asking how much of a medicine would end a life, even "as a joke": "asked how much of his
        # methotrexate would be enough to finish it".
        (
            r"\bhow (much|many)\b[^.?!]{0,50}\b(would be|is|be|it'?d take|would it take|it would take) "
            r"(enough )?(to )?(finish|end|kill|do) (it|me|him|her|them|himself|herself|myself|things|"
            r"(my|his|her|their) life)\b",
        ),
        (
            r"\b(decided|worked out|figured out|planned|knows?) (exactly )?how (i'd|i would|he'd|she'd|"
            r"he would|"
            r"she would|they'd) do it\b",
            r"\b(burden|better off|end it|no point|tired of|if things get (any )?worse|die|dying|suicid\w*|"
            r"kill)",
        ),
        (
            r"\b(posted|sent|wrote|left|texted|put up) (a |his |her |their |my )?(goodbye|farewell)",
            r"\b((can't|cannot|couldn't|nobody can|no one can|not) (reach|find|get hold of|contact)|"
            r"not answering|isn't answering|gone missing|missing|car is gone)",
        ),
    ),
    "bleeding": (
        (
            r"\b(cough\w*|spit\w*|bring\w* up|brought up)\b[^.?!]{0,30}\b(mouthfuls?|cupfuls?|bright red|"
            r"clots)\b",
        ),
        (
            r"\b(vomited|vomiting|was sick|been sick|threw up|throwing up|puked)\b[^.?!]{0,30}\b"
            r"(it was|it's|was) (bright |dark )?red\b",
        ),
        # A wound still bleeding through pressure, in other words: "cut my hand on a glass, been
        # pressing a towel on it 15 min and it's still soaking through".
        (
            r"\b(cut|sliced|gashed|slashed|split)\b[^.?!]{0,80}\b(pumping|pouring|spurting|gushing|"
            r"(still |keeps? |kept )soak(s|ing|ed)?|soak(ed|ing)? through)\b",
        ),
    ),
    "overdose": (
        (
            # A dose taken twice, or a total well above the usual: "took my pred this morning and then
            # again at lunch", "80mg total instead of 20".
            r"\b(took|taken|had|swallowed) (my|his|her|the) (\w+ ){0,2}(this morning|earlier|at breakfast|"
            r"at lunch|last night)\b[^.?!]{0,20}\b(and )?(then )?again\b|"
            r"\b\d+ ?(mg|mgs|milligrams) (total|in total|altogether) instead of\b",
        ),
        (
            r"\b(gave|given|took|taken)\b[^.?!]{0,30}\b(my|his|her|the wrong) (tablets|pills|meds|"
            r"medicines?)\b"
            r"[^.?!]{0,15}\binstead of (his|hers|mine|theirs|their own|her own|his own)\b",
        ),
        (
            r"\b(took|taken|had|swallowed|given|gave)\b[^.?!]{0,40}\b(my|her|his|their) (dad|mum|mom|husband|"
            r"wife|partner|son|daughter|brother|sister|nan|gran|grandad|grandma|grandpa|friend|neighbour)'s "
            r"(\w+ ){0,2}(tablets|pills|meds|medicines?|medication)\b",
        ),
        (
            r"\bthought it was (daily|every day|a daily)\b|\b(two|three|four|2|3|4|several) days (in a row|"
            r"running)\b|\b(mon|tues|wednes|thurs|fri|satur|sun)day,? (and )?(mon|tues|wednes|thurs|fri|"
            r"satur|"
            r"sun)day,? and (mon|tues|wednes|thurs|fri|satur|sun)day\b",
            r"\b(methotrexate|mtx|metho|metoject|otrexup|rasuvo)\b",
        ),
        # A weekly medicine (methotrexate) taken daily: "been taking it every morning instead of weekly".
        (
            r"\b(been|was|were) (taking|giving|having|injecting|on)\b[^.?!]{0,50}\b(every|each) (day|morning|"
            r"night|evening)|\b(been|was|were|accidentally|by mistake)\b[^.?!]{0,40}\bdaily\b[^.?!]{0,20}\b"
            r"instead of\b[^.?!]{0,15}\b(week|weekly)\b",
            r"\b(instead of|rather than|not)\b[^.?!]{0,15}\b(once a week|weekly|each week|every week)\b",
        ),
    ),
    "spinal_cord": (
        (
            r"\b(numb|numbness|no feeling|can't feel|tingl\w*|lost (all |the )?(feeling|sensation))\b"
            r"[^.?!]{0,40}\b(saddle|"
            r"between (my|his|her) "
            r"legs|groin|genitals|private parts|bottom|buttocks|backside|bum|inner thighs?|inside of "
            r"(my|his|her) thighs)|\b(numb|numbness|no "
            r"feeling|tingl\w*|pins and needles)\b[^.?!]{0,20}\bwhere (i|he|she) sits?\b",
        ),
        (
            r"\b(saddle|groin|genitals|private parts|bottom|backside|inner thighs?)\b[^.?!]{0,20}\b(gone|"
            r"going|feels?|is|are) (numb|tingly|dead)\b",
            r"\b(back|spine|bladder|pee|wee|go to the toilet|needs? to go|bowels?)\b",
        ),
        (
            # Soiling oneself without feeling it, with back pain: "back agony and I pooed myself and
            # didn't feel it coming".
            r"\b(pooed|pooped|soiled|wet|peed|weed) (myself|himself|herself)\b|\b(had|having) an accident "
            r"(in|on) (my|his|her|the) (pants|trousers|underwear|knickers|bed|chair)\b",
            r"\b(back|spine)\b",
            r"\b(didn't|didnt|did not|couldn't|could not|without|no) (even )?(feel|feeling|notic\w*|know\w*|"
            r"warning|realis\w*|realiz\w*)\b",
        ),
        (
            # Sciatica or numbness in both legs with a foot that flops or a numb seat.
            r"\b(sciatica|shooting pain|numb\w*|tingl\w*|pins and needles|weak\w*)\b[^.?!]{0,30}\bboth "
            r"(legs|sides|feet)\b",
            r"\b(floppy|flopping|can't lift|dragging|foot drop|where (i|he|she) sits?|saddle|bladder|"
            r"bowels?)\b",
        ),
        (
            r"\b(can't|cannot|unable to|couldn't) (pee|urinate|wee|pass urine)|\b(need|needs|needing) to "
            r"(go|pee|wee)\b[^.?!]{0,20}\bnothing (comes|came|will come) out\b|\b(lost|losing|no) "
            r"control of (my|his|her) (bladder|bowels?)|\bwet (myself|himself|herself) without",
            r"\b(back|spine|legs?|numb)",
        ),
    ),
    "blood_sugar": (
        (
            r"\b(meter|monitor|glucometer|sugar|glucose|reading|finger ?prick|bm)\b[^.?!]{0,30}\b(says|said|"
            r"shows|reads|just) ['\"]?hi\b",
        ),
        (r"\bfruity (breath|smell)|\bbreath (smells|smelling) (fruity|sweet|like (nail polish|pear))",),
        (
            r"\b(blood sugar|sugar|glucose|bg|meter|monitor|glucometer)\b[^.?!]{0,30}\b([4-9]\d\d|"
            r"[2-9]\d(\.\d)?)\b(?! ?(years?|months?|weeks?|days?|hours?|minutes?|units?|mg|%))",
            r"\b(vomit|throwing up|being sick|keep being sick|drowsy|confus|breathing (fast|deep)|"
            r"can't stay awake|can't stop drinking|so thirsty|really thirsty)",
        ),
        (
            r"\b(hypo|low sugar|sugar (is |was )?low|blood sugar (is |was )?low|"
            r"(went|gone|going|having a) low)\b",
            r"\b(confus|muddled|won't wake|can't wake|fit|seizure|can't (eat|swallow|keep anything down)|"
            r"can't think|too shaky|"
            r"unconscious|drowsy)",
        ),
        (
            r"\b(sugar|glucose|bg|bm|reading|level)\b[^.?!]{0,20}\b([0-2](\.\d)?|3\.[0-4])\b"
            r"(?! ?(mg|units?|hours?|days?|weeks?|times|%|years?))",
            r"\b(confus\w*|muddled|dopey|drowsy|sleepy|can't (swallow|wake|eat|drink)|won't (wake|drink|eat)|"
            r"too \w+ to (drink|eat|swallow)|not making sense|fit|seizure|shaking|shaky|sweaty|"
            r"can't think)",
        ),
    ),
    "head_injury": (
        (
            r"\b(hit|hitting|banged|banging|bumped|bumping|knocked|knocking|smacked|cracked|struck|whacked|"
            r"bashed) ((his|her|my|their|the back of (his|her|my)) )?head|\bhead (injury|knock|bump)|"
            r"\b(fell|landed|came down) (\w+ ){0,3}?(on|onto|and hit) (his|her|my|their) head|"
            r"\b(took|got|caught) (a |the )?\w+( \w+)? (to|in|on) the "
            r"(side of (his|her|my|the) |back of (his|her|my|the) )?head\b",
            r"\b(vomit\w*|threw up|throwing up|being sick|drowsy|sleepy|confus\w*|seizure|fit|"
            r"knocked out|"
            r"passed out|warfarin|apixaban|eliquis|rivaroxaban|xarelto|blood thinners?|anticoagulant\w*|"
            r"clear fluid|worse headache|won't stop|can't remember|thrown up|been sick|worse and worse|"
            r"(asking|asks|asked) the same|repeat\w* (himself|herself|themselves|the same)|"
            r"(doesn'?t|does not|didn'?t|don'?t) (know|recogni[sz]e) (what day|where|who|me|us|his|her)|"
            r"not making sense|talking nonsense|was sick|muddled|out cold|fluid (\w+ ){0,4}nose|had a (\w+ "
            r")?fit)",
        ),
    ),
    "anaphylaxis": (
        # A severe skin reaction to a medicine (Stevens-Johnson syndrome, toxic epidermal necrolysis).
        (
            r"\bskin\b[^.?!]{0,50}\b(peel\w*|coming off|comes? away|coming away|comes? off|blister\w*|"
            r"sloughing|like a burn|like (it's|it is) burnt)\b|\bblister\w*\b[^.?!]{0,40}\b(mouth|lips|"
            r"eyes)\b|"
            r"\b(mouth|lips)\b[^.?!]{0,30}\b(full of|covered in) (sores|blisters|ulcers)\b",
            r"\b(started|starting|new|began|since)\b|\b(tablets?|pills?|medicines?|meds|antibiotics?|"
            r"allopurinol|lamotrigine|carbamazepine|co-trimoxazole|septrin|bactrim|sulfasalazine)\b",
        ),
    ),
    "infection": (
        (
            r"\brash\b[^.?!]{0,50}\b(doesn't|does not|don't|won't|didn't|not) (fade|go away|disappear|"
            r"blanch)[^.?!]{0,30}\b(glass|press)",
        ),
        (
            r"\b(spots|rash|marks|dots|blotches)\b[^.?!]{0,80}\b(glass|tumbler)\b[^.?!]{0,50}\b(still (there|"
            r"see|"
            r"visible|showing)|can still|didn't (fade|go)|not fad\w*|don't fade|doesn't fade)",
        ),
        (
            # A rash that does not fade under a glass, in any order of the words.
            r"\b(spots?|rash|marks|dots|blotches|bruis\w*|pin ?pricks?)\b",
            r"\b(doesn'?t|does not|don'?t|do not|won'?t|didn'?t|not|never) (fade|go away|disappear|blanch|"
            r"go pale|go white)\b|\bnon[- ]?blanching\b",
            r"\b(glass|tumbler|press\w*)\b",
        ),
        (r"\bstiff neck\b", r"\b(fever|temperature|hot|light hurts|bright light|vomit|confus|rash)"),
        (
            # A measured fever (38.0-42.9 °C, 100.4-105 °F) with shaking or on a medicine that weakens
            # the immune system: "38.9 and shaking under two duvets, had rituximab 2 weeks ago".
            r"\b(3[89]|4[0-2])[.,]\d\b|\b(3[89]|4[0-2]) ?(°c?|degrees)|\b10[0-5]([.,]\d)? ?(°f?|degrees|f\b)",
            r"\b(shak\w*|shiver\w*|rigou?rs|chills|teeth chattering|duvets?|blankets?|awful|rough|"
            r"rituximab|ritux|methotrexate|mtx|pred\w*|steroids?|mycophenolate|cellcept|azathioprine|"
            r"tacrolimus|cyclophosphamide|chemo\w*|immun\w*|ivig|infusion)\b",
        ),
        (
            r"\b(fever|temperature|temp|shivering|rigors|chills)\b",
            r"\b(confus\w*|mottled|blotchy|blue|can't wake|hard to wake|floppy|not peed|hasn't peed|"
            r"no (pee|urine)|breathing (really |very )?fast|feel like (i'm|i am) (going to|gonna) die)",
        ),
    ),
    "heart_rhythm": (
        (
            r"\b(heart|hrt|pulse|heartbeat|heart rate)\b[^.?!]{0,25}\b(racing|pounding|fluttering|"
            r"jumping about|skipping|beating (really |very |so |super )?(fast|hard|irregularly|wildly)|"
            r"going (really |very |so )?fast|very fast|so fast|irregular|like the clappers|like crazy|"
            r"like mad|"
            r"all over the place|out of rhythm|thumping|thudding|hammering|banging|uneven)|\bpalpitations|"
            r"\b(heart rate|pulse|hr)\b[^.?!]{0,20}\b(1[4-9]\d|2\d\d)\b|\b(1[4-9]\d|2\d\d) ?bpm\b",
            r"\b(faint|fainting|pass out|passing out|passed out|black out|blacking out|blacked out|dizzy|"
            r"light-?headed|woozy|collaps|chest|breath|keel\w*|(went|goes|go|gone|going) down on the "
            r"(floor|ground)|hit the (floor|ground|deck)|dropped to the (floor|ground)|white as a sheet|"
            # A collapse in everyday words (round 16): "went down in the kitchen", "came round".
            r"grey(ing)? out|went down (in|on|at|for)|dropped (to|on) the|came (round|to)|out (cold|for a "
            r"(few )?(second|sec|moment)s?)|lost consciousness|conked out|crumpled)",
        ),
    ),
    "adrenal_crisis": (
        (
            # Near fainting or bed-bound with an illness, on steroids for years ("on steroids for 5 yrs,
            # got flu, feel like I'm going to pass out").
            r"\b(going to|gonna|about to|like i('ll| will| might)|might) (pass out|faint|collapse|"
            r"black out)\b|"
            r"\b(can't|cannot|couldn't) (get|climb) out of bed\b",
            r"\b(steroids?|pred\w*|hydrocortisone)\b[^.?!]{0,30}\b(\d+ ?(yrs?|years?)|years|"
            r"long[- ]term|ages)\b|"
            r"\b(long[- ]term|years of) (steroids?|pred\w*)\b",
            r"\b(flu|bug|infection|fever|temperature|vomit\w*|diarrh\w*|d ?& ?v|being sick|"
            r"throwing up|covid)\b",
        ),
        (
            # Faint, clammy or a low blood pressure now, after steroids were stopped, run out or missed
            # (the stopping is often told in the past: "stopped my steroids two weeks ago").
            r"\b(clammy|faint\w*|confus\w*|collaps\w*|(barely|can't|cannot) stand|"
            r"bp (is |was |of )?[5-8]\d ?/|blood pressure (is |was )?(really |very )?(low|[5-8]\d ?/))",
            r"\b(stopped|ran out of|run out of|came off|come off|missed|forgot|tapered off) "
            r"(my |his |her |the )?(\w+ )?(steroids?|pred\w*|hydrocortisone)\b",
        ),
        (
            r"\b(brought|bringing|threw|thrown|vomited|sicked|been sick with) (my|the|his|her|this) (\w+ )?"
            r"(steroids?|pred\w*|hydrocortisone|tablets?|pills?|dose|meds)( back)? up\b|"
            r"\b(brought|threw|thrown|sicked|puked|throwing|bringing) up (my|the|his|her|this) (\w+ )?"
            r"(steroids?|pred\w*|hydrocortisone|tablets?|pills?|dose|meds)\b",
            r"\b(twice|again|two times|both|keep|kept|every time|can't)\b|"
            r"\b(long[- ]term|for years|for ages)\b|"
            r"\b(vomiting|being sick|throwing up) (since|all)\b",
        ),
        (
            r"\b(d ?& ?v|d and v|diarrh?o?ea and vomiting|vomiting and diarrh?o?ea|"
            r"sickness and diarrh?o?ea)\b",
            r"\b(steroids?|pred\w*|hydrocortisone)\b",
            r"\b(pass out|passing out|faint\w*|dizzy|confus\w*|clammy|collaps\w*|can't stand|"
            r"low blood pressure)\b",
        ),
        (
            r"\b(can't|cannot|couldn't|not) keep(ing)? (any |the )?(anything|food|fluids|water|drinks?|it|"
            r"them) down\b",
            r"\b(hydrocortisone|prednisone|prednisolone|pred|steroids?|fludrocortisone|dexamethasone|"
            r"addison\w*|adrenal)\b",
        ),
        (
            r"\b(can't|cannot|couldn't) keep (my|his|her|the) (steroids?|prednisone|prednisolone|"
            r"hydrocortisone|tablets|pills) down|"
            r"\b(vomit\w*|throwing up|threw up|being sick)\b[^.?!]{0,60}\b(steroids?|prednisone|"
            r"prednisolone|hydrocortisone)\b[^.?!]{0,40}\b(dizzy|faint|confus|clammy|cold|weak|"
            r"low blood)",
        ),
    ),
    "blood_clot": (
        (
            r"\b(calf|leg)\b[^.?!]{0,30}\b(swollen|swelling|red and painful|hot and swollen)",
            r"\b(breathless|short of breath|can't (catch my|get my) breath|hurts to breathe|pain when "
            r"(i )?breath\w*|chest pain|coughing (up )?blood)",
        ),
        (r"\bhurts? (to|when i) (breathe|take a breath)|\bsharp pain (when|as) (i )?breath",),
    ),
    "child": (
        (
            r"\b(\d|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]?(week|wk)s?"
            r"[- ]?old|"
            r"\b(newborn|new born|baby|infant)\b[^.?!]{0,40}\b(1|2|one|two) months?|"
            r"\b(daughter|son|little one|girl|boy),? (is |who is |who's |she's |he's |aged |age )?"
            r"(1|2|one|two) "
            r"months?\b(?! ago)",
            r"\b(fever|temperature|temp|38|39|100|101|102|hot)\b",
        ),
        (
            r"\b(skin|chest|ribs|tummy)\b[^.?!]{0,30}\b(sucking|sucks|pulling|pulls|caving|sinking) in|"
            r"\bgrunting\b",
        ),
        (
            r"\b(1|2|one|two)[- ]?months?[- ]?old\b",
            r"\b(fever|temp (of|is|was|says|reads)|temperature (of|is|was|says|reads)|thermometer|"
            r"3[89]([.,]\d)?|"
            r"10[0-3]|hot|burning up)\b",
        ),
        (
            r"\b(baby|child|son|daughter|toddler|kid|little one|infant)\b[^.?!]{0,40}\bfloppy\b|"
            r"\b(floppy|limp) like a rag ?doll\b",
        ),
        (r"\bsoft spot\b[^.?!]{0,20}\bbulg",),
    ),
    "pregnancy": (
        (
            r"\b(pregnant|pregnancy|weeks along|expecting|[2-4]\d (weeks|wks?)\b(?! ago| old))\b",
            r"\b(heavy bleeding|bleeding heavily|soaking|gushing|clots|(baby|bump)\b[^.?!]{0,30}\b"
            r"(stopped moving|not moving|moving (much )?less|hasn't moved)|(haven't|hasn't|not|didn't|can't) "
            r"(felt|feel) (the )?(baby|bump|him|her|any) (move|moving|kick\w*|movements?)|"
            r"\bno (movements?|kicks?|kicking)\b|blurr\w* vision|"
            r"seeing (spots|flashing)|"
            r"flashing lights|severe headache|face (and hands )?(swollen|puffy))",
        ),
    ),
    "breathing": (
        (
            r"\b(heaving|hunching|lifting|using) (up )?(her|his|my|their) shoulders\b[^.?!]{0,30}\bbreath|"
            r"\bneck muscles\b[^.?!]{0,20}\b(straining|working|sticking out|pulling)",
        ),
    ),
    "stroke": ((r"\bwords\b[^.?!]{0,20}\b(don't|do not|didn't) (fit|make sense|go together)\b",),),
    "severe_weakness": (
        (
            r"\bnot (being )?able to get (off|up (off|from)) the (sofa|couch|chair|bed|toilet|floor)\b|"
            r"\bcan't get (off|up (off|from)) the (sofa|couch|chair|bed|toilet)\b",
            r"\b(sudden|suddenly|overnight|since (this morning|last night|yesterday)|within (a|one) day|"
            r"today)\b",
        ),
        # Round 15 (team writer O): the inability in everyday words, and an onset told as hours,
        # "all today", "was ok at breakfast", "two days ago I could walk", "gone from … to …".
        (
            r"\b(can'?t|cannot|unable to|couldn'?t|can no longer|not (being )?able to|"
            r"no longer able to) (get (out of|off|up (from|off)|up out of) (the |my |his |her |a )?(bed|"
            r"chair|sofa|couch|toilet|loo|floor|seat|toilet seat|bath)|rise from|stand up|lift (the|a|my|"
            r"his|her) (kettle|cup|mug|teacup|glass|phone|fork|spoon)|lift (my|his|her) head|get (my|his|"
            r"her) legs up)\b|\b(doesn'?t|does not|don'?t|do not|hasn'?t|has not|haven'?t|has no|have no|"
            r"had no|didn'?t) (have |got )?(the )?(strength|power) (left )?to (get up|stand|sit up|lift|"
            r"walk|move)\b|\b(legs|knees) (gave|have given|went) (out|way) completely\b|\bchin (is )?on (my|"
            r"his|her) chest\b|\b(grip|arms|legs|neck) (is |are )?(gone|going)\b[^.?!]{0,40}\b(arms|legs|"
            r"neck|grip) (is |are )?(gone|going)\b|\bswallow(ing)? (my|his|her) (own )?(saliva|spit)\b",
            r"\b(in|within|over|in the (last|past)) (12|24|36|48|a few|few|two|2|three|3|six|6|"
            r"twelve) (hours?|days?)\b|\bin (the )?(past|last) day\b|\ball today\b|\bby the hour\b|"
            r"\bovernight\b|\b(since|from) (tea ?time|lunch|breakfast|this (morning|afternoon|evening)|"
            r"last night|yesterday|tuesday|monday|wednesday|thursday|friday|saturday|sunday)\b|\b(was|were|"
            r"i was|he was|she was) (ok|okay|fine|alright|walking)\b[^.?!]{0,30}\b(at breakfast|"
            r"this morning|going out|earlier|yesterday|last night|at lunch)\b|\b(yesterday|two days ago|"
            r"2 days ago|last week|this morning)\b[^.?!]{0,15}\b(i|he|she|they) (could|was|were)\b|"
            r"\bgone from\b[^.?!]{0,50}\bto (not|being unable|can'?t|barely)\b|\b(never been this bad|"
            r"much worse|so much worse|worse than ever|quicker than ever|this is new)\b|\b(could|"
            r"was able to|managed to)\b[^.?!]{0,40}\b(last week|yesterday|this morning|two days ago|"
            r"2 days ago|on \w+day)\b",
        ),
    ),
}
