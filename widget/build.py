"""Build the widget: ``python -m widget.build`` writes ``widget/widget.min.js``; ``--check``
only verifies that the committed file matches the sources.

The sources are ES modules, ``widget/src/*.js``, one concern each, importing what they use from
one another; ``main.js`` is the entry. esbuild, an npm devDependency pinned in package-lock.json
(``npm install``), bundles them into one minified IIFE. ``widget.css`` is minified by esbuild
first and put in the bundle as a string literal, in place of the ``WIDGET_CSS`` name in
``ui.js`` (``--define``). The minified file is committed: the service serves it as package data
and never needs Node, nor any Python module of this package. Same sources, same bytes.
"""

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUTPUT = HERE / "widget.min.js"
ENTRY = HERE / "src" / "main.js"
STYLES = HERE / "widget.css"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
# One short line: every byte of it is sent to every visitor (the size budget).
HEADER = "/* cmp widget, see docs/widget.md */\n"
# Internal property names, shortened in the bundle. Listed one by one, never a pattern that could
# catch a name the page, the API or the cookie sees: window.CMP and its methods, event details,
# the JSON fields of the API and of the configuration (config.services, .lang, .cookie…) keep
# theirs. Each name here is only ever a property of the widget's own objects.
MANGLED = [
    "settings",
    "config",
    "record",
    "consent",
    "inline",
    "wanted",
    "unreachable",
    "tryNow",
    "cmpPlaceholder",
    "read",
    "write",
    "clear",
]
MANGLE = f"--mangle-props=^({'|'.join(MANGLED)})$"
# What the widget's JavaScript may use: async functions, optional catch binding, no newer syntax.
TARGET = "--target=es2020"


class BuildError(Exception):
    pass


def _esbuild(args, stdin=None):
    if not ESBUILD.exists():
        raise BuildError(f"{ESBUILD} is missing: run `npm install` at the repository root (make node-deps)")
    # From the repository root, so the paths that the readable bundle names are the same everywhere.
    result = subprocess.run(
        [str(ESBUILD), *args, "--charset=utf8", "--log-level=error"],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode:
        raise BuildError(f"esbuild failed:\n{result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8")


def styles():
    """widget.css, minified."""
    return _esbuild(["--loader=css", "--minify", TARGET], STYLES.read_bytes()).strip()


def bundle(minify=True):
    """The widget's modules bundled from main.js, the styles inside, as text."""
    define = "--define:WIDGET_CSS=" + json.dumps(styles(), ensure_ascii=False)
    args = [str(ENTRY.relative_to(ROOT)), "--bundle", "--format=iife", TARGET, define, MANGLE]
    return _esbuild([*args, "--minify"] if minify else args)


def build():
    """The served widget script, as bytes."""
    return (HEADER + bundle()).encode("utf-8")


def readable():
    """The bundle unminified, comments and names kept: handy to read or debug."""
    return bundle(minify=False)


def digest(data):
    """The content hash in the versioned URL, /widget.<hash>.js."""
    return hashlib.sha256(data).hexdigest()[:12]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m widget.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if widget/widget.min.js is not up to date")
    parser.add_argument("--readable", metavar="FILE", help="also write the unminified bundle to FILE")
    args = parser.parse_args(argv)
    try:
        data = build()
        if args.readable:
            Path(args.readable).write_text(readable(), encoding="utf-8")
    except (OSError, BuildError) as exc:
        print(f"widget build failed: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_bytes() != data:
            print(f"{OUTPUT} is out of date with widget/src: run `python -m widget.build`", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date ({len(data)} bytes, {digest(data)})")
        return 0
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT}: {len(data)} bytes, version {digest(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
