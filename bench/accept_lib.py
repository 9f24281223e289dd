"""Shared by bench/accept_fit.py and bench/calibration.py: labelled fields from a hotich
database joined to a truth file, and the logistic model of validate/accept.c.

Standard library only (no numpy on the build machines).  A truth file is either the
generator's (hotich fixtures: "records" with "values") or the sample sets' ("books" with
"records" and "fields"); database records are matched to truth records on the same file and
page by entry number, else by position, as bench/eval.c does.
"""
import fnmatch, json, math, os, re, sqlite3, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def nfc(s):
    return unicodedata.normalize('NFC', str(s or '')).strip()


def column_rules():
    """validate/rules.c's table, pattern -> field type, read from the source so they agree."""
    src = open(os.path.join(HERE, '..', 'validate', 'rules.c'), encoding='utf-8').read()
    return [(p, t[3:].lower()) for p, t in re.findall(r'\{"([^"]+)", (VT_[A-Z]+),', src)]


RULES = column_rules()


def column_type(col):
    for pat, t in RULES:
        if fnmatch.fnmatchcase(col, pat):
            return t
    return 'text'


def truth_records(path):
    """(file, page, index, so, values, anomaly fields, font) for every truth record."""
    t = json.load(open(path, encoding='utf-8'))
    out = []
    if 'books' in t and t['books'] and isinstance(t['books'][0].get('records'), list):
        for b in t['books']:
            for r in b['records']:
                f = r['fields']
                out.append((b['file'], r['page'], r['index'], nfc(f.get('so', '')), f,
                            {a['field'] for a in r.get('anomalies', [])}, b.get('font', '?')))
        return out
    fonts = {b['file']: b.get('font', '?') for b in t.get('books', [])}
    for r in t['records']:
        v = r['values']
        out.append((r['file'], r['page'], r['index'], nfc(v.get('so', '')), v,
                    {a['field'] for a in r.get('anomalies', [])}, fonts.get(r['file'], '?')))
    return out


def db_records(db):
    con = sqlite3.connect(db)
    recs = con.execute(
        "SELECT r.id, b.name, p.page_no, r.idx, coalesce(nullif(f.value, ''), f.raw, '')"
        " FROM records r JOIN books b ON b.id = r.book_id JOIN pages p ON p.id = r.page_id"
        " LEFT JOIN fields f ON f.record_id = r.id AND f.name = 'so'").fetchall()
    fields = {}
    for rid, name, value, p, ev in con.execute(
            "SELECT record_id, name, coalesce(value, ''), p, coalesce(evidence, '') FROM fields"):
        fields.setdefault(rid, {})[name] = (nfc(value), p, ev)
    con.close()
    return recs, fields


def parse_evidence(ev, names):
    x = {'bias': 1.0}
    for kv in ev.split():
        k, _, v = kv.partition('=')
        x[k] = float(v)
    return [(i, x[n]) for i, n in enumerate(names) if x.get(n)]


def labelled(db, truth, names, keys=None):
    """Rows (type, sparse x, wrong, font, p as stored) for every scored truth field; keys, when
    given, gets each row's record (db, record id) in the same order."""
    recs, fields = db_records(db)
    by_page = {}
    for rid, name, page, idx, so in recs:
        by_page.setdefault((os.path.basename(name), page), []).append([rid, idx, nfc(so), False])
    rows = []
    for file, page, index, so, values, anom, font in truth_records(truth):
        cands = by_page.get((os.path.basename(file), page), [])
        hit = next((c for c in cands if not c[3] and so and c[2] == so), None) or \
            next((c for c in cands if not c[3] and c[1] == index), None)
        if not hit:
            continue
        hit[3] = True
        got = fields.get(hit[0], {})
        for col, want in values.items():
            if col in anom or col not in got or got[col][1] is None:
                continue
            value, p, ev = got[col]
            t = 'empty' if not value else column_type(col)
            rows.append((t, parse_evidence(ev, names), value != nfc(want), font, p, col))
            if keys is not None:
                keys.append((db, hit[0]))
    return rows


# ---- the model -----------------------------------------------------------------

def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z > -700 else 0.0


def predict(w, x):
    return sigmoid(sum(w[i] * v for i, v in x))


def solve(a, b):
    """Gaussian elimination with partial pivoting; a is n x n (copied)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(rows, nfeat, ridge=1.0, iters=25):
    """L2-penalised logistic regression of right (1) / wrong (0) by IRLS (Newton)."""
    w = [0.0] * nfeat
    if not rows:
        return w
    for _ in range(iters):
        h = [[0.0] * nfeat for _ in range(nfeat)]
        g = [0.0] * nfeat
        for x, y in rows:
            p = predict(w, x)
            s = max(p * (1 - p), 1e-6)
            for i, v in x:
                g[i] += (y - p) * v
                hi = h[i]
                for j, u in x:
                    hi[j] += s * v * u
        for i in range(nfeat):
            h[i][i] += ridge
            g[i] -= ridge * w[i] * (i > 0)
        step = solve(h, g)
        w = [a + b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def level_for(scored, target=0.001):
    """The lowest p at which the fields accepted (p >= level) were wrong at most target of
    the time; 1.0 (accept nothing) if there is none."""
    scored = sorted(scored, key=lambda t: -t[0])
    best, wrong = 1.0, 0
    for k, (p, bad) in enumerate(scored, 1):
        wrong += bad
        if k < len(scored) and scored[k][0] == p:
            continue
        if wrong <= target * k:
            best = p
    return best


def column_priors(rows, strength=5.0):
    """Per (column, empty) the smoothed log-odds that its value was right, pulled toward
    its field type's rate: {(col, empty): logit}."""
    group, col = {}, {}
    for t, x, wrong, font, p, c in rows:
        e = t == 'empty'
        g = group.setdefault(t, [0, 0])
        g[0] += not wrong
        g[1] += 1
        k = col.setdefault((c, e), [0, 0, t])
        k[0] += not wrong
        k[1] += 1
    out = {}
    for (c, e), (right, n, t) in col.items():
        base = group[t][0] / group[t][1]
        q = (right + strength * base) / (n + strength)
        q = min(max(q, 1e-4), 1 - 1e-4)
        out[(c, e)] = math.log(q / (1 - q))
    return out


def with_prior(rows, priors, index):
    """rows with the column feature (at index) taken from priors instead of the stored one."""
    out = []
    for t, x, wrong, font, p, c in rows:
        v = priors.get((c, t == 'empty'), 0.0)
        x = [(i, a) for i, a in x if i != index] + ([(index, v)] if v else [])
        out.append((t, x, wrong, font, p, c))
    return out
