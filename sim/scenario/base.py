"""Common base for scenario sections: strict, immutable pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A scenario section: unknown keys are rejected and values are frozen after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
