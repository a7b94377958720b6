"""Staff workbooks: schemas, fast typed reads, lock-aware surgical write-back."""
