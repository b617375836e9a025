"""Benchmark: legacy import rows/second and annual report time on a large generated dataset.

    .venv/bin/python benchmarks/import_report.py [--clients 20000] [--consultations 60000] [--runs 5]

Generates legacy CSV files (mixed date styles, labels and codes, multi-line notes, one file in
CP932) into a temporary folder, imports them into a fresh SQLite database (validation and
writing, as `casework import` does), imports them again (all updates found unchanged), then
times the annual report. Prints the figures; docs/performance.md records them.
"""
from __future__ import annotations

import argparse
import os
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

THEMES = ["business_plan", "marketing", "technology", "management", "cash_flow", "it", "product_development",
          "sales_channel", "succession", "startup", "hr", "dx", "pricing", "turnaround"]
CENTERS = ["onestop", "yorozu", "succession", "startup", "ワンストップ総合相談", "よろず支援拠点"]
CHANNELS = ["window", "visit", "outreach", "online", "phone", "窓口", "巡回", "来訪"]
MUNICIPALITIES = ["青森市", "弘前市", "八戸市", "黒石市", "五所川原市", "十和田市", "三沢市", "むつ市", "022039"]
INDUSTRIES = list("ABCDEFGHIJKLMNOPQRST") + ["製造業", "宿泊業，飲食サービス業", ""]


def corporate_number(rng: random.Random) -> str:
    base = [rng.randint(0, 9) for _ in range(12)]
    total = sum(d * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(base)))
    return str(9 - total % 9) + "".join(map(str, base))


def day_text(rng: random.Random, day: dt.date) -> str:
    style = rng.random()
    if style < 0.6:
        return day.isoformat()
    if style < 0.8:
        return f"{day.year}/{day.month}/{day.day}"
    if style < 0.9:
        return f"R{day.year - 2018}.{day.month}.{day.day}"
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def generate(folder: Path, clients: int, consultations: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    start = dt.date(2022, 4, 1)

    def some_day():
        return start + dt.timedelta(days=rng.randrange(4 * 365))

    def write(name, header, rows, encoding="utf-8"):
        with open(folder / name, "w", encoding=encoding, newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        return len(rows)

    counts = {}
    counts["clients"] = write("clients.csv", ["ref", "name", "name_kana", "kind", "corporate_number", "industry",
                                              "municipality", "employees"], [
        [f"C{i:07d}", f"株式会社ベンチ{i}", f"ベンチ{i}", rng.choice(["corporation", "個人事業主", ""]),
         corporate_number(rng) if rng.random() < 0.5 else "", rng.choice(INDUSTRIES), rng.choice(MUNICIPALITIES),
         rng.randrange(300)] for i in range(clients)])
    n_cases = clients // 4
    case_rows = []
    for i in range(n_cases):
        opened = some_day()
        closed = opened + dt.timedelta(days=rng.randrange(400)) if rng.random() < 0.6 else None
        founded = closed and rng.random() < 0.3
        case_rows.append([f"K{i:07d}", f"C{rng.randrange(clients):07d}", rng.choice(["startup", "onestop", "yorozu"]),
                          day_text(rng, opened), day_text(rng, closed) if closed else "",
                          "founded" if founded else "", day_text(rng, closed) if founded else ""])
    counts["cases"] = write("2024_cases.csv", ["ref", "client_ref", "center", "opened_on", "closed_on", "outcome",
                                               "outcome_on"], case_rows)
    n_events = max(100, consultations // 50)
    counts["events"] = write("events.csv", ["ref", "center", "kind", "held_on", "title", "municipality",
                                            "participants"], [
        [f"E{i:07d}", rng.choice(["yorozu", "よろず支援拠点"]), rng.choice(["outreach_day", "セミナー"]),
         day_text(rng, some_day()), f"相談会 {i}", rng.choice(MUNICIPALITIES), rng.randrange(50)]
        for i in range(n_events)], encoding="cp932")
    counts["consultations"] = write("consultations.csv", ["ref", "client_ref", "case_ref", "center", "channel",
                                                          "held_on", "themes", "event_ref", "notes"], [
        [f"S{i:07d}", f"C{rng.randrange(clients):07d}", "", rng.choice(CENTERS), rng.choice(CHANNELS),
         day_text(rng, some_day()), ";".join(rng.sample(THEMES, rng.randrange(3))),
         f"E{rng.randrange(n_events):07d}" if rng.random() < 0.05 else "",
         "資金繰りの相談\n次回は試算表を持参" if rng.random() < 0.2 else ""] for i in range(consultations)])
    counts["dispatches"] = write("dispatches.csv", ["ref", "client_ref", "center", "expert", "held_on", "fee"], [
        [f"D{i:07d}", f"C{rng.randrange(clients):07d}", rng.choice(["onestop", "succession"]),
         f"専門家 {rng.randrange(40)}", day_text(rng, some_day()), rng.choice([30000, 45000, ""])]
        for i in range(consultations // 8)])
    counts["diagnoses"] = write("diagnoses.csv", ["ref", "client_ref", "held_on", "by"], [
        [f"G{i:07d}", f"C{rng.randrange(clients):07d}", day_text(rng, some_day()), rng.choice(["商工会", ""])]
        for i in range(consultations // 10)])
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20000)
    parser.add_argument("--consultations", type=int, default=60000)
    parser.add_argument("--runs", type=int, default=5, help="annual report runs (median printed)")
    args = parser.parse_args(argv)

    from casework import create_app
    from casework.extensions import db
    from casework.reporting import annual_report, monthly_tally
    from casework.seed.loader import seed_vocabulary
    from casework.unit_of_work import committing
    from casework.services.legacy_import import apply_plan, validate_files

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "legacy"
        folder.mkdir()
        counts = generate(folder, args.clients, args.consultations)
        rows = sum(counts.values())
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
            with committing():
                seed_vocabulary()
            from casework.services import hooks

            hook_time, hook_cpu = [0.0], [0.0]
            real_hooks = hooks.run_outcome_hooks

            def timed_hooks(case, by):
                t, c = time.perf_counter(), time.process_time()
                real_hooks(case, by)
                hook_time[0] += time.perf_counter() - t
                hook_cpu[0] += time.process_time() - c

            hooks.run_outcome_hooks = timed_hooks
            c0 = time.process_time()
            t0 = time.perf_counter()
            plan = validate_files([folder])
            t1 = time.perf_counter()
            c1 = time.process_time()
            assert not plan.errors, [str(e) for e in plan.errors[:5]]
            result = apply_plan(plan)
            db.session.commit()  # the command's unit of work commits once
            t2 = time.perf_counter()
            cpu = time.process_time() - c0
            hooks.run_outcome_hooks = real_hooks
            print(f"rows: {rows:,} ({', '.join(f'{k} {v:,}' for k, v in counts.items())}); "
                  f"cases opened for consultations: {plan.cases_opened:,}")
            print(f"import (first): {t2 - t0:.2f} s = {rows / (t2 - t0):,.0f} rows/s "
                  f"(validate {t1 - t0:.2f} s, write {t2 - t1:.2f} s, of which outcome hooks {hook_time[0]:.2f} s); "
                  f"CPU time {cpu:.2f} s = {rows / cpu:,.0f} rows per CPU-second "
                  f"(validate {c1 - c0:.2f} s, write {cpu - (c1 - c0) - hook_cpu[0]:.2f} s, outcome hooks "
                  f"{hook_cpu[0]:.2f} s for {len(plan.items['cases']) and sum(1 for v in plan.items['cases'] if 'outcome' in v):,} cases)")
            print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            assert all(created == counts[k] for k, (created, _u) in result.items()), result
            t0, c0 = time.perf_counter(), time.process_time()
            again = apply_plan(validate_files([folder]))
            db.session.commit()
            t2, cpu = time.perf_counter(), time.process_time() - c0
            assert all(c == 0 and u == 0 for c, u in again.values()), again
            print(f"import (again, nothing changes): {t2 - t0:.2f} s = {rows / (t2 - t0):,.0f} rows/s; "
                  f"CPU {cpu:.2f} s = {rows / cpu:,.0f} rows per CPU-second")
            times, cpus = [], []
            for _ in range(args.runs):
                t0, c0 = time.perf_counter(), time.process_time()
                report = annual_report(2024)
                times.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
            print(f"annual report FY2024: median {statistics.median(times) * 1000:.0f} ms "
                  f"(CPU {statistics.median(cpus) * 1000:.0f} ms) over {args.runs} runs "
                  f"(onestop.total {report['sections'][0]['rows'][2]['current']:,})")
            times = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                monthly_tally(2024, 5)
                times.append(time.perf_counter() - t0)
            print(f"monthly tally 2024-05: median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
