"""Fixtures of the documents tests: one real LibreOffice converter for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hoteldesk.documents.convert import PdfConverter


@pytest.fixture(scope="session")
def pdf_converter() -> Iterator[PdfConverter]:
    """The persistent converter (unoserver + LibreOffice), started once and stopped at the end."""
    with PdfConverter() as converter:
        converter.start()
        yield converter
