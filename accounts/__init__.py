"""Accounts, roles and the audit log of the dashboard (plain Flask + SQLAlchemy, no Dash).

The dashboard is public by default; cluster members log in to see exact figures. This package
owns who is logged in and with which :class:`~accounts.roles.Role`, so the publishing gate can
ask one question (:func:`accounts.web.current_role`) on every callback and download.
"""

from accounts.roles import Role

__all__ = ["Role"]
