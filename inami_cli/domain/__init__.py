"""Pure domain rules: standard library only (a test enforces it)."""
