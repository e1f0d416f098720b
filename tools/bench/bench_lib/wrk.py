"""wrk for tools/bench/files_bench.py: the workloads' Lua scripts, one
measured run and the parsing of wrk's report."""
import os
import re
import resource
import subprocess
import time

from .file_servers import (LARGE, MANY, MANY_FORMAT, ONE_LARGE, ONE_SMALL,
                           PUT_FORMAT, SMALL)

CONNECTIONS = 50
THREADS = 1

# Round-robin over MANY paths; the requests are formatted once, in init().
ROTATE_LUA = """\
local requests, n = {}, 0
init = function(args)
  for i = 0, %(count)d - 1 do
    requests[i + 1] = wrk.format("%(method)s", string.format("%(format)s", i),
                                 nil, %(body)s)
  end
end
request = function()
  n = n %% #requests + 1
  return requests[n]
end
"""

# (name, method, path or None, Lua script or None, response bytes, nginx too)
WORKLOADS = [
    ("GET 4 KiB", "GET", ONE_SMALL, None, SMALL, True),
    ("GET 4 KiB x%d files" % MANY, "GET", None, "many.lua", SMALL, True),
    ("GET 1 MiB", "GET", ONE_LARGE, None, LARGE, True),
    ("PUT 4 KiB x%d files" % MANY, "PUT", None, "put.lua", 0, False),
]


def write_scripts(tmp):
    """The Lua scripts of WORKLOADS, written to tmp."""
    put_body = 'string.rep("0123456789abcdef", %d)' % (SMALL // 16)
    for name, method, fmt, body in (("many.lua", "GET", MANY_FORMAT, "nil"),
                                    ("put.lua", "PUT", PUT_FORMAT, put_body)):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(ROTATE_LUA % {"count": MANY, "method": method,
                                  "format": fmt, "body": body})


UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}


def parse(out):
    """The figures of wrk --latency's report (latencies in ms)."""
    def find(pattern):
        m = re.search(pattern, out, re.M)
        if not m:
            raise RuntimeError("no %r in wrk's output:\n%s" % (pattern, out))
        return m

    def ms(pct):
        m = find(r"^\s*%s%%\s+([\d.]+)(us|ms|s|m|h)\s*$" % pct)
        return float(m.group(1)) * TIME_UNITS[m.group(2)]

    m = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)([KMGT]?)B read")
    transfer = find(r"^Transfer/sec:\s+([\d.]+)([KMGT]?)B")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                       r"timeout (\d+)", out)
    return {
        "requests": int(m.group(1)),
        "bytes_read": float(m.group(4)) * UNITS[m.group(5)],
        "req_per_s": float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        "mib_per_s": float(transfer.group(1)) * UNITS[transfer.group(2)] / 2**20,
        "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def run_wrk(server, client_cpus, workload, seconds, tmp):
    """One wrk run against server; wrk's figures plus the server's CPU time
    (master and workers for nginx) per request."""
    name, method, path, script, _, _ = workload
    argv = ["taskset", "-c", ",".join(map(str, client_cpus)), "wrk",
            "-t%d" % THREADS, "-c%d" % CONNECTIONS, "-d%ds" % seconds,
            "--latency"]
    if script:
        argv += ["-s", os.path.join(tmp, script)]
    argv.append("http://127.0.0.1:%d%s" % (server.port, path or "/"))
    cpu0 = server.cpu()
    child0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.monotonic()
    out = subprocess.run(argv, capture_output=True, text=True,
                         timeout=seconds + 60)
    wall = time.monotonic() - wall0
    child1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu1 = server.cpu()
    if out.returncode != 0:
        raise RuntimeError("wrk failed (%s): %s %s" % (" ".join(argv),
                                                       out.stdout, out.stderr))
    run = parse(out.stdout)
    if run["non_2xx"] or run["socket_errors"] or not run["requests"]:
        raise RuntimeError("%s against %s: %d non-2xx, %d socket errors:\n%s"
                           % (name, server.name, run["non_2xx"],
                              run["socket_errors"], out.stdout))
    user, system, sched = (b - a for a, b in zip(cpu0, cpu1))
    per = 1e6 / run["requests"]
    run.update({
        "argv": argv, "wall_s": wall, "server_pids": server.pids(),
        "server_cpu_s": user + system, "server_sched_s": sched,
        "cpu_us_per_req": (user + system) * per,
        "user_us_per_req": user * per, "sys_us_per_req": system * per,
        "sched_us_per_req": sched * per,
        "client_cpu_s": (child1.ru_utime + child1.ru_stime)
                        - (child0.ru_utime + child0.ru_stime),
    })
    return run
