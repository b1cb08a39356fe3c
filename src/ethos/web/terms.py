"""English names of the values people see (types, stages, roles, statuses...).

They are gettext message ids: templates show ``_(term(value))``. ``N_`` only marks them
for extraction (``pybabel extract -k N_``).
"""

from __future__ import annotations

__all__ = ["term"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    return message


_TERMS = {
    # project types
    "basic_research": N_("Basic research"),
    "applied_research": N_("Applied research"),
    "product_development": N_("Product development"),
    # lifecycle stages
    "planning": N_("Planning"),
    "development": N_("Development"),
    "validation": N_("Validation"),
    "release": N_("Release"),
    "retired": N_("Retired"),
    # task-force roles and account roles
    "technical": N_("Technical"),
    "business": N_("Business"),
    "ethics": N_("Ethics"),
    "admin": N_("Administrator"),
    "auditor": N_("Auditor"),
    "user": N_("Task-force member"),
    # finding statuses and sources
    "open": N_("Open"),
    "resolved": N_("Resolved"),
    "verified": N_("Verified"),
    "accepted": N_("Accepted"),
    "withdrawn": N_("Withdrawn"),
    "derived": N_("Derived"),
    "manual": N_("Manual"),
    "obligation": N_("Legal obligation"),
    "classification": N_("Classification incomplete"),
    # finding categories
    "data_copyright": N_("Data: copyright"),
    "data_sensitive": N_("Data: sensitive content"),
    "data_representativeness": N_("Data: representativeness"),
    "privacy": N_("Privacy"),
    "fairness": N_("Fairness"),
    "harmful_content": N_("Harmful content"),
    "security_misuse": N_("Security and misuse"),
    "transparency": N_("Transparency"),
    "oversight_accountability": N_("Oversight and accountability"),
    "societal_environmental": N_("Societal and environmental"),
    "legal": N_("Legal"),
    # ethics-office records: kinds of body, red-team methods, education, partners, policy
    "committee": N_("Committee"),
    "office": N_("Office"),
    "council": N_("Council"),
    "working_group": N_("Working group"),
    "automated": N_("Automated"),
    "crowd": N_("Crowd"),
    "external": N_("External"),
    "mixed": N_("Mixed"),
    "seminar": N_("Seminar"),
    "course": N_("Course"),
    "workshop": N_("Workshop"),
    "campaign": N_("Campaign"),
    "all_staff": N_("All staff"),
    "researchers": N_("Researchers"),
    "engineers": N_("Engineers"),
    "executives": N_("Executives"),
    "ethics_reviewers": N_("Ethics reviewers"),
    "academia": N_("Academia"),
    "industry": N_("Industry"),
    "government": N_("Government"),
    "civil_society": N_("Civil society"),
    "international_body": N_("International body"),
    "watching": N_("Watching"),
    "assessed": N_("Assessed"),
    "acted_on": N_("Acted on"),
}


def term(value: object) -> str:
    """The English name of ``value`` (an enum or its text); the value itself if unknown."""
    text = str(getattr(value, "value", value))
    return _TERMS.get(text, text)
