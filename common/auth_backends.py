"""Authentication backend with the django-axes lockout check.

django-axes refuses ``authenticate()`` without a request. Every login over HTTP (the login page,
the admin) passes one and is counted; calls without a request (management commands, tests) have
no client address to lock out, so this backend steps aside and the next backend checks the
password as usual.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
