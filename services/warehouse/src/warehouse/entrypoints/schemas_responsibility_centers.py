"""Request and response bodies of responsibility centers."""

from pydantic import BaseModel, ConfigDict, Field

_CODE = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9_.\-/]+$")


class ResponsibilityCenterChange(BaseModel):
    """The fields of a center's card that change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    address: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=30)
    post_code: str | None = Field(default=None, max_length=20)
    country_region_code: str | None = Field(default=None, max_length=10)
    contact: str | None = Field(default=None, max_length=100)
    phone_no: str | None = Field(default=None, max_length=30)


class ResponsibilityCenterIn(BaseModel):
    """A responsibility center: a profit or cost center, a sales office or a branch that owns locations and the
    documents posted from them."""

    model_config = ConfigDict(extra="forbid")

    code: str = _CODE
    name: str = Field(min_length=1, max_length=100)
    address: str = Field(default="", max_length=100)
    city: str = Field(default="", max_length=30)
    post_code: str = Field(default="", max_length=20)
    country_region_code: str = Field(default="", max_length=10)
    contact: str = Field(default="", max_length=100)
    phone_no: str = Field(default="", max_length=30)


class ResponsibilityCenterOut(BaseModel):
    code: str
    name: str
    address: str
    city: str
    post_code: str
    country_region_code: str
    contact: str
    phone_no: str


class ResponsibilityCenterPage(BaseModel):
    responsibility_centers: list[ResponsibilityCenterOut]
    next_cursor: str | None = None


class LocationCenterIn(BaseModel):
    """The center a location belongs to; blank for none."""

    model_config = ConfigDict(extra="forbid")

    responsibility_center: str = Field(max_length=10)
