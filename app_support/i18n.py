"""UI strings in Turkish and English: key -> {"tr": ..., "en": ...}.

Data text (indicator titles, units) comes from the database in the chosen language;
only the interface's own words live here.
"""

from __future__ import annotations

LANGS = ("tr", "en")
DEFAULT_LANG = "tr"
LANG_LABELS = {"tr": "Türkçe", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"tr": "İzmir Sağlıkta Eşitlik Atlası", "en": "İzmir Health Equity Atlas"},
    "language": {"tr": "Dil / Language", "en": "Language / Dil"},
    "nav_indicators": {"tr": "Göstergeler", "en": "Indicators"},
    "indicators_header": {"tr": "Göstergeler", "en": "Indicators"},
    "indicators_intro": {
        "tr": "Veritabanındaki göstergeler, birimleri ve değeri olan dönemler ile düzeyler.",
        "en": "The indicators in the database, their units and the periods and levels with values.",
    },
    "no_indicators": {"tr": "Veritabanında gösterge yok.", "en": "The database holds no indicators."},
    "built_at": {"tr": "Veritabanı oluşturma zamanı: {when}", "en": "Database built: {when}"},
    "sources": {"tr": "Kaynaklar", "en": "Sources"},
    "missing_data": {"tr": "Atlas verisi bulunamadı.", "en": "The atlas data is not available."},
    "query_failed": {"tr": "Sorgu çalıştırılamadı.", "en": "A query could not be run."},
    # Column labels of the indicator table (keys are the query's column names).
    "col_indicator_id": {"tr": "Kimlik", "en": "ID"},
    "col_theme": {"tr": "Tema", "en": "Theme"},
    "col_title": {"tr": "Gösterge", "en": "Indicator"},
    "col_unit": {"tr": "Birim", "en": "Unit"},
    "col_polarity": {"tr": "Yön", "en": "Polarity"},
    "col_who_code": {"tr": "DSÖ kodu", "en": "WHO code"},
    "col_origin": {"tr": "Köken", "en": "Origin"},
    "col_periods": {"tr": "Dönemler", "en": "Periods"},
    "col_levels": {"tr": "Düzeyler", "en": "Levels"},
    "col_ok_values": {"tr": "Değer sayısı", "en": "Values"},
    # Level and origin values.
    "level_district": {"tr": "ilçe", "en": "district"},
    "level_mahalle": {"tr": "mahalle", "en": "mahalle"},
    "origin_catalogue": {"tr": "katalog", "en": "catalogue"},
    "origin_import": {"tr": "içe aktarılan", "en": "imported"},
    # Polarity values.
    "polarity_higher_is_better": {"tr": "Yüksek olması iyi", "en": "Higher is better"},
    "polarity_lower_is_better": {"tr": "Düşük olması iyi", "en": "Lower is better"},
    "polarity_no_judgement": {"tr": "Yargı yok", "en": "No judgement"},
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang`` (falls back to Turkish, then to the key itself)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def label(key: str, lang: str) -> str:
    """Like ``t`` for data codes: the translated label, or the code after its prefix when none exists
    (e.g. ``label("level_province", "tr")`` → ``"province"``)."""
    if key in STRINGS:
        return t(key, lang)
    return key.split("_", 1)[1] if "_" in key else key
