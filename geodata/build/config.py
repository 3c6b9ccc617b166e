"""The shape of a province's build configuration (one config module per province)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class City:
    """A prefecture-level city and its central blood station.

    Attributes
    ----------
    name : str
        English name (facts.md section 7).
    cn : str
        Chinese name as in the boundary data (e.g. ``"杭州市"``).
    lat, lon : float
        City-centre coordinates, degrees (facts.md section 7).
    population_m : float
        Resident population, millions.
    """

    name: str
    cn: str
    lat: float
    lon: float
    population_m: float

    @property
    def key(self) -> str:
        """Lower-case id fragment, e.g. ``"hangzhou"``."""
        return self.name.lower()


@dataclass(frozen=True)
class PlacedSite:
    """A real site with a fixed position (blood centre, rail station).

    ``cited`` is True when the position comes from a cited fact, False for an estimate.
    """

    site_id: str
    name: str
    city: str
    lat: float
    lon: float
    cited: bool


@dataclass(frozen=True)
class RailSegment:
    """A rail link between two rail stations; ``minutes`` is the fastest ride time, min."""

    from_site: str
    to_site: str
    minutes: float
    verified: bool


@dataclass(frozen=True)
class Airport:
    """A commercial airport; a no-fly circle is drawn around it."""

    zone_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class HospitalPlan:
    """How many synthetic hospitals of each tier, and their bed ranges.

    Attributes
    ----------
    tertiary_per_million : float
        Tertiary hospitals per million residents of a city, placed around the city centre.
    min_tertiary : int
        At least this many tertiary hospitals per city.
    secondary_total : int
        Secondary hospitals in the province, shared among counties by population weight.
    county_per_seat : int
        County-tier hospitals at each county seat (counties and county-level cities only).
    beds : dict
        Tier -> (low, high) inpatient beds.
    min_tertiary_by_city : dict
        City -> minimum tertiary hospitals, overriding ``min_tertiary`` (e.g. 0 for a small
        forestry district).
    """

    tertiary_per_million: float
    min_tertiary: int
    secondary_total: int
    county_per_seat: int
    beds: dict[str, tuple[int, int]]
    min_tertiary_by_city: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CountyBankPlan:
    """Which counties get a county blood bank (中心血库), each at its county's People's Hospital.

    The ``named`` counties come first; the rest of ``total`` goes to the other counties whose
    host hospital is farthest in straight line from its city station (the regulation's
    distance criterion; see SOURCES.md).

    Attributes
    ----------
    total : int
        County blood banks in the province (number of sites).
    named : tuple of str
        Counties (Chinese names as in the boundary data, e.g. ``"义乌市"``) that get a bank
        whatever their distance.
    ids : dict
        County -> id fragment of its bank (``cbb_<fragment>``); every chosen county needs one.
    host_name : str
        Name ending of the host hospital among a county seat's county-tier hospitals.
    """

    total: int
    named: tuple[str, ...]
    ids: dict[str, str]
    host_name: str = "People's Hospital"


@dataclass(frozen=True)
class ProvinceConfig:
    """Everything province-specific that the generic build needs.

    Optional fields (defaults keep the one-station-per-city layout of Zhejiang):

    ``served_by`` maps a city without its own blood station to the city whose station (or
    centre) supplies it. ``labs_cited`` is False when the NAT lab sites are an assumption
    (written with ``synthetic=True``). ``donation_houses_by_city`` fixes the number of
    donation houses of some cities (from a cited fact); the rest of ``donation_houses`` is
    shared among the other cities by population. ``seat_geonameids`` names, for counties
    where the GeoNames rules pick a wrong town, the GeoNames place (by ``geonameid``) that is
    the county seat. ``county_banks`` (None: no county banks) says which counties get a
    county blood bank.
    """

    name: str
    cn: str
    seed: int
    center: PlacedSite
    cities: tuple[City, ...]
    lab_cities: tuple[str, ...]
    rail_stations: tuple[PlacedSite, ...]
    rail_segments: tuple[RailSegment, ...]
    airports: tuple[Airport, ...]
    hospitals: HospitalPlan
    donation_houses: int
    donation_beds: tuple[int, int]
    named_donation_houses: dict[str, tuple[str, str]] = field(default_factory=dict)
    no_fly_radius_km: float = 5.0
    drone_radius_km: float = 20.0
    drone_radius_by_city: dict[str, float] = field(default_factory=dict)
    district_weight: float = 1.5
    bridged_island_points: tuple[tuple[float, float], ...] = ()
    outline_tolerance_deg: float = 0.002
    min_island_area_deg2: float = 1e-4
    road: dict = field(default_factory=dict)
    served_by: dict[str, str] = field(default_factory=dict)
    labs_cited: bool = True
    donation_houses_by_city: dict[str, int] = field(default_factory=dict)
    seat_geonameids: dict[str, int] = field(default_factory=dict)
    county_banks: CountyBankPlan | None = None

    def city(self, name: str) -> City:
        """The city called ``name``."""
        return next(c for c in self.cities if c.name == name)
