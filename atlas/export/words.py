"""The words printed on exported maps and data files, in Turkish and English.

The interface's own strings live in ``app_support``; the core package cannot import them, so the
few words a snapshot, the atlas PDF and the metadata sheet print are kept here.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "atlas": {"tr": "İzmir Sağlıkta Eşitlik Atlası", "en": "İzmir Health Equity Atlas"},
    "level_district": {"tr": "ilçe", "en": "district"},
    "level_mahalle": {"tr": "mahalle", "en": "mahalle"},
    "level_district_title": {"tr": "İlçeler", "en": "Districts"},
    "level_mahalle_title": {"tr": "Mahalleler", "en": "Neighbourhoods (mahalle)"},
    "scheme_quantiles": {"tr": "kantiller (eşit sayıda bölge)", "en": "quantiles (equal counts)"},
    "scheme_natural_breaks": {"tr": "doğal kırılmalar (Fisher-Jenks)", "en": "natural breaks (Fisher-Jenks)"},
    "scheme_equal_interval": {"tr": "eşit aralık", "en": "equal interval"},
    "scheme_std_mean": {"tr": "standart sapma", "en": "standard deviation"},
    "scheme_compare_izmir": {"tr": "İzmir ile karşılaştırma", "en": "compared with İzmir"},
    "scheme_hot_spots": {"tr": "sıcak ve soğuk noktalar (yerel Moran)", "en": "hot and cold spots (local Moran)"},
    "classes": {"tr": "{k} sınıf", "en": "{k} classes"},
    "one_class": {"tr": "1 sınıf", "en": "1 class"},
    "period": {"tr": "Dönem", "en": "Period"},
    "areas": {"tr": "bölge", "en": "areas"},
    "area": {"tr": "bölge", "en": "area"},
    "zoomed": {"tr": "Yakınlaştırma: {name}", "en": "Zoomed to {name}"},
    "hidden_note": {"tr": "{n} ada, organize sanayi veya serbest bölge alanı gösterilmiyor (yerleşim yeri değil).",
                    "en": "{n} islands, industrial or free zones are not shown (not residential areas)."},
    "caveat": {"tr": "Dikkat", "en": "Caveat"},
    "data": {"tr": "Veri", "en": "Data"},
    "licence": {"tr": "Lisans", "en": "Licence"},
    "boundaries": {"tr": "Sınırlar", "en": "Boundaries"},
    "colours": {"tr": "Renkler: ColorBrewer 2.0, © Cynthia A. Brewer (Apache 2.0)",
                "en": "Colours: ColorBrewer 2.0, © Cynthia A. Brewer (Apache 2.0)"},
    "exported": {"tr": "Dışa aktarım: {when}", "en": "Exported: {when}"},
    "database": {"tr": "veritabanı: {when}", "en": "database built: {when}"},
    "link": {"tr": "Bu görünüm", "en": "This view"},
    "scale_km": {"tr": "km", "en": "km"},
    "north": {"tr": "K", "en": "N"},
    "page": {"tr": "Sayfa {n} / {total}", "en": "Page {n} of {total}"},
    "definition": {"tr": "Tanım", "en": "Definition"},
    "equity": {"tr": "Eşitlik özeti", "en": "Equity summary"},
    "contents": {"tr": "İçindekiler", "en": "Contents"},
    "cover_title": {"tr": "Harita atlası", "en": "Map atlas"},
    "cover_level": {"tr": "Düzey: {level}", "en": "Level: {level}"},
    "cover_count": {"tr": "{n} gösterge, her birinin en son dönemi", "en": "{n} indicators, the latest period of each"},
    "cover_classes": {"tr": "Sınıflama: {scheme}", "en": "Classification: {scheme}"},
    "cover_sources": {"tr": "Kaynaklar ve lisanslar", "en": "Sources and licences"},
    "cover_link": {"tr": "Atlas çevrimiçi", "en": "The atlas online"},
    "cover_note": {
        "tr": "Her sayfa, atlas uygulamasındaki haritayla aynı sınıfları ve renkleri gösterir; sayfadaki "
              "bağlantı ve karekod aynı görünümü açar.",
        "en": "Each page shows the same classes and colours as the map in the atlas app; the link and QR "
              "code on the page open the same view.",
    },
    "col_page": {"tr": "Sayfa", "en": "Page"},
    "col_indicator": {"tr": "Gösterge", "en": "Indicator"},
    "col_period": {"tr": "Dönem", "en": "Period"},
    "col_unit": {"tr": "Birim", "en": "Unit"},
}


def w(key: str, lang: str, **fmt) -> str:
    """The word ``key`` in ``lang`` (``tr`` or ``en``), formatted with ``fmt``."""
    text = WORDS[key][lang]
    return text.format(**fmt) if fmt else text


#: Schemes whose classes are categories, not value ranges: the subtitle does not count classes.
CATEGORY_SCHEMES = ("compare_izmir", "hot_spots")


def scheme_label(scheme: str, lang: str) -> str:
    """The classification's name (its id when a new scheme has no words here yet)."""
    entry = WORDS.get(f"scheme_{scheme}")
    return entry[lang] if entry else scheme


def level_label(level: str, lang: str) -> str:
    return w(f"level_{level}", lang)
