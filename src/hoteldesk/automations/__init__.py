"""Use cases: what happens when a workbook changes, a reply arrives, a clock runs out."""
