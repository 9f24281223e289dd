#!/usr/bin/python3
"""Calibration of hotich's field probabilities (validate/accept.c): predicted against observed
error per decile of p.

usage: bench/calibration.py [--md] DB TRUTH.json [DB TRUTH.json ...]
DB is a hotich database after `hotich run` (fields carry p); TRUTH is the generator's
truth.json or a sample set's truth.json (both shapes are read).  Deciles are of the scored
fields ranked by p (equal counts), so the crowded top is split too.  For each: the p range,
fields, wrong values expected (sum of 1 - p) and found.  Then the same for the fields the
model accepted (p at or above its type's level in data/accept_model.tsv) and had no warning
of their own: what a run publishes as its expected wrong.  --md prints Markdown tables.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import accept_lib as al


def model_levels(path):
    names, levels = [], {}
    for line in open(path, encoding='utf-8'):
        c = line.rstrip('\n').split('\t')
        if c[0] == 'features':
            names = c[1:]
        elif len(c) > 2 and c[0] != 'column' and not c[0].startswith('#'):
            levels[c[0]] = float(c[1])
    return names, levels


def table(rows, md):
    head = ('decile', 'p from', 'p to', 'fields', 'expected wrong', 'wrong')
    if md:
        print('| ' + ' | '.join(head) + ' |')
        print('|' + '---|' * len(head))
    else:
        print(f"{head[0]:>6} {head[1]:>8} {head[2]:>8} {head[3]:>7} {head[4]:>15} {head[5]:>6}")
    rows = sorted(rows, key=lambda r: r[0])
    n = len(rows)
    for d in range(10):
        part = rows[d * n // 10:(d + 1) * n // 10]
        if not part:
            continue
        exp = sum(1 - p for p, _ in part)
        bad = sum(w for _, w in part)
        cells = (d + 1, f"{part[0][0]:.4f}", f"{part[-1][0]:.4f}", len(part), f"{exp:.1f}", bad)
        if md:
            print('| ' + ' | '.join(str(c) for c in cells) + ' |')
        else:
            print(f"{cells[0]:>6} {cells[1]:>8} {cells[2]:>8} {cells[3]:>7} {cells[4]:>15} {cells[5]:>6}")
    exp = sum(1 - p for p, _ in rows)
    bad = sum(w for _, w in rows)
    print(f"{'all':>6}: {n} fields, expected wrong {exp:.1f}, found {bad}"
          + (f" (ratio {bad / exp:.2f})" if exp else ''))
    if md:
        print()


def main(argv):
    md = '--md' in argv
    args = [a for a in argv if a != '--md']
    if not args or len(args) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    names, levels = model_levels(os.path.join(al.HERE, '..', 'data', 'accept_model.tsv'))
    own = names.index('own_warn') if 'own_warn' in names else -1
    rows = []
    for db, truth in zip(args[::2], args[1::2]):
        rows += al.labelled(db, truth, names)
    scored = [(p, wrong) for t, x, wrong, font, p, col in rows if p is not None and p >= 0]
    accepted = [(p, wrong) for t, x, wrong, font, p, col in rows
                if p is not None and p >= levels.get(t, 1.0) and not any(i == own for i, _ in x)]
    print("Every scored field, by decile of p:")
    table(scored, md)
    print("Fields accepted (p at or above their level, no warning of their own):")
    table(accepted, md)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
