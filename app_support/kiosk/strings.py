"""UI strings of the kiosk page (``/kiosk``): key -> {"tr": ..., "en": ...}; keys start with ``kiosk_``.

The area card's plain-word sentences are data words and live with the card (``atlas.kiosk.card``).
"""

KIOSK_STRINGS: dict[str, dict[str, str]] = {
    "kiosk_nav": {"tr": "Kiosk", "en": "Kiosk"},
    "kiosk_title": {"tr": "İzmir Sağlıkta Eşitlik Atlası", "en": "İzmir Health Equity Atlas"},
    "kiosk_lang_tr": {"tr": "Türkçe", "en": "Türkçe"},
    "kiosk_lang_en": {"tr": "English", "en": "English"},
    "kiosk_find": {"tr": "Bölgeni bul", "en": "Find your area"},
    "kiosk_back": {"tr": "Başa dön", "en": "Back to start"},
    "kiosk_invite": {"tr": "Haritada ilçene dokun ya da “Bölgeni bul”a bas: mahallenin değerlerini gör.",
                     "en": "Touch your district on the map or press “Find your area” to see your "
                           "neighbourhood's values."},
    "kiosk_story_of": {"tr": "Hikâye {n} / {total}", "en": "Story {n} of {total}"},
    "kiosk_level_district": {"tr": "ilçeler", "en": "districts"},
    "kiosk_level_mahalle": {"tr": "mahalleler", "en": "mahalle"},
    "kiosk_source": {"tr": "Kaynak: {source} · {licence}", "en": "Source: {source} · {licence}"},
    "kiosk_pick_district": {"tr": "İlçeni seç", "en": "Choose your district"},
    "kiosk_pick_mahalle": {"tr": "{district}: mahalleni seç", "en": "{district}: choose your mahalle"},
    "kiosk_search": {"tr": "Ara: mahalle veya ilçe", "en": "Search: mahalle or district"},
    "kiosk_search_placeholder": {"tr": "Yazmaya başla…", "en": "Start typing…"},
    "kiosk_tap_hint": {"tr": "Haritada bölgene dokun ya da listeden seç.",
                       "en": "Touch your area on the map or choose it from the list."},
    "kiosk_outside": {"tr": "Oraya dokunduğunda bir bölge bulunamadı; haritada renkli bir alana dokun.",
                      "en": "No area there; touch a coloured area on the map."},
    "kiosk_to_district": {"tr": "{district} ilçesi", "en": "{district} district"},
    "kiosk_other_district": {"tr": "Başka ilçe", "en": "Another district"},
    "kiosk_card_for": {"tr": "Bu bölge İzmir'le karşılaştırıldığında", "en": "This area compared with İzmir"},
    "kiosk_idle_note": {"tr": "Bir dakika dokunulmazsa ekran başa döner.",
                        "en": "The screen goes back to the start after a minute without a touch."},
    "kiosk_idle_note_s": {"tr": "{s} saniye dokunulmazsa ekran başa döner.",
                          "en": "The screen goes back to the start after {s} seconds without a touch."},
    "kiosk_unavailable": {"tr": "Atlas şu anda gösterilemiyor. Birazdan yeniden denenecek.",
                          "en": "The atlas cannot be shown right now. It will try again shortly."},
    "kiosk_problems": {"tr": "Oynatma listesi: {n} sorun (operatör için)", "en": "Playlist: {n} problem(s) (for the operator)"},
}
