"""The models shipped with Ethos, by name, with the licence of each weights file.

``default`` is the one :meth:`ToxicityScorer.default` loads unless told otherwise. Any
other must be chosen by name, because its licence puts duties on whoever passes the file
on (see ``docs/sources.md``); each file's header states its own licence and sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UnknownModelError

__all__ = ["DEFAULT_MODEL", "SHIPPED_MODELS", "ShippedModel", "shipped_model"]


@dataclass(frozen=True, slots=True)
class ShippedModel:
    """One model file of the package.

    Attributes
    ----------
    name : str
        The name users choose it by.
    file : str
        The file name next to this module.
    licence : str
        SPDX identifier of the weights' licence.
    trained_on : str
        The training sets, in a few words.
    """

    name: str
    file: str
    licence: str
    trained_on: str


DEFAULT_MODEL = "default"
SHIPPED_MODELS: dict[str, ShippedModel] = {
    model.name: model
    for model in (
        ShippedModel(
            name=DEFAULT_MODEL,
            file="model.tsv.gz",
            licence="Apache-2.0",
            trained_on="MIT-licensed sets only: Korean curse detection, Davidson tweets",
        ),
        ShippedModel(
            name="sharealike",
            file="model-sharealike.tsv.gz",
            licence="CC-BY-SA-4.0",
            trained_on="the default model's sets plus BEEP! train (CC BY-SA 4.0)",
        ),
    )
}


def shipped_model(name: str) -> ShippedModel:
    """The shipped model called ``name``.

    Raises
    ------
    UnknownModelError
        When no shipped model has that name; the message lists the names there are.
    """
    model = SHIPPED_MODELS.get(name) if isinstance(name, str) else None
    if model is None:
        names = ", ".join(SHIPPED_MODELS)
        raise UnknownModelError(
            f"unknown toxicity model {name!r}; shipped models: {names}",
            ko=f"알 수 없는 유해성 모델 {name!r}입니다. 제공되는 모델: {names}",
        )
    return model
