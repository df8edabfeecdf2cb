"""Kiosk glue: the page, its cached data, its look and its browser sensor."""
