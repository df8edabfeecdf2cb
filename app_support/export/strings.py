"""UI strings of the Export panel (to be merged into ``app_support.chrome.i18n.STRINGS``)."""

EXPORT_STRINGS: dict[str, dict[str, str]] = {
    "export_title": {"tr": "Dışa aktar / Export", "en": "Export / Dışa aktar"},
    "export_intro": {
        "tr": "Bu görünümü baskıya hazır bir dosya olarak indirin: haritadaki sınıflar ve renkler, lejant, "
              "kaynaklar ve lisanslar, ölçek, kuzey oku, tarih ve bu görünüme bağlantı (karekodla).",
        "en": "Download this view as a print-ready file: the map's classes and colours, legend, sources and "
              "licences, scale bar, north arrow, date and a link to this view (with a QR code).",
    },
    "export_format": {"tr": "Biçim", "en": "Format"},
    "export_format_pdf": {"tr": "PDF (vektör)", "en": "PDF (vector)"},
    "export_format_svg": {"tr": "SVG (vektör)", "en": "SVG (vector)"},
    "export_format_png": {"tr": "PNG (resim)", "en": "PNG (image)"},
    "export_dpi": {"tr": "Çözünürlük (dpi)", "en": "Resolution (dpi)"},
    "export_dpi_help": {"tr": "Yalnızca PNG için; PDF ve SVG vektördür.",
                        "en": "PNG only; PDF and SVG are vector."},
    "export_paper": {"tr": "Kâğıt", "en": "Paper"},
    "export_orientation": {"tr": "Yön", "en": "Orientation"},
    "export_landscape": {"tr": "Yatay", "en": "Landscape"},
    "export_portrait": {"tr": "Dikey", "en": "Portrait"},
    "export_labels": {"tr": "İlçe adlarını yaz", "en": "Label districts"},
    "export_zoom": {"tr": "İlçeye yakınlaştır", "en": "Zoom to a district"},
    "export_zoom_none": {"tr": "Tüm il", "en": "Whole province"},
    "export_zoom_help": {"tr": "Yakınlaştırınca köşede ilin tamamını gösteren küçük bir harita eklenir.",
                         "en": "A zoomed map gets a small map of the whole province beside it."},
    "export_preview": {"tr": "Önizleme", "en": "Preview"},
    "export_preview_caption": {"tr": "Önizleme (düşük çözünürlük); indirilen dosya seçilen ayarlarla çizilir.",
                               "en": "Preview (low resolution); the download is drawn with the chosen settings."},
    "export_download": {"tr": "{fmt} indir", "en": "Download {fmt}"},
    "export_data": {"tr": "Haritanın verisi", "en": "The data behind the map"},
    "export_data_csv": {"tr": "Veri (CSV)", "en": "Data (CSV)"},
    "export_data_zip": {"tr": "Veri paketi (CSV + GeoPackage + üst veri, zip)",
                        "en": "Data package (CSV + GeoPackage + metadata, zip)"},
    "export_data_help": {
        "tr": "Zip: değerler (CSV), bölge poligonlarıyla GeoPackage, üst veri sayfası (gösterge, dönem, sınıflar, "
              "kaynak, lisans, sınır atfı, tarih) ve README.",
        "en": "Zip: the values (CSV), a GeoPackage with the area polygons, the metadata sheet (indicator, period, "
              "classes, source, licence, boundary attribution, date) and a README.",
    },
    "export_failed": {"tr": "Dışa aktarım yapılamadı: {error}", "en": "The export could not be made: {error}"},
}
