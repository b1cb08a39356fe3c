"""What the card says about a project beyond the assessment: users, data, performance."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DatasetRef", "ModelRef", "PerformanceFigure", "ProjectDescription"]

Text = Annotated[str, Field(min_length=1, max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DatasetRef(_Model):
    name: Text
    version: Text
    licence: str = ""
    description: str = ""


class ModelRef(_Model):
    name: Text
    version: Text


class PerformanceFigure(_Model):
    metric: Text
    value: float
    dataset: Text
    subgroup: str = ""
    note: str = ""


class ProjectDescription(_Model):
    """Recorded with ``ethos project describe PROJECT --file F``; every field optional."""

    intended_use: str = ""
    end_users: list[Text] = Field(default_factory=list)
    stakeholders: list[Text] = Field(default_factory=list)
    out_of_scope_uses: list[Text] = Field(default_factory=list)
    model: ModelRef | None = None
    training_data: list[DatasetRef] = Field(default_factory=list)
    performance: list[PerformanceFigure] = Field(default_factory=list)
    limitations: list[Text] = Field(default_factory=list)
    vulnerabilities: list[Text] = Field(default_factory=list)

    def versions(self) -> dict[str, str]:
        """Model and dataset versions, to flag re-assessment when one changes."""
        found = {f"dataset:{d.name}": d.version for d in self.training_data}
        if self.model is not None:
            found[f"model:{self.model.name}"] = self.model.version
        return found
