"""Build the widget: ``python -m widget.build`` writes ``widget/widget.min.js``; ``--check``
only verifies that the committed file matches the sources.

The sources (``widget/src/*.js``, in the order of :data:`SOURCES`, sharing one scope) are
joined inside one IIFE with ``widget.css`` embedded as a string, then minified by esbuild, an
npm devDependency pinned in package-lock.json (``npm install``). The minified file is
committed: the service serves it and never needs Node. Same sources, same bytes.
"""

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "widget.min.js"
ESBUILD = HERE.parent / "node_modules" / ".bin" / "esbuild"

# Each file may use what the files before it define; main.js starts the widget.
SOURCES = (
    "i18n.js",
    "state.js",
    "config.js",
    "api.js",
    "storage.js",
    "ui.js",
    "banner.js",
    "panel.js",
    "blocking.js",
    "signals.js",
    "main.js",
)


class BuildError(Exception):
    pass


def _esbuild(text, loader):
    if not ESBUILD.exists():
        raise BuildError(f"{ESBUILD} is missing: run `npm install` at the repository root (make node-deps)")
    result = subprocess.run(
        [str(ESBUILD), f"--loader={loader}", "--minify", "--target=es2020", "--charset=utf8", "--log-level=error"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if result.returncode:
        raise BuildError(f"esbuild failed on the {loader}:\n{result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8")


def readable():
    """The unminified bundle: what esbuild minifies, handy to read or debug."""
    css = (HERE / "widget.css").read_text(encoding="utf-8")
    parts = [f"// ---- widget/src/{name}\n" + (HERE / "src" / name).read_text(encoding="utf-8") for name in SOURCES]
    return (
        "(function () {\n'use strict';\nconst CSS = "
        + json.dumps(css, ensure_ascii=False)
        + ";\n"
        + "\n".join(parts)
        + "\n})();\n"
    )


def build():
    """The served widget script, as bytes."""
    css = _esbuild((HERE / "widget.css").read_text(encoding="utf-8"), "css").strip()
    text = readable()
    start = text.index("const CSS = ")
    end = text.index(";\n", start)
    text = text[:start] + "const CSS = " + json.dumps(css, ensure_ascii=False) + text[end:]
    header = "/* cmp consent widget, built from widget/src by `python -m widget.build`; see docs/widget.md */\n"
    return (header + _esbuild(text, "js")).encode("utf-8")


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
    except (OSError, BuildError) as exc:
        print(f"widget build failed: {exc}", file=sys.stderr)
        return 1
    if args.readable:
        Path(args.readable).write_text(readable(), encoding="utf-8")
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
