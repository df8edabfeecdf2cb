"""UI strings of the Area profile page (merged into ``app_support.chrome.i18n.STRINGS``).

Keys start with ``profile_`` (``nav_profile`` is the page's title in the navigation).
"""

PROFILE_STRINGS: dict[str, dict[str, str]] = {
    "nav_profile": {"tr": "Bölge profili", "en": "Area profile"},
    "profile_header": {"tr": "Bölge profili", "en": "Area profile"},
    "profile_intro": {
        "tr": "Bu bölgenin her göstergesi, en son dönemiyle, İzmir değeri ve aynı düzeydeki tüm bölgelerin "
              "dağılımı ile karşılaştırılır (Fingertips omurga grafiği). Bölge değeri, haritadaki "
              "\"İzmir ile karşılaştırma\" renkleriyle gösterilir: güven aralığı İzmir değerini dışarıda "
              "bırakıyorsa daha iyi/kötü ya da daha yüksek/düşük, içeriyorsa benzer; güven aralığı yoksa "
              "yalnızca değer karşılaştırılır ve test yapılmaz.",
        "en": "Every indicator of this area, for its latest period, against the İzmir value and the "
              "distribution over all areas of the same level (a Fingertips spine chart). The area's value "
              "uses the colours of the map's \"compared with İzmir\" view: better/worse or higher/lower when "
              "its confidence interval excludes the İzmir value, similar when it includes it; with no "
              "confidence interval only the values are compared and no test is made.",
    },
    "profile_pick": {"tr": "Bölge seçin", "en": "Choose an area"},
    "profile_pick_placeholder": {"tr": "Bir ilçe ya da mahalle adı yazın…", "en": "Type a district or mahalle name…"},
    "profile_pick_hint": {
        "tr": "Profilini görmek için bir ilçe ya da mahalle seçin (ya da haritada bir bölgeye tıklayın).",
        "en": "Choose a district or mahalle to see its profile (or click an area on the map).",
    },
    "profile_bad_area": {
        "tr": "\"{code}\" kodlu bir ilçe ya da mahalle yok. Aşağıdan bir bölge seçin.",
        "en": "There is no district or mahalle with the code \"{code}\". Choose an area below.",
    },
    "profile_choice_district": {"tr": "{name} (ilçe)", "en": "{name} (district)"},
    "profile_choice_mahalle": {"tr": "{name} — {district}", "en": "{name} — {district}"},
    "profile_district_of": {"tr": "{district} ilçesi", "en": "{district} district"},
    "profile_kind_district": {"tr": "ilçe", "en": "district"},
    "profile_kind_mahalle": {"tr": "mahalle", "en": "mahalle"},
    "profile_kind_island": {"tr": "ada", "en": "island"},
    "profile_kind_industrial_zone": {"tr": "organize sanayi bölgesi", "en": "organised industrial zone"},
    "profile_kind_free_zone": {"tr": "serbest bölge", "en": "free zone"},
    "profile_hidden_kind": {
        "tr": "Bu bölge haritada varsayılan olarak gizlenir; sırası ve karşılaştırması haritadaki bölgeler "
              "ile bu bölge üzerinden hesaplandı, dağılım ise yalnızca haritadaki bölgeleri kapsar.",
        "en": "This area is hidden on the map by default; its rank and comparison are computed over the "
              "map's areas plus this one, while the distribution covers the map's areas only.",
    },
    "profile_back_to_map": {"tr": "← Haritaya dön", "en": "← Back to the map"},
    "profile_spine": {"tr": "Omurga grafiği", "en": "Spine chart"},
    "profile_table": {"tr": "Tablo", "en": "Table"},
    "profile_table_caption": {
        "tr": "Grafikteki bilgilerin tamamı; sütun başlığına tıklayarak sıralayabilirsiniz. Sıra 1 = en iyi "
              "(yargı içermeyen göstergelerde en yüksek). İzmir ile karşılaştırma %95 güvenle yapılır; "
              "'%99,8 güvenle' sütunu aynı testi daha sıkı düzeyde tekrarlar.",
        "en": "Everything the chart shows; click a column header to sort. Rank 1 = best (highest for "
              "indicators with no judgement). The comparison with İzmir is at 95% confidence; the "
              "'At 99.8% confidence' column repeats the same test at the stricter level.",
    },
    "profile_trend": {"tr": "Dönemlere göre değişim", "en": "Trend over periods"},
    "profile_trend_caption": {
        "tr": "Birden fazla dönemi olan göstergeler: bölge, İzmir ve (mahalle için) ilçe değeri.",
        "en": "Indicators with several periods: the area, İzmir and (for a mahalle) the district value.",
    },
    "profile_no_trend": {
        "tr": "Bu bölgenin hiçbir göstergesinde birden fazla dönem yok.",
        "en": "None of this area's indicators has more than one period.",
    },
    "profile_no_indicators": {
        "tr": "Bu bölgenin düzeyinde değeri olan gösterge yok.",
        "en": "No indicator has values at this area's level.",
    },
    "profile_series_area": {"tr": "{name}", "en": "{name}"},
    "profile_series_izmir": {"tr": "İzmir", "en": "İzmir"},
    "profile_series_district": {"tr": "{district} ilçesi", "en": "{district} district"},
    "profile_axis_period": {"tr": "Dönem", "en": "Period"},
    "profile_axis_series": {"tr": "Seri", "en": "Series"},
    "profile_col_theme": {"tr": "Tema", "en": "Theme"},
    "profile_col_indicator": {"tr": "Gösterge", "en": "Indicator"},
    "profile_col_period": {"tr": "Dönem", "en": "Period"},
    "profile_col_value": {"tr": "Değer", "en": "Value"},
    "profile_col_ci": {"tr": "%95 GA", "en": "95% CI"},
    "profile_col_counts": {"tr": "Pay / payda", "en": "Numerator / denominator"},
    "profile_col_izmir": {"tr": "İzmir", "en": "İzmir"},
    "profile_col_district": {"tr": "İlçe değeri", "en": "District value"},
    "profile_col_rank": {"tr": "Sıra", "en": "Rank"},
    "profile_col_rank_of": {"tr": "Bölge sayısı", "en": "of N areas"},
    "profile_col_range": {"tr": "Tüm bölgelerin aralığı", "en": "Range of all areas"},
    "profile_col_verdict": {"tr": "İzmir ile karşılaştırma", "en": "Compared with İzmir"},
    "profile_col_verdict_998": {"tr": "%99,8 güvenle", "en": "At 99.8% confidence"},
    "profile_col_note": {"tr": "Not", "en": "Note"},
    "profile_not_compared": {"tr": "karşılaştırılmadı", "en": "not compared"},
    "profile_not_compared_count": {"tr": "karşılaştırılmadı (İzmir değeri toplamdır)",
                                   "en": "not compared (the İzmir value is the total)"},
    "profile_not_compared_no_izmir": {"tr": "karşılaştırılmadı (İzmir değeri yok)",
                                      "en": "not compared (no İzmir value)"},
}
