#!/usr/bin/env python3
"""Benchmarks shardd side by side with a reference redis-server.

One command (run from anywhere; paths are relative to the repository):

    tools/bench/run.py                      # full run, 3 rounds, ~5 minutes
    tools/bench/run.py --quick              # CI smoke: tiny runs, < 60 s
    tools/bench/run.py --binary build-bench/shard/shardd --rounds 5

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
    all pinned to the server CPU ("shardd-N-packed") are measured too: that
    isolates what crossing shards costs from what sharing a CPU with the
    load generator costs.
  * Memory: fresh servers, 1,000,000 SETs key:0..key:999999 with 32-byte
    values through the same pipelined Python loader; VmRSS before and after.
  * Connection spread: connections per shard of shardd-N for 8/64/256 clients.

Prints the tables (medians over rounds) and writes everything, including the
machine, versions and each command line, to tools/bench/results/<time>.json
(or --out-dir). It never asserts speed: the exit status only says whether
every run completed.
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import connection_spread  # noqa: E402  (reused: command())

CLIENTS = 50
KEYSPACE = 100000
# redis-benchmark -r expands __rand_int__ to 12 digits: preload the same keys.
BENCH_KEY = b"key:%012d"

# (name, redis-benchmark test, pipeline, requests in a full run). The request
# counts make each run last ~2-3 s on the 2-core reference machine.
WORKLOADS = [
    ("GET", "get", 1, 150000),
    ("SET", "set", 1, 150000),
    ("GET -P16", "get", 16, 1500000),
    ("SET -P16", "set", 16, 1200000),
    ("MSET(10)", "mset", 1, 80000),
    ("MGET(10)", "mget", 1, 80000),
    ("INCR", "incr", 1, 150000),
]
QUICK_REQUESTS = {1: 5000, 16: 50000}
DATA_SIZES = [3, 100]


# ---------------------------------------------------------------- processes

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """(utime, stime) of the whole process (all threads), in seconds: time
    in the server's own code and time in the kernel on its behalf."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def sched_seconds(pid):
    """CPU time of all threads at nanosecond resolution (schedstat)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS for pid %d" % pid)


def shardd_extra_flags(binary):
    """Turns off the HTTP admin endpoint where the binary has one: its fixed
    default port would collide between the servers run side by side."""
    help_text = subprocess.run([binary, "--help"], capture_output=True,
                               text=True, timeout=10)
    text = help_text.stdout + help_text.stderr
    return ["--admin=false"] if re.search(r"^\s*-admin \(", text, re.M) else []


class Server:
    """A shardd or redis-server child pinned with taskset."""

    def __init__(self, name, kind, binary, cpus, shards=1):
        self.name, self.kind, self.cpus, self.shards = name, kind, cpus, shards
        cpu_list = ",".join(map(str, cpus))
        if kind == "shardd":
            self.argv = [binary, "--port=0", "--shards=%d" % shards,
                         "--cpus=" + cpu_list] + shardd_extra_flags(binary)
        else:
            self.port = free_port()
            self.argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no",
                         "--daemonize", "no", "--logfile", ""]
        self.argv = ["taskset", "-c", cpu_list] + self.argv
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        if self.kind == "shardd":
            line = self.proc.stdout.readline()
            m = re.search(r"shardd ready port=(\d+)", line)
            if not m:
                raise RuntimeError("shardd did not start: %r" % line)
            self.port = int(m.group(1))
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port)) as s:
                    connection_spread.command(s, "PING")
                    read_reply(s)
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("%s did not start" % self.name)
                time.sleep(0.05)
        return self

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server: same pid

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ------------------------------------------------------------------ clients

def load_keys(port, count, value, key_format, batch=5000):
    """Pipelined SET key_format % i = value for i in [0, count)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tail = b"\r\n$%d\r\n%s\r\n" % (len(value), value)
        for start in range(0, count, batch):
            end = min(count, start + batch)
            parts = []
            for i in range(start, end):
                key = key_format % i
                parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s%s" % (len(key), key, tail))
            sock.sendall(b"".join(parts))
            want = b"+OK\r\n" * (end - start)
            got = bytearray()
            while len(got) < len(want):
                chunk = sock.recv(1 << 20)
                if not chunk:
                    raise RuntimeError("server closed the connection while loading")
                got += chunk
            if got != want:
                raise RuntimeError("unexpected reply while loading: %r" % bytes(got[:80]))


def read_reply(sock):
    """Reads one simple, error, integer or bulk reply; returns its payload."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
        line, sep, rest = data.partition(b"\r\n")
        if not sep:
            continue
        if data[:1] in (b"+", b"-", b":"):
            return line[1:]
        if data[:1] == b"$" and len(rest) >= int(line[1:]) + 2:
            return rest[:int(line[1:])]


def simple_command(port, *args):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        connection_spread.command(s, *args)
        return read_reply(s)


# redis-benchmark has an MSET test but no MGET one; MGET runs as a custom
# command. Each __rand_int__ becomes its own 12-digit number, the shape of the
# preloaded keys, so the 10 keys hit and spread over all shards.
MGET_COMMAND = ["MGET"] + ["key:__rand_int__"] * 10


def run_benchmark(server, client_cpus, test, pipeline, size, requests):
    what = MGET_COMMAND if test == "mget" else ["-t", test]
    argv = ["taskset", "-c", ",".join(map(str, client_cpus)), "redis-benchmark",
            "-p", str(server.port), "-n", str(requests),
            "-c", str(CLIENTS), "-r", str(KEYSPACE), "-d", str(size),
            "-P", str(pipeline), "--csv"] + what
    cpu0, sched0 = cpu_seconds(server.pid), sched_seconds(server.pid)
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.monotonic()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    wall = time.monotonic() - wall0
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu1, sched1 = cpu_seconds(server.pid), sched_seconds(server.pid)
    rows = [line for line in out.stdout.splitlines() if line.startswith('"')]
    if out.returncode != 0 or len(rows) < 2:
        raise RuntimeError("redis-benchmark failed (%s): %s %s"
                           % (" ".join(argv), out.stdout, out.stderr))
    header = [h.strip('"') for h in rows[0].split(",")]
    values = dict(zip(header, [v.strip('"') for v in rows[1].split(",")]))
    user, system = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    server_cpu = user + system
    return {
        "argv": argv,
        "requests": requests,
        "wall_s": wall,
        "ops_per_s": float(values["rps"]),
        "p50_ms": float(values["p50_latency_ms"]),
        "p99_ms": float(values["p99_latency_ms"]),
        "avg_ms": float(values["avg_latency_ms"]),
        "server_cpu_s": server_cpu,
        "server_sched_s": sched1 - sched0,
        "cpu_us_per_op": server_cpu / requests * 1e6,
        "user_us_per_op": user / requests * 1e6,
        "sys_us_per_op": system / requests * 1e6,
        "sched_us_per_op": (sched1 - sched0) / requests * 1e6,
        "client_cpu_s": (child1.ru_utime + child1.ru_stime)
                        - (child0.ru_utime + child0.ru_stime),
    }


# ------------------------------------------------------------------- phases

def throughput_phase(servers, client_cpus, rounds, quick):
    """Every workload against every server, alternating, `rounds` times."""
    runs = []
    for rnd in range(rounds):
        order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]
        for size in DATA_SIZES:
            value = b"x" * size
            for s in order:
                load_keys(s.port, 2000 if quick else KEYSPACE, value, BENCH_KEY)
            for name, test, pipeline, requests in WORKLOADS:
                if test == "incr" and size != DATA_SIZES[0]:
                    continue  # INCR has no value: once is enough
                if quick:
                    requests = QUICK_REQUESTS[pipeline]
                workload = "%s -d%d" % (name, size) if test != "incr" else name
                for s in order:
                    # shardd-N is measured on the small values only (scaling).
                    if s.shards > 1 and size != DATA_SIZES[0]:
                        continue
                    r = run_benchmark(s, client_cpus, test, pipeline, size, requests)
                    r.update(server=s.name, workload=workload, round=rnd)
                    runs.append(r)
                    print("  round %d %-14s %-9s %10.0f ops/s  %.2f CPU us/op"
                          % (rnd + 1, workload, s.name, r["ops_per_s"],
                             r["cpu_us_per_op"]), flush=True)
    return runs


def memory_phase(specs, keys):
    out = {}
    value = b"v" * 32
    for spec in specs:
        server = Server(*spec).start()
        try:
            empty = rss_bytes(server.pid)
            t0 = time.monotonic()
            load_keys(server.port, keys, value, b"key:%d", batch=10000)
            load_s = time.monotonic() - t0
            time.sleep(0.5)
            dbsize = int(simple_command(server.port, "DBSIZE"))
            full = rss_bytes(server.pid)
            out[server.name] = {
                "keys": keys, "dbsize": dbsize, "rss_empty": empty,
                "rss_loaded": full, "bytes_per_key": (full - empty) / keys,
                "load_s": load_s, "argv": server.argv}
            print("  %-9s RSS %6.1f MB -> %7.1f MB, %.1f bytes/key"
                  % (server.name, empty / 2**20, full / 2**20, (full - empty) / keys),
                  flush=True)
        finally:
            server.stop()
    return out


def spread_phase(binary, cpus, counts):
    out = []
    for clients in counts:
        server = Server("shardd-%d" % len(cpus), "shardd", binary, cpus,
                        len(cpus)).start()
        try:
            socks = [socket.create_connection(("127.0.0.1", server.port))
                     for _ in range(clients)]
            for s in socks:
                connection_spread.command(s, "PING")
                read_reply(s)
            connection_spread.command(socks[0], "INFO", "shards")
            info = read_reply(socks[0]).decode()
            per_shard = [int(m) for m in re.findall(r"connections=(\d+)", info)]
            for s in socks:
                s.close()
        finally:
            server.stop()
        ratio = max(per_shard) / (sum(per_shard) / len(per_shard))
        out.append({"clients": clients, "per_shard": per_shard, "max_over_mean": ratio})
        print("  %3d clients: %s (max/mean %.2f)"
              % (clients, " ".join(map(str, per_shard)), ratio), flush=True)
    return out


# ------------------------------------------------------------------ reports

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


def median_of(runs, server, workload, key):
    values = [r[key] for r in runs if r["server"] == server and r["workload"] == workload]
    return statistics.median(values) if values else None


def ratio(a, b):
    return a / b if a and b else float("nan")


def summarize(runs, one, redis, scaled):
    workloads = list(dict.fromkeys(r["workload"] for r in runs))
    keys = ("ops_per_s", "p50_ms", "p99_ms", "cpu_us_per_op", "user_us_per_op",
            "sys_us_per_op", "sched_us_per_op", "client_cpu_s", "wall_s")
    names = [one, redis] + [name for name, _ in scaled]
    summary = {w: {s: {k: median_of(runs, s, w, k) for k in keys}
                   for s in names if median_of(runs, s, w, "ops_per_s")}
               for w in workloads}
    print("\nshardd (1 shard) vs redis-server, same CPU; median of rounds; "
          "CPU = server utime+stime per request (user + kernel)")
    print("| workload | shardd ops/s | redis ops/s | ratio | shardd p50/p99 ms "
          "| redis p50/p99 ms | p50/p99 ratio | shardd CPU us/op | redis CPU us/op "
          "| CPU ratio | client busy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for w in workloads:
        a, b = summary[w][one], summary[w][redis]
        busy = a["client_cpu_s"] / a["wall_s"]
        print("| %s | %.0f | %.0f | %.2f | %.2f/%.2f | %.2f/%.2f | %.2f/%.2f "
              "| %.2f (%.2f+%.2f) | %.2f (%.2f+%.2f) | %.2f | %.0f%% |"
              % (w, a["ops_per_s"], b["ops_per_s"], ratio(a["ops_per_s"], b["ops_per_s"]),
                 a["p50_ms"], a["p99_ms"], b["p50_ms"], b["p99_ms"],
                 ratio(a["p50_ms"], b["p50_ms"]), ratio(a["p99_ms"], b["p99_ms"]),
                 a["cpu_us_per_op"], a["user_us_per_op"], a["sys_us_per_op"],
                 b["cpu_us_per_op"], b["user_us_per_op"], b["sys_us_per_op"],
                 ratio(a["cpu_us_per_op"], b["cpu_us_per_op"]), busy * 100))
    for many, how in scaled:
        print("\nscaling: shardd 1 shard vs %s (%s)" % (many, how))
        print("| workload | 1-shard ops/s | %s ops/s | 1-shard ops/CPU-s "
              "| %s ops/CPU-s | ratio |" % (many, many))
        print("|---|---|---|---|---|---|")
        for w in workloads:
            if many not in summary[w]:
                continue
            a, c = summary[w][one], summary[w][many]
            ea, ec = 1e6 / a["cpu_us_per_op"], 1e6 / c["cpu_us_per_op"]
            summary[w].setdefault("scaling", {})[many] = ec / ea
            print("| %s | %.0f | %.0f | %.0f | %.0f | %.2f |"
                  % (w, a["ops_per_s"], c["ops_per_s"], ea, ec, ec / ea))
    return summary


def check_targets(summary, memory, one, redis):
    """Compares the medians with the issue's targets; informational only."""
    checks = []

    def add(what, value, goal, ok):
        checks.append({"target": what, "value": value, "goal": goal, "met": ok})

    for w, s in summary.items():
        if one not in s or redis not in s:
            continue
        piped = "-P16" in w
        cpu = ratio(s[one]["cpu_us_per_op"], s[redis]["cpu_us_per_op"])
        tput = ratio(s[one]["ops_per_s"], s[redis]["ops_per_s"])
        add("%s CPU/op vs redis" % w, cpu, "<= %.1f" % (0.5 if piped else 0.6),
            cpu <= (0.5 if piped else 0.6))
        add("%s throughput vs redis" % w, tput, ">= %.1f" % (2.0 if piped else 1.2),
            tput >= (2.0 if piped else 1.2))
        for many, value in s.get("scaling", {}).items():
            add("%s %s ops/CPU-s vs 1 shard" % (w, many), value, ">= 0.85",
                value >= 0.85)
    if memory and one in memory and redis in memory:
        m = ratio(memory[one]["rss_loaded"], memory[redis]["rss_loaded"])
        add("RSS with %d 32-byte keys vs redis" % memory[one]["keys"], m,
            "<= 0.8", m <= 0.8)
    print("\ntargets (informational; this script never fails on speed)")
    for c in checks:
        print("  %-5s %-52s %6.2f  (goal %s)"
              % ("met" if c["met"] else "MISS", c["target"], c["value"], c["goal"]))
    return checks


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
    specs = [(one, "shardd", str(binary), [server_cpu], 1),
             (redis, "redis", args.redis_server, [server_cpu])]
    scaled = []
    # 2, 4, 8 ... shards on the last CPUs, then one per CPU (shardd-N).
    for count in shard_series(len(cpus)):
        name = "shardd-%d" % count
        specs.append((name, "shardd", str(binary), cpus[-count:], count))
        scaled.append((name, "one shard per CPU on CPUs %s; the client runs on "
                             "CPUs %s" % (cpu_list(cpus[-count:]),
                                          cpu_list(client_cpus))))
    if many:
        specs.append((packed, "shardd", str(binary), [server_cpu], len(cpus)))
        scaled.append((packed, "all %d shards on the server's CPU, as the "
                               "1-shard server" % len(cpus)))

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
                                              args.quick)
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
    path = out_dir / ("%s%s.json" % (stamp, "-quick" if args.quick else ""))
    path.write_text(json.dumps(result, indent=1) + "\n")
    print("\nwrote %s (%.0f s)" % (path, result["elapsed_s"]))


if __name__ == "__main__":
    main()
