#!/usr/bin/env python3
"""Benchmarks shardd side by side with a reference redis-server.

One command (run from anywhere; paths are relative to the repository):

    tools/bench/run.py                      # full run, 3 rounds, ~5 minutes
    tools/bench/run.py --quick              # CI smoke: tiny runs, < 60 s
    tools/bench/run.py --binary build-bench/shard/shardd --rounds 5
    tools/bench/run.py --shardd-flag=--recv_multishot=false --tag single-recv

Without --binary it first builds a Release shardd in build/release. Then:

  * Throughput/latency/CPU: starts shardd (1 shard) and redis-server
    (`--save '' --appendonly no`) pinned to the SAME CPU (the last one allowed)
    and, with 2+ CPUs, shardd with one shard per allowed CPU ("shardd-N").
    redis-benchmark runs pinned to the other CPUs (-c 50 -r 100000, -d 3 and
    -d 100). Servers are benchmarked in alternation (A B C, then B C A, ...)
    for --rounds rounds. Each run records ops/s, p50/p99 latency (from
    redis-benchmark --csv) and the server's CPU time per operation (utime +
    stime of the whole process, /proc/PID/stat, before and after the run).
    Keys key:000000000000..key:000000099999 are preloaded with values of the
    run's size so that GET hits.
  * Scaling: ops per server-CPU-second of shardd-N against shardd with 1 shard
    (uniform random keys, so (N-1)/N of the requests hop shards), for N = 2,
    4, 8 ... below the CPU count and N = the CPU count, each shardd-N on the
    last N CPUs. On a
    machine this small shardd-N's first shard shares a CPU with
    redis-benchmark, which costs context switches of its own; so N shards
    all pinned to the server CPU ("shardd-N-packed", which then share one
    thread) are measured too: that isolates what crossing shards costs from
    what sharing a CPU with the load generator costs; "shardd-N-packed-
    threads" runs them with a thread each (--share_cpu_threads=false).
  * Memory: fresh servers, 1,000,000 SETs key:0..key:999999 with 32-byte
    values through the same pipelined Python loader; VmRSS before and after.
  * Connection spread: connections per shard of shardd-N for 8/64/256 clients.

Prints the tables (medians over rounds) and writes everything, including the
machine, versions and each command line, to tools/bench/results/<time>.json
(or --out-dir; --tag names it). --shardd-flag adds a flag to every shardd
measured. It never asserts speed: the exit status only says whether
every run completed.
"""
import argparse
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The pieces of the runner (bench_lib/__init__.py lists them).
from bench_lib.phases import memory_phase, spread_phase, throughput_phase  # noqa: E402
from bench_lib.processes import Server  # noqa: E402
from bench_lib.report import check_targets, ratio, summarize  # noqa: E402
from bench_lib.workloads import CLIENTS, KEYSPACE  # noqa: E402


def shard_series(cpu_count):
    """Shard counts measured besides 1: powers of two below the CPU count,
    then the CPU count itself (nothing on one CPU)."""
    counts = []
    count = 2
    while count < cpu_count:
        counts.append(count)
        count *= 2
    if cpu_count > 1:
        counts.append(cpu_count)
    return counts


def cpu_list(cpus):
    return ",".join(map(str, cpus))


def machine_info(binary):
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=10).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return None
    model = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_model": model,
        "cpus_online": os.cpu_count(),
        "cpus_allowed": sorted(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "os": first(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "loadavg_at_start": open("/proc/loadavg").read().split()[:3],
        "git_commit": first(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(first(["git", "-C", str(REPO), "status", "--porcelain",
                                 "--untracked-files=no"])),
        "shardd_binary": str(binary),
        "redis_server": first(["redis-server", "--version"]),
        "redis_benchmark": first(["redis-benchmark", "--version"]),
        "python": platform.python_version(),
        "argv": sys.argv,
    }


def build_release(jobs):
    build_dir = REPO / "build" / "release"
    subprocess.run(["cmake", "-S", str(REPO), "-B", str(build_dir),
                    "-DCMAKE_BUILD_TYPE=Release"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build_dir), "--target", "shardd",
                    "-j%d" % jobs], check=True)
    return build_dir / "shard" / "shardd"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", help="shardd to measure (default: build a "
                        "Release one in build/release)")
    parser.add_argument("--redis-server", default="redis-server",
                        help="reference redis-server binary")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds per workload (median reported)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: tiny runs, 1 round, 50k keys; < 60 s")
    parser.add_argument("--memory-keys", type=int, default=1000000,
                        help="keys loaded for the memory comparison")
    parser.add_argument("--skip", default="", help="comma list of phases to "
                        "skip: throughput,memory,spread")
    parser.add_argument("--out-dir", default=str(REPO / "tools/bench/results"),
                        help="where the JSON result goes")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="build parallelism when building")
    parser.add_argument("--shardd-flag", action="append", default=[],
                        help="one more flag for every shardd measured "
                        "(repeatable), e.g. --shardd-flag=--recv_multishot=false")
    parser.add_argument("--tag", default="",
                        help="appended to the result file's name")
    args = parser.parse_args()
    socket.setdefaulttimeout(60)  # a stuck server fails the run, not hangs it
    if args.quick:
        args.rounds, args.memory_keys = 1, 50000
    skip = set(filter(None, args.skip.split(",")))

    binary = Path(args.binary).resolve() if args.binary else build_release(args.jobs)
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu = cpus[-1]
    client_cpus = cpus[:-1] or cpus
    one, redis = "shardd-1", "redis"
    many = "shardd-%d" % len(cpus) if len(cpus) > 1 else None
    packed = "shardd-%d-packed" % len(cpus)
    extra = args.shardd_flag
    specs = [(one, "shardd", str(binary), [server_cpu], 1, extra),
             (redis, "redis", args.redis_server, [server_cpu])]
    scaled = []
    # 2, 4, 8 ... shards on the last CPUs, then one per CPU (shardd-N).
    for count in shard_series(len(cpus)):
        name = "shardd-%d" % count
        specs.append((name, "shardd", str(binary), cpus[-count:], count,
                      extra))
        free = [cpu for cpu in cpus if cpu not in cpus[-count:]]
        scaled.append((name, "one shard per CPU on CPUs %s; the client runs on "
                             "CPUs %s" % (cpu_list(cpus[-count:]),
                                          cpu_list(free or client_cpus))))
    if many:
        specs.append((packed, "shardd", str(binary), [server_cpu], len(cpus),
                      extra))
        scaled.append((packed, "all %d shards on the server's CPU, as the "
                               "1-shard server, on one thread" % len(cpus)))
        # The same with a thread per shard, as before shards that share a
        # CPU shared a thread: what the sharing saves.
        specs.append((packed + "-threads", "shardd", str(binary), [server_cpu],
                      len(cpus), extra + ["--share_cpu_threads=false"]))
        scaled.append((packed + "-threads",
                       "all %d shards on the server's CPU, a thread each"
                       % len(cpus)))

    result = {"machine": machine_info(binary),
              "settings": {"clients": CLIENTS, "keyspace": KEYSPACE,
                           "rounds": args.rounds, "quick": args.quick,
                           "server_cpu": server_cpu, "client_cpus": client_cpus}}
    started = time.monotonic()
    servers = []
    try:
        if "throughput" not in skip:
            print("throughput: servers on CPU %d, redis-benchmark on CPU %s"
                  % (server_cpu, ",".join(map(str, client_cpus))), flush=True)
            servers = [Server(*spec).start() for spec in specs]
            result["servers"] = {s.name: s.argv for s in servers}
            result["runs"] = throughput_phase(servers, client_cpus, args.rounds,
                                              args.quick, cpus)
            for s in servers:
                s.stop()
            servers = []
        if "memory" not in skip:
            print("memory: %d keys, 32-byte values" % args.memory_keys, flush=True)
            result["memory"] = memory_phase(
                [spec for spec in specs if spec[0] in (one, redis, many)],
                args.memory_keys)
        if "spread" not in skip and many:
            print("connection spread over %d shards" % len(cpus), flush=True)
            result["spread"] = spread_phase(
                str(binary), cpus, (8, 64) if args.quick else (8, 64, 256))
    finally:
        for s in servers:
            s.stop()

    if "runs" in result:
        result["summary"] = summarize(result["runs"], one, redis, scaled)
    if "memory" in result:
        mem = result["memory"]
        print("\nmemory: | server | RSS empty MB | RSS loaded MB | bytes/key |")
        for name, m in mem.items():
            print("| %s | %.1f | %.1f | %.1f |" % (name, m["rss_empty"] / 2**20,
                                                   m["rss_loaded"] / 2**20,
                                                   m["bytes_per_key"]))
        if one in mem and redis in mem:
            print("RSS ratio shardd-1/redis: %.2f" % ratio(mem[one]["rss_loaded"],
                                                         mem[redis]["rss_loaded"]))
    result["targets"] = check_targets(result.get("summary", {}),
                                      result.get("memory"), one, redis)
    result["elapsed_s"] = time.monotonic() - started

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / ("%s%s%s.json" % (stamp, "-quick" if args.quick else "",
                                        "-" + args.tag if args.tag else ""))
    path.write_text(json.dumps(result, indent=1) + "\n")
    print("\nwrote %s (%.0f s)" % (path, result["elapsed_s"]))


if __name__ == "__main__":
    main()
