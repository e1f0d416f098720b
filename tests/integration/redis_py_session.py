#!/usr/bin/env python3
"""A short, realistic redis-py session against a running shardd.

usage: redis_py_session.py PORT

Exercises what an application does with a Redis client library: pipelines
(redis-py's default, in MULTI/EXEC), WATCH-based optimistic locking,
hashes, a sorted-set leaderboard, and a blocking list queue served by a
consumer thread while a producer pushes. Exits non-zero (with a message) on
the first reply that differs from what Redis gives.
"""
import sys
import threading

import redis


def check(what, got, expected):
    if got != expected:
        sys.exit(f"{what}: got {got!r}, expected {expected!r}")


def main():
    port = int(sys.argv[1])
    r = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
    check("ping", r.ping(), True)
    r.flushall()

    # A pipeline over keys spread across shards (redis-py's default: wrapped
    # in MULTI/EXEC); replies come back in order.
    pipe = r.pipeline()
    for i in range(100):
        pipe.set(f"user:{i}:name", f"name-{i}")
        pipe.incr("counter")
    pipe.mget([f"user:{i}:name" for i in range(0, 100, 10)])
    replies = pipe.execute()
    check("pipeline counters", replies[1:200:2], list(range(1, 101)))
    check("pipeline mget", replies[-1], [f"name-{i}" for i in range(0, 100, 10)])

    # A transfer as one transaction, read back inside it.
    pipe = r.pipeline()
    pipe.set("balance:a", 100).set("balance:b", 0)
    pipe.decrby("balance:a", 30).incrby("balance:b", 30)
    pipe.mget("balance:a", "balance:b")
    check("transaction", pipe.execute(), [True, True, 70, 30, ["70", "30"]])

    # Optimistic locking: r.transaction() retries the function while a
    # watched key changes under it; here another client changes it once.
    other = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
    attempts = []

    def move_ten(pipe):
        a = int(pipe.get("balance:a"))
        b = int(pipe.get("balance:b"))
        attempts.append(a)
        if len(attempts) == 1:
            other.incrby("balance:a", 5)  # makes the first EXEC fail
        pipe.multi()
        pipe.set("balance:a", a - 10)
        pipe.set("balance:b", b + 10)

    r.transaction(move_ten, "balance:a", "balance:b")
    check("retried after a concurrent write", attempts, [70, 75])
    check("balances", r.mget("balance:a", "balance:b"), ["65", "40"])

    # Hashes: a user profile.
    r.hset("profile:42", mapping={"name": "Ada", "lang": "C++", "visits": 1})
    r.hincrby("profile:42", "visits", 2)
    check("hgetall", r.hgetall("profile:42"),
          {"name": "Ada", "lang": "C++", "visits": "3"})
    check("hmget", r.hmget("profile:42", ["name", "missing"]), ["Ada", None])
    check("hdel", r.hdel("profile:42", "lang"), 1)
    check("hlen", r.hlen("profile:42"), 2)

    # A sorted-set leaderboard.
    r.zadd("board", {"ann": 120, "bob": 95, "cy": 120, "dee": 60})
    r.zincrby("board", 40, "dee")
    # Equal scores: reverse order sorts the members in reverse too.
    check("top 3", r.zrevrange("board", 0, 2, withscores=True),
          [("cy", 120.0), ("ann", 120.0), ("dee", 100.0)])
    check("rank", r.zrevrank("board", "bob"), 3)
    check("by score", r.zrangebyscore("board", 96, "+inf"), ["dee", "ann", "cy"])

    # A blocking queue: the consumer waits on its own connection before the
    # producer pushes (keys on other shards than the waiting connection too).
    results = []

    def consume():
        consumer = redis.Redis(host="127.0.0.1", port=port,
                               decode_responses=True)
        for _ in range(3):
            results.append(consumer.blpop(["jobs:high", "jobs:low"], timeout=10))

    thread = threading.Thread(target=consume)
    thread.start()
    r.rpush("jobs:low", "job-1")
    r.rpush("jobs:high", "job-2")
    r.rpush("jobs:low", "job-3")
    thread.join(timeout=20)
    check("consumer finished", thread.is_alive(), False)
    check("jobs", sorted(results),
          [("jobs:high", "job-2"), ("jobs:low", "job-1"), ("jobs:low", "job-3")])
    check("timeout", r.blpop("jobs:none", timeout=0.1), None)

    # Client names and CONFIG, as redis-py calls them.
    check("setname", r.client_setname("py-session"), True)
    check("getname", r.client_getname(), "py-session")
    check("client id", isinstance(r.client_id(), int), True)
    check("client list", any(c["name"] == "py-session"
                             for c in r.client_list()), True)
    check("config get", r.config_get("maxclients")["maxclients"].isdigit(),
          True)

    # Pub/sub with a second connection: PubSub's own connection subscribes,
    # the session publishes; get_message reads confirmations and messages.
    pubsub = r.pubsub()
    pubsub.subscribe("py:news")
    pubsub.psubscribe("py:n*")

    def next_message():
        for _ in range(500):
            message = pubsub.get_message(timeout=0.02)
            if message is not None:
                return message
        return None

    check("subscribed", next_message()["type"], "subscribe")
    check("psubscribed", next_message()["type"], "psubscribe")
    check("publish", r.publish("py:news", "hello"), 2)
    got = [next_message(), next_message()]
    check("messages", sorted((m["type"], m["channel"], m["data"]) for m in got),
          [("message", "py:news", "hello"), ("pmessage", "py:news", "hello")])
    check("numsub", r.pubsub_numsub("py:news"), [("py:news", 1)])
    pubsub.close()

    # INFO parses with redis-py's INFO reader, per-shard lines included.
    info = r.info("everything")
    check("info version", info["redis_version"], "7.0.0")
    check("info shards", sorted(k for k in info if k.startswith("shard_")),
          ["shard_0", "shard_1", "shard_2", "shard_3"])
    check("info commandstats", info["cmdstat_rpush"]["calls"], 3)
    check("info keyspace", info["db0"]["keys"], r.dbsize())
    print("redis-py session ok")


if __name__ == "__main__":
    main()
