#!/usr/bin/env python3
"""Commands that reach every shard: shardd with many shards against
redis-server, and against an earlier shardd build.

    tools/bench/fanout.py [--binary build/release/shard/shardd]
                          [--baseline OLD_SHARDD] [--shards 8]
                          [--rounds 3] [--quick]

A command over keys of several shards (MGET and MSET of 10 random keys), over
every shard (DBSIZE) or to subscribers on every shard (PUBLISH to 16
`redis-cli SUBSCRIBE` clients) waits for each shard it visits. This runs
them against shardd with --shards shards (8), a thread each
(--share_cpu_threads=false), so that every visit to another shard is a
message to another thread, as on a host with a CPU per shard; against
redis-server (one thread); and, with --baseline, against another shardd
binary with the same flags (a build of an earlier commit). Every server
and redis-benchmark run on all the CPUs this process may use (on a 2-CPU
machine they share them). Each workload runs with 1 client (the latency of
one command: its p50) and with 50 (throughput and the server's CPU time,
utime + stime from /proc, per request). Servers alternate in each round;
medians over rounds. It prints each server's figures and the ratios to
redis-server and to the baseline.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lib.clients import load_keys, simple_command  # noqa: E402
from bench_lib.processes import Server, stop_process  # noqa: E402
from bench_lib.report import ratio  # noqa: E402
from bench_lib.workloads import BENCH_KEY, KEYSPACE, MGET_COMMAND, run_benchmark  # noqa: E402

SUBSCRIBERS = 16
# (name, redis-benchmark test or command, requests with 1 client, with 50).
WORKLOADS = [
    ("MGET(10)", MGET_COMMAND, 10000, 100000),
    ("MSET(10)", "mset", 10000, 100000),
    ("DBSIZE", ["DBSIZE"], 10000, 20000),
    ("PUBLISH", ["PUBLISH", "ch", "hello"], 5000, 30000),
]
CLIENT_COUNTS = (1, 50)


def start_subscribers(port):
    """SUBSCRIBERS redis-cli clients subscribed to "ch" (their connections
    spread over the shards), once the server counts them all."""
    procs = [subprocess.Popen(["redis-cli", "-p", str(port), "subscribe", "ch"],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
             for _ in range(SUBSCRIBERS)]
    deadline = time.monotonic() + 10
    while True:
        reply = subprocess.run(["redis-cli", "-p", str(port), "pubsub",
                                "numsub", "ch"], capture_output=True,
                               text=True, timeout=10).stdout.split()
        if reply[-1:] == [str(SUBSCRIBERS)]:
            return procs
        if time.monotonic() > deadline:
            for p in procs:
                stop_process(p)
            raise RuntimeError("subscribers not counted: %r" % reply)
        time.sleep(0.05)


def measure(server, cpus, quick):
    """Every workload at 1 and 50 clients against a started `server`."""
    load_keys(server.port, 2000 if quick else KEYSPACE, b"xxx", BENCH_KEY)
    results = {}
    subscribers = start_subscribers(server.port)
    try:
        for name, test, one, many in WORKLOADS:
            for clients in CLIENT_COUNTS:
                requests = one if clients == 1 else many
                if quick:
                    requests //= 20
                r = run_benchmark(server, cpus, test, 1, 3, requests,
                                  clients=clients)
                results["%s c%d" % (name, clients)] = r
    finally:
        for p in subscribers:
            stop_process(p)
    if simple_command(server.port, "PING") != b"PONG":
        raise RuntimeError("%s stopped answering" % server.name)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(REPO / "build/release/shard/shardd"))
    parser.add_argument("--baseline", help="another shardd binary to compare")
    parser.add_argument("--redis-server", default="redis-server")
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="1 round, a twentieth of the requests")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.rounds = 1
    cpus = sorted(os.sched_getaffinity(0))
    flags = ["--share_cpu_threads=false"]
    servers = [Server("shardd", "shardd", args.binary, cpus, args.shards, flags),
               Server("redis", "redis", args.redis_server, cpus)]
    if args.baseline:
        servers.append(Server("baseline", "shardd", args.baseline, cpus,
                              args.shards, flags))
    runs = {s.name: [] for s in servers}
    for rnd in range(args.rounds):
        order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]
        for s in order:
            s.start()
            try:
                runs[s.name].append(measure(s, cpus, args.quick))
            finally:
                s.stop()
            print("  round %d %s done" % (rnd + 1, s.name), flush=True)
    keys = ("p50_ms", "ops_per_s", "cpu_us_per_op")
    med = {name: {w: {k: statistics.median(r[w][k] for r in rs) for k in keys}
                  for w in rs[0]}
           for name, rs in runs.items()}
    print("\nshardd with %d shards, a thread each; servers and client on CPUs "
          "%s; medians of %d" % (args.shards, ",".join(map(str, cpus)),
                                 args.rounds))
    others = ["redis"] + (["baseline"] if args.baseline else [])
    print("| workload | clients | server | p50 ms | ops/s | CPU us/op |")
    print("|---|---|---|---|---|---|")
    for w in med["shardd"]:
        name, clients = w.rsplit(" c", 1)
        for s in ["shardd"] + others:
            m = med[s][w]
            print("| %s | %s | %s | %.3f | %.0f | %.1f |"
                  % (name, clients, s, m["p50_ms"], m["ops_per_s"],
                     m["cpu_us_per_op"]))
    for other in others:
        print("\nshardd/%s: p50, ops/s, CPU per op" % other)
        for w in med["shardd"]:
            a, b = med["shardd"][w], med[other][w]
            # (A quick run's CPU time may round to no clock tick: nan.)
            print("  %-14s %5.2f %5.2f %5.2f"
                  % (w, ratio(a["p50_ms"], b["p50_ms"]),
                     ratio(a["ops_per_s"], b["ops_per_s"]),
                     ratio(a["cpu_us_per_op"], b["cpu_us_per_op"])))
    if args.out:
        Path(args.out).write_text(json.dumps({"runs": runs, "medians": med},
                                             indent=1) + "\n")


if __name__ == "__main__":
    main()
