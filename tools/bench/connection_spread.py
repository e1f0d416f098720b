#!/usr/bin/env python3
"""Measures how shardd spreads connections over its shards.

For 8, 64 and 256 client connections on 4 shards, with the least-loaded
hand-off on and off (plain SO_REUSEPORT), opens the connections, pings each,
reads INFO's "# Shards" section and prints connections per shard and
max/mean, over several trials (each trial a fresh server).

usage: tools/bench/connection_spread.py [path/to/shardd] [--trials N]
"""
import argparse
import functools
import re
import shutil
import socket
import subprocess
import statistics
import tempfile


def command(sock, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)


def read_reply(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        data += chunk
        if data.startswith(b"+") and data.endswith(b"\r\n"):
            return data
        if data.startswith(b"$"):
            header, _, rest = data.partition(b"\r\n")
            if len(rest) >= int(header[1:]) + 2:
                return rest[: int(header[1:])]


@functools.lru_cache(maxsize=None)
def shardd_flags(binary):
    """The names of the flags `binary --helpfull` lists (gflags prints each
    as "  -name (description) type: ..."), so that older binaries, which lack
    some flags, can be measured too. (shardd's own --help groups its flags
    in another format.)"""
    out = subprocess.run([binary, "--helpfull"], capture_output=True,
                         text=True, timeout=10)
    return frozenset(re.findall(r"^\s*-(\w+) \(", out.stdout + out.stderr,
                                re.M))


def spread(binary, clients, balance):
    known = shardd_flags(binary)
    argv = [binary, "--port=0", "--shards=4",
            "--balance_connections=%s" % ("true" if balance else "false")]
    # No admin endpoint or HTTP file service (their fixed default ports), and
    # a fresh data directory, never the default one, where the binary has them.
    argv += [flag for name, flag in (("admin", "--admin=false"),
                                     ("http", "--http=false"),
                                     ("appendonly", "--appendonly=false"))
             if name in known]
    data_dir = tempfile.mkdtemp(prefix="shardd-spread-") if "dir" in known else None
    if data_dir:
        argv.append("--dir=" + data_dir)
    try:
        server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    except BaseException:
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    try:
        port = int(re.search(r"port=(\d+)", server.stdout.readline()).group(1))
        socks = [socket.create_connection(("127.0.0.1", port))
                 for _ in range(clients)]
        for s in socks:
            command(s, "PING")
            read_reply(s)
        command(socks[0], "INFO", "shards")
        info = read_reply(socks[0]).decode()
        counts = [int(m) for m in re.findall(r"connections=(\d+)", info)]
        for s in socks:
            s.close()
        return counts
    finally:
        server.terminate()
        server.wait()
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/release/shard/shardd")
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    print("| connections | mode | per-shard (one trial) | max/mean (median of %d) | worst |"
          % args.trials)
    print("|---|---|---|---|---|")
    for clients in (8, 64, 256):
        for balance in (False, True):
            ratios, sample = [], None
            for _ in range(args.trials):
                counts = spread(args.binary, clients, balance)
                sample = sample or counts
                ratios.append(max(counts) / (sum(counts) / len(counts)))
            print("| %d | %s | %s | %.2f | %.2f |" % (
                clients, "least-loaded hand-off" if balance else "plain SO_REUSEPORT",
                " ".join(map(str, sample)), statistics.median(ratios), max(ratios)))


if __name__ == "__main__":
    main()
