"""Property-based run of the OpenAPI schema (schemathesis): whatever comes in, no 5xx.

Each operation gets a bounded number of generated requests, sent with an admin's token
(who may do the most) against a seeded database.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings

from ethos.services import accounts
from tests.conftest import IN_CI
from tests.web.conftest import World

schemathesis = (
    pytest.importorskip("schemathesis") if not IN_CI else __import__("schemathesis.openapi")
)

MAX_EXAMPLES = 5


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_no_generated_request_makes_the_api_fail(app: FastAPI, world: World) -> None:
    token, _ = accounts.issue_token(world.ctx, "admin", name="fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    seen: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            seen.append(f"{case.method} {case.path} {response.status_code}")
            # Bytes, not text: a card may come back as a PDF.
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: "
                f"{response.content[:300]!r}"
            )
            assert b"Traceback" not in response.content

        no_server_error()
    assert len(seen) >= len(operations)
