"""What a site's revision covers (its declarations), kept in the store's archive once per
revision so the console can say what changed from one revision to the next."""

ARCHIVE_PREFIX = "revision-"


def declarations(site):
    """The declarations a revision hashes, as a JSON-able document."""
    return {
        "revision": site.revision,
        "categories": {c.id: {"required": c.required, "exempt": c.exempt} for c in site.categories},
        "services": {
            s.id: {
                "name": s.name,
                "category": s.category,
                "provider": s.provider,
                "items": {f"{i.kind}:{i.name}": i.retention.text for i in s.items},
            }
            for s in site.services
        },
    }


def archive(store, site):
    store.archive(site.id, ARCHIVE_PREFIX + site.revision, declarations(site))


def archived(store, site_id, revision):
    return store.archived(site_id, ARCHIVE_PREFIX + revision)


def changes(old, new):
    """``[(change, kind, name, detail)]`` from declarations ``old`` to ``new``: added, removed or
    changed categories, services and their cookies (with the retention they declare)."""
    result = []
    for kind in ("categories", "services"):
        before, after = old[kind], new[kind]
        result += [("added", kind, key, "") for key in after if key not in before]
        result += [("removed", kind, key, "") for key in before if key not in after]
        for key in after:
            if key in before and before[key] != after[key]:
                if kind == "services":
                    result += _item_changes(key, before[key], after[key])
                else:
                    result.append(("changed", kind, key, ""))
    return result


def _item_changes(service, before, after):
    result = []
    fields = [f for f in ("name", "category", "provider") if before[f] != after[f]]
    if fields:
        result.append(("changed", "services", service, ", ".join(f"{f}: {before[f]} → {after[f]}" for f in fields)))
    old, new = before["items"], after["items"]
    result += [("added", "items", f"{service} {item}", new[item]) for item in new if item not in old]
    result += [("removed", "items", f"{service} {item}", old[item]) for item in old if item not in new]
    result += [
        ("changed", "items", f"{service} {item}", f"{old[item]} → {new[item]}")
        for item in new
        if item in old and old[item] != new[item]
    ]
    return result
