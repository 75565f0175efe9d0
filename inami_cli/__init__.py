"""inami-cli: administration of the Belgian health and disability insurance (INAMI/RIZIV)."""

__version__ = "0.1.0"
