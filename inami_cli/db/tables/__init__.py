"""The tables as SQLAlchemy Core ``Table``s, one module per feature as ``db/models``, for the
one-shot reads that import no SQLModel (issue 19): ``from inami_cli.db.tables import
nomenclature`` builds the nomenclature tables only.

The modules are generated from the models by ``python -m inami_cli.db.coregen``; a test
compares them with the models (columns, types, nullability, keys, indexes). Reads only:
the Python-side defaults live in the models, which every write goes through.
"""

from sqlalchemy import MetaData

# The models' metadata convention (SQLModel's), so that generated names agree.
metadata = MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
