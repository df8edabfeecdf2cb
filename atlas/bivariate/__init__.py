"""Double burden: two indicators at one level together (a 3×3 bivariate choropleth, a scatter plot,
the population-weighted correlation and the areas worse on both). No Streamlit.

* :mod:`.classes` — population-weighted tertiles oriented by polarity, the colour-blind-safe palette;
* :mod:`.correlation` — population-weighted Pearson r with a Fisher-z interval (Kish's effective n);
* :mod:`.cvd` — the colour-vision-deficiency check of the palette;
* :mod:`.view` — the view read from the database, its URL state, map layer, square legend and lists.
"""

from .classes import PALETTE, WORSE_BOTH, cell_colour, tertile_classes
from .correlation import Correlation, weighted_correlation
from .view import BivariateError, BivariateState, BivariateView, bivariate_view, resolve_state

__all__ = ["PALETTE", "WORSE_BOTH", "cell_colour", "tertile_classes", "Correlation", "weighted_correlation",
           "BivariateError", "BivariateState", "BivariateView", "bivariate_view", "resolve_state"]
