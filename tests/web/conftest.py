"""Fixtures for the web app: a seeded database, signed-in browsers and API clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import profiles
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ethos.services import accounts, projects
from ethos.services.context import ServiceContext
from ethos.store.unit_of_work import Store
from ethos.web.app import create_app
from ethos.web.settings import WebSettings

PASSWORD = "correct horse battery"
PEOPLE = {
    # username: (role, project key, task-force role)
    "admin": ("admin", None, None),
    "auditor": ("auditor", None, None),
    "alice": ("user", "care", "technical"),
    "bob": ("user", "care", "business"),
    "carol": ("user", "care", "ethics"),
    "dave": ("user", "lab", "technical"),
}


@pytest.fixture(autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    accounts.use_password_parameters(profiles.CHEAPEST)
    yield
    accounts.use_password_parameters(profiles.RFC_9106_LOW_MEMORY)


@dataclass
class World:
    url: str
    data_dir: Path
    store: Store
    ctx: ServiceContext
    projects: dict[str, int]
    members: dict[str, int]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path) -> Iterator[World]:
    """Two projects; alice, bob and carol on the first, dave on the second."""
    store = Store.open(sqlite_url)
    ctx = ServiceContext(store=store, actor="setup", evidence_dir=tmp_path / "evidence")
    ids = {
        "care": projects.create_project(
            ctx, name="Care bot", type="product_development", purpose="Answers customers."
        ).id,
        "lab": projects.create_project(ctx, name="Lab study", type="basic_research").id,
    }
    members = {}
    for username, (role, project, seat) in PEOPLE.items():
        accounts.create_user(
            ctx, username=username, display_name=username.title(), role=role, password=PASSWORD
        )
        if project and seat:
            member = projects.add_member(ctx, ids[project], name=username.title(), role=seat)
            accounts.link_member(ctx, ids[project], member.id, username)
            members[username] = member.id
    yield World(sqlite_url, tmp_path, store, ctx, ids, members)
    store.dispose()


@pytest.fixture
def app(world: World) -> FastAPI:
    settings = WebSettings(
        database_url=world.url,
        data_dir=world.data_dir,
        evidence_dir=world.data_dir / "evidence",
        secret_key="test-secret-key-" + "x" * 32,
    )
    return create_app(settings)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Browser:
    """A TestClient that signs in with the login form and posts forms with the CSRF token."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, follow_redirects=False)
        self.csrf = ""

    def login(self, username: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.client.get("/").text)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=form, **kwargs)


@pytest.fixture
def browser(app: FastAPI) -> Callable[[str | None], Browser]:
    def make(username: str | None = None) -> Browser:
        made = Browser(app)
        if username:
            assert made.login(username).status_code == 303
        return made

    return make


@pytest.fixture
def api(app: FastAPI, world: World) -> Callable[[str | None], TestClient]:
    """A client holding ``username``'s API token (none for ``None``)."""

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        if username:
            token, _ = accounts.issue_token(world.ctx, username, name="tests")
            client.headers["Authorization"] = f"Bearer {token}"
        return client

    return make
