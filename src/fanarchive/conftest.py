"""Fixtures shared by every test suite of the package."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """Empty the cache around each test: cached tag scopes would outlive the rolled-back rows."""
    cache.clear()
    yield
    cache.clear()
