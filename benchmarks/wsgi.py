"""The app under gunicorn for the HTTP benchmarks (BENCH_DB_URL = the benchmark database)."""
import os

from .setup_db import make_app

app = make_app(os.environ["BENCH_DB_URL"])
