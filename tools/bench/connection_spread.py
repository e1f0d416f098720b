#!/usr/bin/env python3
"""Measures how shardd spreads connections over its shards.

For 8, 64 and 256 client connections on 4 shards, with the least-loaded
hand-off on and off (plain SO_REUSEPORT), opens the connections, pings each,
reads INFO's "# Shards" section and prints connections per shard and
max/mean, over several trials (each trial a fresh server).

usage: tools/bench/connection_spread.py [path/to/shardd] [--trials N]
"""
import argparse
import re
import socket
import subprocess
import statistics


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


def spread(binary, clients, balance):
    server = subprocess.Popen(
        [binary, "--port=0", "--shards=4", "--admin=false",
         "--balance_connections=%s" % ("true" if balance else "false")],
        stdout=subprocess.PIPE, text=True)
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
