"""The blind sets: patient messages and questions written by independent reviewers who saw neither
the code nor the team's examples (from the red-flag taxonomy, or from the corpus pages alone), each
frozen when written and its start figures recorded before any change. Their sha256 digests are
pinned in tests/eval/test_triage_blind.py; eval/datasets.py makes each a built-in suite.
"""

from __future__ import annotations

BLIND_SUITES: tuple[tuple[str, str, str], ...] = (
    (
        "triage-blind",
        "patient messages written blind from the red-flag taxonomy: urgent per category, near misses, "
        "dosing (eval/suites)",
        "triage-blind.jsonl",
    ),
    (
        "triage-blind-b",
        "a second blind set, written from clinical red-flag knowledge without the taxonomy (its own "
        "category names)",
        "triage-blind-b.jsonl",
    ),
    (
        "triage-blind-c",
        "a third blind set, written from the taxonomy in round 3 before triage changed again: 100 urgent "
        "over all categories, 65 near misses, 35 dosing",
        "triage-blind-c.jsonl",
    ),
    (
        "answers-blind",
        "patient questions over every corpus/ page written blind from the pages (66 answerable, 12 of "
        "them follow-ups; 10 the library cannot answer), with key facts",
        "answers-blind.jsonl",
    ),
    (
        "answers-blind-2",
        "a second blind set of patient questions over every corpus/ page, written mid-round before the "
        "last answer changes (66 answerable, 10 not)",
        "answers-blind-2.jsonl",
    ),
    (
        "answers-blind-3",
        "a third blind set of patient questions, written at the end of round 3 before the safety-net line"
        " moved (66 answerable, 10 not)",
        "answers-blind-3.jsonl",
    ),
    (
        "answers-blind-4",
        "a fourth blind set of patient questions, written at the end of round 3 before whole-passage "
        "answers (66 answerable, 10 not)",
        "answers-blind-4.jsonl",
    ),
    (
        "answers-blind-5",
        "a fifth blind set of patient questions, written at the end of round 3 to choose how the first "
        "passage is picked (66 answerable, 10 not)",
        "answers-blind-5.jsonl",
    ),
    (
        "triage-blind-d",
        "a fourth blind triage set from the taxonomy, written at the end of round 3: 100 urgent, 65 near "
        "misses, 35 dosing",
        "triage-blind-d.jsonl",
    ),
    (
        "triage-blind-e",
        "a fifth blind triage set from the taxonomy, written at the start of round 4 before triage "
        "changed: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-e.jsonl",
    ),
    (
        "answers-blind-6",
        "a sixth blind set of patient questions, written at the start of round 4 before triage and the "
        "safety-net line changed (66 answerable, 10 not)",
        "answers-blind-6.jsonl",
    ),
    (
        "answers-blind-7",
        "a seventh blind set of patient questions, written in round 4 before the small-library intent "
        "prior and the follow-up rule (66 answerable, 10 not)",
        "answers-blind-7.jsonl",
    ),
    (
        "answers-blind-8",
        "an eighth blind set of patient questions, written in round 4 before the rare-word abstention was"
        " tried (66 answerable, 10 not, each missing a different kind of thing)",
        "answers-blind-8.jsonl",
    ),
    (
        "triage-blind-f",
        "a sixth blind triage set from the taxonomy, written at the start of round 5 before triage "
        "changed: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-f.jsonl",
    ),
    (
        "triage-blind-g",
        "a seventh blind triage set from the taxonomy by another reviewer, written with F: 100 urgent, 65"
        " near misses, 35 dosing",
        "triage-blind-g.jsonl",
    ),
    (
        "answers-blind-9",
        "a ninth blind set of patient questions, written at the start of round 5 before the section "
        "questions (66 answerable over all 56 pages, 10 not)",
        "answers-blind-9.jsonl",
    ),
    (
        "answers-blind-10",
        "a tenth blind set of patient questions, written in round 5 before the follow-up, abstention and "
        "list changes (66 answerable over all 56 pages, 10 not)",
        "answers-blind-10.jsonl",
    ),
    (
        "answers-blind-11",
        "an eleventh blind set of patient questions, written in round 5 before the rare-word abstention "
        "and follow-up question matching (66 answerable, 10 not)",
        "answers-blind-11.jsonl",
    ),
    (
        "answers-blind-12",
        "a twelfth blind set of patient questions, written in round 5 before the detail and follow-up-"
        "suggestion section questions (66 answerable, 10 not)",
        "answers-blind-12.jsonl",
    ),
    (
        "triage-blind-h",
        "an eighth blind triage set from the taxonomy, written at the start of round 6 before triage "
        "changed: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-h.jsonl",
    ),
    (
        "answers-blind-13",
        "a thirteenth blind set of patient questions, written at the start of round 6 before the safety-"
        "net and dosing changes (66 answerable over all 56 pages, 10 not)",
        "answers-blind-13.jsonl",
    ),
    (
        "triage-blind-i",
        "a ninth blind triage set from the taxonomy, written in round 6 before the second round of triage"
        " changes: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-i.jsonl",
    ),
    (
        "answers-blind-14",
        "a fourteenth blind set of patient questions, written in round 6 before the in-context reading of"
        " follow-ups and the rare-word change (66 answerable, 10 not)",
        "answers-blind-14.jsonl",
    ),
    (
        "triage-blind-j",
        "a tenth blind triage set from the taxonomy, written at the end of round 6 to measure the round's"
        " final triage against its start: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-j.jsonl",
    ),
    (
        "answers-blind-15",
        "a fifteenth blind set of patient questions, written at the end of round 6 to measure the round's"
        " final answers against its start (66 answerable, 10 not)",
        "answers-blind-15.jsonl",
    ),
    (
        "triage-blind-k",
        "an eleventh blind triage set from the taxonomy, written at the start of round 7 before triage "
        "changed: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-k.jsonl",
    ),
    (
        "answers-blind-16",
        "a sixteenth blind set of patient questions, written at the start of round 7 before any change "
        "(66 answerable over 55 pages, 10 not)",
        "answers-blind-16.jsonl",
    ),
    (
        "triage-blind-l",
        "a twelfth blind triage set from the taxonomy, written in round 7 after its triage changes, to "
        "measure them against the round's start: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-l.jsonl",
    ),
    (
        "triage-blind-m",
        "a thirteenth blind triage set from the taxonomy, written late in round 7 to measure its final "
        "triage against its start: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-m.jsonl",
    ),
    (
        "triage-blind-n",
        "a fourteenth blind triage set from the taxonomy, written at the start of round 8 before triage "
        "changed: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-n.jsonl",
    ),
    (
        "answers-blind-17",
        "a seventeenth blind set of patient questions, written at the start of round 8 before any change "
        "(66 answerable over 56 pages, 10 not)",
        "answers-blind-17.jsonl",
    ),
    (
        "triage-blind-o",
        "a fifteenth blind triage set from the taxonomy, written in round 8 after the classifier changed,"
        " to measure it against the round's start: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-o.jsonl",
    ),
    (
        "triage-blind-p",
        "a sixteenth blind triage set from the taxonomy, written at the end of round 8 after every change"
        " but the last rules, to measure the round's triage against its start: 100 urgent, 65 near "
        "misses, 35 dosing",
        "triage-blind-p.jsonl",
    ),
    (
        "triage-blind-q",
        "a seventeenth blind triage set from the taxonomy, written at the start of round 9 before triage "
        "changed (its misses then read and fixed): 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-q.jsonl",
    ),
    (
        "answers-blind-18",
        "an eighteenth blind set of patient questions, written at the start of round 9 before any change "
        "(66 answerable over 56 pages, 10 not)",
        "answers-blind-18.jsonl",
    ),
    (
        "answers-blind-19",
        "a nineteenth blind set of patient questions, written in round 9 after its first answer changes, "
        "before the last ones (66 answerable over 55 pages, 10 not)",
        "answers-blind-19.jsonl",
    ),
    (
        "triage-blind-r",
        "an eighteenth blind triage set from the taxonomy, written at the start of round 9 and never "
        "read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-r.jsonl",
    ),
    (
        "triage-blind-s",
        "a nineteenth blind triage set from the taxonomy, written at the start of round 10 before triage "
        "changed (its misses then read and fixed): 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-s.jsonl",
    ),
    (
        "triage-blind-t",
        "a twentieth blind triage set from the taxonomy, written at the start of round 10 and never read:"
        " 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-t.jsonl",
    ),
    (
        "answers-blind-20",
        "a twentieth blind set of patient questions, written at the start of round 10 before any change "
        "(66 answerable over 56 pages, 10 not)",
        "answers-blind-20.jsonl",
    ),
    (
        "triage-blind-u",
        "a twenty-first blind triage set from the taxonomy, written at the start of round 11 and never "
        "read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-u.jsonl",
    ),
    (
        "answers-blind-21",
        "a twenty-first blind set of patient questions, written at the start of round 11 before any "
        "change (66 answerable over 56 pages, 10 not)",
        "answers-blind-21.jsonl",
    ),
    (
        "answers-blind-22",
        "a twenty-second blind set of patient questions, written in round 11 after its triage changes, "
        "before its answer changes (66 answerable over 56 pages, 10 not)",
        "answers-blind-22.jsonl",
    ),
    (
        "triage-blind-v",
        "a twenty-second blind triage set from the taxonomy, written at the start of round 12 and never "
        "read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-v.jsonl",
    ),
    (
        "answers-blind-23",
        "a twenty-third blind set of patient questions, written at the start of round 12 before any "
        "change (66 answerable over 56 pages, 10 not); graded",
        "answers-blind-23.jsonl",
    ),
    (
        "triage-blind-w",
        "a twenty-third blind triage set from the taxonomy, written at the start of round 13, its misses "
        "read in round 14: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-w.jsonl",
    ),
    (
        "answers-blind-24",
        "a twenty-fourth blind set of patient questions, written at the start of round 13 before any "
        "change (66 answerable over 56 pages, 10 not); graded",
        "answers-blind-24.jsonl",
    ),
    (
        "triage-blind-x",
        "a twenty-fourth blind triage set from the taxonomy, written at the start of round 14, its misses"
        " read in round 15: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-x.jsonl",
    ),
    (
        "answers-blind-25",
        "a twenty-fifth blind set of patient questions, written at the start of round 14 before any "
        "change (66 answerable over 56 pages, 10 not); graded",
        "answers-blind-25.jsonl",
    ),
    (
        "triage-blind-y",
        "a twenty-fifth blind triage set from the taxonomy, written at the start of round 15; its misses "
        "read in round 16: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-y.jsonl",
    ),
    (
        "answers-blind-26",
        "a twenty-sixth blind set of patient questions, written at the start of round 15 before any "
        "change (66 answerable over 56 pages, 10 not); graded",
        "answers-blind-26.jsonl",
    ),
    (
        "triage-blind-z",
        "a twenty-sixth blind triage set from the taxonomy, written at the start of round 16 and never "
        "read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-z.jsonl",
    ),
    (
        "answers-blind-27",
        "a twenty-seventh blind set of patient questions, written at the start of round 16 before any "
        "change (66 answerable over 55 pages, 10 not); graded",
        "answers-blind-27.jsonl",
    ),
    (
        "answers-blind-28",
        "a twenty-eighth blind set of patient questions, written late in round 16 after its changes "
        "(66 answerable over 55 pages, 10 not); graded against round 15's code",
        "answers-blind-28.jsonl",
    ),
    (
        "triage-blind-aa",
        "a twenty-seventh blind triage set from the taxonomy, written at the start of round 17; its misses "
        "read in round 17: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-aa.jsonl",
    ),
    (
        "answers-blind-29",
        "a twenty-ninth blind set of patient questions, written at the start of round 17 before any "
        "change (66 answerable over 56 pages, 10 not); graded",
        "answers-blind-29.jsonl",
    ),
    (
        "triage-blind-ab",
        "a twenty-eighth blind triage set from the taxonomy, written in round 17 after its first triage "
        "changes; its misses read in round 17: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-ab.jsonl",
    ),
    (
        "triage-blind-ac",
        "a twenty-ninth blind triage set from the taxonomy, written in round 17 after its second triage "
        "changes; its misses read in round 17: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-ac.jsonl",
    ),
    (
        "triage-blind-ad",
        "a thirtieth blind triage set from the taxonomy, written at the end of round 17 after its triage "
        "changes and never read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-ad.jsonl",
    ),
    (
        "triage-blind-ae",
        "a thirty-first blind triage set from the taxonomy, written at the start of round 18 before any "
        "change and never read: 100 urgent, 65 near misses, 35 dosing",
        "triage-blind-ae.jsonl",
    ),
    (
        "answers-blind-30",
        "a thirtieth blind set of patient questions, written at the start of round 18 before any change "
        "from pages without their listed questions (66 answerable over 55 pages, 10 not); graded",
        "answers-blind-30.jsonl",
    ),
    (
        "triage-blind-af",
        "a thirty-second blind triage set from the taxonomy, written at the start of round 19 before any "
        "change, then read: 75 urgent, 55 near misses, 30 dosing",
        "triage-blind-af.jsonl",
    ),
    (
        "answers-blind-31",
        "a thirty-first blind set of patient questions, written at the start of round 19 from pages without "
        "their listed questions (42 answerable over 26 pages, 6 of them follow-ups; 4 not); graded",
        "answers-blind-31.jsonl",
    ),
    (
        "triage-blind-ag",
        "a thirty-third blind triage set from the taxonomy, written in round 19 after its triage changes "
        "and never read: 75 urgent, 55 near misses, 30 dosing",
        "triage-blind-ag.jsonl",
    ),
)
"""(name, description, file under eval/suites), in the order they were written."""
