"""Cut a patient's message into the units safety triage judges one by one.

An emergency stated in one clause must not be diluted by the rest of the message: "I have had
dermatomyositis since 2019 and started a statin three weeks ago. Today my pee is like cola and I
can hardly stand. Should I just wait it out?" reads as a question about statins when embedded
whole, but its middle sentence is an emergency on its own. So triage scores the whole message, each
sentence, and each clause of a sentence (cut at "but", "and then", "and now", dashes and
semicolons), and acts on the most urgent of them.

It also says when a finding a rule matched is denied ("no chest pain", "my face isn't drooping")
and when a rule's co-finding is ("dark wee, no muscle pain").
"""

from __future__ import annotations

import re

from qa_service.triage import rules as tr

# A hypothetical clause: "what should I do if ...", "If I get chest pain, ...". Events already
# happened ("if I took too many") are not hypothetical and keep their clause.
HYPOTHETICAL = re.compile(
    r"\b(what (should|do|would|can|could|must) (i|we|you|one|someone|a person|people|they|he|she|"
    r"(my|our) \w+( \w+)?) do|what (happens|would happen|to do|does it mean)|how (do|would|can|should|"
    r"could|will) (i|we|you|one|someone|(my|our) \w+)\b[^.?!]{0,60}?|is it (an emergency|serious|"
    r"dangerous)|should (i|we|you|someone) (call|go|worry))\s+(if|when|in case)\b[^.?!]*"
    r"|(^|[.?!]\s+)(if|in case|suppose|supposing)\b[^,.?!]*"
    # A question someone asked ("the physio asked if I had any numbness or trouble with my bladder")
    r"|\b(asked|asks|asking|checked|wanted to know) (me |us |him |her |them )?(if|whether) "
    r"(i|we|he|she|they)( (had|have|has|was|were|am|is|are|ever|got|get)|'m|'re|'s)\b"
    r"(?:(?!\s+(and|but|so) (i|we|he|she|it|they)\b)[^,.?!])*"
    r"(?=\s+(and|but|so) (i|we|he|she|it|they)\b|[,.?!]|$)"
    # ... unless the answer was yes ("asked if I had chest pain and I do").
    r"(?!\W*(and |but |which |yes,? ?)?(i|he|she|we|they) (do|did|have|has|had|am|is|was)\b(?! not\b))"
)
# A conditional about medicine already taken ("what should I do if I took too many") keeps its
# clause; "if my wife passed out" stays a hypothetical.
HAPPENED = re.compile(r"\b(took|taken|swallowed|drank|ate|overdosed)\b")
# ... unless the clause says it is imagined ("what would happen if my kid ever swallowed one").
IMAGINED = re.compile(r"\b(ever|would|were to|happened to|god forbid)\b")

# Sentence ends, including the line breaks and ellipses people type instead of full stops.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*(?:\n|\.\.+|…)\s*|(?<=[a-z])[.!?]+(?=[a-z])")
# Clause boundaries inside a sentence: a turn ("but", "although"), a new event in time ("and
# then", "and now", "now"), a dash or a semicolon, or a comma before a new subject.
_CLAUSE = re.compile(
    r"\s*[;—–]\s*|\s+-\s+|,?\s+\b(?:but|although|though|however|and then|and now|then now|and since|"
    r"since then|and today|now)\b\s+|,\s+(?=(?:and |so )?(?:i|i'm|i've|we|we're|we've|he|she|he's|she's|"
    r"they|my|his|her|our|it|it's|now|today|tonight|suddenly)\b)"
)
MIN_WORDS = 3
"""A clause shorter than this joins its neighbour ("dad, 78," is not a unit of its own)."""
MAX_UNITS = 8
"""At most this many units are embedded for one message (the whole message is always one), so a
very long message costs at most eight short model calls."""


def sentences(text: str) -> list[str]:
    """The sentences of `text`, trimmed of spaces and commas; pieces of punctuation alone are dropped."""
    return [s.strip(" ,") for s in _SENTENCE.split(text) if s and s.strip(" ,.!?")]


def clauses(sentence: str) -> list[str]:
    """The clauses of `sentence` (cut at turns, new events, dashes and semicolons); one shorter
    than MIN_WORDS joins its neighbour."""
    parts = [p.strip(" ,") for p in _CLAUSE.split(sentence) if p and p.strip(" ,")]
    merged: list[str] = []
    for part in parts:
        if merged and (len(part.split()) < MIN_WORDS or len(merged[-1].split()) < MIN_WORDS):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def units(text: str) -> list[str]:
    """The whole message first, then its sentences, then the clauses of longer sentences, without
    repeats and at most MAX_UNITS. A sentence of several clauses is kept whole as well, so that a
    finding and its co-finding in the same sentence ("dark urine and can barely stand") are judged
    together."""
    whole = " ".join(text.split())
    out: list[str] = [whole] if whole else []
    sents = sentences(whole)
    pieces: list[str] = list(sents) if len(sents) > 1 else []
    for sentence in sents:
        parts = clauses(sentence)
        if len(parts) > 1:
            pieces.extend(parts)
    for piece in pieces:
        if piece not in out and len(piece.split()) >= MIN_WORDS:
            out.append(piece)
        if len(out) >= MAX_UNITS:
            break
    return out


def background(text: str) -> str:
    """The text without when a medicine was started or how long it has been taken: background
    that says nothing of whether the event the message tells of is over or long-standing."""
    return tr.MEDICINE_DURATION.sub(" ", tr.MEDICINE_TIMING.sub(" ", text))


def recent_beside_resolved(text: str) -> bool:
    """Something is happening now, once the words saying it is over ("she's fine now") are set aside."""
    return recent(tr.RESOLVED.sub(" ", text))


# "Now" and "again" that date nothing happening: an age ("she's 5 now"), a diagnosis given since
# ("and now I've been diagnosed with polymyositis"), a routine check repeated ("checked again").
_NOT_RECENT = re.compile(
    r"\b(is|'s|am|'m|are|'re|turned) (\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"( (years?|months?)( old)?)? now\b|\band now (i|he|she|they|we)('ve| have| has|'s| am|'m| is| are) "
    r"(just )?(been )?(diagnosed|told|started|put on)\b|\b(checked|tested|scanned|seen|repeated|measured) "
    r"again\b"
)


def recent(text: str) -> bool:
    """Something is happening now or has just started ("still", "since this morning", "suddenly")."""
    text = _NOT_RECENT.sub(" ", text)
    return bool(tr.RECENT.search(text) or tr.ACUTE.search(text))


def without_hypotheticals(text: str) -> str:
    """The text without hypothetical clauses ("what should I do if I fall"), keeping those that
    describe something that has happened or is happening ("if I took too many", "if right now")."""

    def drop(m: re.Match[str]) -> str:
        clause = m.group(0)
        happened = HAPPENED.search(clause) and not IMAGINED.search(clause)
        return clause if happened or tr.RECENT.search(clause) else " "

    return " ".join(HYPOTHETICAL.sub(drop, text).split())


def co_finding_denied(text: str, match: re.Match[str]) -> bool:
    """A co-finding negated just before it ("dark wee this morning, no muscle pain" has none); one
    that tells of an absence itself ("no stools for days", "can't stand") is a finding."""
    own = set(match.group(0).lower().split())
    return not own & tr.NEGATIONS and tr.negated(text, match.start(), tr.DENIALS)


# A finding ending in a negated verb is still one: "bleeding that doesn't stop", "words that don't fit".
STILL_URGENT_AFTER_NEGATION = frozenset(("stop", "stopping", "fade", "blanch", "disappear", "wake", "move",
    "round", "around", "fit", "sense", "together", "wind", "gas"))  # fmt: skip


def is_denied(text: str, match: re.Match[str]) -> bool:
    """A finding negated before it ("no chest pain") or inside it, just before its last word ("my
    face isn't drooping"); "bleeding that doesn't stop" is not a denial."""
    if tr.negated(text, match.start()):
        return True
    words = match.group(0).split()
    if len(words) < 2 or words[-1] in STILL_URGENT_AFTER_NEGATION:
        return False
    return any(w in tr.NEGATIONS for w in words[-3:-1])


def only_asks_how(text: str) -> bool:
    """Every clause is a question and the writer is in it only as who would do something ("what is
    anaphylaxis and how do I use an EpiPen?"): a how-to, not something happening to someone."""
    if not tr.HOW_DO_I.search(text) or tr.SPECIFIC_PERSON.search(tr.HOW_DO_I.sub(" ", text)):
        return False
    clauses = (c for c in re.split(r"[,.;:!?]|\band\b|\bor\b", text) if c.strip())
    return all(tr.QUESTION_START.search(c) for c in clauses)
