#!/usr/bin/env python3
"""Benchmarks shardd's HTTP file service side by side with Debian's nginx.

One command (run from anywhere; paths are relative to the repository):

    tools/bench/files_bench.py                  # 3 rounds of 10 s runs, ~4 min
    tools/bench/files_bench.py --quick          # smoke test: 1 round of 2 s runs
    tools/bench/files_bench.py --binary build-bench/shard/shardd --rounds 5
    tools/bench/files_bench.py --shardd-flag=--http_splice=false --tag copy

Needs `nginx` and `wrk` on PATH (Debian: apt-get install nginx wrk); installs
nothing and builds nothing (--binary defaults to build/release/shard/shardd).

One temporary data directory holds the files both servers serve: one 4 KiB
file, 1,000 different 4 KiB files and one 1 MiB file (seeded, so the same
bytes every run). shardd (1 shard, `--dir`, serving <dir>/files) and nginx
(generated config: 1 worker, sendfile, tcp_nopush, tcp_nodelay,
open_file_cache, no access log, root = the same files directory) run pinned
to the SAME CPU (the last allowed one); `wrk -t1 -c50 --latency` runs pinned
to the others. Workloads: GET of the one 4 KiB file, GET round-robin over the
1,000 files (a Lua script), GET of the 1 MiB file, and PUT of 4 KiB bodies
round-robin over 1,000 paths, shardd only: shardd fsyncs the file and its
directory before answering a PUT, nginx's dav module does not, so the figures
would not compare like with like. Each round runs every workload against each
server, the order alternating between workloads and rounds. Each run records
requests/s, MiB/s, p50/p90/p99 latency (wrk) and the server's CPU time per
request: utime+stime of the whole process from /proc/PID/stat before and
after the run (all threads; for nginx master and worker summed).

Prints the medians with the ratios shardd/nginx and the issue's targets
(throughput >= 1.0x nginx, CPU/request <= 1.0x nginx for the GETs), and
writes everything to tools/bench/results/<time>-files[-<tag>].json (or
--out-dir).
It never asserts speed: the exit status only says whether every run completed.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, machine_info  # noqa: E402  (reused: repo, machine)
from bench_lib.file_servers import (Nginx, ShardFiles, check_same_files,  # noqa: E402
                                    make_files)
from bench_lib.report import median_of, ratio  # noqa: E402
from bench_lib.wrk import CONNECTIONS, THREADS, WORKLOADS, run_wrk, write_scripts  # noqa: E402

SHARDD, NGINX = "shardd", "nginx"
KEYS = ("req_per_s", "mib_per_s", "p50_ms", "p99_ms", "cpu_us_per_req",
        "user_us_per_req", "sys_us_per_req", "sched_us_per_req",
        "client_cpu_s", "wall_s")


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


def require_tools():
    missing = [t for t in ("nginx", "wrk", "taskset") if not shutil.which(t)]
    if missing:
        sys.exit("files_bench.py needs %s on PATH; on Debian: apt-get install "
                 "nginx wrk (taskset is in util-linux)" % " and ".join(missing))


def rounds(servers, client_cpus, count, seconds, tmp):
    runs = []
    for r in range(count):
        for w, workload in enumerate(WORKLOADS):
            order = servers if (r + w) % 2 == 0 else servers[::-1]
            for server in order:
                if server.name == NGINX and not workload[5]:
                    continue
                run = run_wrk(server, client_cpus, workload, seconds, tmp)
                run.update({"server": server.name, "workload": workload[0],
                            "round": r})
                runs.append(run)
                print("  round %d %-22s %-6s %9.0f req/s %8.1f MiB/s p99 %6.2f ms "
                      "%6.2f us CPU/req" % (r + 1, workload[0], server.name,
                                            run["req_per_s"], run["mib_per_s"],
                                            run["p99_ms"], run["cpu_us_per_req"]),
                      flush=True)
    return runs


def summarize(runs):
    summary = {}
    for workload in WORKLOADS:
        w = workload[0]
        summary[w] = {s: {k: median_of(runs, s, w, k) for k in KEYS}
                      for s in (SHARDD, NGINX) if median_of(runs, s, w, "req_per_s")}
    print("\nshardd (1 shard) vs nginx (1 worker), same CPU; median of rounds; "
          "CPU = server utime+stime per request (user + kernel)")
    print("| workload | shardd req/s | nginx req/s | ratio | shardd MiB/s "
          "| nginx MiB/s | shardd p99 ms | nginx p99 ms | shardd CPU us/req "
          "| nginx CPU us/req | CPU ratio | client busy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for w, s in summary.items():
        a, b = s.get(SHARDD), s.get(NGINX)
        if not a:
            continue
        na = "n/a"
        busy = a["client_cpu_s"] / a["wall_s"] * 100
        print("| %s | %.0f | %s | %s | %.1f | %s | %.2f | %s | %.2f (%.2f+%.2f) "
              "| %s | %s | %.0f%% |" % (
                  w, a["req_per_s"], "%.0f" % b["req_per_s"] if b else na,
                  "%.2f" % ratio(a["req_per_s"], b["req_per_s"]) if b else na,
                  a["mib_per_s"], "%.1f" % b["mib_per_s"] if b else na,
                  a["p99_ms"], "%.2f" % b["p99_ms"] if b else na,
                  a["cpu_us_per_req"], a["user_us_per_req"], a["sys_us_per_req"],
                  "%.2f (%.2f+%.2f)" % (b["cpu_us_per_req"], b["user_us_per_req"],
                                        b["sys_us_per_req"]) if b else na,
                  "%.2f" % ratio(a["cpu_us_per_req"], b["cpu_us_per_req"])
                  if b else na, busy))
    print("(PUT: shardd only; it fsyncs the file and its directory before "
          "answering, nginx's dav module does not, so nginx is not measured.)")
    return summary


def check_targets(summary):
    """The issue's targets for the GETs; informational only."""
    checks = []
    for w, s in summary.items():
        if not w.startswith("GET") or SHARDD not in s or NGINX not in s:
            continue
        a, b = s[SHARDD], s[NGINX]
        tput = ratio(a["req_per_s"], b["req_per_s"])
        cpu = ratio(a["cpu_us_per_req"], b["cpu_us_per_req"])
        checks.append({"target": "%s throughput vs nginx" % w, "value": tput,
                       "goal": ">= 1.0", "met": tput >= 1.0})
        checks.append({"target": "%s CPU/request vs nginx" % w, "value": cpu,
                       "goal": "<= 1.0", "met": cpu <= 1.0})
    print("\ntargets (informational; this script never fails on speed)")
    for c in checks:
        print("  %-5s %-44s %6.2f  (goal %s)" % ("met" if c["met"] else "MISS",
                                                 c["target"], c["value"], c["goal"]))
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(REPO / "build/release/shard/shardd"),
                        help="shardd to measure (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds (median reported)")
    parser.add_argument("--duration", type=int, default=10,
                        help="seconds per wrk run")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 round of 2 s runs")
    parser.add_argument("--shardd-flag", action="append", default=[],
                        metavar="FLAG",
                        help="extra shardd flag, repeatable (e.g. "
                             "--shardd-flag=--http_splice=false)")
    parser.add_argument("--tag", default="",
                        help="added to the result's file name")
    parser.add_argument("--out-dir", default=str(REPO / "tools/bench/results"),
                        help="where the JSON result goes")
    args = parser.parse_args()
    require_tools()
    if args.quick:
        args.rounds, args.duration = 1, 2
    binary = Path(args.binary).resolve()
    if not os.access(binary, os.X_OK):
        sys.exit("no shardd binary at %s (build it, or pass --binary)" % binary)

    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, client_cpus = cpus[-1], cpus[:-1] or cpus
    machine = machine_info(binary)
    for key in ("redis_server", "redis_benchmark"):
        machine.pop(key, None)
    machine.update({"nginx": first_line(["nginx", "-v"]),
                    "wrk": first_line(["wrk", "-v"])})
    result = {"machine": machine,
              "settings": {"threads": THREADS, "connections": CONNECTIONS,
                           "shardd_flags": args.shardd_flag,
                           "rounds": args.rounds, "duration_s": args.duration,
                           "quick": args.quick, "server_cpu": server_cpu,
                           "client_cpus": client_cpus,
                           "workloads": [w[0] for w in WORKLOADS],
                           "put_measured_for": [SHARDD]}}
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="files-bench-")
    data_dir = os.path.join(tmp, "data")
    files_dir = os.path.join(data_dir, "files")
    servers = []
    try:
        make_files(files_dir)
        write_scripts(tmp)
        print("servers on CPU %d, wrk on CPU %s; %d round(s) of %d s runs"
              % (server_cpu, ",".join(map(str, client_cpus)), args.rounds,
                 args.duration), flush=True)
        servers.append(ShardFiles(str(binary), server_cpu, data_dir,
                                   args.shardd_flag).start())
        servers.append(Nginx(server_cpu, files_dir, tmp).start())
        check_same_files(servers)
        result["servers"] = {s.name: s.argv for s in servers}
        with open(servers[1].conf) as f:
            result["nginx_conf"] = f.read()
        result["runs"] = rounds(servers, client_cpus, args.rounds,
                                args.duration, tmp)
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    result["summary"] = summarize(result["runs"])
    result["targets"] = check_targets(result["summary"])
    result["elapsed_s"] = time.monotonic() - started
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / ("%s-files%s%s.json" % (stamp, "-quick" if args.quick else "",
                                             "-" + args.tag if args.tag else ""))
    path.write_text(json.dumps(result, indent=1) + "\n")
    print("\nwrote %s (%.0f s)" % (path, result["elapsed_s"]))


if __name__ == "__main__":
    main()
