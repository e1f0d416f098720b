#!/usr/bin/env python3
"""Compares two results files of run.py taken back to back (before and after
a change) and prints a Markdown table: shardd's server CPU per request with
1 shard, after/before, and shardd/Redis in each run (Redis is the yardstick
that shows how much the machine itself drifted between the two).

  tools/bench/compare.py before.json after.json
"""
import json
import sys


def cpu(summary, workload, server):
    return summary[workload][server]["cpu_us_per_op"]


def ops_per_cpu_s(summary, workload, server):
    us = cpu(summary, workload, server)
    return 1e6 / us if us else 0.0


def scaling_range(summary, server):
    """Ops per CPU-second of `server` against shardd-1, lowest and highest
    over the workloads that ran it."""
    ratios = []
    for workload, by_server in summary.items():
        if server in by_server and "shardd-1" in by_server:
            base = ops_per_cpu_s(summary, workload, "shardd-1")
            if base:
                ratios.append(ops_per_cpu_s(summary, workload, server) / base)
    return (min(ratios), max(ratios)) if ratios else None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = (json.load(open(p)) for p in sys.argv[1:])
    b, a = before["summary"], after["summary"]
    print("| workload | before | after | after/before "
          "| CPU vs Redis before | after |")
    print("|---|---|---|---|---|---|")
    for workload in b:
        if workload not in a:
            continue
        cb, ca = cpu(b, workload, "shardd-1"), cpu(a, workload, "shardd-1")
        rb = cb / cpu(b, workload, "redis")
        ra = ca / cpu(a, workload, "redis")
        print(f"| {workload} | {cb:.2f} | {ca:.2f} | {ca / cb:.2f} "
              f"| {rb:.2f} | {ra:.2f} |")
    for server in ("shardd-2", "shardd-2-packed"):
        rb, ra = scaling_range(b, server), scaling_range(a, server)
        if rb and ra:
            print(f"\n{server} ops/CPU-s vs 1 shard: "
                  f"{rb[0]:.2f}-{rb[1]:.2f} before, "
                  f"{ra[0]:.2f}-{ra[1]:.2f} after")
    mb = before.get("memory", {}).get("shardd-1", {}).get("bytes_per_key")
    ma = after.get("memory", {}).get("shardd-1", {}).get("bytes_per_key")
    if mb and ma:
        print(f"\nbytes per key (1M small keys): {mb:.1f} before, "
              f"{ma:.1f} after")


if __name__ == "__main__":
    main()
