"""The servers under test, pinned with taskset, and their CPU time and memory
as /proc reports them."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import connection_spread  # (reused: command(), shardd_flags())

from .clients import read_reply


def stop_process(proc):
    """Terminates `proc` if it still runs; kills it after 10 s."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """(utime, stime) of the whole process (all threads), in seconds: time
    in the server's own code and time in the kernel on its behalf."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def sched_seconds(pid):
    """CPU time of all threads at nanosecond resolution (schedstat)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def context_switches(pid):
    """Context switches of all the process's threads so far, voluntary (it
    slept) and involuntary (it was preempted) together: on a VM each costs
    microseconds of CPU, so switches per request explain much of what
    shards packed on one CPU cost over one shard."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                for line in f:
                    if "ctxt_switches:" in line:
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def rss_bytes(pid, field="VmRSS"):
    """The process's resident memory now, or with field="VmHWM" its peak."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no %s for pid %d" % (field, pid))


def shardd_extra_flags(binary, durable=False):
    """Turns off the HTTP admin endpoint and the HTTP file service where the
    binary has them (older ones do not): their fixed default ports would
    collide between the servers run side by side, and the benchmarks measure
    the KV service. Unless `durable`, also the append-only log, as redis-server
    runs with --appendonly no beside it."""
    known = connection_spread.shardd_flags(binary)
    off = [("admin", "--admin=false"), ("http", "--http=false")]
    if not durable:
        off.append(("appendonly", "--appendonly=false"))
    return [flag for name, flag in off if name in known]


def shardd_takes_dir(binary):
    """Whether the binary has --dir (a data directory, locked while a server
    uses it): then each server gets a fresh temporary one."""
    return "dir" in connection_spread.shardd_flags(binary)


class Server:
    """A shardd or redis-server child pinned with taskset."""

    def __init__(self, name, kind, binary, cpus, shards=1, extra_args=(),
                 appendfsync=None):
        """`extra_args`: more command-line arguments for the server, in its
        own syntax; `preexec`, if set before start(), runs in the child
        before the server does (raising a limit, say). `appendfsync`
        (always, everysec, no): the server logs every write with that
        policy into its fresh data directory; None: no persistence."""
        self.name, self.kind, self.cpus, self.shards = name, kind, cpus, shards
        self.preexec = None
        # A fresh --dir per start(), removed by stop(); self.argv (recorded in
        # the results) leaves that run-specific flag out.
        self.takes_dir = (kind == "shardd" and shardd_takes_dir(binary)) or (
            kind == "redis" and appendfsync is not None)
        self.data_dir = None
        cpu_list = ",".join(map(str, cpus))
        durable = appendfsync is not None
        if kind == "shardd":
            self.argv = [binary, "--port=0", "--shards=%d" % shards,
                         "--cpus=" + cpu_list] + shardd_extra_flags(
                             binary, durable)
            if durable:
                self.argv.append("--appendfsync=" + appendfsync)
        else:
            self.port = free_port()
            self.argv = [binary, "--port", str(self.port), "--bind", "127.0.0.1",
                         "--save", "", "--daemonize", "no", "--logfile", ""]
            self.argv += (["--appendonly", "yes", "--appendfsync", appendfsync,
                           "--aof-use-rdb-preamble", "no"] if durable
                          else ["--appendonly", "no"])
        self.argv = ["taskset", "-c", cpu_list] + self.argv + list(extra_args)
        self.proc = None

    def start(self):
        """Starts the server and waits until it answers PING; if it does not,
        stops it (and removes its data directory) before raising."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        argv = self.argv
        if self.takes_dir:
            # Under /var/tmp: on the disk, where /tmp may be a tmpfs.
            self.data_dir = tempfile.mkdtemp(prefix="shardd-bench-",
                                             dir="/var/tmp")
            argv = argv + (["--dir=" + self.data_dir] if self.kind == "shardd"
                           else ["--dir", self.data_dir])
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True,
                                     preexec_fn=self.preexec)
        if self.kind == "shardd":
            line = self.proc.stdout.readline()
            m = re.search(r"shardd ready port=(\d+)", line)
            if not m:
                raise RuntimeError("shardd did not start: %r" % line)
            self.port = int(m.group(1))
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port)) as s:
                    connection_spread.command(s, "PING")
                    read_reply(s)
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("%s did not start" % self.name)
                time.sleep(0.05)

    @property
    def pid(self):
        return self.proc.pid  # taskset execs the server: same pid

    def stop(self):
        stop_process(self.proc)
        self.proc = None
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None
