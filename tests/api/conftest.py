from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import Server, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server without a worker: accepted jobs stay pending until a test processes them."""
    with running_server(tmp_path_factory.mktemp("api")) as handle:
        yield handle


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
