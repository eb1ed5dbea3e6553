"""Shared fixtures: the penguins table (loaded once per session)."""

import pytest

from phase2_tabular.common.tables import load_table


@pytest.fixture(scope="session")
def penguins():
    return load_table("penguins")
