#!/usr/bin/env python3
"""The cost of durability: shardd against redis-server, both logging.

    tools/bench/durability.py [--binary build/release/shard/shardd]
                              [--rounds 3] [--requests 200000]
                              [--recovery-keys 1000000] [--quick]
                              [--clients 50] [--policies always,everysec,off]
                              [--value-bytes 16] [--keyspace 100000]
                              [--shardd-flag=--aof_buffer_limit=...]
                              [--no-recovery]

Part 1, writes. For each policy (appendfsync always, everysec, and no log
at all), each round runs in alternation redis-server (`--appendonly yes
--appendfsync <policy> --aof-use-rdb-preamble no`, or `--appendonly no`)
and shardd with 1 shard (`--appendfsync=<policy>`, or `--appendonly=false`),
each started fresh with its data directory under /var/tmp (on the disk,
never a tmpfs), both pinned to the SAME CPU (the last allowed one), and
redis-benchmark on the other CPUs: --clients clients (50), SET of
--value-bytes values (16) over --keyspace random keys (100,000). It reports
requests per second, the server's CPU time (utime + stime, /proc) per
request and its peak RSS (VmHWM), medians over rounds, the ratio
shardd/redis for each policy and each policy's ratio to no log.

Part 2, recovery. The same --recovery-keys SETs are piped (redis-cli --pipe)
into each server, which then stops cleanly; the time from starting it again
on its directory to its first answer is the load time: shardd with 2
shards on all CPUs replaying its logs in parallel, redis-server with its
AOF of commands (aof-use-rdb-preamble no) on one CPU, as it loads on one
thread. It checks DBSIZE after each load.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import connection_spread  # noqa: E402
from bench_lib.clients import read_reply  # noqa: E402
from bench_lib.processes import (Server, cpu_seconds, free_port,  # noqa: E402
                                 rss_bytes, shardd_extra_flags, stop_process)


def run_benchmark(port, requests, client_cpus, args):
    out = subprocess.run(
        ["taskset", "-c", ",".join(map(str, client_cpus)), "redis-benchmark",
         "-p", str(port), "-t", "set", "-n", str(requests), "-c",
         str(args.clients), "-r", str(args.keyspace), "-d",
         str(args.value_bytes), "--csv"],
        capture_output=True, text=True, timeout=600, check=True).stdout
    for line in out.splitlines():
        fields = [f.strip('"') for f in line.split(",")]
        if fields[0] == "SET":
            return float(fields[1])
    raise RuntimeError("no SET line from redis-benchmark: %r" % out)


def measure(server, requests, client_cpus, args):
    cpu0 = sum(cpu_seconds(server.pid))
    rps = run_benchmark(server.port, requests, client_cpus, args)
    cpu = sum(cpu_seconds(server.pid)) - cpu0
    return {"rps": rps, "cpu_us_per_request": cpu / requests * 1e6,
            "peak_rss_mb": rss_bytes(server.pid, "VmHWM") / 2**20}


def writes(args, server_cpu, client_cpus):
    results = {}
    for label in args.policies.split(","):
        policy = None if label == "off" else label
        requests = args.requests if policy != "always" else args.requests // 4
        servers = [
            Server("redis-" + label, "redis", args.redis_server, [server_cpu],
                   appendfsync=policy),
            Server("shardd-" + label, "shardd", args.binary, [server_cpu], 1,
                   extra_args=args.shardd_flag, appendfsync=policy)]
        runs = {s.name: [] for s in servers}
        for rnd in range(args.rounds):
            order = servers[rnd % 2:] + servers[:rnd % 2]
            for s in order:
                s.start()
                try:
                    r = measure(s, requests, client_cpus, args)
                finally:
                    s.stop()
                runs[s.name].append(r)
                print("  %-8s round %d %-16s %9.0f SET/s  %6.2f CPU us/SET"
                      "  peak RSS %7.1f MB"
                      % (label, rnd + 1, s.name, r["rps"],
                         r["cpu_us_per_request"], r["peak_rss_mb"]),
                      flush=True)
        for name, rs in runs.items():
            results[name] = {
                k: statistics.median(r[k] for r in rs)
                for k in ("rps", "cpu_us_per_request", "peak_rss_mb")}
            results[name]["runs"] = rs
    return results


def pipe_keys(port, keys):
    payload = b"".join(
        b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n"
        % (len(k), k, len(v), v)
        for k, v in ((b"key:%d" % i, b"value:%010d" % i) for i in range(keys)))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=payload,
                   capture_output=True, timeout=600, check=True)


def dbsize(port):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        connection_spread.command(s, "DBSIZE")
        return int(read_reply(s))


def wait_answering(proc, port, deadline_s=600):
    """Waits until `port` answers PING with PONG (redis answers -LOADING
    while it loads); returns when."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited while loading")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                connection_spread.command(s, "PING")
                if read_reply(s) == b"PONG":
                    return time.monotonic()
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError("server did not answer in time")


def info_fields(port, section):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        connection_spread.command(s, "INFO", section)
        text = read_bulk(s)
    return dict(line.split(":", 1) for line in text.decode().split("\r\n")
                if ":" in line)


def read_bulk(sock):
    data = b""
    while True:
        data += sock.recv(1 << 20)
        header, sep, rest = data.partition(b"\r\n")
        if sep and len(rest) >= int(header[1:]) + 2:
            return rest[:int(header[1:])]


def rewrite_memory(port):
    """BGREWRITEAOF on a loaded shardd: the most memory the compaction held
    (aof_rewrite_peak_bytes) against the dataset's (used_memory)."""
    used = int(info_fields(port, "memory")["used_memory"])
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        connection_spread.command(s, "BGREWRITEAOF")
        read_reply(s)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        fields = info_fields(port, "persistence")
        if fields.get("aof_rewrites") == "1":
            return {"used_memory": used,
                    "peak_bytes": int(fields["aof_rewrite_peak_bytes"]),
                    "size_after": int(fields["aof_current_size"])}
        time.sleep(0.05)
    raise RuntimeError("the compaction did not finish")


def start_shardd(args, data_dir, port, cpus):
    argv = (["taskset", "-c", ",".join(map(str, cpus)), args.binary,
             "--port=%d" % port, "--shards=%d" % len(cpus),
             "--cpus=" + ",".join(map(str, cpus)), "--dir=" + data_dir]
            + shardd_extra_flags(args.binary, durable=True))
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not re.search(r"shardd ready port=", line):
        raise RuntimeError("shardd did not start: %r" % line)
    return proc, started


def start_redis(args, data_dir, port, cpu):
    argv = ["taskset", "-c", str(cpu), args.redis_server, "--port", str(port),
            "--bind", "127.0.0.1", "--save", "", "--daemonize", "no",
            "--logfile", "", "--appendonly", "yes", "--appendfsync",
            "everysec", "--aof-use-rdb-preamble", "no", "--dir", data_dir]
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return proc, started


def recovery(args, cpus):
    results = {}
    keys = args.recovery_keys
    for name in ("redis", "shardd-2"):
        data_dir = tempfile.mkdtemp(prefix="durability-bench-", dir="/var/tmp")
        port = free_port()
        try:
            if name == "redis":
                proc, started = start_redis(args, data_dir, port, cpus[-1])
                wait_answering(proc, port)
            else:
                proc, started = start_shardd(args, data_dir, port, cpus)
            pipe_keys(port, keys)
            if dbsize(port) != keys:
                raise RuntimeError("%s: DBSIZE after loading" % name)
            stop_process(proc)
            loads = []
            for _ in range(args.rounds):
                if name == "redis":
                    proc, started = start_redis(args, data_dir, port, cpus[-1])
                else:
                    proc, started = start_shardd(args, data_dir, port, cpus)
                ready = wait_answering(proc, port)
                loads.append(ready - started)
                if dbsize(port) != keys:
                    raise RuntimeError("%s: DBSIZE after recovery" % name)
                stop_process(proc)
                print("  recovery %-9s %.3f s for %d keys"
                      % (name, loads[-1], keys), flush=True)
            results[name] = {"seconds": statistics.median(loads),
                             "runs": loads,
                             "keys_per_s": keys / statistics.median(loads)}
            if name != "redis":
                proc, started = start_shardd(args, data_dir, port, cpus)
                results["rewrite"] = rewrite_memory(port)
                stop_process(proc)
        finally:
            stop_process(proc)
            shutil.rmtree(data_dir, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary",
                        default=str(REPO / "build/release/shard/shardd"))
    parser.add_argument("--redis-server", default="redis-server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200000,
                        help="SETs per measurement (a quarter under always)")
    parser.add_argument("--recovery-keys", type=int, default=1000000)
    parser.add_argument("--quick", action="store_true",
                        help="1 round, 20,000 SETs, 50,000 keys")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--value-bytes", type=int, default=16)
    parser.add_argument("--keyspace", type=int, default=100000)
    parser.add_argument("--shardd-flag", action="append", default=[],
                        help="one more flag for shardd in part 1 "
                        "(repeatable)")
    parser.add_argument("--policies", default="always,everysec,off",
                        help="comma-separated, of always, everysec, off")
    parser.add_argument("--no-recovery", action="store_true",
                        help="skip part 2")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests, args.recovery_keys = 1, 20000, 50000
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, client_cpus = cpus[-1], (cpus[:-1] or cpus)

    w = writes(args, server_cpu, client_cpus)
    print("\nSET of %d bytes over %d keys, %d clients, 1 shard vs redis on "
          "CPU %d; medians of %d" % (args.value_bytes, args.keyspace,
                                     args.clients, server_cpu, args.rounds))
    print("| policy | shardd SET/s | redis SET/s | shardd/redis | "
          "shardd CPU us/SET | redis CPU us/SET | shardd vs no log | "
          "redis vs no log | shardd peak RSS MB | redis peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    off = "shardd-off" in w
    for label in args.policies.split(","):
        a, b = w["shardd-" + label], w["redis-" + label]
        print("| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %s | %s | %.0f | %.0f |"
              % (label, a["rps"], b["rps"], a["rps"] / b["rps"],
                 a["cpu_us_per_request"], b["cpu_us_per_request"],
                 "%.2f" % (a["rps"] / w["shardd-off"]["rps"]) if off else "-",
                 "%.2f" % (b["rps"] / w["redis-off"]["rps"]) if off else "-",
                 a["peak_rss_mb"], b["peak_rss_mb"]))
    if args.no_recovery:
        if args.out:
            Path(args.out).write_text(json.dumps({"writes": w}, indent=1)
                                      + "\n")
        return

    r = recovery(args, cpus)
    print("\nRecovery of %d keys (SET commands in the log); medians of %d"
          % (args.recovery_keys, args.rounds))
    print("| server | seconds | keys/s |")
    print("|---|---|---|")
    for name in ("shardd-2", "redis"):
        print("| %s | %.3f | %.0f |" % (name, r[name]["seconds"],
                                        r[name]["keys_per_s"]))
    print("shardd/redis recovery rate: %.2f"
          % (r["shardd-2"]["keys_per_s"] / r["redis"]["keys_per_s"]))
    m = r["rewrite"]
    print("\nBGREWRITEAOF of those keys: peak memory %d bytes, %.1f%% of the "
          "dataset's %d (used_memory); logs %d bytes afterwards"
          % (m["peak_bytes"], 100.0 * m["peak_bytes"] / m["used_memory"],
             m["used_memory"], m["size_after"]))
    if args.out:
        Path(args.out).write_text(json.dumps({"writes": w, "recovery": r},
                                             indent=1) + "\n")


if __name__ == "__main__":
    main()
