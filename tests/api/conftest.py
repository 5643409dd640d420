"""Fixtures for the API tests (issue 8): tokens per staff member and a small JSON client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.api.services import api_token_create
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre


@dataclass
class Api:
    """Calls /api/v1 with a bearer token, never with a session."""

    client: Client
    token: str | None

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(
        self,
        path: str,
        body: object = None,
        headers: dict[str, str] | None = None,
        *,
        raw: str | None = None,
    ) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path: str, body: object = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.put(
            f"/api/v1{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(headers),
        )


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploads (the signed consent form) go to a fresh directory per test."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    return media


def png_bytes() -> bytes:
    """A small real PNG image, as a scanned signed form might be."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def upload(api: Api, path: str, content: bytes, name: str = "skjema.png") -> Any:
    """POST one file as the part ``signed_file`` (multipart/form-data), with the token."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.client.post(
        f"/api/v1{path}",
        {"signed_file": SimpleUploadedFile(name, content, content_type="image/png")},
        headers=api._headers(None),
    )


def token_for(user: User, days: int = 30) -> str:
    return api_token_create(acting_user=user, name="Test", days=days).raw


@pytest.fixture
def ansatt_api(ansatt: User) -> Api:
    return Api(Client(), token_for(ansatt))


@pytest.fixture
def leder_api(leder: User) -> Api:
    return Api(Client(), token_for(leder))


@pytest.fixture
def admin_api(administrator: User) -> Api:
    return Api(Client(), token_for(administrator))


@pytest.fixture
def anonymous_api(db: None) -> Api:
    return Api(Client(), None)


@pytest.fixture
def other_ansatt(other_centre: Centre) -> User:
    return make_user(Role.ANSATT, other_centre)


@pytest.fixture
def other_api(other_ansatt: User) -> Api:
    return Api(Client(), token_for(other_ansatt))


@pytest.fixture
def case(ansatt: User) -> Case:
    return case_services.case_create(acting_user=ansatt, reference="API-1")


@pytest.fixture
def other_case(other_ansatt: User) -> Case:
    return case_services.case_create(acting_user=other_ansatt, reference="ANNEN-1")


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "field", "message"}, body
    return dict(body["error"])
