"""SEGE-2022 indicators: the Ministry of Industry and Technology's district socio-economic
development score and tier (``izmir_sege_2022_districts.csv``; its SOURCE.md says where the rows
come from and that they were transcribed by hand).

Columns (unchanged from the source): ``ILCE`` (district name), ``GENEL_SIRALAMA`` (rank among
Türkiye's 973 districts), ``IL_ICI_SIRALAMA`` (rank within İzmir), ``SKOR`` (index score),
``KADEME`` (tier 1 = most developed … 6). Every one of İzmir's districts must be listed exactly
once; a name that matches no district, a missing column or a value that is not a number fails the
build naming the file, the row and the value. The ranks go into each score's note (the score is
the indicator; the rank in Türkiye is shown with it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import values as V
from ..catalogue import Catalogue
from ..errors import BuildError
from ..i18n import lazy
from .population import _district_codes_by_name

COLUMNS = ("ILCE", "GENEL_SIRALAMA", "IL_ICI_SIRALAMA", "SKOR", "KADEME")
INDICATORS = ("sege_score", "sege_tier")
PERIOD = "2022"
TIERS = range(1, 7)
N_DISTRICTS_TR = 973  # districts ranked in SEGE-2022


def _number(df: pd.DataFrame, column: str, file: str) -> pd.Series:
    out = pd.to_numeric(df[column], errors="coerce")
    bad = out.isna()
    if bad.any():
        i = bad.idxmax()
        raise BuildError(f"{file}: row {i + 2} ({str(df.at[i, 'ILCE'])[:40]!r}): column {column} must be a number, "
                         f"got {str(df.at[i, column])[:40]!r}")
    return out


def read_sege(path: Path) -> pd.DataFrame:
    """The SEGE rows, checked: columns present, numbers numeric, tiers 1–6, ranks whole numbers."""
    if not path.is_file():
        raise BuildError(f"SEGE-2022 file missing: {path} (geodata/sources.toml, source 'sege_2022_districts')")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise BuildError(f"{path.name}: expected columns {', '.join(COLUMNS)}; missing {', '.join(missing)} "
                         f"(found {', '.join(map(str, df.columns))})")
    for col in COLUMNS[1:]:
        df[col] = _number(df, col, path.name)
    for col in ("GENEL_SIRALAMA", "IL_ICI_SIRALAMA", "KADEME"):
        frac = df[col] % 1 != 0
        if frac.any():
            i = frac.idxmax()
            raise BuildError(f"{path.name}: row {i + 2}: column {col} must be a whole number, got {df.at[i, col]}")
    bad_tier = ~df["KADEME"].isin(list(TIERS))
    if bad_tier.any():
        i = bad_tier.idxmax()
        raise BuildError(f"{path.name}: row {i + 2}: KADEME must be 1 to 6, got {df.at[i, 'KADEME']:g}")
    return df


def sege_indicators(path: Path, areas: pd.DataFrame, cat: Catalogue, source_id: str) -> pd.DataFrame:
    """District values of ``sege_score`` and ``sege_tier`` for 2022 (no province value: SEGE ranks districts)."""
    df = read_sege(path)
    districts = areas[areas["level"] == "district"]
    codes = _district_codes_by_name(districts, df["ILCE"], path.name)
    twice = codes[codes.duplicated()]
    if not twice.empty:
        raise BuildError(f"{path.name}: district {df.at[twice.index[0], 'ILCE']!r} is listed twice")
    absent = sorted(set(districts["name"][~districts["code"].isin(set(codes))]))
    if absent:
        raise BuildError(f"{path.name}: {len(absent)} district(s) not listed: {', '.join(absent)}")
    score, tier = cat.get("sege_score"), cat.get("sege_tier")
    score_rows, tier_rows = [], []
    for code, row in zip(codes, df.itertuples(index=False)):
        note = lazy.gettext("SEGE-2022 rank {rank} of {total} districts in Türkiye, {local} of {n} in İzmir",
                            rank=int(row.GENEL_SIRALAMA), total=N_DISTRICTS_TR, local=int(row.IL_ICI_SIRALAMA),
                            n=len(df))
        score_rows.append({"area_code": code, "value": float(row.SKOR), "note": note})
        tier_rows.append({"area_code": code, "value": float(row.KADEME)})
    return V.concat([V.frame(score, "district", PERIOD, source_id, score_rows),
                     V.frame(tier, "district", PERIOD, source_id, tier_rows)])
