"""First-run conveniences: a demo user with credits and a key, on an empty database only."""

from __future__ import annotations

from deepfakesweb.apikeys.service import create_key
from deepfakesweb.credits.service import Grant, grant
from deepfakesweb.runtime import Runtime
from deepfakesweb.users import repository as users
from deepfakesweb.users.service import create_user

__all__ = ["DEMO_EMAIL", "create_demo_user"]

DEMO_EMAIL = "demo@example.com"


def create_demo_user(runtime: Runtime) -> str | None:
    """The demo key, shown once; None when the database already has users."""
    with runtime.db.unit_of_work(writes=True) as session:
        if users.count(session) > 0:
            return None
        user = create_user(session, DEMO_EMAIL)
        grant(session, user.id, Grant(credits=runtime.settings.demo_credits, method="demo"))
        _, secret = create_key(session, user.id, "demo")
    return secret
