from flask import Blueprint

from ...permissions import blueprint_requires

bp = Blueprint("tallies", __name__, url_prefix="/tallies")
blueprint_requires(bp, "tally.view")

from . import routes  # noqa: E402,F401


@bp.app_context_processor
def _tally_summary():
    """For the dashboard: how many finished months of a fiscal year are stored, how many changed since."""
    def tally_summary(fy):
        from ...dates import today_jst
        from ...services.tallies import fiscal_year_status

        rows = [r for r in fiscal_year_status(int(fy), today_jst()) if r["complete"]]
        stored = sum(1 for r in rows if r["snapshot"])
        changed = sum(1 for r in rows if r["changed"])
        return {"complete": len(rows), "stored": stored, "changed": changed}

    return {"tally_summary": tally_summary}
