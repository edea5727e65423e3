"""Urgent rules for adrenal crisis and a dangerous heart rhythm, read as the findings that make
them up rather than as phrases (round 16).

An adrenal crisis is three things at once: steroids taken for a long time (or just stopped), an
illness that empties the stomach (vomiting, diarrhoea, "a sickness bug", tablets not kept down),
and the body failing (faint, muddled, grey, clammy, shaking, can't stand, low blood pressure,
pain in the back, legs or belly). Patients name each in many ways and in any order; the rules in
general_patterns.py each wanted one wording of one pair. Here the illness is the finding (first
pattern, read in one sentence or clause) and the steroid and the failing body are co-findings
anywhere in the message.

A dangerous heart rhythm is a fast, irregular or pounding heartbeat with fainting, dizziness,
breathlessness or chest pain. The rules before wanted the heart named before how it beats ("my
heart is racing"); patients also write "fast, irregular heartbeats" and "skipped beats … now it's
constant, racing".

Written from team writer P's messages (round 16, scripts/triage_training/extra/writer_p.jsonl),
then from set Y's two misses, read in round 16 (tablets "brought straight back up", "went down in
the kitchen"); the never-read set Z was not read.
"""

from __future__ import annotations

STEROID = (
    r"\b(steroids?|pred|preds|prednisone|prednisolone|pred\w*solone|medrol|methyl ?pred\w*|"
    r"hydrocortisone|dexamethasone|deflazacort|fludrocortisone|addison\w*|adrenal insufficien\w*)\b"
)
"""A steroid named (or the adrenal disease that needs one)."""

_NOT_IF = "".join(
    f"(?<!if {who} )(?<!if {who} ever )(?<!when {who} )"
    for who in ("i", "you", "he", "she", "they", "we", "someone", "somebody", "a person")
)
"""Not after "if I …" or "when you …": "what would I need to do if I couldn't keep my pred down?"
asks ahead."""

NOT_KEPT_DOWN = (
    _NOT_IF
    + r"\b(can'?t|cannot|couldn'?t|can not|haven'?t|hasn'?t|not|unable to) (seem to |even )?(been able to |"
    r"managed to |manage to )?"
    r"(keep|kept|keeping|hold|held|holding) [^.?!]{0,25}\bdown\b|"
    r"\b(brought|bringing|threw|thrown|throwing|sicked|vomited|puked|came|come|coming) [^.?!]{0,40}"
    r"\b(tablets?|pills?|steroids?|pred\w*|dose|meds|medicines?)\b[^.?!]{0,25}\bup\b|"
    r"\b(tablets?|pills?|steroids?|pred\w*|meds|medicines?)\b[^.?!]{0,25}\b((came|come|coming) (straight |"
    r"right )?(back )?up|(went|go|going|brought) (straight |right )?back up|straight back up)\b"
)
"""Tablets or fluids not kept down: on long-term steroids, an emergency by itself (the body gets no
steroid; NHS sick-day rules: an emergency hydrocortisone injection is needed)."""

STOMACH_EMPTYING = (
    r"\b(vomit\w*|throwing up|threw up|thrown up|been sick|being sick|sick all (night|day|morning)|"
    r"keeps? being sick|sickness( and diarrh?o?ea)?|(sickness|tummy|stomach|vomiting|winter) bug|"
    r"gastro(enteritis)?|food poisoning|norovirus|d ?& ?v|d and v|diarrh?o?ea|the runs)|" + NOT_KEPT_DOWN
)
"""An illness that empties the stomach, or tablets not kept down."""

BODY_FAILING = (
    r"\b(faint\w*|(pass|passing|black|blacking|grey|greying) out|keel\w* over|dizzy|light-?headed|"
    r"woozy|confus\w*|muddled|not making sense|drows\w*|can't wake|hard to wake|clammy|cold and "
    r"(grey|gray|pale|sweaty|shaky)|grey|gray|ashen|white as a sheet|shak(ing|y)|shivering|"
    r"(can't|cannot|can not|couldn't|unable to) (stand|get up|sit up)|(lying|laying|lie) on the "
    r"(floor|ground|bathroom floor)|floppy|(very|so|really|too) weak|barely (move|stand|walk)|"
    r"(bp|blood pressure)\b[^.?!]{0,20}\b([4-8]\d ?/|low|dropp\w*)|agony|in agony|(severe|terrible|"
    r"awful|bad) (pain|ache|aches|cramps)|(back|legs|belly|tummy|stomach) (is |are )?(in )?"
    r"(agony|killing))"
)
"""The body failing: faint, muddled, clammy, shaking, can't stand, low blood pressure, severe pain."""

HEART_DESCRIBED_FIRST = (
    r"\b(fast|racing|irregular|pounding|thumping|fluttering|skipp(ed|ing)|missed|extra|erratic|"
    r"jumpy|galloping|hammering)( and| ?,)? (and )?(irregular |fast |racing |pounding )?"
    r"(heart ?beats?|heart rate|pulse|beats)\b|\bbeats?\b[^.?!]{0,60}\b(constant|racing|won't stop|"
    r"nonstop|non-stop|all the time now)\b"
)
"""How the heart beats, told before the heart (or told of "beats")."""

HEART_SYMPTOM = (
    r"\b(faint|fainting|pass out|passing out|passed out|nearly passed out|black out|blacking out|"
    r"blacked out|dizzy|light-?headed|woozy|collaps|chest (pain|hurts|tight|pressure)|breathless|"
    r"short of breath|out of breath|(can't|cannot|couldn't) (catch|get) (my |his |her )?breath|"
    r"keel\w*|grey(ing)? out|went down (in|on|at|for)|dropped (to|on) the|hit the (floor|deck|ground)|"
    r"came (round|to)|out (cold|for a (few )?(second|sec|moment)s?)|lost consciousness|conked out|crumpled)"
)
"""What makes a fast or irregular heartbeat told before the heart an emergency: narrower than the
heart-first rule's co-finding in general_patterns.py ("chest" and "breath" alone are too common
beside "fast pulse")."""

COMMON_FINDINGS = frozenset({STOMACH_EMPTYING, NOT_KEPT_DOWN})
"""First findings too common alone to be a warning sign ("cellcept is giving me the runs"): they
lower the classifier's bar only with their co-findings (safety._sign_in)."""

CRISIS_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "adrenal_crisis": ((STOMACH_EMPTYING, STEROID, BODY_FAILING), (NOT_KEPT_DOWN, STEROID)),
    "heart_rhythm": ((HEART_DESCRIBED_FIRST, HEART_SYMPTOM),),
}

__all__ = ["COMMON_FINDINGS", "CRISIS_RULES"]
