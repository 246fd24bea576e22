#!/usr/bin/env python3
"""Assemble labelled.jsonl from the hand-written lists in src/data_*.py.

ids and splits: item number n (1-based, per label) gets id <prefix><n:03d>,
and every item with n % 4 == 0 is "holdout" (the rule validate.py checks).

Which hand-written item lands on a 4th position is chosen by stratified
sampling, so that holdout has the same mix as tune: items are grouped into
strata (long >= 500 chars; otherwise by non-English x multi-turn x contains
a trigger word) and every 4th item of each stratum (in source order) goes to holdout;
the remaining holdout quota is filled from the strata with the largest
remainders. Holdout items are then placed at positions 4, 8, 12, ... and
tune items everywhere else, both in source order. Fully deterministic.

Run: python3 benchmarks/prompt_routing/build_labelled.py
"""
import json
import os
import re  # noqa: F401
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "src"))

import data_code, data_simple, data_complex, data_general  # noqa: E402

LABELS = [
    ("code", "c", data_code.ITEMS),
    ("simple", "s", data_simple.ITEMS),
    ("complex", "x", data_complex.ITEMS),
    ("general", "g", data_general.ITEMS),
]


def to_messages(content):
    if isinstance(content, str):
        return [{"role": "user", "content": content}]
    return [{"role": r, "content": t} for r, t in content]


def _trigger_re():
    # Same word list as validate.py (kept in one place there).
    import importlib.util
    spec = importlib.util.spec_from_file_location("validate", os.path.join(HERE, "validate.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.TRIGGER_RE


def stratum(lang, messages, trig):
    text = " ".join(m["content"] for m in messages)
    multi = any(m["role"] == "assistant" for m in messages[:-1])
    if len(text) >= 500:          # long items form one stratum of their own
        return ("long",)
    return ("short", lang != "en", multi, bool(trig.search(text)))


def order_items(items, trig):
    """Return items reordered so position n % 4 == 0 holds a stratified holdout sample."""
    n = len(items)
    quota = n // 4
    strata = {}
    for idx, (lang, note, content) in enumerate(items):
        key = stratum(lang, to_messages(content), trig)
        strata.setdefault(key, []).append(idx)
    hold = set()
    for key in sorted(strata):
        for rank, idx in enumerate(strata[key]):
            if rank % 4 == 3:
                hold.add(idx)
    # fill the remaining quota from strata with the largest leftover fraction
    while len(hold) < quota:
        best = None
        for key in sorted(strata):
            members = strata[key]
            taken = sum(i in hold for i in members)
            deficit = len(members) / 4 - taken
            free = [i for i in members if i not in hold]
            if free and (best is None or deficit > best[0]):
                best = (deficit, free[len(free) // 2])
        hold.add(best[1])
    assert len(hold) == quota
    hold_list = [items[i] for i in range(n) if i in hold]
    tune_list = [items[i] for i in range(n) if i not in hold]
    out = []
    for pos in range(1, n + 1):
        out.append(hold_list.pop(0) if pos % 4 == 0 else tune_list.pop(0))
    return out


def main():
    trig = _trigger_re()
    out_path = os.path.join(HERE, "labelled.jsonl")
    with open(out_path, "w", encoding="utf-8") as f:
        for label, prefix, items in LABELS:
            for n, (lang, note, content) in enumerate(order_items(items, trig), start=1):
                rec = {
                    "id": f"{prefix}{n:03d}",
                    "label": label,
                    "split": "holdout" if n % 4 == 0 else "tune",
                    "lang": lang,
                    "messages": to_messages(content),
                    "note": note,
                }
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print("wrote", out_path)


if __name__ == "__main__":
    main()
