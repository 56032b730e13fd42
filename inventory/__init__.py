"""Site inventories: the declared categories, services and cookies that drive the banner,
the policy's cookie table and the scanner. Data files live in ``inventory/sites/``."""

from .loader import default_dir, load_dir, load_file, load_files, parse_site
from .model import THIRTEEN_MONTHS_S, Category, Item, Retention, Service, Site

__all__ = [
    "default_dir",
    "load_dir",
    "load_file",
    "load_files",
    "parse_site",
    "THIRTEEN_MONTHS_S",
    "Category",
    "Item",
    "Retention",
    "Service",
    "Site",
]
