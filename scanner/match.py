"""Match scanned items to the site's inventory: the declaring service, category and item.

Same rule as :meth:`inventory.model.Site.find_item` (``*`` wildcards, an exact name beats a
pattern), and when a declaration names a domain, the item's domain must be it or under it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Declaration:
    service: object  # inventory.model.Service
    category: object  # inventory.model.Category
    item: object  # inventory.model.Item

    def as_report(self):
        return {
            "service": self.service.id,
            "service_name": self.service.name,
            "category": self.category.id,
            "required": self.category.required,
            "exempt": self.category.exempt,
            "declared_name": self.item.name,
            "retention": self.item.retention.text,
        }


def domain_matches(declared, observed):
    if not declared:
        return True
    declared, observed = declared.lower().lstrip("."), observed.lower().lstrip(".")
    return observed == declared or observed.endswith("." + declared)


def find_declaration(site, name, kind, domain):
    best = None
    for service in site.services:
        for item in service.items:
            if not item.matches(name, kind) or not domain_matches(item.domain, domain):
                continue
            found = Declaration(service, site.category(service.category), item)
            if not item.is_pattern:
                return found
            best = best or found
    return best


def annotate(items, site):
    """Set ``item.declared`` on every item; returns {id(inventory item): declaration} of those seen."""
    matched = {}
    for item in items:
        declaration = find_declaration(site, item.name, item.kind, item.domain)
        item.declared = declaration
        if declaration is not None:
            matched[id(declaration.item)] = declaration
    return matched


def declared_items(site):
    """Every (service, category, item) the inventory declares, in file order."""
    return [Declaration(s, site.category(s.category), i) for s in site.services for i in s.items]
