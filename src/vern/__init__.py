"""Vern: decision support for Norwegian crisis centres on involving the police."""

__version__ = "0.1.0"
