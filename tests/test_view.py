"""URL state of the map view: every bad value falls back with a notice; good ones round-trip."""

import pandas as pd
import pytest

from atlas.views.view_state import Availability, View, resolve_view, with_changes

VIEWS = pd.DataFrame([
    ("pop_density", "district", "2025", 2025), ("pop_density", "district", "2021", 2021),
    ("pop_density", "district", "2023", 2023), ("pop_density", "mahalle", "2023", 2023),
    ("sex_ratio", "district", "2021", 2021),
    ("lst_summer_mean", "mahalle", "2014-2024", 2024), ("lst_summer_mean", "district", "2014-2024", 2024),
], columns=["indicator_id", "level", "period", "period_sort"])
AVAIL = Availability(VIEWS)


def test_no_parameters_give_the_default_view_newest_period():
    view, notices = resolve_view({}, AVAIL)
    assert view == View("pop_density", "2025", "district", "quantiles", 5, None, "tr")
    assert notices == []


def test_a_full_valid_url_round_trips():
    params = {"indicator": "lst_summer_mean", "period": "2014-2024", "level": "mahalle",
              "scheme": "natural_breaks", "k": "7", "area": "23422", "lang": "en"}
    view, notices = resolve_view(params, AVAIL, area_codes={"23422"})
    assert notices == [] and view.to_params() == params


@pytest.mark.parametrize("params, param, used", [
    ({"indicator": "nope"}, "indicator", "pop_density"),
    ({"indicator": "'; DROP TABLE areas; --"}, "indicator", "pop_density"),
    ({"level": "county"}, "level", "district"),
    ({"period": "1999"}, "period", "2025"),
    ({"scheme": "jenks"}, "scheme", "quantiles"),
    ({"k": "12"}, "k", "5"),
    ({"k": "2"}, "k", "5"),
    ({"k": "five"}, "k", "5"),
    ({"k": "-3"}, "k", "5"),
    ({"lang": "de"}, "lang", "tr"),
])
def test_invalid_values_fall_back_with_a_notice(params, param, used):
    view, notices = resolve_view(params, AVAIL)
    assert [(n.param, n.given, n.used) for n in notices] == [(param, params[param], used)]
    assert notices[0].allowed  # says what is allowed


def test_level_without_data_for_the_indicator_falls_back():
    view, notices = resolve_view({"indicator": "sex_ratio", "level": "mahalle"}, AVAIL)
    assert (view.level, view.period) == ("district", "2021")
    assert notices[0].param == "level" and notices[0].allowed == "district"


def test_unknown_area_is_dropped_with_a_notice():
    view, notices = resolve_view({"area": "999"}, AVAIL, area_codes={"1128"})
    assert view.area is None and notices[0].param == "area"


def test_changing_indicator_keeps_period_and_level_valid():
    view, _ = resolve_view({"indicator": "pop_density", "level": "mahalle"}, AVAIL)
    new = with_changes(view, AVAIL, indicator="sex_ratio")
    assert (new.level, new.period) == ("district", "2021")
    back = with_changes(new, AVAIL, indicator="pop_density", level="mahalle")
    assert back.period == "2023"


def test_empty_database_is_an_error():
    with pytest.raises(ValueError, match="no indicator values"):
        resolve_view({}, Availability(VIEWS.iloc[0:0]))
