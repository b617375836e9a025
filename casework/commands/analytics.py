"""`casework export-analytics FILE.db`: the anonymised analytics database (services/analytics.py)."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext


def register_commands(app):
    app.cli.add_command(export_analytics_command)


@click.command("export-analytics")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--center", "centers", multiple=True, help="このセンターだけ（コード、複数可）: onestop, yorozu, succession, startup")
@click.option("--exclude-confidential", is_flag=True, help="事業承継など機密センターの記録を含めない")
@click.option("--force", is_flag=True, help="PATH が既にあれば上書きする")
@click.option("--datasette-metadata", "metadata_path", type=click.Path(dir_okay=False, writable=True),
              help="Datasette 用の列の説明（metadata.json）もここに書く")
@with_appcontext
def export_analytics_command(path, centers, exclude_confidential, force, metadata_path):
    """Write an anonymised, denormalised SQLite database for analysis (Excel, Datasette).

    No names, readings, 法人番号, addresses, contacts or notes; clients, cases and experts
    appear as keys that only match inside this one file.
    """
    from ..services.analytics import datasette_metadata, export_analytics
    from ..services.errors import DomainError

    try:
        counts = export_analytics(path, center_codes=list(centers) or None, exclude_confidential=exclude_confidential,
                                  overwrite=force)
    except DomainError as exc:
        raise click.ClickException(exc.message)
    if metadata_path:
        with open(metadata_path, "w", encoding="utf-8") as fh:
            json.dump(datasette_metadata(), fh, ensure_ascii=False, indent=2)
    for table, n in counts.items():
        click.echo(f"{table}: {n} rows")
    click.echo(f"wrote {path}")
