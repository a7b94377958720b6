"""Fixtures of the mailroom tests: a private Dovecot on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.inbox_watchers.dovecot import Dovecot, running_dovecot


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot() as server:
        yield server
