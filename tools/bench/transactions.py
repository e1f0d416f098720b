#!/usr/bin/env python3
"""MULTI/EXEC over two keys of different shards: shardd against redis-server.

    tools/bench/transactions.py [--binary build/release/shard/shardd]
                                [--rounds 3] [--seconds 3] [--quick]
                                [--shards 2]

Each round runs, in alternation, redis-server (`--save '' --appendonly no`)
and shardd with --shards shards (2 by default), both pinned to the SAME CPU
(the last allowed one; shardd's shards share it), and a Python client on
the other CPUs: 50
connections, each sending pipelines of 16 transactions

    MULTI; INCRBY a 1; INCRBY b 1; EXEC

with a on shard 0 and b on shard 1 of two (pairs drawn from 1,000 keys
each; with --shards 1 both are on the one shard),
for --seconds. It reports transactions per second and the server's CPU time
(utime + stime, /proc) per transaction, medians over rounds, and the ratios.
The Python client may be the bottleneck for Redis's throughput; the CPU per
transaction is the server's own either way. It checks every EXEC reply (an
array of two integers) and the final sum of all counters.
"""
import argparse
import json
import os
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lib.processes import Server, cpu_seconds  # noqa: E402

CONNECTIONS = 50
PIPELINE = 16
KEYS_PER_SHARD = 1000


def crc16(data):
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def keys_of_shard(shard, shards, count):
    """Keys (no hash tags) that shard `shard` of `shards` owns."""
    keys, i = [], 0
    while len(keys) < count:
        key = b"acct:%d" % i
        if crc16(key) % 16384 % shards == shard:
            keys.append(key)
        i += 1
    return keys


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def connection_loop(port, left, right, until, counts, index, errors):
    rng = random.Random(index)
    done = 0
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while time.monotonic() < until:
            batch = []
            for _ in range(PIPELINE):
                a, b = rng.choice(left), rng.choice(right)
                batch += [encode(b"MULTI"), encode(b"INCRBY", a, b"1"),
                          encode(b"INCRBY", b, b"1"), encode(b"EXEC")]
            sock.sendall(b"".join(batch))
            got = bytearray()
            # A transaction's replies are six lines: +OK, +QUEUED, +QUEUED,
            # *2 and two integers.
            while got.count(b"\r\n") < PIPELINE * 6:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    errors.append("connection closed")
                    return
                got += chunk
            if b"-" in got[:1] or b"\r\n-" in got or b"*-1" in got:
                errors.append(bytes(got[:200]))
                return
            done += PIPELINE
    counts[index] = done


def measure(server, left, right, seconds, client_cpus):
    os.sched_setaffinity(0, client_cpus)
    counts = [0] * CONNECTIONS
    errors = []
    cpu0 = sum(cpu_seconds(server.pid))
    start = time.monotonic()
    until = start + seconds
    threads = [threading.Thread(target=connection_loop,
                                args=(server.port, left, right, until, counts, i,
                                      errors))
               for i in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    cpu = sum(cpu_seconds(server.pid)) - cpu0
    if errors:
        raise RuntimeError("%s: %r" % (server.name, errors[0]))
    total = sum(counts)
    return {"transactions": total, "wall_s": wall, "tx_per_s": total / wall,
            "cpu_us_per_tx": cpu / total * 1e6}


def check_sum(server, keys, expected):
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as s:
        s.sendall(encode(b"MGET", *keys))
        data = bytearray()
        while True:
            data += s.recv(1 << 20)
            lines = bytes(data).split(b"\r\n")
            total, i, values = 0, 1, 0
            while i < len(lines) - 1 and values < len(keys):
                if lines[i] == b"$-1":
                    i, values = i + 1, values + 1
                elif i + 1 < len(lines) - 1:
                    total, i, values = total + int(lines[i + 1]), i + 2, values + 1
                else:
                    break
            if values == len(keys):
                break
    if total != expected:
        raise RuntimeError("%s: counters sum to %d, expected %d"
                           % (server.name, total, expected))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(REPO / "build/release/shard/shardd"))
    parser.add_argument("--redis-server", default="redis-server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", help="1 round of 0.5 s")
    parser.add_argument("--shards", type=int, default=2,
                        help="shardd's shards, all on the server's CPU")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 0.5
    cpus = sorted(os.sched_getaffinity(0))
    server_cpu, client_cpus = cpus[-1], (cpus[:-1] or cpus)
    left = keys_of_shard(0, 2, KEYS_PER_SHARD)
    right = keys_of_shard(1, 2, KEYS_PER_SHARD)
    shardd = "shardd-%d%s" % (args.shards, "-packed" if args.shards > 1 else "")
    servers = [Server("redis", "redis", args.redis_server, [server_cpu]),
               Server(shardd, "shardd", args.binary, [server_cpu], args.shards)]
    runs = {s.name: [] for s in servers}
    try:
        for s in servers:
            s.start()
        for rnd in range(args.rounds):
            order = servers[rnd % 2:] + servers[:rnd % 2]
            for s in order:
                r = measure(s, left, right, args.seconds, client_cpus)
                runs[s.name].append(r)
                print("  round %d %-16s %9.0f tx/s  %6.2f CPU us/tx"
                      % (rnd + 1, s.name, r["tx_per_s"], r["cpu_us_per_tx"]),
                      flush=True)
        for s in servers:
            expected = 2 * sum(r["transactions"] for r in runs[s.name])
            check_sum(s, left + right, expected)
    finally:
        for s in servers:
            s.stop()
    med = {name: {k: statistics.median(r[k] for r in rs)
                  for k in ("tx_per_s", "cpu_us_per_tx")}
           for name, rs in runs.items()}
    a, b = med[shardd], med["redis"]
    print("\nMULTI/EXEC of 2 keys, shardd with %d shard(s); both servers on CPU "
          "%d; medians of %d" % (args.shards, server_cpu, args.rounds))
    print("| server | tx/s | CPU us/tx |")
    print("|---|---|---|")
    for name in (shardd, "redis"):
        print("| %s | %.0f | %.2f |" % (name, med[name]["tx_per_s"],
                                       med[name]["cpu_us_per_tx"]))
    print("shardd/redis: throughput %.2f, CPU per transaction %.2f"
          % (a["tx_per_s"] / b["tx_per_s"], a["cpu_us_per_tx"] / b["cpu_us_per_tx"]))
    if args.out:
        Path(args.out).write_text(json.dumps({"runs": runs, "medians": med},
                                             indent=1) + "\n")


if __name__ == "__main__":
    main()
