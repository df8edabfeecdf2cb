"""The columns of a point file: coordinates, id, name and kind by the names Turkish offices use.

Header names are compared after :func:`atlas.importing.columns.header_key` (Turkish folding, case,
accents, spaces and punctuation ignored: ``ENLEM``, ``Enlem``, ``enlem `` are the same; ``Adı``,
``ADI`` and ``adi`` too, the dotless ``ı`` and dotted ``İ`` folded to ``i``). Every other column is
kept with the point as an attribute (address, telephone, …), under its header as written.
"""

from __future__ import annotations

from ..columns import header_key

# Latitude/longitude (or northing/easting): the name says which is which, so a file whose values
# are the other way round is refused as swapped.
NORTH = ("enlem", "lat", "latitude", "enlem_derece", "northing", "kuzey")
EAST = ("boylam", "lon", "lng", "long", "longitude", "boylam_derece", "easting", "dogu")
# x/y: GIS software writes x = easting/longitude, Turkish surveying (and many municipal tables)
# X = northing ("yukarı değer"), Y = easting ("sağa değer"); which one a file uses is read from the
# numbers and reported, never refused.
X = ("x", "koordinat_x", "x_koordinat", "x_koordinati", "koord_x", "x_coord", "x_coordinate")
Y = ("y", "koordinat_y", "y_koordinat", "y_koordinati", "koord_y", "y_coord", "y_coordinate")
ID = ("id", "kod", "kodu", "kimlik", "no", "numara", "sira_no", "point_id", "tesis_kodu", "kurum_kodu",
      "eczane_kodu", "birim_kodu", "objectid", "fid", "gid")
NAME = ("ad", "adi", "name", "isim", "ismi", "unvan", "unvani", "eczane", "eczane_adi", "eczane_ismi", "tesis_adi",
        "kurum_adi", "birim_adi", "saglik_tesisi_adi", "tesis", "kurum")
KIND = ("kind", "tur", "turu", "tip", "tipi", "type", "kategori", "category", "tesis_turu", "kurum_turu")

ROLES: dict[str, tuple[str, ...]] = {"north": NORTH, "east": EAST, "x": X, "y": Y, "id": ID, "name": NAME,
                                     "kind": KIND}
ALIAS_TO_ROLE = {header_key(a): role for role, names in ROLES.items() for a in names}


def role_of(header: str) -> str | None:
    """The role of a header ('north', 'east', 'x', 'y', 'id', 'name', 'kind') or None (an attribute)."""
    return ALIAS_TO_ROLE.get(header_key(header or ""))


def is_known(header: str) -> bool:
    """Whether a header is one of the names above (used to find the separator of a CSV)."""
    return header_key(header or "") in ALIAS_TO_ROLE
