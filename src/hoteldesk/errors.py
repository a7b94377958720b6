"""Errors raised by hoteldesk.

The library raises and never prints; ``cli.py`` turns an error into one line
that says what is wrong and what to do. Every message names the place (file,
sheet, row, column) where it can.

::

    HoteldeskError
    ├── ConfigError                  hoteldesk.toml missing or invalid
    ├── DriveError                   the drive folder is missing or not a drive
    ├── WorkbookError
    │   ├── WorkbookFormatError      not a workbook: not a zip, a zip bomb, encrypted, .xls
    │   ├── WorkbookSchemaError      a sheet or a required column is missing
    │   ├── WorkbookLockedError      open in Excel (~$ owner file) or locked by another process
    │   ├── WorkbookChangedError     changed on disk while hoteldesk was writing
    │   └── WriteBackError           a cell could not be written (row not found, formula cell)
    ├── JournalError                 the SQLite journal is unusable
    ├── TemplateError                a Word template is missing, malformed or needs an unknown field
    ├── ConversionError              LibreOffice or Ghostscript failed
    ├── GatewayError                 a fax or mail gateway refused or failed
    │   └── FaxNumberError           a fax number is not valid
    └── MailSourceError              a mail account cannot be reached or read
"""

from __future__ import annotations


class HoteldeskError(Exception):
    """Root of every error hoteldesk raises on purpose."""


class ConfigError(HoteldeskError):
    """hoteldesk.toml is missing or holds a value that cannot be used."""


class DriveError(HoteldeskError):
    """The drive folder is missing or not laid out as a hoteldesk drive."""


class WorkbookError(HoteldeskError):
    """A staff workbook cannot be read or written."""


class WorkbookFormatError(WorkbookError):
    """The file is not an .xlsx/.xlsm workbook hoteldesk can open."""


class WorkbookSchemaError(WorkbookError):
    """A sheet or a required column is missing from a workbook."""


class WorkbookLockedError(WorkbookError):
    """The workbook is open (Excel's ~$ owner file, a lock) and must not be written."""


class WorkbookChangedError(WorkbookError):
    """The workbook changed on disk between reading it and replacing it."""


class WriteBackError(WorkbookError):
    """A cell could not be written back (order not found, formula in the cell)."""


class JournalError(HoteldeskError):
    """The SQLite journal cannot be opened or migrated."""


class TemplateError(HoteldeskError):
    """A Word template is missing, malformed, or uses a field that does not exist."""


class ConversionError(HoteldeskError):
    """Converting a document (LibreOffice, Ghostscript) failed."""


class GatewayError(HoteldeskError):
    """A fax or mail gateway refused or failed a job."""


class FaxNumberError(GatewayError):
    """A fax number cannot be normalised to a dialable number."""


class MailSourceError(HoteldeskError):
    """A mail account (IMAP, Exchange, drop folder) cannot be reached or read."""
