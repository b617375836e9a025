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
    """Import legacy CSV files and XLSX workbooks (or folders of them): all or nothing, idempotent by ref."""
    from ..services.legacy_import import import_files
    from ..unit_of_work import committing

    from sqlalchemy.exc import SQLAlchemyError

    try:
        with committing():
            plan, counts = import_files(paths)
            if counts is None:
                # one `FILE:ROW: COLUMN: message` line each (the first of each file, then `FILE: ほか N 件`)
                click.echo("\n".join(plan.error_lines()), err=True)
                sys.exit(1)  # SystemExit: committing() rolls back (validation wrote nothing anyway)
    except SQLAlchemyError as exc:  # e.g. another import wrote the same ref meanwhile: all rolled back
        click.echo(f"import: 書き込めませんでした。何も書き込んでいません（{exc.__class__.__name__}）。"
                   "もう一度実行してください。", err=True)
        sys.exit(1)
    for line in plan.warning_lines():
        click.echo(line, err=True)
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


@report_group.command("refresh")
@click.option("--month", "months", multiple=True, metavar="YYYY-MM",
              help="store (or recount) this closed month (repeatable); default: this fiscal year and the two "
                   "before, and every stored month whose records changed since")
@with_appcontext
def refresh_command(months):
    """Store the report's closed months (what the nightly `rollups` job does), restating the ones whose records changed."""
    import re

    from ..reporting import rollup
    from ..unit_of_work import committing

    for month in months:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise click.BadParameter(f"{month!r}: write the month as YYYY-MM (2024-05)", param_hint="--month")
    with committing():
        result = rollup.refresh(list(months) or None)
    stored, restated = result["stored"], result["restated"]
    click.echo(f"stored {len(stored)} month(s){': ' + ', '.join(stored) if stored else ''}")
    if restated:
        click.echo(f"restated (records changed after the month closed): {', '.join(restated)}")


@report_group.command("annual")
@click.option("--fy", type=int, required=True, help="fiscal year, named by the year it starts in (2023 = 令和5年度)")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "docx", "text"]), default="json", show_default=True)
@click.option("--center", "centers", multiple=True, help="restrict to a center code (repeatable)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write to FILE instead of stdout")
@with_appcontext
def annual_command(fy, fmt, centers, output):
    """The annual report: this fiscal year against the one before."""
    from ..reporting import annual_report, render_csv, render_docx, render_text, render_xlsx

    report = annual_report(fy, _centers(centers))
    if fmt in ("xlsx", "docx"):
        data = render_xlsx(report) if fmt == "xlsx" else render_docx(report)
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
    from ..reporting.metrics import report_definitions

    try:
        year, mon = parse_month(month)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month")
    tally = monthly_tally(year, mon, _centers(centers))
    if fmt == "json":
        click.echo(json.dumps(tally, ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年{mon}月")
    definitions = report_definitions()
    for section_key, rows in tally["sections"].items():
        click.echo(f"■ {definitions.section_by_key[section_key].title}")
        for row_key, n in rows.items():
            m = definitions.metric_by_id[f"{section_key}.{row_key}"]
            if m.unit == "千円":  # the JSON holds 円; the text prints as the report does
                from ..reporting.engine import thousand_yen

                n = thousand_yen(n)
            click.echo(f"{m.label}\t{n:,}{m.unit}")
