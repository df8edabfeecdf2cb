"""Statistics shared by the build, the import and the views: confidence intervals (more to come: rates and standardisation)."""
