#!/usr/bin/env python3
"""Measures what an idle client connection costs shardd and redis-server.

    tools/bench/idle_connections.py                      # 10,000 connections
    tools/bench/idle_connections.py --connections 100000
    tools/bench/idle_connections.py --shardd-flag=--shards=2 --tag 2-shards
    tools/bench/idle_connections.py --connections 100000 \
        --shardd-flag=--shards=8 --shardd-flag=--share_cpu_threads=false

For each server (shardd, then Debian's redis-server, both pinned to the last
allowed CPU, redis with --save "" --appendonly no): start it fresh, note its
RSS, open the connections from client processes pinned to the other CPUs,
send one PING on each and read its PONG (so every connection has been
served once, as the issue's measurement asks), note the RSS again, then PING
every connection a second time to show that all of them are still held.
Prints bytes of server RSS per connection ((after - before) / connections)
and whether every connection answered, and writes the figures to
tools/bench/results/<time>-idle-connections[-<tag>].json (or --out-dir).

Limits: one loopback source address has ~28k ephemeral ports, so client
sockets are bound to source addresses spread over 127.0.0.0/8. Every
connection is a descriptor in a client process (15,000 each) and, in
redis-server, one in the server: the runner raises RLIMIT_NOFILE (soft and,
where the process may, hard) for the servers and its client processes;
where the hard limit cannot be raised (no CAP_SYS_RESOURCE) it measures
redis-server with as many connections as the limit allows and says so.
shardd's registered sockets hold no descriptor, but each ring's table is
capped by the limit: give it rings enough (see main()). It never asserts
memory: the exit status only says whether every connection was held.
"""
import argparse
import datetime
import json
import multiprocessing
import os
import random
import resource
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_lib.processes import Server, rss_bytes  # noqa: E402
from connection_spread import shardd_flags  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
# Connections per client process, and per loopback source address.
PER_CLIENT = 15000
PER_SOURCE = 20000
# Descriptors a server keeps beyond its clients (listeners, rings, files).
SERVER_SPARE_FDS = 256


def raise_nofile(wanted):
    """Raises this process's descriptor limit towards `wanted`; returns the
    soft limit it got."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
            return wanted
        except (ValueError, OSError):
            wanted = hard
    if soft == resource.RLIM_INFINITY or soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def ping_all(socks):
    """One PING on every socket, then every reply: the number that answered
    +PONG."""
    for s in socks:
        s.sendall(b"PING\r\n")
    answered = 0
    for s in socks:
        reply = b""
        while len(reply) < 7:
            chunk = s.recv(7 - len(reply))
            if not chunk:
                break
            reply += chunk
        answered += reply == b"+PONG\r\n"
    return answered


def client_process(port, first, count, conn, cpus, sources):
    """Holds `count` connections numbered from `first`; answers "ping" with
    the number that answered, and exits on "close"."""
    os.sched_setaffinity(0, cpus)
    raise_nofile(count + 64)
    socks = []
    try:
        for i in range(first, first + count):
            s = socket.socket()
            # Each measurement has its own block of source addresses: the
            # previous one's connections linger in TIME_WAIT on theirs.
            source = sources + i // PER_SOURCE
            s.bind(("127.%d.%d.%d" % (source // 62500, source // 250 % 250,
                                       2 + source % 250), 0))
            s.connect(("127.0.0.1", port))
            socks.append(s)
        conn.send(("opened", len(socks)))
    except OSError as e:
        conn.send(("error", "%d connections opened, then %s" % (len(socks), e)))
    while True:
        what = conn.recv()
        if what == "ping":
            try:
                conn.send(("pinged", ping_all(socks)))
            except OSError as e:
                conn.send(("error", str(e)))
        else:
            break
    for s in socks:
        s.close()


def measure(server, connections, client_cpus, sources):
    server.start()
    try:
        before = rss_bytes(server.pid)
        workers = []
        for first in range(0, connections, PER_CLIENT):
            parent, child = multiprocessing.Pipe()
            count = min(PER_CLIENT, connections - first)
            proc = multiprocessing.Process(
                target=client_process,
                args=(server.port, first, count, child, client_cpus,
                      sources))
            proc.start()
            workers.append((proc, parent))
        errors = []

        def ask_all(what):
            total = 0
            for _, pipe in workers:
                if what is not None:
                    pipe.send(what)
                kind, value = pipe.recv()
                if kind == "error":
                    errors.append(value)
                else:
                    total += value
            return total

        opened = ask_all(None)
        first_round = ask_all("ping")
        after = rss_bytes(server.pid)
        second_round = ask_all("ping")
        for proc, pipe in workers:
            pipe.send("close")
            proc.join(timeout=60)
        return {
            "server": server.name,
            "argv": server.argv,
            "connections": connections,
            "opened": opened,
            "answered_first": first_round,
            "answered_second": second_round,
            "rss_before": before,
            "rss_after": after,
            "bytes_per_connection": (after - before) / max(1, first_round),
            "errors": errors,
        }
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--binary",
                        default=os.path.join(REPO, "build/release/shard/shardd"))
    parser.add_argument("--redis", default="redis-server")
    parser.add_argument("--shardd-flag", action="append", default=[])
    parser.add_argument("--tag", default="")
    parser.add_argument("--out-dir",
                        default=os.path.join(REPO, "tools/bench/results"))
    args = parser.parse_args()

    cpus = sorted(os.sched_getaffinity(0))
    server_cpus = [cpus[-1]]
    client_cpus = cpus[:-1] or cpus
    wanted = args.connections + SERVER_SPARE_FDS
    got = raise_nofile(wanted)
    # Redis needs a descriptor per connection. shardd keeps its sockets in
    # its rings' tables of registered files (--register_sockets), one of up
    # to the descriptor limit per ring: it is asked for every connection
    # (given rings enough: --shardd-flag=--shards=8
    # --shardd-flag=--share_cpu_threads=false for 100,000 under a limit of
    # 20,000), and with --register_sockets=false it fails to hold those past
    # its limit, which the result says.
    redis_connections = args.connections
    if got < wanted:
        redis_connections = got - SERVER_SPARE_FDS
        print("descriptor limit %d (hard limit not raisable here): measuring "
              "redis-server with %d connections instead of %d" % (
                  got, redis_connections, args.connections))

    def maxclients(connections):
        return str(connections + 16)
    # Clients come from 127.0.0.2 and up, which protected mode (for
    # 127.0.0.1 and ::1 only) would refuse, in either server.
    shardd_open = (["--protected_mode=false"]
                   if "protected_mode" in shardd_flags(args.binary) else [])
    servers = [
        (Server("shardd", "shardd", args.binary, server_cpus,
                extra_args=["--maxclients=" + maxclients(args.connections)] +
                shardd_open + args.shardd_flag), args.connections),
        (Server("redis", "redis", args.redis, server_cpus,
                extra_args=["--maxclients", maxclients(redis_connections),
                            "--protected-mode", "no"]), redis_connections),
    ]
    results = []
    # Source-address blocks start at a random place: runs shortly before
    # this one left TIME_WAIT sockets on theirs.
    sources = random.randrange(1000, 10000)
    for server, connections in servers:
        server.preexec = lambda: raise_nofile(wanted)
        result = measure(server, connections, client_cpus, sources)
        sources += connections // PER_SOURCE + 1
        results.append(result)
        held = (result["answered_second"] == connections and
                not result["errors"])
        print("%-7s %6d connections: %7.0f bytes RSS each (%.1f -> %.1f MiB), "
              "%s" % (result["server"], connections,
                      result["bytes_per_connection"],
                      result["rss_before"] / 2**20,
                      result["rss_after"] / 2**20,
                      "all held" if held else
                      "NOT all held: %d/%d answered; %s" % (
                          result["answered_second"], connections,
                          "; ".join(result["errors"]))))
    ratio = results[0]["bytes_per_connection"] / max(
        1.0, results[1]["bytes_per_connection"])
    print("shardd/redis bytes per connection: %.2fx" % ratio)

    os.makedirs(args.out_dir, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = "%s-idle-connections%s.json" % (stamp,
                                           "-" + args.tag if args.tag else "")
    with open(os.path.join(args.out_dir, name), "w") as f:
        json.dump({"results": results, "ratio": ratio}, f, indent=1)
    print("wrote", os.path.join(args.out_dir, name))
    return 0 if all(r["answered_second"] == r["connections"] and
                    not r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
