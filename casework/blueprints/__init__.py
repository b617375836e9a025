"""One package per domain: its name = its template folder = its endpoint prefix.

Every sub-package that defines `bp` is registered, so adding a domain needs no edit here.
"""
import importlib
import pkgutil


def all_blueprints():
    blueprints = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.ispkg:
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "bp"):
                blueprints.append(module.bp)
    return blueprints
