"""What the pages and exports show, as plain data: map views, area profiles, the spine chart, the methods page."""
