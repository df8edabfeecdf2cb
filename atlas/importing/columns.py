"""The columns of an import file: their names, the accepted header aliases (English or Turkish)
and the level names."""

from __future__ import annotations

import re

from ..catalogue import Text
from ..names import fold

NUMBER_COLUMNS = ("value", "numerator", "denominator", "lower_ci", "upper_ci")
TEXT_COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period", "note", "note_en")
COLUMNS = ("indicator_id", "level", "district", "mahalle", "area_code", "period",
           "value", "numerator", "denominator", "lower_ci", "upper_ci", "note", "note_en")

# Accepted header names, compared after ``header_key`` (Turkish folding, punctuation → '_').
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "gosterge", "gosterge_id", "gosterge_kodu"),
    "level": ("level", "duzey", "seviye"),
    "district": ("district", "ilce", "ilce_adi"),
    "mahalle": ("mahalle", "mahalle_adi", "neighbourhood", "neighborhood"),
    "area_code": ("area_code", "alan_kodu", "bolge_kodu", "kod"),
    "period": ("period", "donem", "yil", "year"),
    "value": ("value", "deger"),
    "numerator": ("numerator", "pay"),
    "denominator": ("denominator", "payda"),
    "lower_ci": ("lower_ci", "alt_sinir", "alt_guven_siniri", "guven_araligi_alt"),
    "upper_ci": ("upper_ci", "ust_sinir", "ust_guven_siniri", "guven_araligi_ust"),
    "note": ("note", "not", "aciklama", "note_tr", "not_tr", "aciklama_tr"),  # shown in both languages ...
    "note_en": ("note_en", "not_en", "aciklama_en"),  # ... unless an English note is given beside it
}
LEVEL_ALIASES = {"district": "district", "ilce": "district", "mahalle": "mahalle", "mah": "mahalle",
                 "neighbourhood": "mahalle", "neighborhood": "mahalle"}


#: The name of each column in Turkish (one of its accepted aliases): a Turkish template's header, and the
#: column a Turkish problem message names (``column_label``). The last four are count data's (``age_rows``).
TURKISH_NAMES = {"indicator_id": "gösterge", "level": "düzey", "district": "ilçe", "mahalle": "mahalle",
                 "area_code": "alan_kodu", "period": "dönem", "value": "değer", "numerator": "pay",
                 "denominator": "payda", "lower_ci": "alt_sınır", "upper_ci": "üst_sınır", "note": "not",
                 "note_en": "not_en", "sex": "cinsiyet", "age_band": "yaş_grubu", "events": "olay",
                 "population": "nüfus"}


def column_label(column: str) -> Text:
    """A column as a message names it: its Turkish name in Turkish, its name in any other language."""
    return Text(TURKISH_NAMES.get(column, column), column)


def header_key(text: str) -> str:
    """A header (or level) name folded for comparison: 'İlçe Adı' → 'ilce_adi'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


ALIAS_TO_COLUMN = {header_key(a): col for col, names in HEADER_ALIASES.items() for a in names}
