"""The pure parts of the load test and the failure drills (bench/bench_load.py, bench/drills.py):
percentiles, the refusal of other hosts, the caps, the report table and the recovery figures.
No timing is asserted (timings are measured by the benchmarks themselves)."""

from __future__ import annotations

import pytest

from bench import bench_load as bl
from bench import drills


def test_percentile_interpolates_linearly():
    # sorted 1, 2, 3, 4: p50 halfway between 2 and 3; p95 at rank 0.95 * 3 = 2.85 -> 3 + 0.85 * (4 - 3)
    assert bl.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert bl.percentile([4, 1, 3, 2], 95) == pytest.approx(3.85)
    assert bl.percentile([0.7], 95) == pytest.approx(0.7)
    assert bl.percentile([], 50) is None


def test_summarise_counts_and_maximum():
    assert bl.summarise([0.1, 0.3, 0.2]) == {"n": 3, "p50": pytest.approx(0.2), "p95": pytest.approx(0.29),
                                             "max": 0.3}
    assert bl.summarise([]) == {"n": 0, "p50": None, "p95": None, "max": None}


@pytest.mark.parametrize("url", ["https://127.0.0.1:8443/", "http://localhost:8501", "wss://127.0.0.1:9/_stcore/stream",
                                 "http://[::1]:8501/"])
def test_local_urls_are_accepted(url):
    assert bl.check_local(url) == url


@pytest.mark.parametrize("url", ["https://atlas.izmir.bel.tr/", "http://10.0.0.5:8501", "https://127.0.0.1.nip.io/",
                                 "http://0.0.0.0:8501", "ftp://127.0.0.1/", "https://localhost.example.org"])
def test_other_hosts_are_refused(url):
    with pytest.raises(bl.NotLocal):
        bl.check_local(url)


def test_the_run_is_bounded():
    assert bl.bounded(50, 10, 2) == (50, 10, 2)
    for sessions, minutes, browsers in ((0, 1, 0), (201, 1, 0), (10, 0, 0), (10, 31, 0), (10, 1, 4)):
        with pytest.raises(ValueError):
            bl.bounded(sessions, minutes, browsers)


def _result(interactions, *, samples=None, baseline=None, browser=None, drops=()):
    return bl.RunResult("nginx + replicas", 2, 10, 4, interactions, samples or [], baseline or {}, 4, browser, 0,
                        list(drops))


def test_run_row_and_table():
    I = bl.Interaction
    interactions = [I(0, "open", 1, 0.1, "ok"), I(1, "switch", 2, 0.2, "ok"), I(2, "switch", 3, 0.4, "ok"),
                    I(3, "profile", 4, None, "timeout after 30 s")]
    samples = [{"phase": "ramp", "load": 9.0, "rss_mb": {"public-1": 400.0, "public-2": 410.0}},
               {"phase": "held", "load": 2.0, "rss_mb": {"public-1": 420.0, "public-2": 430.0}},
               {"phase": "held", "load": 3.0, "rss_mb": {"public-1": 430.0, "public-2": 440.0}}]
    browser = bl.BrowserResult(paints=3, switches=[0.5, 0.7], errors=[])
    row = bl.run_row(_result(interactions, samples=samples, baseline={"public-1": 400.0, "public-2": 410.0},
                             browser=browser))
    assert row["interactions"] == 4 and row["errors"] == 1
    assert row["p50"] == pytest.approx(0.2) and row["max"] == pytest.approx(0.4)
    assert row["switch_p50"] == pytest.approx(0.3) and row["switch_max"] == pytest.approx(0.4)
    assert row["rss_mb_per_replica"] == [430.0, 440.0]
    # (430 + 440 - 400 - 410) MB over 4 sessions
    assert row["mb_per_session"] == pytest.approx(15.0)
    assert row["load_avg_mean"] == pytest.approx(2.5) and row["load_avg_max"] == pytest.approx(3.0)
    assert row["by_kind"]["switch"]["n"] == 2 and row["by_kind"]["profile"]["n"] == 0

    table = bl.report_table([row]).splitlines()
    assert len(table) == 3
    assert table[0].count("|") == table[1].count("|") == table[2].count("|") == 17
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    assert cells[:5] == ["nginx + replicas", "2", "10", "4/4", "4"]
    assert cells[11] == "1"  # errors
    assert cells[12] == "3 (0.69)"  # paints, p95 of 0.5 and 0.7
    assert cells[13] == "430 / 440" and cells[14] == "15.0" and cells[15] == "2.5, 3.0"


def test_recovery_counts_failures_and_time_to_the_next_success():
    I = bl.Interaction
    interactions = [I(0, "open", 5, 0.1, "ok"), I(1, "open", 6, 0.1, "ok"),
                    I(0, "switch", 30.2, None, "lost: connection closed"),
                    I(0, "open", 31.0, 0.5, "ok"),  # session 0 back 1.5 s after the failure at 30
                    I(1, "equity", 33.0, 0.3, "ok"),  # session 1 dropped while idle at 30.1, back at 33.3
                    I(2, "switch", 40.0, 0.2, "the switch to 'x' did not change the view (URL unchanged)")]
    r = drills.recovery(_result(interactions, drops=[(0, 30.2, "lost"), (1, 30.1, "idle")]), 30.0)
    assert r["errors_before"] == 0
    assert r["failed_interactions"] == 1 and r["connections_dropped"] == 2 and r["sessions_hit"] == 2
    assert r["sessions_unrecovered"] == 0
    assert r["switches without effect (the app's first-option quirk, not the failure)"] == 1
    assert r["recover_max_s"] == pytest.approx(3.3) and r["recover_p50_s"] == pytest.approx(2.4)
