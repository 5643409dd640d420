"""Bearer-token authentication of the API, and the tenant scope of the token's owner.

The request transaction middleware has set the PostgreSQL row-level-security scope from the
session user (for an API call normally nobody: no rows). After the token is checked, the scope
is set to the token owner's centre inside the same transaction, so RLS and the selectors agree.
Session cookies never authenticate the API.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from vern.accounts.models import User
from vern.api.services import api_token_authenticate
from vern.centres.tenancy import set_request_scope


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token.strip())
        if user is None:
            return None
        set_request_scope(user)
        return user


def token_user(request: HttpRequest) -> User:
    """The authenticated owner of the request's token (every operation requires one)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - ninja never calls without auth
        raise AuthenticationError
    return user
