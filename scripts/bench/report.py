#!/usr/bin/env python3
"""Turns the raw outputs of scripts/bench.sh into docs/benchmarks.md: medians of the runs, ratios, targets.

usage: report.py RAW_DIR OUTPUT.md

Text after the line `<!-- notes: kept across runs -->` in an existing OUTPUT.md is carried over, so the
analysis written by hand survives a new `make bench`.
"""
import csv
import glob
import json
import os
import re
import statistics
import sys

NOTES_MARKER = "<!-- notes: kept across runs -->"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ours(raw, name):
    """Rate, p50 and p99 (µs) and error counts of each run of `payments bench --json`."""
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, f"{name}.ours.*.json"))):
        try:
            results = json.load(open(path))["results"]
        except (ValueError, KeyError, OSError):
            continue
        runs.append({
            "rate": results["achievedRate"],
            "p50": results["latency"]["p50Microseconds"],
            "p99": results["latency"]["p99Microseconds"],
            "failed": results["errors"] + results["timedOut"],
        })
    return runs


def key_values(path):
    try:
        return dict(re.findall(r"(\w+)=(\S+)", open(path).read()))
    except OSError:
        return {}


def grpc(raw, name):
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, f"{name}.reference.*.txt"))):
        values = key_values(path)
        if "qps" in values:
            runs.append({"rate": float(values["qps"]), "p50": float(values["p50_us"]), "p99": float(values["p99_us"])})
    return runs


def redis(raw, name):
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, f"{name}.reference.*.csv"))):
        for row in csv.reader(open(path)):
            if row and row[0].startswith("PING"):
                runs.append({"rate": float(row[1]), "p50": float(row[4]) * 1000, "p99": float(row[6]) * 1000})
    return runs


def pgbench(raw, name):
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, f"{name}.*.txt"))):
        text = open(path).read()
        tps = re.search(r"^tps = ([0-9.]+)", text, re.M)
        latency = re.search(r"^latency average = ([0-9.]+) ms", text, re.M)
        failed = re.search(r"^number of failed transactions: (\d+)", text, re.M)
        if tps:
            runs.append({
                "rate": float(tps.group(1)),
                "mean": float(latency.group(1)) * 1000 if latency else None,
                "failed": int(failed.group(1)) if failed else 0,
            })
    return runs


def loop(raw, name, rate_key):
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, f"{name}.*.txt"))):
        values = key_values(path)
        if rate_key in values:
            runs.append({"rate": float(values[rate_key]), "p50": float(values["p50_us"]), "p99": float(values["p99_us"])})
    return runs


def pick(runs, field):
    return median([run.get(field) for run in runs])


def number(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def ratio(ours_value, reference_value):
    if ours_value is None or not reference_value:
        return None
    return ours_value / reference_value


def verdict(met):
    if met is None:
        return "n/a"
    if met:
        return "met"
    return "**missed**"


def spread(runs, field="rate"):
    values = [run[field] for run in runs if run.get(field) is not None]
    return f"{min(values):,.0f}..{max(values):,.0f}" if values else "n/a"


def transport_section(raw):
    lines = [
        "## Transport: Health RPC against redis-benchmark PING and gRPC C++ unary",
        "",
        "Our side is `payments bench --scenario health` (no store). redis-benchmark uses `-t ping_mbulk`; "
        "\"pipelined x16\" is `-P 16`, which our side matches with 16 calls in flight per connection. The gRPC "
        "reference is an in-memory C++ sync server with the async C++ load client on one channel (one TCP "
        "connection), which our side matches with one connection and N calls in flight.",
        "",
        "| pair | ours calls/s | reference calls/s | ratio | ours p50 µs | reference p50 µs | p50 ratio | target | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for config, label in [("c1_p1", "redis PING, 1 connection"), ("c1_p16", "redis PING, 1 connection, pipelined x16"),
                          ("c50_p1", "redis PING, 50 connections"), ("c50_p16", "redis PING, 50 connections, pipelined x16")]:
        mine, theirs = ours(raw, f"redis_{config}"), redis(raw, f"redis_{config}")
        p50_ratio = ratio(pick(mine, "p50"), pick(theirs, "p50"))
        target, met = "", None
        if config == "c1_p1":
            target = "p50 ≤ 2x redis"
            met = p50_ratio is not None and p50_ratio <= 2
        lines.append(row(label, mine, theirs, p50_ratio, target, met))
    for concurrency in (1, 16, 64):
        mine, theirs = ours(raw, f"grpc_c{concurrency}"), grpc(raw, f"grpc_c{concurrency}")
        p50_ratio = ratio(pick(mine, "p50"), pick(theirs, "p50"))
        target, met = "", None
        if concurrency in (16, 64):
            target = "≥ 2x calls/s, lower p50"
            rate_ratio = ratio(pick(mine, "rate"), pick(theirs, "rate"))
            met = rate_ratio is not None and rate_ratio >= 2 and p50_ratio is not None and p50_ratio < 1
        lines.append(row(f"gRPC C++ unary, {concurrency} in flight", mine, theirs, p50_ratio, target, met))
    return lines


def row(label, mine, theirs, p50_ratio, target, met):
    rate_ratio = ratio(pick(mine, "rate"), pick(theirs, "rate"))
    return (f"| {label} | {number(pick(mine, 'rate'))} | {number(pick(theirs, 'rate'))} | {number(rate_ratio, 2)} | "
            f"{number(pick(mine, 'p50'))} | {number(pick(theirs, 'p50'))} | {number(p50_ratio, 2)} | {target} | "
            f"{verdict(met) if target else ''} |")


def postgres_section(raw):
    lines = [
        "## PostgreSQL: register+confirm and refund against pgbench (synchronous_commit on)",
        "",
        "Ours is `payments bench` against `payments-server --store postgresql://… --store-pool-size 32`, one "
        "connection per client. An operation of register+confirm is two RPCs and two transactions. \"pgbench "
        "store SQL\" runs the store's own statements (scripts/bench/pg_store_*.sql, two transactions per "
        "register+confirm) on the server's schema and database, with `-M prepared`. It also runs the event "
        "sequencer's statement on one more client (scripts/bench/pg_store_sequencer.sql), as the server numbers the events "
        "of its writes on its sequencer thread. \"writes only\" is the same without the sequencer client. The "
        "peer scripts run the simpler reference SQL (1tx: both statements in one transaction). Rates are "
        "operations per second; pgbench reports only a mean latency.",
        "",
        "| operation | clients | ours ops/s | ours p50 µs | pgbench store SQL ops/s | ratio | writes only ops/s | ratio | pgbench peer 1tx | pgbench peer 2tx | target | result |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for clients in (1, 8, 32):
        mine = ours(raw, f"pg_register_confirm_c{clients}")
        store = pgbench(raw, f"pg_register_confirm_c{clients}.reference")
        writes = pgbench(raw, f"pg_register_confirm_c{clients}.writes")
        peer_one_transaction = pgbench(raw, f"pg_register_confirm_c{clients}.peer1tx")
        peer_two_transactions = pgbench(raw, f"pg_register_confirm_c{clients}.peer2tx")
        value = ratio(pick(mine, "rate"), pick(store, "rate"))
        writes_value = ratio(pick(mine, "rate"), pick(writes, "rate"))
        target = "≥ 0.8x store SQL" if clients == 32 else ""
        met = (value is not None and value >= 0.8) if clients == 32 else None
        lines.append(f"| register+confirm | {clients} | {number(pick(mine, 'rate'))} | {number(pick(mine, 'p50'))} | "
                     f"{number(pick(store, 'rate'))} | {number(value, 2)} | {number(pick(writes, 'rate'))} | "
                     f"{number(writes_value, 2)} | {number(pick(peer_one_transaction, 'rate'))} | "
                     f"{number(pick(peer_two_transactions, 'rate'))} | {target} | {verdict(met) if target else ''} |")
    for clients in (1, 8, 32):
        mine = ours(raw, f"pg_refund_c{clients}")
        store = pgbench(raw, f"pg_refund_c{clients}.reference")
        peer = pgbench(raw, f"pg_refund_c{clients}.peer")
        value = ratio(pick(mine, "rate"), pick(store, "rate"))
        lines.append(f"| refund | {clients} | {number(pick(mine, 'rate'))} | {number(pick(mine, 'p50'))} | "
                     f"{number(pick(store, 'rate'))} | {number(value, 2)} |  |  | "
                     f"{number(pick(peer, 'rate'))} (refund.sql) |  |  |  |")
    return lines


def sqlite_section(raw):
    mine1, mine8 = ours(raw, "sqlite_register_confirm_c1"), ours(raw, "sqlite_register_confirm_c8")
    reference = loop(raw, "sqlite_register_confirm.reference", "ops")
    value = ratio(pick(mine1, "rate"), pick(reference, "rate"))
    value8 = ratio(pick(mine8, "rate"), pick(reference, "rate"))
    lines = [
        "## SQLite: register+confirm against the store's statements in a C loop (WAL, synchronous=FULL)",
        "",
        "The C loop (scripts/bench/sqlite_store_loop.c) runs the SQLite store's schema, pragmas and statements, "
        "two `BEGIN IMMEDIATE` transactions per operation, on the same file system as the server's database.",
        "",
        "| side | ops/s (median) | runs min..max | p50 µs | p99 µs | ratio to C loop | target | result |",
        "|---|---|---|---|---|---|---|---|",
        f"| ours, 1 in flight | {number(pick(mine1, 'rate'))} | {spread(mine1)} | {number(pick(mine1, 'p50'))} | "
        f"{number(pick(mine1, 'p99'))} | {number(value, 2)} | ≥ 0.7x | {verdict(None if value is None else value >= 0.7)} |",
        f"| ours, 8 in flight | {number(pick(mine8, 'rate'))} | {spread(mine8)} | {number(pick(mine8, 'p50'))} | "
        f"{number(pick(mine8, 'p99'))} | {number(value8, 2)} |  |  |",
        f"| C loop, store statements | {number(pick(reference, 'rate'))} | {spread(reference)} | "
        f"{number(pick(reference, 'p50'))} | {number(pick(reference, 'p99'))} | 1.00 |  |  |",
    ]
    for config in ("wal_full_2tx", "wal_full_1tx", "wal_normal_1tx"):
        peer = loop(raw, f"sqlite_peer_{config}", "tps")
        lines.append(f"| peer sqlite_bench {config.replace('_', ' ')} | {number(pick(peer, 'rate'))} | {spread(peer)} | "
                     f"{number(pick(peer, 'p50'))} | {number(pick(peer, 'p99'))} | | | |")
    return lines


def memory_section(raw):
    runs = []
    for path in sorted(glob.glob(os.path.join(raw, "memory.*.txt"))):
        values = key_values(path)
        if "after_kib" in values:
            runs.append({key: float(value) for key, value in values.items()})
    lines = ["## Memory: resident size with idle connections", ""]
    if not runs:
        return lines + ["No measurement."]
    before = median([run["before_kib"] for run in runs])
    after = median([run["after_kib"] for run in runs])
    connections_held = median([run["open"] for run in runs])
    per = (after - before) / connections_held if connections_held else None
    met = per is not None and per < 16 and connections_held >= 10000
    lines += [
        "A C client (scripts/bench/idle_connections.c) opens the connections, sends the preface and SETTINGS on "
        "each, answers PINGs and stays idle; VmRSS of the server comes from /proc/PID/status.",
        "",
        "| connections held | RSS before KiB | RSS after KiB | KiB per connection | target | result |",
        "|---|---|---|---|---|---|",
        f"| {number(connections_held)} | {number(before)} | {number(after)} | {number(per, 1)} | 10,000 held, < 16 KiB each | {verdict(met)} |",
    ]
    return lines


def main():
    raw, output = sys.argv[1], sys.argv[2]
    machine = key_values(os.path.join(raw, "machine.txt"))
    machine_text = open(os.path.join(raw, "machine.txt")).read() if os.path.exists(os.path.join(raw, "machine.txt")) else ""
    cpu = re.search(r"^cpu=(.*)$", machine_text, re.M)
    notes = ""
    if os.path.exists(output):
        existing = open(output).read()
        if NOTES_MARKER in existing:
            notes = existing.split(NOTES_MARKER, 1)[1].strip("\n")
    seconds, runs = machine.get("seconds", "?"), machine.get("runs", "?")
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (scripts/bench.sh) on {machine.get('date', '?')} at commit {machine.get('commit', '?')}: "
        f"{runs} runs of {seconds} s per point, medians shown. Client, server and references share the machine, "
        "and each of our runs ran right before or after its reference's run; a ratio divides the median of our "
        "runs by the median of the reference's.",
        "",
        f"Machine: {machine.get('nproc', '?')} cores ({cpu.group(1) if cpu else '?'}), "
        f"{re.search(r'^memory=(.*)$', machine_text, re.M).group(1) if 'memory=' in machine_text else '?'} memory, "
        f"Linux {machine.get('kernel', '?')}.",
        "",
        "Commands: `make bench` (`BENCH_SECONDS`, `BENCH_RUNS`, `BENCH_ONLY` override the defaults); each of our "
        "points is `payments bench --quiet --json --warmup 1s --timeout 0s --scenario S --connections C "
        "--concurrency N --duration Ds`; the reference commands are in scripts/bench.sh.",
        "",
        "To reproduce: `make bench` installs redis, the gRPC C++ reference's build tools and pgbench, builds in "
        "release mode and takes about 20 minutes with the defaults (`BENCH_RUNS=3`, `BENCH_SECONDS=8`; "
        "`BENCH_ONLY` takes any of `transport postgres sqlite memory`; `BENCH_IDLE_CONNECTIONS=10000`). The "
        "reference programs come from the team's shared folder (`PAYMENTS_SHARED_DIR`, default `../shared` "
        "next to the repository); `make bench` checks that they are there before it installs anything. Everything listens on 127.0.0.1: ports 7181-7184, "
        "6392 (redis), 50061 (gRPC) and 54341 (PostgreSQL). The run rewrites this page above the notes and "
        "keeps its raw outputs in `.build/bench/raw`. Rows without a target are context for the rows with one.",
        "",
    ]
    for section in (transport_section(raw), postgres_section(raw), sqlite_section(raw), memory_section(raw)):
        lines += section + [""]
    lines += ["## Notes", "", NOTES_MARKER, notes, ""]
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as handle:
        handle.write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
