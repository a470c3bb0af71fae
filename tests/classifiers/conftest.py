"""Shared fixtures for the classifier tests: the real catalog and tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.load import load_catalog
from classifiers.tokenize import get_tokenizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(ROOT / "data" / "pledges.toml")


@pytest.fixture(scope="session")
def tokenizer():
    return get_tokenizer()
