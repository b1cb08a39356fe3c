"""What the project page shows of a project's records, kept per state of those records."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from ethos.domain.findings import Finding
from ethos.services.context import ServiceContext
from ethos.services.read_models import project_state, read_models
from ethos.services.stage1 import ProfileView, load_profile, questionnaire_unchanged
from ethos.store.unit_of_work import UnitOfWork

__all__ = ["ProjectOverview", "project_overview"]


@dataclass(frozen=True, slots=True)
class ProjectOverview:
    """The stage-1 profile, the findings and who holds which seat (member id to username).

    Shared between requests while the project's records do not change: read-only, but for
    ``derived``, where a presentation layer may keep what it makes from this overview alone
    (the web app's rendered project page, per language and rights): it lives and goes with
    the overview, so it is never older than the records.
    """

    view: ProfileView
    findings: list[Finding]
    holders: Mapping[int, str]
    derived: dict[Hashable, object] = field(default_factory=dict, compare=False, repr=False)


def _compute(ctx: ServiceContext, uow: UnitOfWork, project_id: int) -> ProjectOverview:
    view = load_profile(ctx, uow, project_id)
    links = uow.memberships.of_project(view.project.id)
    accounts = {m: uow.accounts.get(u) for m, u in links.items()}
    holders = {m: a.username for m, a in accounts.items() if a is not None}
    return ProjectOverview(view, uow.findings.of_project(view.project.id), holders)


def project_overview(ctx: ServiceContext, project_id: int) -> ProjectOverview:
    """Profile, findings and seat holders of project ``project_id``.

    Kept per state of the project's records (:mod:`ethos.services.read_models`): every
    change to its task force, answers, consensus, findings or seats appends an event about
    ``project:<id>``; accounts are never deleted and usernames never change.
    """
    with ctx.store.unit_of_work() as uow:
        state = project_state(uow, project_id)  # first: the model is as new as the key
        if state is None:
            return _compute(ctx, uow, project_id)
        key = ("project_overview", state, project_id, ctx.questionnaires.root)
        overview = read_models(ctx.store).get_or_compute(
            key, lambda: _compute(ctx, uow, project_id)
        )
        if not questionnaire_unchanged(ctx, overview.view):
            return _compute(ctx, uow, project_id)
        return overview
