"""Turns benchstat's CSV (stdin) into README's Markdown performance table.

Every time in the table is a ratio of two medians from the same run, so the
table stays true on another machine; allocs/op and logins per expiry are
counts and are printed as they are. argv[1] is the command that reproduces
the table, argv[2] describes the machine.
"""
import csv
import re
import sys

# values[(package suffix, benchmark name without -GOMAXPROCS, unit)] = median
values = {}
pkg = unit = None
for row in csv.reader(sys.stdin):
    if not row:
        continue
    if row[0].startswith("pkg: "):
        pkg = row[0][len("pkg: "):].rsplit("/wsdlsess/", 1)[-1]
        continue
    if row[0] == "" and len(row) > 2 and row[2] == "CI":  # ",sec/op,CI"
        unit = row[1]
        continue
    if row[0] in ("", "geomean") or len(row) < 2:
        continue
    try:
        v = float(row[1])
    except ValueError:
        continue
    values[(pkg, re.sub(r"-\d+$", "", row[0]), unit)] = v


def get(pkg, name, unit):
    return values.get((pkg, name, unit))


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f×" % (a / b)


def count(v):
    return "n/a" if v is None else ("%.0f" % v if v == int(v) else "%.2f" % v)


rows = []
for w in ("vboxweb.wsdl", "ec2.wsdl"):
    g = "generator"
    ours = get(g, "Generate/%s/wsdlsess" % w, "sec/op")
    rows.append(("Generate %s: wsdlsess time ÷ gowsdl Start+gofmt" % w,
                 ratio(ours, get(g, "Generate/%s/gowsdl-start+gofmt" % w, "sec/op"))))
    rows.append(("Generate %s: wsdlsess time ÷ gowsdl Start (no gofmt)" % w,
                 ratio(ours, get(g, "Generate/%s/gowsdl-start" % w, "sec/op"))))
    rows.append(("Generate %s: wsdlsess allocs ÷ gowsdl Start+gofmt allocs" % w,
                 ratio(get(g, "Generate/%s/wsdlsess" % w, "allocs/op"),
                       get(g, "Generate/%s/gowsdl-start+gofmt" % w, "allocs/op"))))
r = "runtime"
bare = get(r, "BareCall", "sec/op")
rows.append(("Call with session ÷ bare marshal+POST", ratio(get(r, "SessionCall", "sec/op"), bare)))
rows.append(("Call without profile (Invoke) ÷ bare marshal+POST", ratio(get(r, "PlainInvoke", "sec/op"), bare)))
rows.append(("allocs/op: bare / no profile / with session",
             " / ".join(count(get(r, n, "allocs/op")) for n in ("BareCall", "PlainInvoke", "SessionCall"))))
pool1 = get(r, "RotatingPool/pool1", "sec/op")
for n in (4, 16):
    rows.append(("Rotating profile throughput, pool of %d ÷ pool of 1" % n,
                 ratio(pool1, get(r, "RotatingPool/pool%d" % n, "sec/op"))))
rows.append(("Logins per expiry, 64 goroutines, one client", count(get(r, "LoginsPerExpiry", "logins/expiry"))))
rs = "runtime/redisstore"
for sub, what in (("unshared", "private stores"), ("memory", "one shared in-memory store"),
                  ("redis", "one Redis store")):
    rows.append(("Logins per expiry, fleet of 4 clients × 25 goroutines, %s" % what,
                 count(get(rs, "LoginsPerExpiry/" + sub, "logins/expiry"))))

print("| measurement | result |")
print("|---|---|")
for k, v in rows:
    print("| %s | %s |" % (k, v))
print()
print("Medians of one run (%s). Time and allocation ratios below 1× mean "
      "wsdlsess is faster or smaller; throughput ratios above 1× mean the pool "
      "helps. Reproduce with `%s`." % (sys.argv[2], sys.argv[1]))
