"""The phases of a benchmark run: throughput, memory, connection spread."""
import re
import socket
import time

import connection_spread  # (reused: command())

from .clients import load_keys, read_reply, simple_command
from .processes import Server, rss_bytes
from .workloads import (BENCH_KEY, DATA_SIZES, KEYSPACE, QUICK_REQUESTS,
                        WORKLOADS, run_benchmark)


def client_cpus_for(server, all_cpus, default):
    """The CPUs the client runs on against `server`: those the server does
    not use, or `default` when it uses them all."""
    free = [cpu for cpu in all_cpus if cpu not in server.cpus]
    return free or default


def throughput_phase(servers, client_cpus, rounds, quick, all_cpus=()):
    """Every workload against every server, alternating, `rounds` times.
    The client runs on the CPUs the server leaves free (client_cpus when it
    leaves none)."""
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
                    r = run_benchmark(s, client_cpus_for(s, all_cpus, client_cpus),
                                      test, pipeline, size, requests)
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
