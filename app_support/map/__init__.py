"""Map explorer glue: URL/sidebar state, cached map data, the folium layer, the panels around the map."""
