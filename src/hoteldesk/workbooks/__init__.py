"""Staff workbooks: schemas, fast typed reads, lock-aware surgical write-back."""

# schema.py registers the desks' schema modules (schema_members, …), which build on its Field types:
# importing it first lets any of them be imported on its own without a circular-import error.
from hoteldesk.workbooks import schema as _schema  # noqa: F401
