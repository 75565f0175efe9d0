"""Typer command groups: parse, call a service, render. Thin."""
