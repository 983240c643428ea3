"""Command line for administrators on the server: ``python -m accounts users add NAME ...``.

Exit status 0 on success, 2 with a one-line reason on bad input (unknown role or user, existing
user, short or mismatched password), 1 when the database cannot be reached. Changes are audited
as made by "cli".
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from accounts import audit
from accounts.db import Database, database_from_env
from accounts.passwords import PasswordPolicyError, check_policy
from accounts.roles import Role
from accounts.users import AccountError, UserStore

CLI_ACTOR = "cli"


class UsageError(Exception):
    """Bad input: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line (no usage dump) so scripts can log them."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _role(value: str) -> Role:
    try:
        return Role.parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m accounts", description="Dashboard accounts and audit log.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    users = commands.add_parser("users", help="manage user accounts")
    user_commands = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    add = user_commands.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--role", type=_role, default=Role.member, help="member, imo or admin")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first stdin line"
    )
    set_role = user_commands.add_parser("set-role", help="change a user's role")
    set_role.add_argument("name")
    set_role.add_argument("role", type=_role)
    disable = user_commands.add_parser("disable", help="disable a user (ends their sessions)")
    disable.add_argument("name")
    enable = user_commands.add_parser("enable", help="re-enable a disabled user")
    enable.add_argument("name")
    user_commands.add_parser("list", help="list users")

    log = commands.add_parser("audit", help="show the latest audit events")
    log.add_argument("--limit", type=int, default=50)
    return parser


def _read_password(from_stdin: bool, stdin: TextIO, prompt: Callable[[str], str]) -> str:
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    first = prompt("Password: ")
    if first != prompt("Repeat password: "):
        raise UsageError("the two passwords differ")
    return first


def run(
    argv: Sequence[str] | None = None,
    *,
    database: Database | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one command; raises :class:`UsageError` or :class:`AccountError` on bad input."""
    out = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    if args.command == "audit":
        if args.limit < 1:
            raise UsageError("--limit must be at least 1")
        db = database or database_from_env()
        for event in audit.latest(db, args.limit):
            detail = event.detail if isinstance(event.detail, str) else json.dumps(event.detail)
            print(
                f"{event.at:%Y-%m-%d %H:%M:%S}Z\t{event.action}\t{event.username or '-'}\t"
                f"{event.remote_addr or '-'}\t{detail}",
                file=out,
            )
        return 0

    store = UserStore(database or database_from_env())
    if args.users_command == "add":
        if args.role is Role.public:
            raise UsageError("a user cannot have the role 'public'")
        if store.get(args.name) is not None:  # before asking for a password
            raise AccountError(f"user {args.name.strip().lower()!r} already exists")
        password = _read_password(args.password_stdin, stdin or sys.stdin, prompt)
        check_policy(password)
        user = store.add(args.name, password, args.role, actor=CLI_ACTOR)
        print(f"created {user.username} ({user.role.value})", file=out)
    elif args.users_command == "set-role":
        user = store.set_role(args.name, args.role, actor=CLI_ACTOR)
        print(f"{user.username} is now {user.role.value}", file=out)
    elif args.users_command in ("disable", "enable"):
        user = store.set_active(args.name, args.users_command == "enable", actor=CLI_ACTOR)
        print(f"{user.username} is {'active' if user.active else 'disabled'}", file=out)
    else:
        for user in store.list():
            last = f"{user.last_login:%Y-%m-%d %H:%M}Z" if user.last_login else "never"
            status = "active" if user.active else "disabled"
            print(f"{user.username}\t{user.role.value}\t{status}\tlast login {last}", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: exit status 2 and one line on stderr for bad input."""
    try:
        return run(argv)
    except (UsageError, AccountError, PasswordPolicyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, EOFError):
        print("error: cancelled", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        reason = str(error.orig if isinstance(error, DBAPIError) else error).splitlines()[0]
        print(f"error: database unavailable: {reason}", file=sys.stderr)
        return 1
