"""Hubei facts for the build. Sources: /work/shared/reference/facts.md, seeds.md and
geodata/SOURCES.md (section "Hubei").

Coordinates are (lat, lon) degrees. [V] = verified in facts.md; estimates say so.
"""

from geodata.build.config import (
    Airport,
    City,
    HospitalPlan,
    PlacedSite,
    ProvinceConfig,
    RailSegment,
)

# Unit centres: facts.md 7.2 (ECharts geoCoordMap; Shennongjia is a district centroid).
# Population: 7th national census (2020), Hubei Provincial Bureau of Statistics, millions
# (not in facts.md; general knowledge, UNVERIFIED; total 57.75 M).
CITIES = (
    City("Wuhan", "武汉市", 30.5811, 114.3162, 12.326),
    City("Huangshi", "黄石市", 30.2161, 115.0507, 2.469),
    City("Shiyan", "十堰市", 32.6370, 110.8012, 3.209),
    City("Yichang", "宜昌市", 30.7328, 111.3110, 4.018),
    City("Xiangyang", "襄阳市", 32.0949, 112.1763, 5.261),
    City("Ezhou", "鄂州市", 30.3844, 114.8956, 1.079),
    City("Jingmen", "荆门市", 31.0426, 112.2173, 2.597),
    City("Xiaogan", "孝感市", 30.9280, 113.9357, 4.270),
    City("Jingzhou", "荆州市", 30.3326, 112.2419, 5.231),
    City("Huanggang", "黄冈市", 30.4461, 114.9066, 5.883),
    City("Xianning", "咸宁市", 29.8807, 114.3001, 2.658),
    City("Suizhou", "随州市", 31.7179, 113.3794, 2.048),
    City("Enshi", "恩施土家族苗族自治州", 30.3090, 109.5174, 3.456),
    City("Xiantao", "仙桃市", 30.2940, 113.3874, 1.135),
    City("Qianjiang", "潜江市", 30.3431, 112.7688, 0.887),
    City("Tianmen", "天门市", 30.6490, 113.1262, 1.159),
    City("Shennongjia", "神农架林区", 31.5958, 110.4872, 0.067),
)

# Wuhan Blood Center, Baofeng 1st Road 8, Qiaokou district (address from a secondary page,
# see SOURCES.md); the position is an estimate for that address (+-1.5 km).
CENTER = PlacedSite("bc_wuhan", "Wuhan Blood Center", "Wuhan", 30.5880, 114.2520, True)

# 16 blood establishments (seeds.md): the centre + 15 central blood stations. Shennongjia
# (no station of its own, assumption) is supplied by the nearest station in straight line.
SERVED_BY = {"Shennongjia": "Shiyan"}

# NAT labs: no published Hubei fact. ASSUMPTION (synthetic=True): a provincial lab at the
# centre plus regional labs at the Yichang and Xiangyang stations.
LAB_CITIES = ("Wuhan", "Yichang", "Xiangyang")

# HSR stations: Hankou and Wuhan from facts.md 7.3 [V-2nd], Yichang East from facts.md 7.3
# [UNVERIFIED]; the others are estimates from general knowledge (cited=False, +-5 km).
RAIL_STATIONS = (
    PlacedSite("rail_hankou", "Hankou", "Wuhan", 30.6180, 114.2546, True),
    PlacedSite("rail_wuhan", "Wuhan", "Wuhan", 30.6073, 114.4249, True),
    PlacedSite("rail_yichang_east", "Yichang East", "Yichang", 30.6600, 111.3800, True),
    PlacedSite("rail_xiangyang_east", "Xiangyang East", "Xiangyang", 32.0600, 112.2500, False),
    PlacedSite("rail_shiyan_east", "Shiyan East", "Shiyan", 32.6350, 110.8800, False),
    PlacedSite("rail_jingzhou", "Jingzhou", "Jingzhou", 30.3600, 112.2100, False),
    PlacedSite("rail_jingmen_west", "Jingmen West", "Jingmen", 31.0300, 112.1500, False),
    PlacedSite("rail_xiaogan_east", "Xiaogan East", "Xiaogan", 30.9400, 113.9700, False),
    PlacedSite("rail_suizhou_south", "Suizhou South", "Suizhou", 31.6700, 113.3800, False),
    PlacedSite("rail_huanggang_east", "Huanggang East", "Huanggang", 30.4800, 114.9300, False),
    PlacedSite("rail_ezhou", "Ezhou", "Ezhou", 30.3900, 114.8600, False),
    PlacedSite("rail_huangshi_north", "Huangshi North", "Huangshi", 30.2200, 115.0100, False),
    PlacedSite("rail_xianning_north", "Xianning North", "Xianning", 29.8800, 114.3300, False),
    PlacedSite("rail_tianmen_south", "Tianmen South", "Tianmen", 30.6000, 113.1700, False),
    PlacedSite("rail_xiantao_west", "Xiantao West", "Xiantao", 30.3700, 113.3900, False),
    PlacedSite("rail_qianjiang", "Qianjiang", "Qianjiang", 30.4200, 112.8700, False),
    PlacedSite("rail_enshi", "Enshi", "Enshi", 30.3100, 109.4800, False),
)

# Fastest ride times, facts.md 6.3. verified=False marks estimates and derived values.
RAIL_SEGMENTS = (
    RailSegment("rail_hankou", "rail_wuhan", 20, False),  # hub link, estimate (no fact)
    RailSegment("rail_hankou", "rail_xiaogan_east", 30, True),  # "half-hour circle" [V-2nd]
    RailSegment("rail_wuhan", "rail_ezhou", 30, True),  # "half-hour circle" [V-2nd]
    RailSegment("rail_wuhan", "rail_huangshi_north", 42, True),  # intercity 96.78 km [V-2nd]
    RailSegment("rail_wuhan", "rail_huanggang_east", 31, True),  # [V-2nd]
    RailSegment("rail_wuhan", "rail_xianning_north", 30, True),  # "half-hour circle" [V-2nd]
    RailSegment("rail_hankou", "rail_yichang_east", 90, True),  # Hanyi line about 90 min [V]
    RailSegment("rail_hankou", "rail_jingzhou", 80, False),  # 1 h 10 - 1 h 30
    RailSegment("rail_hankou", "rail_tianmen_south", 35, False),  # Hanyi, 30-60 min
    RailSegment("rail_hankou", "rail_xiantao_west", 45, False),  # Hanyi, 30-60 min
    RailSegment("rail_hankou", "rail_qianjiang", 55, False),  # Hanyi, 30-60 min
    RailSegment("rail_hankou", "rail_jingmen_west", 97, True),  # 1 h 37 [V-2nd]
    RailSegment("rail_hankou", "rail_suizhou_south", 50, False),  # about 50 min
    RailSegment("rail_hankou", "rail_xiangyang_east", 75, False),  # 1 h 10 - 1 h 20
    RailSegment("rail_xiangyang_east", "rail_shiyan_east", 42, False),  # 117 [V] minus 75
    RailSegment("rail_jingmen_west", "rail_jingzhou", 28, True),  # [V-2nd]
    RailSegment("rail_xiangyang_east", "rail_jingmen_west", 27, False),  # 55 [V-2nd] minus 28
    RailSegment("rail_xiangyang_east", "rail_yichang_east", 110, True),  # about 1 h 50 [V-2nd]
    RailSegment("rail_jingzhou", "rail_yichang_east", 35, False),  # Hanyi section, estimate
    RailSegment("rail_yichang_east", "rail_enshi", 120, False),  # Wuhan-Enshi 3.5-4 h minus 90
)

# Commercial airports: positions from the airportsdata package (20260905, MIT) except
# Jingzhou Shashi (new 2021 site, 16 km east of the old one: estimate) and Shennongjia
# Hongping (general knowledge, +-2 km). See SOURCES.md.
AIRPORTS = (
    Airport("nf_wuh", "Wuhan Tianhe International Airport", 30.7838, 114.2080),
    Airport("nf_yih", "Yichang Sanxia Airport", 30.5566, 111.4800),
    Airport("nf_xfn", "Xiangyang Liuji Airport", 32.1506, 112.2910),
    Airport("nf_enh", "Enshi Xujiaping Airport", 30.3203, 109.4850),
    Airport("nf_wds", "Shiyan Wudangshan Airport", 32.5917, 110.9078),
    Airport("nf_shs", "Jingzhou Shashi Airport", 30.3244, 112.4470),
    Airport("nf_ehu", "Ezhou Huahu Airport", 30.3429, 115.0296),
    Airport("nf_hpg", "Shennongjia Hongping Airport", 31.6260, 110.3400),
)

# 71 tertiary + 22 secondary + 64 county = 157 hospitals (seeds.md: 157 secondary-and-above
# hospitals with transfusion departments). Bed ranges as Zhejiang (UNVERIFIED).
HOSPITALS = HospitalPlan(
    tertiary_per_million=1.2,
    min_tertiary=2,
    secondary_total=22,
    county_per_seat=1,
    beds={"tertiary": (800, 2500), "secondary": (150, 600), "county": (250, 1000)},
    min_tertiary_by_city={"Shennongjia": 0},
)

# County seats where the GeoNames rules of SOURCES.md pick another town (a namesake or the
# most populous place): the seat town, known from general knowledge, by GeoNames id; the
# position is GeoNames'. Hannan's seat (Shamao), Songzi's (Xinjiangkou) and Jianli's
# (Rongcheng) are not in GeoNames: the nearest GeoNames place (4-6 km) stands in.
SEAT_GEONAMEIDS = {
    "汉南区": 7895609,  # Niaojin 30.348 N 114.051 E
    "张湾区": 8547097,  # Chechenglu 32.637 N 110.757 E
    "夷陵区": 1789918,  # Xiaoxita 30.771 N 111.321 E
    "远安县": 1800522,  # Mingfeng 31.062 N 111.643 E
    "兴山县": 6958005,  # Gufu 31.362 N 110.729 E
    "秭归县": 1801166,  # Maoping 30.830 N 110.978 E
    "长阳土家族自治县": 1802247,  # Longzhouping 30.495 N 111.160 E
    "孝昌县": 1806976,  # Huayuan 31.314 N 114.018 E
    "沙市区": 1795816,  # Shashi 30.307 N 112.245 E
    "公安县": 1812012,  # Douhudi 30.061 N 112.224 E
    "松滋市": 7696234,  # Nanhai 30.128 N 111.778 E
    "监利市": 8513415,  # Hongcheng 29.843 N 112.889 E
    "罗田县": 7746800,  # Fengshan 30.788 N 115.392 E
    "英山县": 1791440,  # Wenquan 30.849 N 115.699 E
    "通山县": 1792539,  # Tongyang 29.671 N 114.597 E
    "赤壁市": 1798473,  # Puqi 29.717 N 113.883 E
    "随县": 1803267,  # Lishan 31.858 N 113.295 E
    "巴东县": 1788745,  # Xinling 31.044 N 110.332 E
    "咸丰县": 1810489,  # Gaoleshan 29.678 N 109.145 E
    "黄梅县": 8569796,  # Huangmei 30.079 N 115.939 E
    "竹山县": 1783825,  # Zhushan Chengguanzhen 32.222 N 110.236 E
    "竹溪县": 1783792,  # Zhuxi Chengguanzhen 32.326 N 109.723 E
    "郧西县": 1785665,  # Yunxixian Chengguanzhen 32.983 N 110.423 E
    "房县": 1811528,  # Fangxian Chengguanzhen 32.055 N 110.734 E
    "保康县": 1816933,  # Baokang Chengguanzhen 31.878 N 111.256 E
    "大悟县": 1811686,  # Dawu Chengguanzhen 31.610 N 114.118 E
    "掇刀区": 1811828,  # Duodaoshi 30.962 N 112.185 E
}

CONFIG = ProvinceConfig(
    name="hubei",
    cn="湖北省",
    seed=20250605,
    center=CENTER,
    cities=CITIES,
    lab_cities=LAB_CITIES,
    rail_stations=RAIL_STATIONS,
    rail_segments=RAIL_SEGMENTS,
    airports=AIRPORTS,
    hospitals=HOSPITALS,
    donation_houses=50,  # assumption: 10 in Wuhan (seeds.md) + 40 shared by population
    donation_beds=(4, 12),
    donation_houses_by_city={"Wuhan": 10},  # seeds.md: Wuhan has 10 donation houses
    served_by=SERVED_BY,
    labs_cited=False,
    seat_geonameids=SEAT_GEONAMEIDS,
    drone_radius_km=20.0,
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
            "note": "added to a road leg with an island end; Hubei has no island sites",
        },
        "_limitations": "detour_factor and speeds are region-wide (RoadModel has no "
        "per-area values): road legs in the mountains of Enshi, Shennongjia, Shiyan and "
        "western Yichang are underestimated; see geodata/SOURCES.md",
    },
)
