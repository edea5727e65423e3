"""`GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape, beside /v1/chat/completions.

Chat front ends that speak the OpenAI protocol (Open WebUI, LibreChat, the `openai` client's
`models.list()`) list the models before anything else; without these routes they cannot connect.
The service has one model, the library itself; /v1/chat/completions answers whatever model name it
is sent. Both responses carry the disclaimer, like every other response.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import prompts
from qa_service.models import ErrorResponse, WithDisclaimer

MODEL_ID = "alike-wisdom"
# When this model (the extractive answerer over the library) first shipped: a fixed date, so that
# the listing is the same on every worker and after every restart. 2026-11-01T00:00:00Z.
MODEL_CREATED = 1_793_491_200


class OpenAIModel(BaseModel):
    """A model in OpenAI's shape: its id, when it was made available and its owner."""

    id: str
    object: Literal["model"] = "model"
    created: int = Field(description="Unix time the model was made available.")
    owned_by: str


class ModelCard(OpenAIModel, WithDisclaimer):
    """One model, as `GET /v1/models/{id}` returns it."""


class ModelList(WithDisclaimer):
    """The response to `GET /v1/models`: the one model, in OpenAI's list shape."""

    object: Literal["list"] = "list"
    data: list[OpenAIModel]


def _model() -> OpenAIModel:
    return OpenAIModel(id=MODEL_ID, created=MODEL_CREATED, owned_by="alike-wisdom")


router = APIRouter(tags=["compatibility"])


@router.get("/v1/models", response_model=ModelList)
def list_models() -> ModelList:
    """The models /v1/chat/completions offers (one: the library), as OpenAI lists them."""
    return ModelList(data=[_model()])


@router.get("/v1/models/{model_id}", response_model=ModelCard, responses={404: {"model": ErrorResponse}})
def get_model(model_id: str) -> Any:
    """The one model, as OpenAI returns a model; 404 for any other id."""
    if model_id != MODEL_ID:
        error = ErrorResponse(
            error="not_found",
            message=prompts.message("errors.not_found", what=f"Model {model_id!r}")
            + f" The only model is {MODEL_ID!r}.",
        )
        return JSONResponse(error.model_dump(), status_code=404)
    return ModelCard(**_model().model_dump())
