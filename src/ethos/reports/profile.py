"""Stage-1 profile renderers: JSON (the CLI contract) and a readable table."""

from __future__ import annotations

import unicodedata
from typing import Any

from ethos.domain.profile import Profile
from ethos.domain.projects import Project, Role
from ethos.domain.questionnaire import Questionnaire
from ethos.reports.labels import label
from ethos.reports.templating import num

__all__ = ["profile_json", "profile_table"]


def profile_json(project: Project, profile: Profile) -> dict[str, Any]:
    """The profile as the CLI's JSON contract describes it, with per-item detail added."""
    return {
        "project": project.id,
        "project_name": project.name,
        "project_type": project.type.value,
        "questionnaire_id": profile.questionnaire_id,
        "questionnaire_version": profile.questionnaire_version,
        "dimensions": {
            dim: {
                "mean": stats.mean,
                "min": stats.min,
                "max": stats.max,
                "by_role": {role.value: mean for role, mean in stats.by_role.items()},
                "answers": stats.answers,
            }
            for dim, stats in profile.dimensions.items()
        },
        "items": {
            item: {
                "dimension": stats.dimension,
                "scores": {str(member): score for member, score in stats.scores.items()},
                "spread": stats.spread,
                "score": stats.score,
                "consensus": stats.consensus,
            }
            for item, stats in profile.items.items()
        },
        "discuss": profile.discuss,
        "consensus": dict(profile.consensus),
        "awaiting_consensus": profile.awaiting_consensus,
        "missing_roles": [r.value for r in profile.missing_roles],
        "unanswered": {role.value: items for role, items in profile.unanswered.items()},
        "stage1_complete": profile.stage1_complete,
        "stage1_closed": project.stage1_closed_at is not None,
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def profile_table(
    project: Project, questionnaire: Questionnaire, profile: Profile, *, lang: str = "en"
) -> str:
    """A plain-text table for people reading a terminal, in Korean or English."""
    header = [label("dimension", lang), label("mean", lang), label("min", lang), label("max", lang)]
    header += [label(role.value, lang) for role in Role]
    rows = [header]
    for dim in questionnaire.dimensions:
        stats = profile.dimensions[dim.id]
        row = [dim.title.get(lang), num(stats.mean), num(stats.min), num(stats.max)]
        row += [num(stats.by_role.get(role)) for role in Role]
        rows.append(row)
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{label('project', lang)}: {project.name} ({project.type.value}) · "
        f"{label('questionnaire', lang)} {questionnaire.id} {label('version', lang)} "
        f"{questionnaire.version}",
        f"({label('scale_note', lang)})",
        "",
    ]
    for i, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[n]) for n, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", label("discuss", lang) + ":"]
    if not profile.discuss:
        lines.append(f"  {label('none', lang)}")
    for item_id in profile.discuss:
        values = sorted(profile.items[item_id].scores.values())
        agreed = profile.consensus.get(item_id)
        state = (
            f"{label('consensus', lang)} {agreed}"
            if agreed is not None
            else label("no_consensus", lang)
        )
        text = questionnaire.item(item_id).text.get(lang)
        lines.append(f"  {item_id} [{values[0]}..{values[-1]}] {state}: {text}")
    status = "complete" if profile.stage1_complete else "incomplete"
    closed = f", {label('closed', lang)}" if project.stage1_closed_at else ""
    lines += ["", f"{label('stage1', lang)}: {label(status, lang)}{closed}"]
    if profile.missing_roles:
        roles = ", ".join(label(r.value, lang) for r in profile.missing_roles)
        lines.append(f"  {label('missing_role', lang)}: {roles}")
    for role, items in profile.unanswered.items():
        if items:
            lines.append(f"  {label('unanswered', lang)} ({label(role.value, lang)}): {len(items)}")
    return "\n".join(lines) + "\n"
