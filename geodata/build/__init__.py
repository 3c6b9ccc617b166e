"""Build-time tools that regenerate ``geodata/regions/<name>/`` (needs the ``geobuild`` extra).

Never imported by the runtime loader.
"""
