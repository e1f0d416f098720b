#!/usr/bin/env python3
"""One shardd flag on and off, side by side, with redis-server for scale.

    tools/bench/flag_ab.py --flag=--register_sockets=false [--rounds 3]
                           [--binary build/release/shard/shardd] [--quick]

Runs the unpipelined GET, SET and INCR and the -P16 GET of
bench_lib.workloads (50 clients, 3-byte values) against shardd (1 shard) as
it starts by default, shardd with --flag, and redis-server, each pinned to
the last allowed CPU with redis-benchmark on the others; each round starts
with the next server in turn, medians over rounds. Prints each server's server CPU
(user + system, from /proc) per request and the ratios: the flag's cost or
gain, and each shardd against Redis. Writes the figures to
tools/bench/results/<time>-flag-ab.json.
"""
import argparse
import datetime
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_lib.clients import load_keys  # noqa: E402
from bench_lib.processes import Server  # noqa: E402
from bench_lib.report import ratio  # noqa: E402
from bench_lib.workloads import BENCH_KEY, KEYSPACE, run_benchmark  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
WORKLOADS = [("GET", "get", 1, 150000), ("SET", "set", 1, 150000),
             ("INCR", "incr", 1, 150000), ("GET -P16", "get", 16, 1500000)]
FIELDS = ["cpu_us_per_op", "user_us_per_op", "sys_us_per_op", "ops_per_s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flag", required=True)
    parser.add_argument("--binary",
                        default=os.path.join(REPO, "build/release/shard/shardd"))
    parser.add_argument("--redis", default="redis-server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out-dir",
                        default=os.path.join(REPO, "tools/bench/results"))
    args = parser.parse_args()

    cpus = sorted(os.sched_getaffinity(0))
    server_cpus, client_cpus = [cpus[-1]], cpus[:-1] or cpus
    servers = [Server("shardd", "shardd", args.binary, server_cpus),
               Server("shardd " + args.flag, "shardd", args.binary,
                      server_cpus, extra_args=[args.flag]),
               Server("redis", "redis", args.redis, server_cpus)]
    runs = {s.name: {w[0]: [] for w in WORKLOADS} for s in servers}
    for round_ in range(1 if args.quick else args.rounds):
        # Each round starts with the next server: none always goes first.
        for server in servers[round_ % 3:] + servers[:round_ % 3]:
            server.start()
            try:
                load_keys(server.port, KEYSPACE, b"v" * 3, BENCH_KEY)
                for name, test, pipeline, requests in WORKLOADS:
                    if args.quick:
                        requests //= 30
                    runs[server.name][name].append(run_benchmark(
                        server, client_cpus, test, pipeline, 3, requests))
            finally:
                server.stop()

    medians = {s: {w: {f: statistics.median(r[f] for r in rs) for f in FIELDS}
                   for w, rs in by_workload.items()}
               for s, by_workload in runs.items()}
    base, flagged = servers[0].name, servers[1].name
    print("%-9s %-23s %-23s %8s %9s %10s %10s" % (
        "", "shardd CPU us", "with flag CPU us", "redis", "flag/dflt",
        "flag/redis", "dflt/redis"))
    for name, *_ in WORKLOADS:
        a, b, r = medians[base][name], medians[flagged][name], \
            medians["redis"][name]
        print("%-9s %5.2f (%5.2f+%5.2f usr+sys) %5.2f (%5.2f+%5.2f usr+sys) "
              "%8.2f %9.2f %10.2f %10.2f" % (
                  name, a["cpu_us_per_op"], a["user_us_per_op"],
                  a["sys_us_per_op"], b["cpu_us_per_op"],
                  b["user_us_per_op"], b["sys_us_per_op"],
                  r["cpu_us_per_op"],
                  ratio(b["cpu_us_per_op"], a["cpu_us_per_op"]),
                  ratio(b["cpu_us_per_op"], r["cpu_us_per_op"]),
                  ratio(a["cpu_us_per_op"], r["cpu_us_per_op"])))
    os.makedirs(args.out_dir, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = os.path.join(args.out_dir, "%s-flag-ab.json" % stamp)
    with open(path, "w") as f:
        json.dump({"flag": args.flag, "medians": medians, "runs": runs}, f,
                  indent=1)
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
