"""Flask side of the accounts: login, logout, the admin page and who the current viewer is.

``install(server)`` on the Dash app's Flask server; then ``current_role()`` answers in any
request, including Dash's ``/_dash-update-component``. Outside a request (a background callback
on a worker, a script) it answers ``Role.public``: read the role in the request and pass it on.
No Dash import here.
"""

from accounts.web.extension import Accounts, install
from accounts.web.identity import current_role, current_user, current_username

__all__ = ["Accounts", "current_role", "current_user", "current_username", "install"]
