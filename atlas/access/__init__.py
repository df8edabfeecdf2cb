"""Access to services: how far residents live from the points of a layer (issue #17).

* :mod:`atlas.access.residents` places each area's residents on points inside the area (a 100 m
  lattice, population spread evenly, or optionally by built-up share where the 250 m grid has it);
* :mod:`atlas.access.measures` turns resident points and service points into per-area measures
  (count, count per 10,000, share within a distance, mean distance, distinct lines nearby);
* :mod:`atlas.access.spec` reads ``geodata/access_measures.toml``: which indicator of the catalogue
  is which measure of which point layer.

Everything takes plain frames and arrays in a metric CRS (UTM 35N, EPSG:32635); the build step
(:mod:`atlas.build.access`) reads the database and writes the values. Distances are straight lines.
"""
