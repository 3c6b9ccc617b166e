"""Shanghai facts for the build: ``python -m geodata.build.build_region shanghai``.

Sources: /work/shared/reference/facts.md, seeds.md (Shanghai, file 002) and pages found with
the project's search tool (addresses below); geodata/SOURCES.md (section "Shanghai") says what
is real and what is synthetic. Coordinates are (lat, lon) degrees; estimates say so.
"""

from pathlib import Path

from geodata.build import municipality
from geodata.build.config import Airport, City, HospitalPlan, PlacedSite, ProvinceConfig
from geodata.build.config import RailSegment as Rail
from geodata.build.municipality import District, MunicipalityPlan

# The 16 districts of the boundary data; residents from the 7th national census (2020),
# millions (general knowledge, UNVERIFIED; total 24.87 M, the census total for Shanghai).
DISTRICTS = (
    District("黄浦区", "Huangpu", 0.662),
    District("徐汇区", "Xuhui", 1.113),
    District("长宁区", "Changning", 0.693),
    District("静安区", "Jing'an", 0.976),
    District("普陀区", "Putuo", 1.240),
    District("虹口区", "Hongkou", 0.758),
    District("杨浦区", "Yangpu", 1.243),
    District("闵行区", "Minhang", 2.654),
    District("宝山区", "Baoshan", 2.235),
    District("嘉定区", "Jiading", 1.834),
    District("浦东新区", "Pudong", 5.681),
    District("金山区", "Jinshan", 0.823),
    District("松江区", "Songjiang", 1.910),
    District("青浦区", "Qingpu", 1.272),
    District("奉贤区", "Fengxian", 1.141),
    District("崇明区", "Chongming", 0.637),
)

# Shanghai Blood Center, 1191 Hongqiao Road, Changning (general knowledge); the position is
# an estimate for that address (+-1.5 km). Its central lab tests every sample of the city
# (facts.md line ~119, china.org.cn 2008-10-01 [V]).
CENTER = PlacedSite("bc_shanghai", "Shanghai Blood Center", "Shanghai", 31.1990, 121.4130, False)

# "All eight blood-collection centers in rural areas" send samples to the central lab and hold
# the units meanwhile (facts.md line ~119 [V]): eight branch stations. Which districts is not
# published there; Jinshan's (cnfsw.cn/jryw/97776.html) and Chongming's (jp.eastday.com
# 2009-09-30) stations are named in news; the other six are the remaining outer districts
# except Minhang, which borders the centre's district (assumption).
STATION_DISTRICTS = (
    "浦东新区", "宝山区", "嘉定区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
)  # fmt: skip

# HSR and suburban rail stations (positions from general knowledge, +-1 km, cited=False);
# Hongqiao is the hub the Yangtze River Delta links start from (facts.md 6.2).
RAIL_STATIONS = (
    PlacedSite("rail_hongqiao", "Shanghai Hongqiao", "Shanghai", 31.1945, 121.3205, False),
    PlacedSite("rail_songjiang_south", "Songjiang South", "Shanghai", 31.0010, 121.2285, False),
    PlacedSite("rail_shanghai_south", "Shanghai South", "Shanghai", 31.1546, 121.4298, False),
    PlacedSite("rail_jinshanwei", "Jinshanwei", "Shanghai", 30.7280, 121.3190, False),
)
RAIL_SEGMENTS = (
    Rail("rail_hongqiao", "rail_songjiang_south", 15, False),  # Shanghai-Hangzhou HSR, estimate
    Rail("rail_shanghai_south", "rail_jinshanwei", 32, False),  # Jinshan railway express, est.
)

# Commercial airports (positions from general knowledge, +-1 km); 5 km no-fly circles.
AIRPORTS = (
    Airport("nf_pvg", "Shanghai Pudong International Airport", 31.1434, 121.8052),
    Airport("nf_sha", "Shanghai Hongqiao International Airport", 31.1979, 121.3363),
)

# 330 hospitals with their own transfusion service + 55 run through a host's bank = 385
# (seeds.md, file 002). The tier split and bed ranges are assumptions (see SOURCES.md).
HOSPITAL_COUNTS = {"tertiary": 60, "secondary": 270, "hosted": 55}
BEDS = {"tertiary": (600, 2000), "secondary": (100, 500), "hosted": (30, 150)}

CONFIG = ProvinceConfig(
    name="shanghai",
    cn="上海市",
    seed=20250606,
    center=CENTER,
    cities=(City("Shanghai", "上海市", 31.2304, 121.4737, 24.87),),
    lab_cities=("Shanghai",),
    rail_stations=RAIL_STATIONS,
    rail_segments=RAIL_SEGMENTS,
    airports=AIRPORTS,
    hospitals=HospitalPlan(0, 0, 0, 0, BEDS),  # unused: the municipality plan places them
    # Assumption: "more than 20" donation centres across the districts in 2015
    # (smartshanghai.com, World Blood Donor Day 2015) and Jinshan alone has 3 fixed sites now
    # (cnfsw.cn): 40 houses, Jinshan's 3 fixed, the rest by population (at least 1 each).
    donation_houses=40,
    donation_beds=(4, 12),
    # The donation centre beside the Oriental Pearl Tower, Lujiazui (chinadaily.com.cn
    # 2025-06-16); position of the tower from general knowledge.
    named_donation_houses={
        "dh_pudong_01": ("Lujiazui Donation House (Oriental Pearl Tower)", (31.2397, 121.4997))
    },
    # Ports at tertiary/secondary hospitals within 15 km of their supply site: the drone range
    # of the RA3 class (facts.md 5.4) and Renji's 14.5 km sample route (facts.md 5.2).
    drone_radius_km=15.0,
    # Chongming and Changxing islands: Shanghai Yangtze River Tunnel and Bridge (2009, general
    # knowledge); Hengsha has no fixed link (ferry).
    bridged_island_points=((31.62, 121.45), (31.38, 121.70)),
    seat_geonameids={
        "崇明区": 1814915,  # Chengqiao 31.631 N 121.393 E (GeoNames "Chongming" is a centroid)
        "奉贤区": 1799823,  # Nanqiao 30.916 N 121.449 E
        "金山区": 1783903,  # Zhujing 30.901 N 121.160 E
    },
    road={
        "detour_factor": 1.3,
        "urban_speed_kmh": 25.0,
        "intercity_speed_kmh": 60.0,
        "urban_radius_km": 15.0,
        "peak_windows_h": [[7, 9], [17, 19]],
        "peak_factor": 1.6,
        "handling_min": 10.0,
        "ferry": {
            "extra_min": 60.0,
            "note": "added to a road leg with an island end: Hengsha (ferry); Chongming and "
            "Changxing are linked by the Yangtze River Tunnel and Bridge (plain road legs)",
        },
        "_limitations": "Renji's sample route is 45 min by road for 14.5 km (facts.md 9): "
        "25 km/h door to door over 1.3 x 14.5 km; outer-district legs at 60 km/h (assumed)",
    },
)

PLAN = MunicipalityPlan(
    config=CONFIG,
    districts=DISTRICTS,
    station_districts=STATION_DISTRICTS,
    counts=HOSPITAL_COUNTS,
    beds=BEDS,
    houses_by_district={"金山区": 3},
)


def build(out: Path) -> dict[str, object]:
    """Build the Shanghai region into ``out`` (see :func:`geodata.build.municipality.build`)."""
    return municipality.build(PLAN, out)
