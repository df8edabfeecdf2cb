"""Frames read from the atlas database that views and statistics share: the values of one map view joined to its areas."""
