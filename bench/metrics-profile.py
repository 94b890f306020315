#!/usr/bin/env python3
"""Reads `perf script` output (call stacks, managed frames named through DOTNET_PerfMapEnabled) and prints the share of
the app's CPU samples spent recording and exporting metrics, with a 95 % interval (Wilson) for the sampling error.

A sample is charged to the innermost component on its stack: walking from the leaf outwards, shared infrastructure
(the kernel, the runtime, the JIT, libc, CoreLib and the base collections) is skipped, and the first other frame
decides. It is metric code when that frame is System.Diagnostics.Metrics, OpenTelemetry, the Prometheus exporter,
NowOnlineMetrics or an ASP.NET Core *Metrics type; so a dictionary lookup inside an aggregator counts as metrics, but
a request that merely runs underneath OpenTelemetry's error-type middleware does not. Garbage collection caused by
metric allocations is not charged (it runs on the GC's own threads), nor is JIT compilation (a one-time cost)."""
import collections, math, re, sys

METRIC = re.compile(r"System\.Diagnostics\.Metrics|OpenTelemetry|Prometheus|NowOnlineMetrics|[A-Za-z]+Metrics[.:]")
METHOD_ASSEMBLY = re.compile(r"\[([A-Za-z0-9_.]+)\] (?=[A-Za-z_<])")  # "[Assembly] Namespace.Type::Method"
INFRA_ASSEMBLIES = ("System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Collections.Concurrent",
                    "System.Linq", "System.Memory", "System.Threading", "System.Runtime.InteropServices")
INFRA_LIBRARIES = ("kernel.kallsyms", "libcoreclr", "libclrjit", "libc.so", "libstdc++", "ld-linux", "libSystem.Native")

samples, charged, entries = 0, 0, collections.Counter()
components = collections.Counter()
stack = []

def component(frame):
    if METRIC.search(frame):
        return "metrics"
    if any(lib in frame for lib in INFRA_LIBRARIES) or frame.startswith("stub "):
        return None
    method = METHOD_ASSEMBLY.search(frame)
    if method and method.group(1) in INFRA_ASSEMBLIES:
        return None
    if "[unknown]" in frame and "doublemapper" not in frame and "perf-" not in frame:
        return None
    return method.group(1) if method else frame.rsplit("(", 1)[-1].rstrip(")")

def flush():
    global samples, charged
    if not stack:
        return
    samples += 1
    if any("libclrjit" in frame for frame in stack):  # compiling a method once is not the cost of running it
        components["(JIT compiler)"] += 1
        return
    for frame in stack:
        owner = component(frame)
        if owner is None:
            continue
        components[owner] += 1
        if owner == "metrics":
            charged += 1
            entries[re.sub(r"\+0x[0-9a-f]+$", "", frame)] += 1
        return
    components["(infrastructure only)"] += 1

for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush(); stack = []
    elif line.startswith(("\t", " ")):
        parts = line.strip().split(" ", 1)
        stack.append(parts[1] if len(parts) > 1 else parts[0])
    else:
        stack = []
flush()

if samples == 0:
    sys.exit("no samples")
p = charged / samples
z = 1.96
centre = (p + z * z / (2 * samples)) / (1 + z * z / samples)
half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / (1 + z * z / samples)
print(f"samples {samples}, charged to metric code {charged}: {100 * p:.2f} % "
      f"(95 % interval {100 * max(0, centre - half):.2f} to {100 * (centre + half):.2f} %)")
for frame, count in entries.most_common(10):
    # The perf map's file name (a temporary path with the app's pid) says nothing about the frame: left out.
    name = re.sub(r" ?\(/[^)]*perf-[0-9]+\.map\)", "", frame)
    print(f"  {100 * count / samples:6.2f} %  {name[:160]}")
print("by component: " + ", ".join(f"{name} {100 * count / samples:.1f} %" for name, count in components.most_common(8)))
