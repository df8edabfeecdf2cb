"""One-sentence explanations of the summary measures, for the page, the CLI and the export (TR/EN).

Written for planners; the formulas are in ``atlas.equity.measures``.
"""

from __future__ import annotations

from ..catalogue import Text

EXPLANATIONS: dict[str, Text] = {
    "d": Text("En avantajlı ile en dezavantajlı grup (sırasız gruplarda en yüksek ile en düşük) arasındaki fark.",
              "Difference between the most and least advantaged group (for unordered groups: highest and lowest)."),
    "r": Text("Aynı iki grubun oranı.", "Ratio of the same two groups."),
    "sii": Text("Tüm grupları ve nüfuslarını kullanarak sosyal eğimin en üstü ile en altı arasındaki tahmini fark.",
                "Estimated difference between the top and the bottom of the social gradient, using every group "
                "and its population."),
    "rii": Text("Aynı eğimin oran olarak ifadesi.", "The same gradient expressed as a ratio."),
    "aci": Text("Göstergenin avantajlı (pozitif) ya da dezavantajlı (negatif) gruplarda ne kadar yoğunlaştığı, "
                "göstergenin biriminde.",
                "How much the indicator is concentrated among advantaged (positive) or disadvantaged (negative) "
                "groups, in the indicator's units."),
    "rci": Text("Yoğunlaşma indeksinin ortalamaya oranı (−1 ile 1 arası).",
                "The concentration index relative to the average (between −1 and 1)."),
    "bgv": Text("Grup değerlerinin kent ortalaması etrafındaki nüfus ağırlıklı varyansı (birimin karesi).",
                "Population-weighted variance of the group values around the city average (squared units)."),
    "bgsd": Text("BGV'nin karekökü, göstergenin biriminde.", "Square root of BGV, in the indicator's units."),
    "cov": Text("BGSD'nin kent ortalamasına yüzdesi.", "BGSD as a percentage of the city average."),
    "mdm_w": Text("Grupların kent ortalamasından nüfus ağırlıklı ortalama uzaklığı.",
                  "Average distance of the groups from the city average, weighted by population."),
    "mdm_u": Text("Aynı uzaklık, ağırlıksız (her grup bir kez sayılır).",
                  "The same distance without weights (each group counts once)."),
    "mdb": Text("Grupların en iyi gruptan nüfus ağırlıklı ortalama uzaklığı.",
                "Average distance of the groups from the best group, weighted by population."),
    "idis": Text("Ağırlıksız ortalama uzaklığın ortalamaya yüzdesi.",
                 "Unweighted mean distance from the average, as a percentage of the average."),
    "theil": Text("Theil indeksi: göreli eşitsizlik; gruplar eşitse 0, üst uçtaki farklara duyarlı.",
                  "Theil index: relative inequality, 0 when the groups are equal; sensitive to differences at the top."),
    "mld": Text("Ortalama logaritmik sapma: göreli eşitsizlik; ortalamanın altındaki gruplara daha duyarlı.",
                "Mean log deviation: relative inequality, more sensitive to groups below the average."),
    "par": Text("Her grup en iyi grubun değerine sahip olsaydı kent ortalamasının ne kadar değişeceği "
                "(kazanç potansiyeli).",
                "How much the city average would change if every group had the best group's value "
                "(potential gain)."),
    "paf": Text("PAR'ın kent ortalamasına yüzdesi.", "PAR as a percentage of the city average."),
}
