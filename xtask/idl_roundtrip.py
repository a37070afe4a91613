#!/usr/bin/env python3
"""Round trip of real models through the IDL front end: each Smithy JSON AST model under a
folder (AWS's published models: ../shared/models/aws) is written as Smithy IDL, one file per
namespace (documentation as `///` comments, member defaults as `= value`, enum values as
`= "..."`, relative shape IDs where they resolve), then read back with `xtask ast`, and the
result must equal the original model (empty properties and Unit input/output ignored, as
Smithy's model does).

    python3 xtask/idl_roundtrip.py target/release/xtask ../shared/models/aws [LIMIT]
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile


IDENT = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
SIMPLE = {"blob","boolean","document","string","byte","short","integer","long","float","double","bigInteger","bigDecimal","timestamp"}
def to_idl(src, outdir):
    d = json.load(open(src))
    version = d.get("smithy", "2.0")
    shapes = d["shapes"]
    byns = {}
    for sid, s in shapes.items():
        root = sid.split("$")[0]
        byns.setdefault(root.split("#")[0], []).append((sid, s))
    os.makedirs(outdir, exist_ok=True)
    for ns, items in byns.items():
        own = {sid.split("#")[1] for sid, s in items if "$" not in sid}
        def rel(i):
            n, name = i.split("#", 1)
            if n == ns: return name
            if n == "smithy.api" and name.split("$")[0] not in own: return name
            return i
        def node(v, ind):
            if isinstance(v, str): return json.dumps(v, ensure_ascii=False)
            if isinstance(v, bool): return "true" if v else "false"
            if v is None: return "null"
            if isinstance(v, (int, float)): return json.dumps(v)
            inner = ind + "    "
            if isinstance(v, list):
                if not v: return "[]"
                return "[\n" + "".join(inner + node(x, inner) + "\n" for x in v) + ind + "]"
            if not v: return "{}"
            key = lambda k: k if IDENT.match(k) and k not in ("true","false","null") else json.dumps(k)
            return "{\n" + "".join(inner + key(k) + ": " + node(x, inner) + "\n" for k, x in v.items()) + ind + "}"
        def traits(ts, ind, skip=()):
            out = []
            ts = dict(sorted(ts.items(), key=lambda kv: kv[0] != "smithy.api#documentation"))
            for k, v in ts.items():
                if k in skip: continue
                if k == "smithy.api#documentation" and isinstance(v, str) and "\r" not in v and version.startswith("2") and not any(c in v for c in "\u2028\u2029\x0b\x0c\x85"):
                    for line in v.split("\n"):
                        out.append(ind + "///" + (" " + line if line else ""))
                    continue
                name = rel(k)
                if isinstance(v, dict) and v and all(IDENT.match(kk) for kk in v):
                    inner = ind + "    "
                    out.append(ind + "@" + name + "(\n" + "".join(inner + kk + ": " + node(x, inner) + "\n" for kk, x in v.items()) + ind + ")")
                elif v == {}:
                    out.append(ind + "@" + name)
                else:
                    out.append(ind + "@" + name + "(" + node(v, ind) + ")")
            return out
        L = [f'$version: "{version}"', "", f"namespace {ns}", ""]
        for sid, s in items:
            t = s["type"]
            if t == "apply":
                for line in traits(s.get("traits", {}), "    "):
                    pass
                L.append(f"apply {rel(sid)} {{")
                L += traits(s.get("traits", {}), "    ")
                L.append("}"); L.append(""); continue
            name = sid.split("#")[1]
            L += traits(s.get("traits", {}), "")
            mix = s.get("mixins", [])
            w = (" with [" + " ".join(rel(m["target"]) for m in mix) + "]") if mix else ""
            if t in SIMPLE:
                L.append(f"{t} {name}{w}")
            elif t in ("structure", "union", "enum", "intEnum"):
                L.append(f"{t} {name}{w} {{")
                for mn, m in s.get("members", {}).items():
                    mts = dict(m.get("traits", {}))
                    if t in ("enum", "intEnum"):
                        ev = mts.pop("smithy.api#enumValue", None)
                        L += traits(mts, "    ")
                        L.append(f"    {mn}" + ("" if (ev is None or ev == mn and t == "enum") else f" = {node(ev, '    ')}"))
                    else:
                        dv = mts.pop("smithy.api#default", None) if version.startswith("2") else None
                        L += traits(mts, "    ")
                        L.append(f"    {mn}: {rel(m['target'])}" + ("" if dv is None and "smithy.api#default" not in m.get("traits", {}) else f" = {node(dv, '    ')}"))
                L.append("}")
            elif t in ("list", "set", "map"):
                L.append(f"{t} {name}{w} {{")
                for k in ("member", "key", "value"):
                    if k in s:
                        L += traits(s[k].get("traits", {}), "    ")
                        L.append(f"    {k}: {rel(s[k]['target'])}")
                L.append("}")
            elif t in ("operation", "resource", "service"):
                L.append(f"{t} {name}{w} {{")
                for k, v in s.items():
                    if k in ("type", "traits", "mixins"): continue
                    if isinstance(v, dict) and "target" in v and len(v) == 1:
                        L.append(f"    {k}: {rel(v['target'])}")
                    elif isinstance(v, list):
                        L.append(f"    {k}: [" + " ".join(rel(x["target"]) for x in v) + "]")
                    elif k in ("identifiers", "properties"):
                        L.append(f"    {k}: {{" + " ".join(f"{kk}: {rel(x['target'])}" for kk, x in v.items()) + "}")
                    else:
                        L.append(f"    {k}: {node(v, '    ')}")
                L.append("}")
            else:
                raise SystemExit("type " + t)
            L.append("")
        open(os.path.join(outdir, ns + ".smithy"), "w").write("\n".join(L))

def norm(v, key=None):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if x in ([], {}) and k not in ('member', 'key', 'value'): continue
            if k in ('input', 'output') and x == {'target': 'smithy.api#Unit'}: continue
            out[k] = norm(x, k)
        return out
    if isinstance(v, list): return [norm(x) for x in v]
    if isinstance(v, float) and v == int(v) and abs(v) < 2**53: return int(v)
    return v
def run():
    ok = bad = 0
    for f in files:
        name = os.path.basename(f)[:-5]
        d = os.path.join(WORK, name)
        to_idl(f, d)
        r = subprocess.run([XT, 'ast', '--model', d, '--out', d + '.out.json'], capture_output=True, text=True)
        if r.returncode:
            print('REFUSED', name, r.stderr[:600]); bad += 1; continue
        a = json.load(open(d + '.out.json'))['shapes']; b = json.load(open(f))['shapes']
        diff = None
        for k in set(a) | set(b):
            if k not in b:
                if k.split('#')[0] in ('smithy.framework','aws.api','aws.protocols','smithy.test'): continue
                diff = f'extra {k}'; break
            if k not in a: diff = f'missing {k}'; break
            if norm(a[k]) != norm(b[k]):
                diff = f'differs {k}: {json.dumps(norm(a[k]))[:300]} vs {json.dumps(norm(b[k]))[:300]}'; break
        if diff: print('DIFF', name, diff); bad += 1
        else: ok += 1
    print(ok, 'round-trip equal,', bad, 'not')
    return bad == 0

if __name__ == "__main__":
    XT = sys.argv[1]
    files = sorted(glob.glob(os.path.join(sys.argv[2], "*.json")))
    if len(sys.argv) > 3:
        files = files[: int(sys.argv[3])]
    with tempfile.TemporaryDirectory() as WORK:
        sys.exit(0 if run() else 1)
