"""Read inventory YAML files, validate them, and build :class:`inventory.model.Site` objects.

Every problem is reported with its file, line and field path, all problems at once.
"""

import json
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .errors import InventoryError, InventoryProblem
from .model import Category, ConsentCookie, Item, Retention, Service, Site

CONSENT_SERVICE_ID = "cmp"
_CONSENT_PURPOSE = {
    "fr": "Mémorise vos choix de consentement (jeton signé) pour ne pas vous les redemander à chaque page.",
    "en": "Remembers your consent choices (a signed token) so that you are not asked again on every page.",
}

_HINTS = {
    "retention": "must be 'session', 'persistent' or '<n> minutes|hours|days|months|years'",
    "origins": "must be an origin such as 'https://example.com' (scheme, host, optional port; no path)",
    "languages": "must be a two-letter language code such as 'fr'",
    "id": "must be lower-case letters, digits, '-' or '_'",
    "category": "must be lower-case letters, digits, '-' or '_'",
    "name": "must not contain spaces, ';', ',' or '='",
}


def default_dir():
    """The inventories shipped with the package (``inventory/sites``)."""
    return Path(str(resources.files("inventory") / "sites"))


def _schema():
    return json.loads((resources.files("inventory") / "schema.json").read_text(encoding="utf-8"))


_VALIDATOR = None


def _validator():
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = jsonschema.Draft202012Validator(_schema())
    return _VALIDATOR


def _compose(text, filename):
    """Parse YAML into plain data plus a map from field path (tuple) to line number (1-based)."""
    lines = {}

    def build(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key in out:
                    raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, path + (i,)) for i, child in enumerate(node.value)]
        return yaml.SafeLoader.construct_object(_LOADER_FOR_SCALARS, node)

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return None, lines
    return build(node, ()), lines


_LOADER_FOR_SCALARS = yaml.SafeLoader("")


def format_path(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(lines, path):
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _schema_message(error):
    last = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), None)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return list(error.absolute_path) + [missing], "is required"
    if error.validator == "additionalProperties":
        extra = error.message.split("'")[1] if "'" in error.message else error.message
        return list(error.absolute_path) + [extra], "is not a known field"
    if error.validator == "pattern" and last in _HINTS:
        return list(error.absolute_path), f"{error.instance!r} {_HINTS[last]}"
    if error.validator == "enum":
        return list(error.absolute_path), f"{error.instance!r} is not one of {error.validator_value}"
    if error.validator == "type":
        return list(
            error.absolute_path
        ), f"must be of type {error.validator_value}, not {type(error.instance).__name__}"
    return list(error.absolute_path), error.message


def parse_site(text, filename="<string>"):
    """Validate YAML ``text`` and build a :class:`Site`; raises :class:`InventoryError`."""
    problems = []

    def problem(path, message, lines=None):
        problems.append(InventoryProblem(filename, _line_of(lines or {}, path), format_path(path), message))

    try:
        data, lines = _compose(text, filename)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InventoryError([InventoryProblem(filename, line, "", f"invalid YAML: {getattr(exc, 'problem', exc)}")])
    if not isinstance(data, dict):
        raise InventoryError(
            [InventoryProblem(filename, 1, "", "must be a mapping of fields (id, name, categories, …)")]
        )

    for error in _validator().iter_errors(data):
        path, message = _schema_message(error)
        problem(path, message, lines)
    if problems:
        raise InventoryError(sorted(problems, key=lambda p: (p.line or 0, p.path)))

    _check_semantics(data, problem, lines)
    if problems:
        raise InventoryError(problems)
    return _build(data, filename)


def _check_semantics(data, problem, lines):
    languages = data["languages"]

    def texts(path, value):
        for lang in languages:
            if lang not in value:
                problem(path, f"has no text for language '{lang}'", lines)

    texts(("banner", "title"), data["banner"]["title"])
    texts(("banner", "text"), data["banner"]["text"])
    seen = {}
    for i, cat in enumerate(data["categories"]):
        if cat["id"] in seen:
            problem(("categories", i, "id"), f"duplicate category id '{cat['id']}'", lines)
        seen[cat["id"]] = cat
        if cat.get("required") and cat.get("exempt"):
            problem(("categories", i), "a category cannot be both required and exempt", lines)
        texts(("categories", i, "label"), cat["label"])
        texts(("categories", i, "description"), cat["description"])
    if not any(c.get("required") for c in data["categories"]):
        problem(("categories",), "at least one category must be required (it holds the consent cookie)", lines)
    service_ids = set()
    for i, svc in enumerate(data["services"]):
        if svc["id"] in service_ids:
            problem(("services", i, "id"), f"duplicate service id '{svc['id']}'", lines)
        service_ids.add(svc["id"])
        if svc["category"] not in seen:
            problem(("services", i, "category"), f"unknown category '{svc['category']}'", lines)
        for j, item in enumerate(svc["items"]):
            texts(("services", i, "items", j, "purpose"), item["purpose"])
    for signal, cats in data.get("consent_mode", {}).items():
        for k, cat in enumerate(cats):
            if cat not in seen:
                problem(("consent_mode", signal, k), f"unknown category '{cat}'", lines)


def _build(data, filename):
    categories = tuple(
        Category(c["id"], c["label"], c["description"], c.get("required", False), c.get("exempt", False))
        for c in data["categories"]
    )
    services = [
        Service(
            id=s["id"],
            name=s["name"],
            category=s["category"],
            provider=s.get("provider"),
            controller=s.get("controller"),
            policy_url=s.get("policy_url"),
            items=tuple(
                Item(i["name"], i["kind"], i["purpose"], Retention.parse(i["retention"]), i.get("domain"))
                for i in s["items"]
            ),
        )
        for s in data["services"]
    ]
    cookie = ConsentCookie(**data.get("consent_cookie", {}))
    max_age = data.get("consent_max_age_days", 180)
    if not any(s.id == CONSENT_SERVICE_ID for s in services):
        required = next(c for c in categories if c.required)
        # The service declares its own consent cookie on every site, so nobody can forget it.
        services.insert(
            0,
            Service(
                id=CONSENT_SERVICE_ID,
                name="CMP",
                category=required.id,
                provider=data.get("controller"),
                items=(
                    Item(cookie.name, "cookie", _CONSENT_PURPOSE, Retention.parse(f"{max_age} days"), cookie.domain),
                ),
            ),
        )
    return Site(
        id=data["id"],
        name=data["name"],
        origins=tuple(data["origins"]),
        languages=tuple(data["languages"]),
        policy_url=data["policy_url"],
        banner=data["banner"],
        categories=categories,
        services=tuple(services),
        consent_max_age_days=max_age,
        controller=data.get("controller"),
        gpc=data.get("gpc", False),
        consent_cookie=cookie,
        consent_mode=data.get("consent_mode", {}),
        source=str(filename),
    )


def load_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError([InventoryProblem(str(path), None, "", f"cannot be read: {exc}")])
    site = parse_site(text, str(path))
    if path.stem != site.id:
        raise InventoryError(
            [InventoryProblem(str(path), 1, "id", f"'{site.id}' must match the file name '{path.stem}'")]
        )
    return site


def load_files(paths):
    """Load several files, reporting every problem of every file in one :class:`InventoryError`."""
    sites, problems = {}, []
    for path in paths:
        try:
            site = load_file(path)
        except InventoryError as exc:
            problems.extend(exc.problems)
            continue
        if site.id in sites:
            problems.append(
                InventoryProblem(str(path), 1, "id", f"site '{site.id}' is also defined in {sites[site.id].source}")
            )
        sites[site.id] = site
    if problems:
        raise InventoryError(problems)
    return sites


def site_files(directory):
    directory = Path(directory)
    if not directory.is_dir():
        raise InventoryError([InventoryProblem(str(directory), None, "", "is not a directory")])
    files = sorted(list(directory.glob("*.yaml")) + list(directory.glob("*.yml")))
    if not files:
        raise InventoryError([InventoryProblem(str(directory), None, "", "holds no inventory (<site>.yaml)")])
    return files


def load_dir(directory=None):
    """Every site of an inventory directory, keyed by id."""
    return load_files(site_files(directory or default_dir()))
