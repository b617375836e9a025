"""CLI commands by domain. Each module exposes register_commands(app)."""
