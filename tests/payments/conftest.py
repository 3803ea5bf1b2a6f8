from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import Server, running_server
from tests.payments.factories import StripeRecorder, stripe_recorder, stripe_settings


@pytest.fixture(scope="module")
def recorder() -> Iterator[StripeRecorder]:
    with stripe_recorder() as handle:
        yield handle


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, recorder: StripeRecorder) -> Iterator[Server]:
    """A server with Stripe configured, its API base pointed at the local recorder."""
    with running_server(tmp_path_factory.mktemp("payments"), **stripe_settings(recorder)) as handle:
        yield handle
