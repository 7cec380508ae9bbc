#!/usr/bin/python3
"""OpenDHT side of cairn-bench-loopback: the same workload as the Cairn side,
on OpenDHT's own DhtRunner nodes (Debian's python3-opendht), printed as one
JSON object on stdout. Progress goes to stderr.

Run it with /usr/bin/python3 (Debian's interpreter: a pyenv python cannot
import python3-opendht). The workload, all nodes on 127.0.0.1 in this one
process (each DhtRunner runs its own thread and UDP socket):

  1. N nodes, each bootstrapped from node 0; wait until the number of good
     routing-table entries over all nodes stops growing.
  2. PAIRS sequential pairs: a random node puts a random value under a random
     key (time to the put's completion callback), then another random node
     gets it (time to the first matching value; the get is then stopped).
  3. Lookups per second: gets of random absent keys (OpenDHT's Python API has
     no find_node; a get of an absent key walks to the closest nodes and ends
     when they have answered, which is the same work), first one at a time,
     then CONCURRENCY at once, each for LOOKUP_SECONDS.
  4. Half of the nodes are stopped with join() and no shutdown() (a crash:
     nobody is told; shutdown() first can deadlock with this package), then
     DEAD_GETS values stored in step 2 are read at once from random live
     nodes.

Percentiles are nearest-rank, over the operations that succeeded; failures
are counted apart.
"""
import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time

try:
    import opendht as dht
except ImportError as e:  # reported to the caller as JSON, not a traceback
    print(json.dumps({"error": "cannot import opendht (install python3-opendht, run with /usr/bin/python3): %s" % e}))
    sys.exit(3)


def log(*args):
    print("opendht_loopback:", *args, file=sys.stderr, flush=True)


def package_version():
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-opendht"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p * len(s)) - 1)]


def summary(ms, failures=0):
    return {
        "count": len(ms),
        "failures": failures,
        "median_ms": percentile(ms, 0.5),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms) if ms else None,
        "over_100ms": sum(1 for v in ms if v > 100),
    }


class Cluster:
    def __init__(self, count):
        config = dht.DhtConfig()
        # Every node shares 127.0.0.1: OpenDHT's per-IP request limit would
        # otherwise throttle the whole cluster as if it were one peer.
        config.setRateLimit(-1, -1)
        self.nodes = []
        for _ in range(count):
            node = dht.DhtRunner()
            node.run(port=0, ipv4="127.0.0.1", config=config)
            self.nodes.append(node)
        self.alive = list(range(count))
        port0 = str(self.nodes[0].getBound().getPort())
        for node in self.nodes[1:]:
            node.bootstrap("127.0.0.1", port0)

    def good_entries(self):
        return [self.nodes[i].getRoutingTablesLog(socket.AF_INET).count("[good]") for i in self.alive]

    def settle(self, stable_seconds, limit_seconds, bucket=8):
        """Waits until the good routing-table entries stop changing. OpenDHT
        waits a few seconds before its first bucket refresh, so a flat count
        means nothing until the tables hold about a bucket (8) on average."""
        start = time.monotonic()
        last, since = None, start
        while time.monotonic() - start < limit_seconds:
            time.sleep(0.25)
            good = self.good_entries()
            if sum(good) != last:
                last, since = sum(good), time.monotonic()
            elif time.monotonic() - since >= stable_seconds and sum(good) >= bucket * len(good):
                break
        return time.monotonic() - start

    def kill(self, indices):
        for i in indices:
            self.nodes[i].join()
        self.alive = [i for i in self.alive if i not in set(indices)]

    def close(self):
        for i in self.alive:
            self.nodes[i].join()
        self.alive = []


def timed_put(node, key, value, timeout):
    done = threading.Event()
    result = {}
    started = time.perf_counter()

    def on_done(ok, _nodes):
        result["ms"] = (time.perf_counter() - started) * 1e3
        result["ok"] = bool(ok)
        done.set()

    node.put(key, dht.Value(value), done_cb=on_done)
    if not done.wait(timeout):
        return False, timeout * 1e3
    return result["ok"], result["ms"]


def timed_get(node, key, value, timeout):
    """Time to the first value equal to `value`; the get stops there."""
    done = threading.Event()
    lock = threading.Lock()
    result = {}
    started = time.perf_counter()

    def on_value(v):
        with lock:
            if "ms" in result:
                return False
            if v.data != value:
                return True
            result["ms"] = (time.perf_counter() - started) * 1e3
            result["ok"] = True
        done.set()
        return False

    def on_done(_ok, _nodes):
        with lock:
            if "ms" not in result:
                result["ms"] = (time.perf_counter() - started) * 1e3
                result["ok"] = False
        done.set()

    node.get(key, get_cb=on_value, done_cb=on_done)
    if not done.wait(timeout):
        return False, timeout * 1e3
    return result["ok"], result["ms"]


def lookups(cluster, rng, seconds, concurrency):
    """Gets of random absent keys from random live nodes, `concurrency` at
    once, for `seconds`; returns completed lookups per second."""
    slots = threading.Semaphore(concurrency)
    lock = threading.Lock()
    completed = [0]
    outstanding = [0]
    idle = threading.Condition(lock)

    def on_done(_ok, _nodes):
        with lock:
            completed[0] += 1
            outstanding[0] -= 1
            idle.notify_all()
        slots.release()

    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if not slots.acquire(timeout=5):
            break
        with lock:
            outstanding[0] += 1
        node = cluster.nodes[rng.choice(cluster.alive)]
        node.get(dht.InfoHash.getRandom(), get_cb=lambda v: True, done_cb=on_done)
    with lock:
        idle.wait_for(lambda: outstanding[0] == 0, timeout=10)
        elapsed = time.perf_counter() - started
        return completed[0] / elapsed, completed[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--value-bytes", type=int, default=1024)
    parser.add_argument("--lookup-seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--dead-gets", type=int, default=100)
    parser.add_argument("--op-timeout", type=float, default=10.0, help="seconds before an operation counts as failed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.nodes < 4 or args.pairs < 1 or args.dead_gets < 1:
        parser.error("need at least 4 nodes, 1 pair and 1 dead get")
    rng = random.Random(args.seed)
    out = {"implementation": "opendht", "nodes": args.nodes, "version": package_version()}

    t = time.monotonic()
    cluster = Cluster(args.nodes)
    out["settle_s"] = cluster.settle(stable_seconds=1.5, limit_seconds=30)
    good = cluster.good_entries()
    out["routing_entries_mean"] = sum(good) / len(good)
    log("%d nodes up and settled in %.1f s" % (args.nodes, time.monotonic() - t))

    put_ms, get_ms, pair_ms, stored = [], [], [], []
    put_fail = get_fail = 0
    for _ in range(args.pairs):
        a = rng.randrange(args.nodes)
        b = rng.randrange(args.nodes - 1)
        b = b + 1 if b >= a else b
        key, value = dht.InfoHash.getRandom(), os.urandom(args.value_bytes)
        ok, ms = timed_put(cluster.nodes[a], key, value, args.op_timeout)
        if ok:
            put_ms.append(ms)
        else:
            put_fail += 1
        ok2, ms2 = timed_get(cluster.nodes[b], key, value, args.op_timeout)
        if ok2:
            get_ms.append(ms2)
        else:
            get_fail += 1
        if ok and ok2:
            pair_ms.append(ms + ms2)
        stored.append((key, value))
    out["put"] = summary(put_ms, put_fail)
    out["get"] = summary(get_ms, get_fail)
    out["put_get"] = summary(pair_ms, args.pairs - len(pair_ms))
    log("%d put+get pairs done" % args.pairs)

    out["lookups_per_s_sequential"], _ = lookups(cluster, rng, args.lookup_seconds, 1)
    out["lookups_per_s_concurrent"], _ = lookups(cluster, rng, args.lookup_seconds, args.concurrency)
    out["lookup_concurrency"] = args.concurrency
    log("lookups done")

    dead = rng.sample(range(args.nodes), args.nodes // 2)
    cluster.kill(dead)
    out["killed"] = len(dead)
    dead_ms, dead_fail = [], 0
    started = time.monotonic()
    for key, value in stored[: args.dead_gets]:
        ok, ms = timed_get(cluster.nodes[rng.choice(cluster.alive)], key, value, args.op_timeout)
        if ok:
            dead_ms.append(ms)
        else:
            dead_fail += 1
    out["get_half_dead"] = summary(dead_ms, dead_fail)
    out["get_half_dead"]["wall_s"] = time.monotonic() - started
    log("%d gets with half of the nodes dead done" % args.dead_gets)

    cluster.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
