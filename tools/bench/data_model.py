#!/usr/bin/env python3
"""HyperLogLog, geo, BITFIELD and SORT: shardd against redis-server, per core.

    tools/bench/data_model.py [--binary build/release/shard/shardd]
                              [--rounds 3] [--quick]

Each round runs, in alternation, redis-server (`--save '' --appendonly no`)
and shardd with one shard (`--appendonly=false`), both pinned to the first
allowed CPU, and redis-benchmark (50 clients, unpipelined) pinned to the
others. Before each workload both servers get the same preloaded data (a
dense HyperLogLog, a geo set of 10,000 points, a list of 100 numbers);
__rand_int__ spreads the writes over 100,000 elements or keys. It reports
requests per second and the server's CPU time (utime + stime, /proc) per
request, medians over rounds, and shardd's ratios to Redis: CPU per request
below 1 and throughput above 1 are shardd doing better.
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lib.processes import Server  # noqa: E402
from bench_lib.workloads import run_benchmark  # noqa: E402

# (name, command, requests in a full run: ~2 s each on the 2-core machine).
WORKLOADS = [
    ("PFADD dense", ["PFADD", "hll", "e:__rand_int__"], 150000),
    ("PFCOUNT 1 key", ["PFCOUNT", "hll:ro"], 150000),
    ("PFCOUNT 2 keys", ["PFCOUNT", "hll:ro", "hll:ro2"], 20000),
    ("GEOADD", ["GEOADD", "geo", "13.__rand_int__", "38.__rand_int__",
                "m:__rand_int__"], 120000),
    ("GEOSEARCH 10 km", ["GEOSEARCH", "geo:ro", "FROMLONLAT", "13.5", "38.5",
                         "BYRADIUS", "10", "km", "ASC", "COUNT", "10"], 40000),
    ("BITFIELD", ["BITFIELD", "bf:__rand_int__", "INCRBY", "u8", "100", "1"],
     150000),
    ("SORT 100 LIMIT 10", ["SORT", "list:ro", "LIMIT", "0", "10"], 60000),
]
QUICK_REQUESTS = 5000


def resp(*args):
    out = b"*%d\r\n" % len(args)
    for arg in args:
        arg = arg if isinstance(arg, bytes) else str(arg).encode()
        out += b"$%d\r\n%s\r\n" % (len(arg), arg)
    return out


def preload(port):
    """The same data on every server, from a fixed seed; waits for each
    reply so that the workload starts on a loaded server."""
    rng = random.Random(16)
    commands = []
    for key in ("hll:ro", "hll:ro2", "hll"):
        elements = ["%s:%d" % (key, i) for i in range(20000)]
        for start in range(0, len(elements), 1000):
            commands.append(resp("PFADD", key, *elements[start:start + 1000]))
    commands.append(resp("PFCOUNT", "hll:ro"))  # caches its estimate
    for start in range(0, 10000, 500):
        args = []
        for i in range(start, start + 500):
            args += ["%.6f" % (13 + rng.random()), "%.6f" % (38 + rng.random()),
                     "p:%d" % i]
        commands.append(resp("GEOADD", "geo:ro", *args))
    commands.append(resp("RPUSH", "list:ro",
                         *[rng.randrange(1000000) for _ in range(100)]))
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(b"".join(commands))
        pending = len(commands)
        data = b""
        while pending:
            chunk = sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("connection closed while preloading")
            data += chunk
            while True:
                line, sep, rest = data.partition(b"\r\n")
                if not sep:
                    break
                if line.startswith(b"-"):
                    raise RuntimeError("preload failed: %r" % line)
                data = rest
                pending -= 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary",
                        default=str(REPO / "build/release/shard/shardd"))
    parser.add_argument("--redis-server", default="redis-server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: tiny runs, 1 round")
    parser.add_argument("--out-dir", default=str(REPO / "tools/bench/results"))
    args = parser.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        sys.exit("needs 2 CPUs: one for the servers, the others for the client")
    server_cpus, client_cpus = cpus[:1], cpus[1:]
    rounds = 1 if args.quick else args.rounds
    specs = [("redis", "redis", args.redis_server),
             ("shardd", "shardd", args.binary)]
    results = {name: {w[0]: [] for w in WORKLOADS} for name, _, _ in specs}
    for round_index in range(rounds):
        for name, kind, binary in (specs if round_index % 2 == 0
                                   else list(reversed(specs))):
            for workload, command, requests in WORKLOADS:
                server = Server(name, kind, binary, server_cpus).start()
                try:
                    preload(server.port)
                    run = run_benchmark(
                        server, client_cpus, command, 1, 3,
                        QUICK_REQUESTS if args.quick else requests)
                finally:
                    server.stop()
                results[name][workload].append(run)
    print("%-18s %12s %12s %10s %10s %8s %8s" %
          ("workload", "redis ops/s", "shardd ops/s", "redis us", "shardd us",
           "thr x", "cpu x"))
    summary = {}
    for workload, _, _ in WORKLOADS:
        row = {}
        for name, _, _ in specs:
            runs = results[name][workload]
            row[name] = {
                "ops_per_s": statistics.median(r["ops_per_s"] for r in runs),
                "cpu_us_per_op": statistics.median(r["cpu_us_per_op"]
                                                   for r in runs),
            }
        row["throughput_ratio"] = (row["shardd"]["ops_per_s"]
                                   / row["redis"]["ops_per_s"])
        row["cpu_ratio"] = (row["shardd"]["cpu_us_per_op"]
                            / row["redis"]["cpu_us_per_op"])
        summary[workload] = row
        print("%-18s %12.0f %12.0f %10.2f %10.2f %8.2f %8.2f" % (
            workload, row["redis"]["ops_per_s"], row["shardd"]["ops_per_s"],
            row["redis"]["cpu_us_per_op"], row["shardd"]["cpu_us_per_op"],
            row["throughput_ratio"], row["cpu_ratio"]))
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ("data_model-%s.json" % time.strftime("%Y%m%d-%H%M%S"))
    path.write_text(json.dumps({
        "rounds": rounds, "quick": args.quick, "server_cpus": server_cpus,
        "client_cpus": client_cpus,
        "commit": subprocess.run(["git", "-C", str(REPO), "rev-parse",
                                  "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip(),
        "summary": summary, "runs": results}, indent=1))
    print("results: %s" % path)


if __name__ == "__main__":
    main()
