"""Medians over rounds, the printed tables and the informational targets."""
import statistics


def median_of(runs, server, workload, key):
    values = [r[key] for r in runs
              if r["server"] == server and r["workload"] == workload and key in r]
    return statistics.median(values) if values else None


def ratio(a, b):
    return a / b if a and b else float("nan")


def summarize(runs, one, redis, scaled):
    workloads = list(dict.fromkeys(r["workload"] for r in runs))
    keys = ("ops_per_s", "p50_ms", "p99_ms", "cpu_us_per_op", "user_us_per_op",
            "sys_us_per_op", "sched_us_per_op", "switches_per_kop",
            "client_cpu_s", "wall_s")
    names = [one, redis] + [name for name, _ in scaled]
    summary = {w: {s: {k: median_of(runs, s, w, k) for k in keys}
                   for s in names if median_of(runs, s, w, "ops_per_s")}
               for w in workloads}
    print("\nshardd (1 shard) vs redis-server, same CPU; median of rounds; "
          "CPU = server utime+stime per request (user + kernel)")
    print("| workload | shardd ops/s | redis ops/s | ratio | shardd p50/p99 ms "
          "| redis p50/p99 ms | p50/p99 ratio | shardd CPU us/op | redis CPU us/op "
          "| CPU ratio | client busy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for w in workloads:
        a, b = summary[w][one], summary[w][redis]
        busy = a["client_cpu_s"] / a["wall_s"]
        print("| %s | %.0f | %.0f | %.2f | %.2f/%.2f | %.2f/%.2f | %.2f/%.2f "
              "| %.2f (%.2f+%.2f) | %.2f (%.2f+%.2f) | %.2f | %.0f%% |"
              % (w, a["ops_per_s"], b["ops_per_s"], ratio(a["ops_per_s"], b["ops_per_s"]),
                 a["p50_ms"], a["p99_ms"], b["p50_ms"], b["p99_ms"],
                 ratio(a["p50_ms"], b["p50_ms"]), ratio(a["p99_ms"], b["p99_ms"]),
                 a["cpu_us_per_op"], a["user_us_per_op"], a["sys_us_per_op"],
                 b["cpu_us_per_op"], b["user_us_per_op"], b["sys_us_per_op"],
                 ratio(a["cpu_us_per_op"], b["cpu_us_per_op"]), busy * 100))
    for many, how in scaled:
        print("\nscaling: shardd 1 shard vs %s (%s)" % (many, how))
        print("| workload | 1-shard ops/s | %s ops/s | 1-shard ops/CPU-s "
              "| %s ops/CPU-s | ratio | switches per 1,000 ops, 1-shard "
              "/ %s |" % (many, many, many))
        print("|---|---|---|---|---|---|---|")
        for w in workloads:
            if many not in summary[w]:
                continue
            a, c = summary[w][one], summary[w][many]
            ea, ec = 1e6 / a["cpu_us_per_op"], 1e6 / c["cpu_us_per_op"]
            summary[w].setdefault("scaling", {})[many] = ec / ea
            print("| %s | %.0f | %.0f | %.0f | %.0f | %.2f | %s / %s |"
                  % (w, a["ops_per_s"], c["ops_per_s"], ea, ec, ec / ea,
                     switches(a), switches(c)))
    print_series(summary, workloads, one, [name for name, _ in scaled])
    return summary


def switches(medians):
    """Context switches per 1,000 requests, or "-" for results recorded
    before the runner counted them."""
    value = medians.get("switches_per_kop")
    return "-" if value is None else "%.1f" % value


def print_series(summary, workloads, one, scaled_names):
    """The scaling curve: for 1, 2, 4 ... shards (one per CPU), throughput
    and per-core efficiency (ops per server CPU-second), both relative to
    the 1-shard server."""
    series = [n for n in scaled_names if not n.endswith("-packed")]
    if not series:
        return
    print("\nscaling series: throughput x and per-core efficiency "
          "(ops per server CPU-second) vs 1 shard")
    print("| workload | " + " | ".join(
        "%s ops/s (x) | eff" % n for n in series) + " |")
    print("|---|" + "---|---|" * len(series))
    for w in workloads:
        a = summary[w].get(one)
        if not a or not all(n in summary[w] for n in series):
            continue
        cells = []
        for n in series:
            c = summary[w][n]
            cells.append("%.0f (%.2f) | %.2f" % (
                c["ops_per_s"], ratio(c["ops_per_s"], a["ops_per_s"]),
                ratio(a["cpu_us_per_op"], c["cpu_us_per_op"])))
        print("| %s | %s |" % (w, " | ".join(cells)))


def check_targets(summary, memory, one, redis):
    """Compares the medians with the issue's targets; informational only."""
    checks = []

    def add(what, value, goal, ok):
        checks.append({"target": what, "value": value, "goal": goal, "met": ok})

    for w, s in summary.items():
        if one not in s or redis not in s:
            continue
        piped = "-P16" in w
        cpu = ratio(s[one]["cpu_us_per_op"], s[redis]["cpu_us_per_op"])
        tput = ratio(s[one]["ops_per_s"], s[redis]["ops_per_s"])
        add("%s CPU/op vs redis" % w, cpu, "<= %.1f" % (0.5 if piped else 0.6),
            cpu <= (0.5 if piped else 0.6))
        add("%s throughput vs redis" % w, tput, ">= %.1f" % (2.0 if piped else 1.2),
            tput >= (2.0 if piped else 1.2))
        for many, value in s.get("scaling", {}).items():
            # Issue 12: shards packed on the server's CPU, pipelined, >= 0.9.
            goal = 0.9 if piped and "packed" in many else 0.85
            add("%s %s ops/CPU-s vs 1 shard" % (w, many), value,
                ">= %.2f" % goal, value >= goal)
    if memory and one in memory and redis in memory:
        m = ratio(memory[one]["rss_loaded"], memory[redis]["rss_loaded"])
        add("RSS with %d 32-byte keys vs redis" % memory[one]["keys"], m,
            "<= 0.8", m <= 0.8)
    print("\ntargets (informational; this script never fails on speed)")
    for c in checks:
        print("  %-5s %-52s %6.2f  (goal %s)"
              % ("met" if c["met"] else "MISS", c["target"], c["value"], c["goal"]))
    return checks
