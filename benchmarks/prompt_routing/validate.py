#!/usr/bin/env python3
"""Validate benchmarks/prompt_routing/labelled.jsonl and print composition stats.

Exits non-zero (and names the failed rule) if any rule is broken.
Run from the repo root:  python3 benchmarks/prompt_routing/validate.py
Optional: pass another path to validate a different file.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "labelled.jsonl")

LABELS = {"code": "c", "simple": "s", "complex": "x", "general": "g"}
ROLES = {"system", "user", "assistant"}
REQUIRED = ("id", "label", "split", "lang", "messages", "note")
MIN_PER_LABEL = 130
MIN_NON_EN = 0.12
MIN_MULTI = 0.20
MIN_PLAIN_COMPLEX = 0.40
MIN_LONG = 2            # items per label whose conversation text is >= LONG_CHARS
LONG_CHARS = 1500
MAX_SHORT_WORDS = 4     # at least one item per label whose final user turn is this short
MIN_LANGS = 5           # distinct non-English languages per label
MIN_MISLEADING = 5      # items per label whose note mentions "misleading"
NEAR_DUP_JACCARD = 0.8

# Words that make a prompt "sound hard". Inflections included; word boundaries,
# so "improve" does not count as "prove".
TRIGGER_RE = re.compile(
    r"\b(analy[sz](?:e|es|ed|ing)|analys[ie]s|complex(?:ity)?|complicated|"
    r"explain(?:s|ed|ing)?|compar(?:e|es|ed|ing)|evaluat(?:e|es|ed|ing)|detailed|"
    r"comprehensive|in[- ]depth|reasoning|prov(?:e|es|ed|en|ing)|"
    r"algorithm(?:s|ic)?|architectures?|strateg(?:y|ies|ic)|implications?|"
    r"trade[- ]?offs?)\b",
    re.IGNORECASE,
)

failures = []


def fail(rule, msg):
    failures.append(f"[{rule}] {msg}")


def is_multi_turn(r):
    # A real conversation: 2-6 messages including at least one earlier
    # assistant turn (a bare system + user pair does not count).
    msgs = r["messages"]
    return 2 <= len(msgs) <= 6 and any(m["role"] == "assistant" for m in msgs[:-1])


def words(text):
    return re.findall(r"\w+", text.lower())


def main():
    if not os.path.exists(PATH):
        print(f"FAIL [file-exists] {PATH} not found")
        return 1
    recs = []
    with open(PATH, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                fail("parse", f"line {lineno}: blank line")
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                fail("parse", f"line {lineno}: {e}")
                continue
            missing = [k for k in REQUIRED if k not in r]
            if missing:
                fail("fields", f"line {lineno}: missing {missing}")
                continue
            r["_line"] = lineno
            recs.append(r)

    by_label = collections.defaultdict(list)
    seen_ids = set()
    for r in recs:
        ln, lab, rid = r["_line"], r["label"], r["id"]
        if lab not in LABELS:
            fail("label", f"line {ln}: unknown label {lab!r}")
            continue
        m = re.fullmatch(r"([a-z])(\d{3,})", str(rid))
        if not m or m.group(1) != LABELS[lab]:
            fail("id-format", f"line {ln}: id {rid!r} does not match label {lab}")
            continue
        if rid in seen_ids:
            fail("id-unique", f"duplicate id {rid}")
        seen_ids.add(rid)
        n = int(m.group(2))
        want = "holdout" if n % 4 == 0 else "tune"
        if r["split"] not in ("tune", "holdout"):
            fail("split", f"{rid}: split {r['split']!r} not tune/holdout")
        elif r["split"] != want:
            fail("holdout-rule", f"{rid}: split is {r['split']}, expected {want}")
        if not isinstance(r["note"], str) or not r["note"].strip():
            fail("fields", f"{rid}: empty note")
        if not isinstance(r["lang"], str) or not re.fullmatch(r"[a-z]{2}", r["lang"]):
            fail("fields", f"{rid}: lang must be a 2-letter ISO 639-1 code")
        msgs = r["messages"]
        if not isinstance(msgs, list) or not msgs:
            fail("messages", f"{rid}: messages must be a non-empty list")
            continue
        if len(msgs) > 6:
            fail("messages", f"{rid}: {len(msgs)} messages (max 6)")
        ok = True
        for i, mm in enumerate(msgs):
            if not isinstance(mm, dict) or mm.get("role") not in ROLES or \
                    not isinstance(mm.get("content"), str) or not mm["content"].strip():
                fail("messages", f"{rid}: message {i} malformed")
                ok = False
            elif mm["role"] == "system" and i != 0:
                fail("messages", f"{rid}: system message not first")
        if not ok:
            continue
        if msgs[-1]["role"] != "user":
            fail("last-role-user", f"{rid}: last message role is {msgs[-1]['role']}")
        by_label[lab].append(r)

    # numbering must be 1..N without gaps so the holdout rule is meaningful
    for lab, rs in by_label.items():
        nums = sorted(int(r["id"][1:]) for r in rs)
        if nums != list(range(1, len(nums) + 1)):
            fail("id-sequence", f"{lab}: ids are not 1..{len(nums)} without gaps")

    # duplicates / near duplicates on the final user turn
    finals = []
    for r in recs:
        if r.get("label") in LABELS and isinstance(r.get("messages"), list) and r["messages"]:
            t = r["messages"][-1].get("content", "")
            finals.append((r["id"], " ".join(words(t)), set(words(t))))
    exact = collections.defaultdict(list)
    for rid, norm, _ in finals:
        exact[norm].append(rid)
    for norm, ids in exact.items():
        if len(ids) > 1:
            fail("duplicates", f"identical final user turn: {ids}")
    for i in range(len(finals)):
        a_id, _, a = finals[i]
        if len(a) < 5:
            continue
        for j in range(i + 1, len(finals)):
            b_id, _, b = finals[j]
            if len(b) < 5:
                continue
            jac = len(a & b) / len(a | b)
            if jac >= NEAR_DUP_JACCARD:
                fail("near-duplicates", f"{a_id} ~ {b_id} (jaccard {jac:.2f})")

    # composition rules
    header = (f"{'label':8} {'n':>4} {'tune':>5} {'hold':>5} {'non-en':>7} {'multi':>6} "
              f"{'langs':>5} {'minW':>5} {'maxChars':>8} {'>=1500':>6} {'mislead':>7}")
    print(header)
    print("-" * len(header))
    stats = {}
    for lab in LABELS:
        rs = by_label.get(lab, [])
        n = len(rs)
        if n < MIN_PER_LABEL:
            fail("label-count", f"{lab}: {n} items < {MIN_PER_LABEL}")
        if n == 0:
            continue
        tune = sum(r["split"] == "tune" for r in rs)
        hold = n - tune
        non_en = [r for r in rs if r["lang"] != "en"]
        multi = [r for r in rs if is_multi_turn(r)]
        langs = collections.Counter(r["lang"] for r in non_en)
        total_chars = [sum(len(m["content"]) for m in r["messages"]) for r in rs]
        final_words = [len(r["messages"][-1]["content"].split()) for r in rs]
        long_n = sum(c >= LONG_CHARS for c in total_chars)
        misleading = sum("misleading" in r["note"].lower() for r in rs)
        print(f"{lab:8} {n:4d} {tune:5d} {hold:5d} {len(non_en)/n:7.1%} {len(multi)/n:6.1%} "
              f"{len(langs):5d} {min(final_words):5d} {max(total_chars):8d} {long_n:6d} {misleading:7d}")
        if len(non_en) / n < MIN_NON_EN:
            fail("non-english-share", f"{lab}: {len(non_en)/n:.1%} < {MIN_NON_EN:.0%}")
        if len(multi) / n < MIN_MULTI:
            fail("multi-turn-share", f"{lab}: {len(multi)/n:.1%} < {MIN_MULTI:.0%}")
        if len(langs) < MIN_LANGS:
            fail("language-spread", f"{lab}: only {len(langs)} non-English languages")
        if long_n < MIN_LONG:
            fail("long-prompts", f"{lab}: only {long_n} items >= {LONG_CHARS} chars")
        if min(final_words) > MAX_SHORT_WORDS:
            fail("short-prompts", f"{lab}: no final user turn with <= {MAX_SHORT_WORDS} words")
        if misleading < MIN_MISLEADING:
            fail("misleading-words", f"{lab}: only {misleading} items noted as misleading")
        for split in ("tune", "holdout"):
            sub = [r for r in rs if r["split"] == split]
            if not any(r["lang"] != "en" for r in sub):
                fail("split-variety", f"{lab}/{split}: no non-English items")
            if not any(is_multi_turn(r) for r in sub):
                fail("split-variety", f"{lab}/{split}: no multi-turn items")
        stats[lab] = (n, langs)

    print()
    print("per split (non-English / multi-turn / has trigger word / >=500 chars / mean chars):")
    for lab in LABELS:
        for split in ("tune", "holdout"):
            sub = [r for r in by_label.get(lab, []) if r["split"] == split]
            if not sub:
                continue
            k = len(sub)
            ne = sum(r["lang"] != "en" for r in sub) / k
            mt = sum(is_multi_turn(r) for r in sub) / k
            tr = sum(any(TRIGGER_RE.search(m["content"]) for m in r["messages"]) for r in sub) / k
            chars = [sum(len(m["content"]) for m in r["messages"]) for r in sub]
            lg = sum(c >= 500 for c in chars) / k
            print(f"  {lab:8} {split:8} n={k:3d}  {ne:6.1%} {mt:6.1%} {tr:6.1%} {lg:6.1%} {sum(chars)/k:7.0f}")

    print()
    for lab, (n, langs) in stats.items():
        print(f"{lab:8} languages: " + ", ".join(f"{k}={v}" for k, v in sorted(langs.items())))

    cx = by_label.get("complex", [])
    if cx:
        def plain(r):
            return not any(TRIGGER_RE.search(m["content"]) for m in r["messages"])
        n_plain = sum(plain(r) for r in cx)
        cx_en = [r for r in cx if r["lang"] == "en"]
        n_plain_en = sum(plain(r) for r in cx_en)
        print()
        print(f"complex without trigger words: {n_plain}/{len(cx)} = {n_plain/len(cx):.1%} "
              f"(English-only: {n_plain_en}/{len(cx_en)} = {n_plain_en/max(1,len(cx_en)):.1%})")
        if n_plain / len(cx) < MIN_PLAIN_COMPLEX:
            fail("complex-no-trigger-share", f"{n_plain/len(cx):.1%} < {MIN_PLAIN_COMPLEX:.0%}")
        if n_plain_en / max(1, len(cx_en)) < MIN_PLAIN_COMPLEX:
            fail("complex-no-trigger-share-en",
                 f"English-only {n_plain_en/max(1,len(cx_en)):.1%} < {MIN_PLAIN_COMPLEX:.0%}")
    for lab in LABELS:
        rs = by_label.get(lab, [])
        if rs:
            n_trig = sum(any(TRIGGER_RE.search(m["content"]) for m in r["messages"]) for r in rs)
            print(f"{lab:8} items containing a trigger word: {n_trig}/{len(rs)}")

    total = sum(len(v) for v in by_label.values())
    hold = sum(r["split"] == "holdout" for v in by_label.values() for r in v)
    print(f"\ntotal {total} items: {total-hold} tune, {hold} holdout")

    if failures:
        print(f"\nFAILED ({len(failures)} problem(s)):")
        for f_ in failures:
            print("  " + f_)
        return 1
    print("\nOK: all rules pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
