#!/usr/bin/python3
"""Fit the acceptance model of validate/accept.c on generated books; write data/accept_model.tsv.

usage: bench/accept_fit.py [--out data/accept_model.tsv] SETDIR...
Each SETDIR holds h.db (a hotich run on generated books, re-validated so its fields carry the
current evidence) and truth.json (hotich fixtures).  bench/accept_data.sh makes them under
build/accept/.  Never give it the sample books: they are what the model is checked on.

Per field type (and one model for empty fields): an L2-penalised logistic regression of
"the value is right" on the evidence features.  Leave-one-font-out: for each font, fit on the
other fonts, pick the level there, and measure on the font left out.  The level stored for
each type is the lowest p at which the fields accepted (those without a warning of their own)
were wrong at most 1 in 1,000 on the whole training set; the level the pooled held-out
predictions would have needed is printed beside it (what transfer to unseen faces costs).
"""
import os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import accept_lib as al

TYPES = ['text', 'number', 'date', 'name', 'id', 'place', 'closed', 'empty']
UNTAUGHT = []


def feature_names():
    src = open(os.path.join(al.HERE, '..', 'validate', 'accept.c'), encoding='utf-8').read()
    block = src[src.index('feat_names[F_COUNT] = {'):]
    block = block[:block.index('};')]
    import re
    return re.findall(r'"([a-z_]+)"', block)


def flagged(x, own):
    """A field with a warning of its own goes to a supervisor whatever its p."""
    return any(i == own for i, v in x)


def by_type(rows, keep=lambda r: True):
    out = {t: [] for t in TYPES}
    for r in rows:
        if keep(r):
            out[r[0]].append((r[1], 0 if r[2] else 1))
    return out


def fit_all(rows, nfeat):
    return {t: al.fit(d, nfeat) for t, d in by_type(rows).items()}


def lofo(rows, nfeat, col_index, own):
    fonts = sorted({r[3] for r in rows})
    held = []   # (type, p, wrong) for every row, predicted by a model that never saw its font
    print("fields without a warning of their own, accepted by a model fitted without their font:")
    print(f"{'font left out':22} {'fields':>7} {'accepted':>9} {'wrong':>6} {'expected':>9}")
    for font in fonts:
        train = [r for r in rows if r[3] != font]
        test = [r for r in rows if r[3] == font]
        priors = al.column_priors(train)
        train = al.with_prior(train, priors, col_index)
        test = al.with_prior(test, priors, col_index)
        w = fit_all(train, nfeat)
        lv = {t: al.level_for([(al.predict(w[t], x), y == 0) for x, y in d
                               if not flagged(x, own)])
              for t, d in by_type(train).items()}
        acc = wrong = 0
        doubt = 0.0
        for r in test:
            p = al.predict(w[r[0]], r[1])
            if flagged(r[1], own):
                continue
            held.append((r[0], p, r[2]))
            if p >= lv[r[0]]:
                acc += 1
                wrong += r[2]
                doubt += 1 - p
        print(f"{font:22} {len(test):7} {100 * acc / max(1, len(test)):8.1f}% {wrong:6} {doubt:9.2f}")
    return held


def record_outcome(recs, levels):
    """Fields and wrong values among the records every field of which is accepted."""
    fields = wrong = n = 0
    for rs in recs.values():
        if all(not fl and p >= levels[t] for t, p, bad, fl in rs):
            n += 1
            fields += len(rs)
            wrong += sum(bad for t, p, bad, fl in rs)
    return n, fields, wrong


def joint_levels(rows, keys, w, levels, own, target=0.001, floor_error=0.02):
    """The levels that let the most records through whole while the values
    they export stay wrong at most target of the time.  The target is over
    what is exported, not per field type: a record is exported when every
    one of its fields is accepted, so a field type may be let through at a
    higher error of its own where the record's other fields are surer.
    Coordinate descent from the per-type levels, all types lowered together
    first (a record is blocked by its least sure field, so lowering one type
    alone frees little), then each alone; no type below the level at which
    it alone would be wrong floor_error of the time, nor below 1/2."""
    recs = {}
    for r, k in zip(rows, keys):
        recs.setdefault(k, []).append((r[0], al.predict(w[r[0]], r[1]), r[2], flagged(r[1], own)))
    scored = {t: [(al.predict(w[t], x), y == 0) for x, y in d if not flagged(x, own)]
              for t, d in by_type(rows).items()}
    # ... and never below 1/2: a field more likely wrong than right is not accepted, however
    # sure its record's other fields are.
    floor = {t: min(levels[t], max(0.5, al.level_for(scored[t], target=floor_error)))
             for t in TYPES}
    lv, n0 = dict(levels), record_outcome(recs, levels)[0]
    # Together: a fraction s of the way from each type's level to its floor.
    for k in range(1, 21):
        trial = {t: levels[t] - (levels[t] - floor[t]) * k / 20 for t in TYPES}
        n, fields, wrong = record_outcome(recs, trial)
        if wrong > target * fields:
            break
        if n > n0:
            lv, n0 = trial, n
    for t in TYPES:
        cands = sorted({p for rs in recs.values() for tt, p, b, f in rs
                        if tt == t and floor[t] <= p < lv[t]}, reverse=True)
        for c in cands[::max(1, len(cands) // 50)]:
            trial = dict(lv)
            trial[t] = c
            n, fields, wrong = record_outcome(recs, trial)
            if wrong > target * fields:
                break
            if n > n0:
                lv, n0 = trial, n
    n, fields, wrong = record_outcome(recs, lv)
    print(f"joint levels: {n} of {len(recs)} records accepted whole, {wrong} wrong of {fields} "
          f"fields in them")
    for t in TYPES:
        print(f"  {t:8} level {lv[t]:.4f} (alone {levels[t]:.4f}, floor {floor[t]:.4f})")
    return lv


def main(argv):
    out = 'data/accept_model.tsv'
    if '--out' in argv:
        i = argv.index('--out')
        out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    names = feature_names()
    rows, keys = [], []
    for d in argv:
        rows += al.labelled(os.path.join(d, 'h.db'), os.path.join(d, 'truth.json'), names, keys)
    # What the generator cannot teach stays out of the model (coefficient 0).
    # name_unknown and marks_off are taught now that the generator draws
    # about a quarter of given names from a list the checker lacks
    # (data/names_given_rare.csv): before, an unlisted word on its books was
    # always a misread, on real registers it is often a real name.
    untaught = {names.index(f) for f in UNTAUGHT if f in names}
    rows = [(t, [(i, v) for i, v in x if i not in untaught]) + tuple(rest)
            for t, x, *rest in rows]
    n = len(names)
    print(f"{len(rows)} labelled fields, {sum(r[2] for r in rows)} wrong, from {len(argv)} sets")
    for t in TYPES:
        d = [r for r in rows if r[0] == t]
        print(f"  {t:8} {len(d):6} fields, {sum(r[2] for r in d):5} wrong")
    t0 = time.time()
    ci = names.index('column')
    own = names.index('own_warn')
    held = lofo(rows, n, ci, own)
    priors = al.column_priors(rows)
    rows = al.with_prior(rows, priors, ci)
    w = fit_all(rows, n)
    levels = {}
    for t in TYPES:
        pooled = al.level_for([(p, bad) for tt, p, bad in held if tt == t])
        whole = al.level_for([(al.predict(w[t], x), y == 0) for x, y in by_type(rows)[t]
                              if not flagged(x, own)])
        levels[t] = whole
        print(f"  {t:8} level {whole:.4f} on the whole set; {pooled:.4f} on held-out fonts")
    levels = joint_levels(rows, keys, w, levels, own)
    ok = [r for r in rows if not flagged(r[1], own) and al.predict(w[r[0]], r[1]) >= levels[r[0]]]
    acc, bad = len(ok), sum(r[2] for r in ok)
    print(f"final: {acc} of {len(rows)} fields accepted ({100 * acc / max(1, len(rows)):.1f}%), "
          f"{bad} wrong among them; fitted in {time.time() - t0:.0f} s")
    with open(out, 'w', encoding='utf-8') as f:
        f.write("# hotich acceptance model (validate/accept.c), written by bench/accept_fit.py\n"
                f"# from {len(rows)} labelled fields of generated books: "
                + ' '.join(os.path.basename(os.path.normpath(d)) for d in argv) + "\n"
                "# per field type: level (accept when p >= it), then one coefficient per feature;\n"
                "# p = 1 / (1 + exp(-sum(coef * feature))), p the probability the value is right\n")
        f.write('features\t' + '\t'.join(names) + '\n')
        for t in TYPES:
            f.write(t + '\t' + f"{levels[t]:.6f}" + '\t' + '\t'.join(f"{c:.6g}" for c in w[t]) + '\n')
        f.write("# column NAME, log-odds that its value was right, that its empty was right\n")
        for c in sorted({c for c, e in priors}):
            f.write(f"column\t{c}\t{priors.get((c, False), 0.0):.4f}\t{priors.get((c, True), 0.0):.4f}\n")
    print(f"wrote {out}")
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
