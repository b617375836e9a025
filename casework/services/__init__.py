"""Services: every write and every multi-step query. Plain arguments, no request objects;
views, CLI commands and jobs all call them so they share one rule (style.md habit 3)."""
