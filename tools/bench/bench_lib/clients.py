"""The Python side of the wire: pipelined preloading and one-off commands."""
import socket

import connection_spread  # (reused: command())


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
