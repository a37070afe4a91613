#!/usr/bin/env python3
"""Check model/chime.json against the real AWS Chime Smithy model.

model/chime.json is a hand-maintained slice of the Amazon Chime model that
keeps six operations (CreateAccount, UpdateAccount, UpdateUser,
BatchUpdateUser, ListAccounts, ListUsers), every shape they reach and the seven common error
structures. Everything except documentation must match the real model
exactly; documentation must be present and written independently.

Usage:
    python3 model/check_chime_model.py [--real PATH] [--model PATH]

Exits 0 when everything matches, 1 otherwise (each mismatch is printed).
Standard library only.
"""

import argparse
import html
import json
import re
import sys
from collections import OrderedDict
from pathlib import Path

NS = "com.amazonaws.chime#"
SERVICE = NS + "UCBuzzConsoleService"
OPERATIONS = ["CreateAccount", "UpdateAccount", "UpdateUser", "BatchUpdateUser", "ListAccounts", "ListUsers"]
ERRORS = [
    "BadRequestException",
    "ForbiddenException",
    "NotFoundException",
    "ServiceFailureException",
    "ServiceUnavailableException",
    "ThrottledClientException",
    "UnauthorizedClientException",
]
DOC = "smithy.api#documentation"
REQUIRED_SERVICE_TRAITS = ["aws.protocols#restJson1", "aws.auth#sigv4", "aws.api#service"]
# Shape types that must carry their own documentation trait.
DOCUMENTED_TYPES = {"service", "operation", "structure", "union", "enum", "intEnum", "list", "map"}
# A run of this many words shared with any real documentation string counts as copied.
COPY_NGRAM = 8

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent
DEFAULT_REAL = REPO_ROOT / ".." / "shared" / "models" / "chime-2018-05-01.json"
DEFAULT_MODEL = SCRIPT_DIR / "chime.json"


class Checker:
    def __init__(self):
        self.problems = []
        self.notes = []

    def fail(self, where, msg):
        self.problems.append(f"{where}: {msg}")

    def note(self, msg):
        self.notes.append(msg)


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text, json.loads(text, object_pairs_hook=OrderedDict)


def closure(shapes, roots):
    """All shape IDs in the model's namespace reachable from roots."""
    seen = set()
    stack = list(roots)
    while stack:
        sid = stack.pop()
        if not sid.startswith(NS) or sid in seen:
            continue
        if sid not in shapes:
            raise KeyError(f"{sid} referenced but not defined")
        seen.add(sid)
        shape = shapes[sid]
        for key in ("input", "output"):
            if key in shape:
                stack.append(shape[key]["target"])
        for ref in shape.get("errors", []):
            stack.append(ref["target"])
        for key in ("member", "key", "value"):
            if key in shape:
                stack.append(shape[key]["target"])
        for member in shape.get("members", {}).values():
            stack.append(member["target"])
    return seen


def without_doc(traits):
    return {k: v for k, v in (traits or {}).items() if k != DOC}


def plain_words(doc):
    text = re.sub(r"<[^>]+>", " ", doc)
    text = html.unescape(text).lower()
    return re.findall(r"[a-z0-9']+", text)


def ngrams(words, n):
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def collect_docs(shapes):
    """Yield (where, doc) for every documentation trait in a shapes map."""
    for sid, shape in shapes.items():
        doc = shape.get("traits", {}).get(DOC)
        if doc is not None:
            yield sid, doc
        for key in ("member", "key", "value"):
            if key in shape:
                doc = shape[key].get("traits", {}).get(DOC)
                if doc is not None:
                    yield f"{sid}${key}", doc
        for name, member in shape.get("members", {}).items():
            doc = member.get("traits", {}).get(DOC)
            if doc is not None:
                yield f"{sid}${name}", doc


def check_format(c, text, model):
    where = "chime.json"
    if model.get("smithy") != "2.0":
        c.fail(where, f'"smithy" is {model.get("smithy")!r}, expected "2.0"')
    extra = set(model) - {"smithy", "shapes", "metadata"}
    if extra:
        c.fail(where, f"unexpected top-level keys {sorted(extra)}")
    ids = list(model.get("shapes", {}))
    if ids != sorted(ids):
        c.fail(where, "shapes are not sorted by shape ID")
    canonical = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if text != canonical:
        c.fail(where, "file is not formatted with 2-space indentation and a single trailing newline")


def check_member(c, where, real_m, ours_m):
    if set(ours_m) - {"target", "traits"}:
        c.fail(where, f"unexpected member keys {sorted(set(ours_m) - {'target', 'traits'})}")
    if real_m.get("target") != ours_m.get("target"):
        c.fail(where, f"target {ours_m.get('target')!r} != real {real_m.get('target')!r}")
    rt, ot = without_doc(real_m.get("traits")), without_doc(ours_m.get("traits"))
    if rt != ot:
        c.fail(where, f"traits {json.dumps(ot, sort_keys=True)} != real {json.dumps(rt, sort_keys=True)}")


def check_service(c, real, ours):
    where = SERVICE
    if ours.get("type") != "service":
        c.fail(where, f"type {ours.get('type')!r}, expected 'service'")
        return
    if ours.get("version") != real.get("version"):
        c.fail(where, f"version {ours.get('version')!r} != real {real.get('version')!r}")
    want = sorted(NS + o for o in OPERATIONS)
    got = [r.get("target") for r in ours.get("operations", [])]
    if sorted(got) != want:
        c.fail(where, f"operations {got} != expected {want}")
    real_ops = {r["target"] for r in real.get("operations", [])}
    for op in got:
        if op not in real_ops:
            c.fail(where, f"operation {op} is not bound to the real service")
    for key in ("resources", "errors", "rename"):
        if ours.get(key):
            c.fail(where, f"unexpected {key!r} on service")
    traits = ours.get("traits", {})
    for t in REQUIRED_SERVICE_TRAITS:
        if t not in traits:
            c.fail(where, f"missing trait {t}")
    for t, v in without_doc(traits).items():
        if t not in real.get("traits", {}):
            c.fail(where, f"trait {t} is not on the real service")
        elif real["traits"][t] != v:
            c.fail(where, f"trait {t} {json.dumps(v)} != real {json.dumps(real['traits'][t])}")
    omitted = sorted(set(without_doc(real.get("traits"))) - set(traits))
    if omitted:
        c.note(f"service traits intentionally not copied: {', '.join(omitted)}")


def check_shape(c, sid, real, ours):
    rtype, otype = real.get("type"), ours.get("type")
    if rtype != otype:
        c.fail(sid, f"type {otype!r} != real {rtype!r}")
        return
    # Shape-level keys other than traits (members, member, input, errors, ...).
    rkeys = set(real) - {"traits"}
    okeys = set(ours) - {"traits"}
    if rkeys != okeys:
        c.fail(sid, f"keys {sorted(okeys)} != real {sorted(rkeys)}")
    for key in ("input", "output"):
        if key in real or key in ours:
            if real.get(key) != ours.get(key):
                c.fail(sid, f"{key} {ours.get(key)} != real {real.get(key)}")
    if "errors" in real or "errors" in ours:
        rerr = [e["target"] for e in real.get("errors", [])]
        oerr = [e["target"] for e in ours.get("errors", [])]
        if rerr != oerr:
            c.fail(sid, f"errors {oerr} != real {rerr}")
    for key in ("member", "key", "value"):
        if key in real and key in ours:
            check_member(c, f"{sid}${key}", real[key], ours[key])
    if "members" in real or "members" in ours:
        rm, om = real.get("members", {}), ours.get("members", {})
        if list(rm) != list(om):
            c.fail(sid, f"member names/order {list(om)} != real {list(rm)}")
        for name in rm:
            if name in om:
                check_member(c, f"{sid}${name}", rm[name], om[name])
    for key in ("version", "mixins"):
        if real.get(key) != ours.get(key):
            c.fail(sid, f"{key} {ours.get(key)!r} != real {real.get(key)!r}")
    rt, ot = without_doc(real.get("traits")), without_doc(ours.get("traits"))
    if rt != ot:
        c.fail(sid, f"traits {json.dumps(ot, sort_keys=True)} != real {json.dumps(rt, sort_keys=True)}")


def check_docs(c, real_shapes, our_shapes):
    real_docs = {}
    real_grams = set()
    for where, doc in collect_docs(real_shapes):
        real_docs[where] = doc
        real_grams |= ngrams(plain_words(doc), COPY_NGRAM)
    members_total = members_documented = 0
    for sid, shape in our_shapes.items():
        if shape.get("type") in DOCUMENTED_TYPES and DOC not in shape.get("traits", {}):
            c.fail(sid, f"{shape.get('type')} shape has no documentation")
        for member in shape.get("members", {}).values():
            if shape.get("type") in ("structure", "union"):
                members_total += 1
                members_documented += DOC in member.get("traits", {})
    for where, doc in collect_docs(our_shapes):
        if not isinstance(doc, str) or not doc.strip():
            c.fail(where, "documentation is empty")
            continue
        real = real_docs.get(where)
        if real is not None and plain_words(real) == plain_words(doc):
            c.fail(where, "documentation is the same text as the real model")
            continue
        copied = ngrams(plain_words(doc), COPY_NGRAM) & real_grams
        if copied:
            sample = " ".join(sorted(copied)[0])
            c.fail(where, f"documentation shares a {COPY_NGRAM}-word run with the real model: '{sample}'")
    return members_documented, members_total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", default=str(DEFAULT_REAL),
                    help="path to the real chime-2018-05-01.json (default: %(default)s)")
    ap.add_argument("--model", default=str(DEFAULT_MODEL),
                    help="path to our model (default: %(default)s)")
    args = ap.parse_args(argv)

    c = Checker()
    try:
        _, real_model = load(args.real)
    except (OSError, ValueError) as e:
        print(f"cannot read real model {args.real}: {e}", file=sys.stderr)
        return 1
    try:
        text, model = load(args.model)
    except (OSError, ValueError) as e:
        print(f"cannot read model {args.model}: {e}", file=sys.stderr)
        return 1

    real_shapes = real_model["shapes"]
    our_shapes = model.get("shapes", {})
    check_format(c, text, model)

    roots = [NS + o for o in OPERATIONS] + [NS + e for e in ERRORS]
    expected = closure(real_shapes, roots) | {SERVICE}
    got = set(our_shapes)
    for sid in sorted(expected - got):
        c.fail(sid, "missing from chime.json")
    for sid in sorted(got - expected):
        c.fail(sid, "not in the closure of the six operations and seven errors")

    # Our own model must be closed too (nothing dangling, nothing unreachable).
    try:
        ours_reach = closure(our_shapes, [SERVICE] + [NS + e for e in ERRORS if NS + e in our_shapes]
                             + [r["target"] for r in our_shapes.get(SERVICE, {}).get("operations", [])])
    except KeyError as e:
        c.fail("chime.json", f"dangling reference: {e}")
        ours_reach = got
    for sid in sorted(got - ours_reach):
        c.fail(sid, "defined but not reachable from the service or the error list")

    for sid in sorted(expected & got):
        if sid == SERVICE:
            check_service(c, real_shapes[SERVICE], our_shapes[SERVICE])
        else:
            check_shape(c, sid, real_shapes[sid], our_shapes[sid])

    documented, total = check_docs(c, real_shapes, our_shapes)

    for n in c.notes:
        print(f"note: {n}")
    if c.problems:
        for p in c.problems:
            print(f"MISMATCH {p}")
        print(f"FAILED: {len(c.problems)} mismatch(es)")
        return 1
    counts = {}
    for shape in our_shapes.values():
        counts[shape["type"]] = counts.get(shape["type"], 0) + 1
    breakdown = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    print(f"OK: {len(our_shapes)} shapes match the real model ({breakdown}); "
          f"{documented}/{total} structure members documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
