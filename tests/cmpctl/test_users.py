"""cmpctl user add|list|remove, through the real entry point, on the configured store."""

import json

from click.testing import CliRunner

from cmp import passwords
from cmp.app import open_store
from cmp.settings import load
from cmpctl.cli import main
from cmpctl.common import ExitStatus

SECRET = "a long enough password"


def run(tmp_path, *args, stdin=None):
    env = {"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"}
    return CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)


def stored_users(tmp_path):
    return open_store(load(environ={"CMP_STORE_URL": f"sqlite:///{tmp_path}/c.db"})).users


def test_add_reads_the_password_from_standard_input_and_keeps_only_a_hash(tmp_path):
    result = run(
        tmp_path, "user", "add", "Alice@Example.org", "--role", "editor", "--site", "milleis", stdin=SECRET + "\n"
    )
    assert result.exit_code == ExitStatus.OK
    assert result.output == "added alice@example.org (editor, milleis)\n"
    user = stored_users(tmp_path).get("alice@example.org")
    assert (user.role, user.sites) == ("editor", ("milleis",))
    assert SECRET not in user.password_hash and user.password_hash.startswith("scrypt$")
    assert passwords.verify(SECRET, user.password_hash)


def test_list_shows_every_user_as_text_or_json(tmp_path):
    run(tmp_path, "user", "add", "b@example.org", "--role", "admin", stdin=SECRET)
    run(tmp_path, "user", "add", "a@example.org", "--role", "viewer", "--site", "amex-portal", stdin=SECRET)
    text = run(tmp_path, "user", "list").output.splitlines()
    assert [line.split("\t")[:3] for line in text] == [
        ["a@example.org", "viewer", "amex-portal"],
        ["b@example.org", "admin", "*"],
    ]
    rows = json.loads(run(tmp_path, "user", "list", "--format", "json").output)
    assert [(r["email"], r["role"], r["sites"]) for r in rows] == [
        ("a@example.org", "viewer", ["amex-portal"]),
        ("b@example.org", "admin", []),
    ]


def test_remove_deletes_the_user(tmp_path):
    run(tmp_path, "user", "add", "a@example.org", "--role", "viewer", stdin=SECRET)
    assert run(tmp_path, "user", "remove", "a@example.org").output == "removed a@example.org\n"
    assert stored_users(tmp_path).all() == []


def test_bad_input_is_one_line_and_exit_2_and_changes_nothing(tmp_path):
    run(tmp_path, "user", "add", "a@example.org", "--role", "viewer", stdin=SECRET)
    cases = [
        (
            ("user", "add", "a@example.org", "--role", "admin"),
            SECRET,
            "cmpctl: a@example.org: a user with this e-mail exists; remove it first\n",
        ),
        (
            ("user", "add", "b@example.org", "--role", "admin"),
            "short",
            "cmpctl: password: must be at least 12 characters\n",
        ),
        (
            ("user", "add", "b@example.org", "--role", "admin", "--site", "nope"),
            SECRET,
            "cmpctl: --site 'nope': no such site; known: amex-portal, milleis\n",
        ),
        (
            ("user", "add", "not-an-email", "--role", "admin"),
            SECRET,
            "cmpctl: EMAIL 'not-an-email': not an e-mail address\n",
        ),
        (("user", "remove", "b@example.org"), None, "cmpctl: b@example.org: no such user\n"),
    ]
    for args, stdin, message in cases:
        result = run(tmp_path, *args, stdin=stdin)
        assert (result.exit_code, result.output) == (ExitStatus.ERROR, message)
    assert [(u.email, u.role) for u in stored_users(tmp_path).all()] == [("a@example.org", "viewer")]


def test_an_unknown_role_is_a_usage_error(tmp_path):
    result = run(tmp_path, "user", "add", "a@example.org", "--role", "owner", stdin=SECRET)
    assert result.exit_code == ExitStatus.ERROR
    assert "'owner' is not one of 'viewer', 'editor', 'admin'" in result.output
