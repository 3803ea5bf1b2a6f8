"""Bodies of the users / keys / credits commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from deepfakesweb.accounts import service as accounts
from deepfakesweb.apikeys import service as keys
from deepfakesweb.config import Settings
from deepfakesweb.credits import service as credits
from deepfakesweb.storage import create_storage
from deepfakesweb.users import service as users

__all__ = ["attach"]

InSession = Callable[[Callable[[Session], Any]], Any]


def attach(users_app: typer.Typer, keys_app: typer.Typer, credits_app: typer.Typer, in_session: InSession) -> None:
    console = Console()

    @users_app.command("create")
    def users_create(email: str) -> None:
        """Create a user."""
        user_id = in_session(lambda s: users.create_user(s, email).id)
        typer.echo(f"created user {user_id} {email.strip().lower()}")

    @users_app.command("list")
    def users_list() -> None:
        """List users with their balances."""
        rows = in_session(lambda s: [(u.id, u.email, u.disabled, credits.balance(s, u.id), u.created_at)
                                     for u in users.list_users(s)])
        table = Table("id", "email", "disabled", "credits", "created")
        for user_id, email, disabled, balance, created in rows:
            table.add_row(str(user_id), email, "yes" if disabled else "no", str(balance), created.isoformat())
        console.print(table)

    @users_app.command("disable")
    def users_disable(email: str) -> None:
        """Disable a user: every key of theirs stops working at once."""
        in_session(lambda s: users.disable_user(s, email))
        typer.echo(f"disabled {email}")

    _attach_account_commands(users_app, in_session)

    @keys_app.command("create")
    def keys_create(email: str, name: Annotated[str, typer.Option(help="A label for the key")] = "") -> None:
        """Create an API key; the key alone is printed on the last line (shown once)."""
        def action(s: Session) -> tuple[str, str]:
            key, secret = keys.create_key(s, users.require_user(s, email).id, name)
            return key.prefix, secret
        prefix, secret = in_session(action)
        typer.echo(f"created key {prefix} for {email} (store it now; it is not shown again)")
        typer.echo(secret)

    @keys_app.command("revoke")
    def keys_revoke(prefix: str) -> None:
        """Revoke a key by its prefix (the first 12 characters)."""
        in_session(lambda s: keys.revoke_key(s, prefix))
        typer.echo(f"revoked {prefix}")

    @credits_app.command("grant")
    def credits_grant(
        email: str, amount: Annotated[int, typer.Argument(metavar="CREDITS")],
        amount_cents: Annotated[int, typer.Option(help="What was paid, in cents")] = 0,
        method: Annotated[str, typer.Option(help="payment_method")] = "manual",
        payment_id: Annotated[str | None, typer.Option(help="payment_id")] = None,
        billing_email: Annotated[str | None, typer.Option(help="billing_email")] = None,
    ) -> None:
        """Record a completed purchase: a transaction plus its ledger credit."""
        grant = credits.Grant(amount, amount_cents, method, payment_id, billing_email)
        balance = in_session(lambda s: _grant(s, email, grant))
        typer.echo(f"granted {amount} credits to {email}; balance {balance}")

    # ignore_unknown_options lets a negative DELTA such as -30 through as an argument.
    @credits_app.command("adjust", context_settings={"ignore_unknown_options": True})
    def credits_adjust(email: str, delta: int, reason: Annotated[str, typer.Option(help="Why")]) -> None:
        """Add (or, negative, remove) credits in the ledger only."""
        def action(s: Session) -> int:
            user_id = users.require_user(s, email).id
            credits.adjust(s, user_id, delta, reason)
            return credits.balance(s, user_id)
        typer.echo(f"adjusted {email} by {delta}; balance {in_session(action)}")


def _grant(session: Session, email: str, grant: credits.Grant) -> int:
    user_id = users.require_user(session, email).id
    credits.grant(session, user_id, grant)
    return credits.balance(session, user_id)


def _attach_account_commands(users_app: typer.Typer, in_session: InSession) -> None:
    @users_app.command("set-password")
    def users_set_password(
        email: str,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
    ) -> None:
        """Set (or reset) a user's dashboard password; signs out their browsers."""
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        in_session(lambda s: accounts.set_password(s, email, password))
        typer.echo(f"password set for {email.strip().lower()}")

    @users_app.command("delete")
    def users_delete(
        email: str, yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    ) -> None:
        """Delete an account: files removed, keys revoked; ledger and transactions kept, anonymised."""
        if not yes:
            typer.confirm(f"Delete {email} and every file of theirs?", abort=True)
        user_id = in_session(lambda s: users.require_user(s, email).id)
        storage = create_storage(Settings())
        in_session(lambda s: accounts.delete_account(s, storage, user_id))
        typer.echo(f"deleted {email.strip().lower()} (user {user_id}); ledger and transactions kept, anonymised")
