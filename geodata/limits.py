"""Physical and practical bounds on region data, each with where it comes from.

A value outside these bounds is a unit mistake or a typo, not a region: loading refuses it.
"""

#: Inpatient beds of one hospital. The largest hospitals in the world have about
#: 10,000-20,000 beds (general knowledge, UNVERIFIED); the embedded regions top out at 2,490.
MAX_HOSPITAL_BEDS = 20_000

#: Donor beds (chairs) of one donation house. Embedded houses have 4-12; a large donation
#: centre has a few dozen (general knowledge, UNVERIFIED), so 200 leaves a wide margin.
MAX_DONOR_BEDS = 200

#: Sites in one region. Travel times are sites x sites matrices per mode (8 bytes a cell:
#: 10,000 sites = 800 MB per matrix); the embedded regions have a few hundred.
MAX_SITES = 10_000

#: Effective road speeds, km/h: above walking pace (about 5 km/h), at most the 120 km/h
#: expressway limit in China (Road Traffic Safety Law implementing regulations, art. 78).
MIN_ROAD_SPEED_KMH = 5.0
MAX_ROAD_SPEED_KMH = 120.0

#: Road km per straight-line km: never below 1 (a road is no shorter than the straight line);
#: typical values are 1.2-1.6, so 3 allows mountains and water.
MAX_DETOUR_FACTOR = 3.0

#: Travel-time multiplier in peak traffic. Amap's 50-city average peak delay index is 1.61
#: (facts.md section 9); 5 allows the worst gridlock.
MAX_PEAK_FACTOR = 5.0

#: Straight-line radius of an urban leg, km (the largest Chinese cities are under 100 km across).
MAX_URBAN_RADIUS_KM = 200.0

#: Loading plus unloading time of one road leg, min (4 h).
MAX_HANDLING_MIN = 240.0

#: Extra time of a road leg to an island site, min (one day).
MAX_FERRY_MIN = 1440.0

#: Ride time of one rail segment, min (one day; China's longest HSR rides are about 11 h).
MAX_RAIL_MINUTES = 1440.0

#: Straight-line speed implied by a rail segment's ends and minutes, km/h: 350 km/h is the
#: fastest scheduled high-speed rail in China (facts.md section 6) and the straight line is
#: never longer than the track.
MAX_RAIL_SPEED_KMH = 350.0

#: Distance of a site from the median site position when the region has no outline, km
#: (China's largest province, Xinjiang, is about 2,000 km across).
MAX_REGION_RADIUS_KM = 1500.0

#: Longest text field (names, cities, ids), characters.
MAX_TEXT_CHARS = 300

#: Largest region file read, bytes (the embedded sites.geojson files are about 200 kB).
MAX_LAYER_BYTES = 50_000_000

#: Largest road.json read, bytes (the embedded ones are under 1 kB).
MAX_JSON_BYTES = 1_000_000
