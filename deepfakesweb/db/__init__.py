"""Database plumbing: declarative base, engine factory, sessions with after-commit hooks, migrations."""

from deepfakesweb.db.base import Base, UTCDateTime, utcnow
from deepfakesweb.db.session import Database, after_commit, after_rollback, lock_user_row

__all__ = ["Base", "UTCDateTime", "utcnow", "Database", "after_commit", "after_rollback", "lock_user_row"]
