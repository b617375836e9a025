"""Things that follow from an outcome (follow-ups, stage changes). Other domains register here so
that closing a case from the web, the import or a deal all trigger the same consequences."""
from __future__ import annotations

_OUTCOME_HOOKS = []


def on_outcome(func):
    """Register func(case, by) to run whenever a case gets an outcome."""
    _OUTCOME_HOOKS.append(func)
    return func


def run_outcome_hooks(case, by) -> None:
    for hook in _OUTCOME_HOOKS:
        hook(case, by)
