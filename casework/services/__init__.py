"""Services: every write and every multi-step query. Plain arguments, no request objects;
views, CLI commands and jobs all call them so they share one rule (style.md habit 3)."""

# Modules that register outcome hooks (services.hooks.on_outcome) must be imported at start.
from . import followups  # noqa: E402,F401
