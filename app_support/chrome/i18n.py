"""UI strings in Turkish and English: key -> {"tr": ..., "en": ...}.

Data text (indicator titles, units) comes from the database in the chosen language;
only the interface's own words live here.
"""

from __future__ import annotations

from ..equity.strings import EQUITY_STRINGS
from ..export.strings import EXPORT_STRINGS
from ..kiosk.strings import KIOSK_STRINGS
from ..map.strings import MAP_STRINGS
from ..profile.strings import PROFILE_STRINGS

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
    # Data & methods page.
    "nav_methods": {"tr": "Veri ve yöntem", "en": "Data & methods"},
    "methods_header": {"tr": "Veri ve yöntem", "en": "Data & methods"},
    "methods_intro": {
        "tr": "Her göstergenin tanımı, birimi, yönü, kaynağı, lisansı ve yöntemi; verinin geldiği kaynaklar; "
              "DSÖ Sağlıklı Kentler göstergelerinden hangilerinin İzmir için verisi olduğu.",
        "en": "Each indicator's definition, unit, polarity, source, licence and method; the sources the data "
              "comes from; which WHO Healthy Cities indicators have data for İzmir.",
    },
    "methods_indicators": {"tr": "Göstergeler", "en": "Indicators"},
    "methods_sources": {"tr": "Kaynaklar ve lisanslar", "en": "Sources and licences"},
    "methods_who": {"tr": "DSÖ Sağlıklı Kentler göstergeleri", "en": "WHO Healthy Cities indicators"},
    "methods_who_summary": {
        "tr": "32 göstergeden {n} tanesi için İzmir verisi var; diğerleri veri açığıdır.",
        "en": "{n} of the 32 indicators have data for İzmir; the others are gaps.",
    },
    "methods_boundaries": {
        "tr": "İlçe sınırları Harita Genel Müdürlüğü'ne (HGM) aittir ve OCHA/HDX COD-AB aracılığıyla yalnızca "
              "insani ve ticari olmayan kullanım için paylaşılmıştır; açık lisans değildir. Mahalle sınırları "
              "TurkeyGeoJSON'dan (MIT) gelir ve resmî değildir.",
        "en": "District boundaries are the property of the General Command of Mapping (HGM), shared through "
              "OCHA/HDX COD-AB for humanitarian, non-commercial use only; this is not an open licence. "
              "Neighbourhood boundaries come from TurkeyGeoJSON (MIT) and are unofficial.",
    },
    "field_definition": {"tr": "Tanım", "en": "Definition"},
    "field_unit": {"tr": "Birim", "en": "Unit"},
    "field_polarity": {"tr": "Yön", "en": "Polarity"},
    "field_periods": {"tr": "Dönemler", "en": "Periods"},
    "field_levels": {"tr": "Düzeyler", "en": "Levels"},
    "field_source": {"tr": "Kaynak", "en": "Source"},
    "field_licence": {"tr": "Lisans", "en": "Licence"},
    "field_method": {"tr": "Yöntem", "en": "Method"},
    "field_caveat": {"tr": "Dikkat", "en": "Caveat"},
    "field_who": {"tr": "DSÖ Sağlıklı Kentler kodu", "en": "WHO Healthy Cities code"},
    "field_disclosure": {"tr": "Küçük sayı kuralı", "en": "Small-number rule"},
    "disclosure_none": {"tr": "yok", "en": "none"},
    "disclosure_rule": {
        "tr": "{count} olaydan veya {den} paydadan azı gizlenir",
        "en": "fewer than {count} events or a denominator under {den} are suppressed",
    },
    "proxy_badge": {"tr": "vekil gösterge", "en": "proxy"},
    "col_code": {"tr": "Kod", "en": "Code"},
    "col_grp": {"tr": "Grup", "en": "Group"},
    "col_has_data": {"tr": "İzmir verisi", "en": "İzmir data"},
    "col_indicator_titles": {"tr": "Atlas göstergeleri", "en": "Atlas indicators"},
    "col_attribution": {"tr": "Atıf", "en": "Attribution"},
    "col_licence": {"tr": "Lisans", "en": "Licence"},
    "col_url": {"tr": "Adres", "en": "URL"},
    "col_file_path": {"tr": "Dosya", "en": "File"},
    "col_sha256": {"tr": "SHA-256", "en": "SHA-256"},
    "col_loaded_at": {"tr": "Yüklenme", "en": "Loaded"},
    "who_group_A": {"tr": "A Sağlık", "en": "A Health"},
    "who_group_B": {"tr": "B Sağlık hizmetleri", "en": "B Health services"},
    "who_group_C": {"tr": "C Çevre", "en": "C Environment"},
    "who_group_D": {"tr": "D Sosyoekonomik", "en": "D Socio-economic"},
    "yes": {"tr": "var", "en": "yes"},
    "gap": {"tr": "açık", "en": "gap"},
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



def _merge(*tables: dict[str, dict[str, str]]) -> None:
    """Add each page's strings (one module per page) to STRINGS; a key defined twice is an error."""
    for table in tables:
        twice = sorted(set(table) & set(STRINGS))
        if twice:
            raise KeyError(f"UI string key(s) defined twice: {', '.join(twice)}")
        for key, entry in table.items():
            missing = [lang for lang in LANGS if not entry.get(lang)]
            if missing:
                raise KeyError(f"UI string {key!r} has no text for {', '.join(missing)}")
        STRINGS.update(table)


_merge(MAP_STRINGS, PROFILE_STRINGS, EQUITY_STRINGS, EXPORT_STRINGS, KIOSK_STRINGS)


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
