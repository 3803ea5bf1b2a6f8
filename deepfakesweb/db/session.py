"""Engine and session factory. Callers never commit; the unit of work (request or job) does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "after_commit", "after_rollback", "lock_user_row"]

Hook = Callable[[], Any]


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _create_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self, writes: bool = False) -> Iterator[Session]:
        """Commit once at the end, then run after-commit hooks (enqueue); roll back and clean up on error.

        `writes`: the transaction reads then writes; on SQLite it starts with BEGIN IMMEDIATE so the write
        cannot fail on a snapshot another connection moved meanwhile.
        """
        session = self._sessions()
        if writes and self.is_sqlite:
            session.connection(execution_options={"sqlite_immediate": True})
            session.info["sqlite_immediate"] = True
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            _run_hooks(session, "after_rollback")
            raise
        finally:
            session.close()
        _run_hooks(session, "after_commit")

    def dispose(self) -> None:
        self.engine.dispose()


def after_commit(session: Session, hook: Hook) -> None:
    session.info.setdefault("after_commit", []).append(hook)


def after_rollback(session: Session, hook: Hook) -> None:
    session.info.setdefault("after_rollback", []).append(hook)


def lock_user_row(session: Session, user_id: int) -> None:
    """Serialise this transaction against every other one writing for the same user."""
    if session.get_bind().dialect.name == "sqlite":
        if session.info.get("sqlite_immediate"):
            return  # the whole transaction already holds SQLite's single write lock
        if session.in_transaction():
            raise RuntimeError("lock_user_row must open the transaction (BEGIN IMMEDIATE)")
        session.connection(execution_options={"sqlite_immediate": True})
        session.info["sqlite_immediate"] = True
        return
    session.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE"), {"id": user_id})


def _run_hooks(session: Session, name: str) -> None:
    for hook in session.info.pop(name, []):
        hook()


def _create_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
