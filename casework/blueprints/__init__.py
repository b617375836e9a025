"""One package per domain: its name = its template folder = its endpoint prefix."""
from .auth import bp as auth_bp
from .main import bp as main_bp
from .clients import bp as clients_bp

ALL = [auth_bp, main_bp, clients_bp]
