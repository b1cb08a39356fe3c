from __future__ import annotations

import pytest

from ethos.domain.errors import InvalidInputError
from ethos.domain.projects import ProjectType, Role, missing_roles, parse_enum
from tests.factories import make_member


def test_parse_enum_names_the_field_and_the_allowed_values() -> None:
    assert (
        parse_enum(ProjectType, "applied_research", field="--type") is ProjectType.APPLIED_RESEARCH
    )
    with pytest.raises(
        InvalidInputError, match=r"--role: 'lawyer' is not one of: technical, business, ethics"
    ):
        parse_enum(Role, "lawyer", field="--role")


def test_missing_roles_in_canonical_order() -> None:
    assert missing_roles([]) == [Role.TECHNICAL, Role.BUSINESS, Role.ETHICS]
    assert missing_roles([make_member(1, "ethics"), make_member(2, "technical")]) == [Role.BUSINESS]
