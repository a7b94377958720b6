"""The mailroom: mail sources, the ledger of processed mail, parsing, matching, trust, filing, applying."""
