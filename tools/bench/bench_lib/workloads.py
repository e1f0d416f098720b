"""The redis-benchmark workloads and one measured run of one of them."""
import resource
import subprocess
import time

from .processes import context_switches, cpu_seconds, sched_seconds

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

# redis-benchmark has an MSET test but no MGET one; MGET runs as a custom
# command. Each __rand_int__ becomes its own 12-digit number, the shape of the
# preloaded keys, so the 10 keys hit and spread over all shards.
MGET_COMMAND = ["MGET"] + ["key:__rand_int__"] * 10


def run_benchmark(server, client_cpus, test, pipeline, size, requests,
                  clients=CLIENTS):
    """`test`: a redis-benchmark test name, or a command (a list) to send."""
    if isinstance(test, list):
        what = test
    else:
        what = MGET_COMMAND if test == "mget" else ["-t", test]
    argv = ["taskset", "-c", ",".join(map(str, client_cpus)), "redis-benchmark",
            "-p", str(server.port), "-n", str(requests),
            "-c", str(clients), "-r", str(KEYSPACE), "-d", str(size),
            "-P", str(pipeline), "--csv"] + what
    # One client thread per client CPU (up to 16), so that a many-core host's
    # shards get load enough; one CPU keeps the single-threaded client.
    if len(client_cpus) > 1:
        argv[-len(what):-len(what)] = ["--threads", str(min(len(client_cpus), 16))]
    cpu0, sched0 = cpu_seconds(server.pid), sched_seconds(server.pid)
    switches0 = context_switches(server.pid)
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.monotonic()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    wall = time.monotonic() - wall0
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu1, sched1 = cpu_seconds(server.pid), sched_seconds(server.pid)
    switches = context_switches(server.pid) - switches0
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
        "switches_per_kop": switches / requests * 1000,
        "client_cpu_s": (child1.ru_utime + child1.ru_stime)
                        - (child0.ru_utime + child0.ru_stime),
    }
