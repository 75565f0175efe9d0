"""Use cases: take ``session`` as a keyword argument, return plain dataclasses."""
