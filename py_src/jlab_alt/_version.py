"""The single source of jlab-alt's version (read by hatch and by the app)."""

__version__ = "0.1.0"
