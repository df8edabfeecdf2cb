"""The build pipeline: source files → checked atlas database (``python -m atlas build``)."""
