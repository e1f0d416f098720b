#!/usr/bin/env python3
"""Writes shard/kv/commands/server/command_meta.inc and command_docs.inc.

command_meta.inc: for every command and subcommand shardd has, the arity,
flags, ACL categories, tips and key specs redis-server reports for it in
COMMAND INFO (Redis 7.0 is the specification; these are its data, as the
arity and flags in the family tables are). Key spec notes, which are
explanations rather than data, are left out.

command_docs.inc: for the same commands, COMMAND DOCS as redis-server
reports it (since, group, doc flags, arguments), except that the summary and
the complexity are shardd's own words from tools/gen/command_docs_text.tsv,
and the history and argument summaries (Redis's prose) are left out. Each
row holds the reply's map fields, encoded in RESP3, without the map header
and without "subcommands", which the server assembles from the rows of the
subcommands it has.

A subcommand counts as shardd's when shardd answers it with anything but
"unknown subcommand" or "not supported": the script probes it with no
argument, and with one when that is too few. Run it against a scratch shardd.

  tools/gen/command_meta.py --redis-port 6379 --shardd-port 6380 \\
      --out shard/kv/commands/server
"""
import argparse
import os
import socket
import sys


class Resp:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.errors_as_values = False

    def command(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode() if isinstance(a, str) else a
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.read()

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read(self):
        line = self.line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            if self.errors_as_values:
                return ServerError(rest.decode())
            sys.exit("server error: %s" % rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(65536)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError(line)


class ServerError(str):
    pass


class Resp3:
    """Reads RESP3 replies as (type, value) trees, keeping maps ordered, so
    that they can be written back as they came."""

    def __init__(self, resp):
        self.resp = resp
        self.command("HELLO", "3")

    def command(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.resp.sock.sendall(out)
        return self.read()

    def read(self):
        line = self.resp.line()
        kind, rest = line[:1].decode(), line[1:]
        if kind == "+":
            return ("+", rest.decode())
        if kind == ":":
            return (":", int(rest))
        if kind == "$":
            n = int(rest)
            while len(self.resp.buf) < n + 2:
                self.resp.buf += self.resp.sock.recv(65536)
            data = self.resp.buf[:n]
            self.resp.buf = self.resp.buf[n + 2:]
            return ("$", data.decode())
        if kind == "*" or kind == "~":
            return (kind, [self.read() for _ in range(int(rest))])
        if kind == "%":
            return ("%", [(self.read(), self.read())
                          for _ in range(int(rest))])
        raise ValueError(line)


def encode3(node):
    kind, value = node
    if kind == "+":
        return "+%s\r\n" % value
    if kind == ":":
        return ":%d\r\n" % value
    if kind == "$":
        return "$%d\r\n%s\r\n" % (len(value.encode()), value)
    if kind == "*" or kind == "~":
        return "%s%d\r\n" % (kind, len(value)) + "".join(
            encode3(v) for v in value)
    if kind == "%":
        return "%%%d\r\n" % len(value) + "".join(
            encode3(k) + encode3(v) for k, v in value)
    raise ValueError(kind)


def without_prose(argument):
    """An argument's map with its summary left out, and so its children's."""
    kept = []
    for key, value in argument[1]:
        if key[1] == "summary":
            continue
        if key[1] == "arguments":
            value = ("*", [without_prose(a) for a in value[1]])
        kept.append((key, value))
    return ("%", kept)


def docs_row(name, docs, text):
    """One command_docs.inc row: the docs map's fields but subcommands."""
    if name not in text:
        sys.exit("%s: no summary in tools/gen/command_docs_text.tsv" % name)
    summary, complexity = text[name]
    fields = []
    for key, value in docs[1]:
        field = key[1]
        if field in ("history", "subcommands"):
            continue
        if field == "summary":
            value = ("$", summary)
        elif field == "complexity":
            value = ("$", complexity)
        elif field == "arguments":
            value = ("*", [without_prose(a) for a in value[1]])
        fields.append(encode3(key) + encode3(value))
    return "{%s, %d, %s}," % (cstr(name), len(fields), cstr("".join(fields)))


def shardd_has(shardd, name):
    parent, sub = name.split("|")
    answer = shardd.command(parent, sub)
    if isinstance(answer, ServerError) and "wrong number" in answer:
        answer = shardd.command(parent, sub, "x")
    return not (isinstance(answer, ServerError) and
                ("unknown subcommand" in answer or "not supported" in answer))


def pairs(flat):
    return dict(zip(flat[0::2], flat[1::2]))


def cstr(s):
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append("\\n")
        elif " " <= c <= "~":
            out.append(c)
        else:
            sys.exit("non-ASCII text: %r" % s)
    return '"' + "".join(out) + '"'


def key_spec(spec):
    spec = pairs(spec)
    begin = pairs(spec["begin_search"])
    find = pairs(spec["find_keys"])
    begin_spec = pairs(begin["spec"])
    find_spec = pairs(find["spec"])
    if begin["type"] == "index":
        b = "{kIndex, %d, \"\", 0}" % begin_spec["index"]
    elif begin["type"] == "keyword":
        b = "{kKeyword, 0, %s, %d}" % (cstr(begin_spec["keyword"]),
                                        begin_spec["startfrom"])
    else:
        b = "{kUnknownSearch, 0, \"\", 0}"
    if find["type"] == "range":
        f = "{kRange, %d, %d, %d}" % (find_spec["lastkey"],
                                     find_spec["keystep"], find_spec["limit"])
    elif find["type"] == "keynum":
        f = "{kKeynum, %d, %d, %d}" % (find_spec["keynumidx"],
                                      find_spec["firstkey"],
                                      find_spec["keystep"])
    else:
        f = "{kUnknownFind, 0, 0, 0}"
    return "{%s, %s, %s}" % (cstr(" ".join(spec["flags"])), b, f)


def meta_row(name, info):
    if len(info[8]) > 3:
        sys.exit("%s has %d key specs; CommandMeta holds 3" %
                 (name, len(info[8])))
    return "{%s, %d, %s, %d, %d, %d, %s, %s, %d, {%s}}," % (
        cstr(name), info[1], cstr(" ".join(info[2])), info[3], info[4],
        info[5], cstr(" ".join(info[6])), cstr(" ".join(info[7])),
        len(info[8]), ", ".join(key_spec(s) for s in info[8]))


def read_text(path):
    text = {}
    with open(path) as f:
        for line in f:
            name, summary, complexity = line.rstrip("\n").split("\t")
            text[name] = (summary, complexity)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--shardd-port", type=int, required=True)
    parser.add_argument("--out", required=True,
                        help="folder of command_meta.inc and command_docs.inc")
    args = parser.parse_args()
    text = read_text(os.path.join(os.path.dirname(__file__),
                                  "command_docs_text.tsv"))
    redis = Resp(args.redis_port)
    redis3 = Resp3(Resp(args.redis_port))
    shardd = Resp(args.shardd_port)
    shardd.errors_as_values = True
    version = pairs(redis.command("HELLO", "2"))["version"]
    if not version.startswith("7.0."):
        sys.exit("redis-server %s: Redis 7.0 is the specification" % version)
    infos = {}  # name -> COMMAND INFO entry, subcommands included
    for name in shardd.command("COMMAND", "LIST"):
        if "|" in name:
            continue
        info = redis.command("COMMAND", "INFO", name)[0]
        if info is None:
            continue
        infos[name] = info
        for sub in info[9]:
            if shardd_has(shardd, sub[0]):
                infos[sub[0]] = sub
    if not infos:
        sys.exit("no command of shardd's is known to redis-server")
    meta = []
    docs = []
    for name in sorted(infos):
        meta.append(meta_row(name, infos[name]))
        reply = redis3.command("COMMAND", "DOCS", name)
        docs.append(docs_row(name, reply[1][0][1], text))
    # Written only once every row is known, so a failure leaves no
    # half-written file behind.
    for file, what, rows in (("command_meta.inc", "COMMAND INFO", meta),
                             ("command_docs.inc", "COMMAND DOCS", docs)):
        header = [
            "// Generated by tools/gen/command_meta.py from redis-server %s's"
            % version,
            "// %s. Do not edit: run the script again." % what,
            "// clang-format off",
        ]
        with open(os.path.join(args.out, file), "w") as f:
            f.write("\n".join(header + rows + ["// clang-format on"]) + "\n")


if __name__ == "__main__":
    main()
