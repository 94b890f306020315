#!/usr/bin/env python3
"""Reads `perf script` output (call stacks, managed frames named through DOTNET_PerfMapEnabled) and prints the share of
the app's CPU samples spent in metric recording and export: every sample with a frame from System.Diagnostics.Metrics,
OpenTelemetry, the Prometheus exporter, NowOnlineMetrics or an ASP.NET Core *Metrics type anywhere on its stack
(inclusive, so the callees of a Counter.Add count too), with a 95 % interval (Wilson) for the sampling error alone."""
import collections, math, re, sys

METRIC = re.compile(r"System\.Diagnostics\.Metrics|OpenTelemetry|Prometheus|NowOnlineMetrics|[A-Za-z]+Metrics[.:]")
samples, matched, entries, leaves = 0, 0, collections.Counter(), collections.Counter()
stack = []

def flush():
    global samples, matched
    if not stack:
        return
    samples += 1
    hits = [f for f in stack if METRIC.search(f)]
    if hits:
        matched += 1
        entries[hits[-1]] += 1   # outermost metric frame (the stack is leaf first)
        leaves[stack[0]] += 1

for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush(); stack = []
    elif line.startswith(("\t", " ")):
        parts = line.strip().split(" ", 1)
        frame = parts[1] if len(parts) > 1 else parts[0]
        stack.append(re.sub(r"\s*\(\S*\)$", "", frame))
    else:
        stack = []
flush()

if samples == 0:
    sys.exit("no samples")
p = matched / samples
z = 1.96
centre = (p + z * z / (2 * samples)) / (1 + z * z / samples)
half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / (1 + z * z / samples)
print(f"samples {samples}, in metric code {matched}: {100 * p:.2f} % (95 % interval {100 * (centre - half):.2f} to {100 * (centre + half):.2f} %)")
for frame, count in entries.most_common(12):
    print(f"  {100 * count / samples:6.2f} %  entered at {frame[:150]}")
