from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import Server, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A dashboard server without a worker (uploaded jobs stay pending)."""
    with running_server(tmp_path_factory.mktemp("web")) as handle:
        yield handle
