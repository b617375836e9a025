"""`casework import`, `casework report annual`, `casework tally` (interchange.md)."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext


def register_commands(app):
    app.cli.add_command(import_command)
    app.cli.add_command(report_group)
    app.cli.add_command(tally_command)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@with_appcontext
def import_command(paths):
    """Import legacy CSV files (or folders of them): all or nothing, idempotent by ref."""
    from ..services.legacy_import import import_files
    from ..unit_of_work import committing

    with committing():
        plan, counts = import_files(paths)
    if counts is None:
        for problem in plan.errors:  # one `FILE:ROW: COLUMN: message` line each, nothing else
            click.echo(str(problem), err=True)
        sys.exit(1)
    for problem in plan.warnings:
        click.echo(f"{problem.file}:{problem.row}: {problem.column}: 注意: {problem.message}", err=True)
    for kind, (created, updated) in counts.items():
        click.echo(f"{kind}: {created} created, {updated} updated")


@click.group("report")
def report_group():
    """Reports (the annual business report tables)."""


def _centers(codes) -> set[str] | None:
    """The --center codes as a set (None: every center). An unknown code is a usage error: the
    message goes to stderr, nothing to stdout (and no -o file is written), exit status 2."""
    if not codes:
        return None
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Center

    known = list(db.session.scalars(select(Center.code).order_by(Center.sort_order, Center.code)))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise click.BadParameter(f"unknown center {', '.join(map(repr, unknown))} (known centers: {', '.join(known)})",
                                 param_hint="--center")
    return set(codes)


@report_group.command("annual")
@click.option("--fy", type=int, required=True, help="fiscal year, named by the year it starts in (2023 = 令和5年度)")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "text"]), default="json", show_default=True)
@click.option("--center", "centers", multiple=True, help="restrict to a center code (repeatable)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to FILE instead of stdout")
@with_appcontext
def annual_command(fy, fmt, centers, output):
    """The annual report: this fiscal year against the one before."""
    from ..reporting import annual_report, render_csv, render_text, render_xlsx

    report = annual_report(fy, _centers(centers))
    if fmt == "xlsx":
        data = render_xlsx(report)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return
    text = {"json": lambda r: json.dumps(r, ensure_ascii=False, indent=2) + "\n",
            "csv": render_csv, "text": render_text}[fmt](report)
    if output:
        with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)


@click.command("tally")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--center", "centers", multiple=True, help="restrict to a center code (repeatable)")
@with_appcontext
def tally_command(month, fmt, centers):
    """Every report figure counted within one month."""
    from ..dates import parse_month
    from ..reporting import monthly_tally
    from ..reporting.metrics import METRIC_BY_ID, SECTION_BY_KEY

    try:
        year, mon = parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month")
    tally = monthly_tally(year, mon, _centers(centers))
    if fmt == "json":
        click.echo(json.dumps(tally, ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年{mon}月")
    for section_key, rows in tally["sections"].items():
        click.echo(f"■ {SECTION_BY_KEY[section_key].title}")
        for row_key, n in rows.items():
            m = METRIC_BY_ID[f"{section_key}.{row_key}"]
            click.echo(f"{m.label}\t{n:,}{m.unit}")
