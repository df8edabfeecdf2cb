"""Export panel glue: the print-ready file of the current view."""
