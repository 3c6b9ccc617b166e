"""Zhejiang facts for the build. Sources: /work/shared/reference/facts.md and geodata/SOURCES.md.

Coordinates are (lat, lon) degrees. [V] = verified in facts.md; estimates say so.
"""

from geodata.build.config import (
    Airport,
    City,
    CountyBankPlan,
    HospitalPlan,
    PlacedSite,
    ProvinceConfig,
    RailSegment,
)

# City centres: facts.md 7.1 (ECharts geoCoordMap). Population: 7th national census (2020),
# Zhejiang Provincial Bureau of Statistics bulletin, millions (not in facts.md; see SOURCES.md).
CITIES = (
    City("Hangzhou", "杭州市", 30.2592, 120.2194, 11.936),
    City("Ningbo", "宁波市", 29.8853, 121.5790, 9.404),
    City("Wenzhou", "温州市", 28.0028, 120.6906, 9.572),
    City("Jinhua", "金华市", 29.1029, 119.6526, 7.050),
    City("Shaoxing", "绍兴市", 30.0024, 120.5925, 5.271),
    City("Huzhou", "湖州市", 30.8779, 120.1372, 3.367),
    City("Jiaxing", "嘉兴市", 30.7740, 120.7604, 5.401),
    City("Taizhou", "台州市", 28.6683, 121.4406, 6.622),
    City("Lishui", "丽水市", 28.4563, 119.9296, 2.507),
    City("Quzhou", "衢州市", 28.9569, 118.8758, 2.276),
    City("Zhoushan", "舟山市", 30.0360, 122.1699, 1.158),
)

# Zhejiang Blood Center, Jianye Road 789, Binjiang (facts.md 7.1; coordinates an estimate there).
CENTER = PlacedSite("bc_hangzhou", "Zhejiang Blood Center", "Hangzhou", 30.21, 120.21, True)

# Regional centralized NAT labs (seeds.md, file 004; facts.md 10.2).
LAB_CITIES = ("Hangzhou", "Ningbo", "Wenzhou", "Jinhua")

# HSR stations: facts.md 7.3 where listed (cited=True); the others are estimates (cited=False).
RAIL_STATIONS = (
    PlacedSite("rail_hangzhou_east", "Hangzhou East", "Hangzhou", 30.2910, 120.2120, True),
    PlacedSite("rail_wenzhou_south", "Wenzhou South", "Wenzhou", 27.9664, 120.5844, True),
    PlacedSite("rail_ningbo", "Ningbo", "Ningbo", 29.8600, 121.5400, True),
    PlacedSite("rail_jinhua", "Jinhua", "Jinhua", 29.1100, 119.6300, True),
    PlacedSite("rail_shaoxing_north", "Shaoxing North", "Shaoxing", 30.0660, 120.5850, False),
    PlacedSite("rail_huzhou", "Huzhou", "Huzhou", 30.8490, 120.0750, False),
    PlacedSite("rail_jiaxing_south", "Jiaxing South", "Jiaxing", 30.7010, 120.7900, False),
    PlacedSite("rail_taizhou", "Taizhou", "Taizhou", 28.6200, 121.3700, False),
    PlacedSite("rail_lishui", "Lishui", "Lishui", 28.4370, 119.9170, False),
    PlacedSite("rail_quzhou", "Quzhou", "Quzhou", 28.9650, 118.8620, False),
)

# Fastest ride times, facts.md 6.2. verified=False marks the [UNVERIFIED]/estimated ones.
RAIL_SEGMENTS = (
    RailSegment("rail_hangzhou_east", "rail_ningbo", 45, False),  # design 35 [V]; trains 45-60
    RailSegment("rail_hangzhou_east", "rail_shaoxing_north", 18, False),  # 15-20, chainage 43 km
    RailSegment("rail_hangzhou_east", "rail_taizhou", 63, True),
    RailSegment("rail_hangzhou_east", "rail_wenzhou_south", 87, True),
    RailSegment("rail_hangzhou_east", "rail_quzhou", 41, True),
    RailSegment("rail_hangzhou_east", "rail_jinhua", 45, False),  # 40-45 non-stop
    RailSegment("rail_hangzhou_east", "rail_huzhou", 28, False),  # 25-30
    RailSegment("rail_hangzhou_east", "rail_jiaxing_south", 22, False),  # 20-25
    RailSegment("rail_jinhua", "rail_lishui", 45, False),  # Hangzhou-Lishui 1.5-2 h via Jinhua
    RailSegment("rail_shaoxing_north", "rail_ningbo", 30, False),  # chainage 43->155 km
)

# Commercial airports (positions estimated; see SOURCES.md).
AIRPORTS = (
    Airport("nf_hgh", "Hangzhou Xiaoshan International Airport", 30.2295, 120.4344),
    Airport("nf_ngb", "Ningbo Lishe International Airport", 29.8267, 121.4619),
    Airport("nf_wnz", "Wenzhou Longwan International Airport", 27.9122, 120.8522),
    Airport("nf_hyn", "Taizhou Luqiao Airport", 28.5622, 121.4286),
    Airport("nf_yiw", "Yiwu Airport", 29.3447, 120.0317),
    Airport("nf_hsn", "Zhoushan Putuoshan Airport", 29.9342, 122.3617),
    Airport("nf_juz", "Quzhou Airport", 28.9658, 118.8991),
)

HOSPITALS = HospitalPlan(
    tertiary_per_million=1.2,
    min_tertiary=2,
    secondary_total=110,
    county_per_seat=2,
    beds={"tertiary": (800, 2500), "secondary": (150, 600), "county": (250, 1000)},
)

# Islands joined to the mainland by fixed links (bridges/causeways); sites there pay no ferry
# time: Zhoushan Island (Zhoushan Island-Link, 2009), Daishan (Zhoudai bridge, 2021),
# Dongtou (bridges, 2006), Yuhuan. General knowledge, see SOURCES.md.
BRIDGED_ISLAND_POINTS = (
    (30.02, 122.10),
    (30.26, 122.20),
    (27.84, 121.15),
    (28.13, 121.25),
)

# County blood banks: 38 blood establishments (facts.md 4.1) - 1 centre - 10 city stations = 27.
# Named county-level cities first (general knowledge, UNVERIFIED), then the farthest counties
# from their city station; ids are the counties' pinyin. See SOURCES.md, "County blood banks".
COUNTY_BANKS = CountyBankPlan(
    total=27,
    named=("义乌市", "诸暨市", "慈溪市", "余姚市", "瑞安市", "乐清市", "温岭市", "临海市"),
    ids={
        "义乌市": "yiwu",
        "诸暨市": "zhuji",
        "慈溪市": "cixi",
        "余姚市": "yuyao",
        "瑞安市": "ruian",
        "乐清市": "yueqing",
        "温岭市": "wenling",
        "临海市": "linhai",
        "淳安县": "chunan",
        "庆元县": "qingyuan",
        "建德市": "jiande",
        "龙泉市": "longquan",
        "泰顺县": "taishun",
        "遂昌县": "suichang",
        "嵊泗县": "shengsi",
        "新昌县": "xinchang",
        "桐庐县": "tonglu",
        "磐安县": "panan",
        "文成县": "wencheng",
        "仙居县": "xianju",
        "宁海县": "ninghai",
        "景宁畲族自治县": "jingning",
        "苍南县": "cangnan",
        "天台县": "tiantai",
        "安吉县": "anji",
        "东阳市": "dongyang",
        "玉环市": "yuhuan",
    },
)

CONFIG = ProvinceConfig(
    name="zhejiang",
    cn="浙江省",
    seed=20250604,
    center=CENTER,
    cities=CITIES,
    lab_cities=LAB_CITIES,
    rail_stations=RAIL_STATIONS,
    rail_segments=RAIL_SEGMENTS,
    airports=AIRPORTS,
    hospitals=HOSPITALS,
    donation_houses=86,  # seeds.md, file 004
    donation_beds=(4, 12),
    named_donation_houses={"Hangzhou": ("拱墅区", "Canal Square donation house")},
    drone_radius_km=20.0,
    drone_radius_by_city={"Zhoushan": 40.0},  # Liuheng cross-sea route 35 km, facts.md 5.2
    bridged_island_points=BRIDGED_ISLAND_POINTS,
    county_banks=COUNTY_BANKS,
    road={
        "detour_factor": 1.3,
        "urban_speed_kmh": 25.0,
        "intercity_speed_kmh": 85.0,
        "urban_radius_km": 15.0,
        "peak_windows_h": [[7, 9], [17, 19]],
        "peak_factor": 1.6,
        "handling_min": 10.0,
        "ferry": {
            "extra_min": 60.0,
            "note": "added to a road leg with an island end "
            "(sites with island=True: islands without a fixed link)",
        },
    },
)
