"""Site kinds and the column contracts of the region layers."""

SITE_KINDS: tuple[str, ...] = (
    "blood_center",
    "blood_station",
    "county_blood_bank",
    "lab",
    "donation_house",
    "hospital",
    "rail_station",
    "drone_port",
)

#: Kinds that supply hospitals and donation houses (``station_id`` points at one of these).
STATION_KINDS: tuple[str, ...] = ("blood_center", "blood_station")

#: A county blood bank (县中心血库) holds stock for the hospitals of its county and is supplied
#: by its city's station (``station_id``); it neither collects nor tests.
COUNTY_BANK_KIND = "county_blood_bank"

HOSPITAL_TIERS: tuple[str, ...] = ("tertiary", "secondary", "county")

#: Columns a sites file must have; everything else is optional.
SITE_REQUIRED: tuple[str, ...] = ("site_id", "kind", "name", "geometry")

#: Optional site columns, filled with None when a user's file lacks them.
SITE_OPTIONAL: tuple[str, ...] = (
    "city",
    "county",
    "tier",
    "beds",
    "station_id",
    "lab_id",
    "host_site_id",
    "synthetic",
    "island",
)

SITE_COLUMNS: tuple[str, ...] = SITE_REQUIRED[:3] + SITE_OPTIONAL + ("geometry",)

RAIL_COLUMNS: tuple[str, ...] = ("line_id", "from_site", "to_site", "minutes", "geometry")

NO_FLY_COLUMNS: tuple[str, ...] = ("zone_id", "name", "reason", "geometry")
