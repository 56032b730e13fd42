"""``cmpctl demo-data``: a demo admin and 60 days of synthetic decisions for every site, made
through the service's own decision and counting code, so the console shows living charts."""

import dataclasses
import datetime as dt
import random
import secrets

import click

from .common import fail, load_settings

# Share of decisions by outcome, and how often a visitor withdraws later the same day.
OUTCOMES = (("accept_all", 0.56), ("refuse_all", 0.31), ("custom", 0.13))
WITHDRAW_RATE = 0.02
DECIDE_RATE = 0.82  # decisions per banner display: the rest left without deciding


def _choices(site, outcome, rng):
    refusable = [c.id for c in site.categories if c.refusable]
    if outcome == "accept_all":
        return dict.fromkeys(refusable, True)
    if outcome == "refuse_all" or len(refusable) < 2:
        return dict.fromkeys(refusable, False)
    granted = rng.sample(refusable, rng.randint(1, len(refusable) - 1))
    return {c: c in granted for c in refusable}


def load_site(store, site, days, per_day, rng, today):
    """Decisions and displays for ``site`` over the ``days`` before ``today``; returns how many decisions."""
    from cmp import decisions, outcomes, revisions
    from cmp.banner import banner_config, text_version

    for lang in site.languages:
        store.archive(site.id, text_version(site, lang), banner_config(site, lang))
    revisions.archive(store, site)
    made = 0
    for offset in range(days, 0, -1):
        day = today - dt.timedelta(days=offset)
        weekend = day.weekday() >= 5
        count = max(1, int(per_day * (0.6 if weekend else 1.0) * rng.uniform(0.8, 1.2)))
        store.counters.add(site.id, day, outcomes.shown_counters(site) * round(count / DECIDE_RATE))
        moments = sorted(rng.uniform(0, 86_399) for _ in range(count))
        for second in moments:
            outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
            lang = rng.choices(
                site.languages, [0.85] + [0.15 / max(len(site.languages) - 1, 1)] * (len(site.languages) - 1)
            )[0]
            source = rng.choices(("banner", "panel", "gpc"), (0.9, 0.08, 0.02))[0]
            if source == "gpc":
                outcome = "refuse_all"
            choices, services = decisions.resolve(site, _choices(site, outcome, rng))
            at = dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(seconds=second)
            visitor = secrets.token_urlsafe(16)
            record = _dated(
                decisions.build_record(site, visitor, choices, services, source, lang, user_agent="demo-data"), at, site
            )
            store.save(record, outcomes.decision_counts(site, record))
            made += 1
            if rng.random() < WITHDRAW_RATE:
                refused, refused_services = decisions.refusal(site)
                later = min(
                    at + dt.timedelta(minutes=rng.randint(1, 120)), dt.datetime.combine(day, dt.time.max, dt.UTC)
                )
                withdrawal = decisions.build_record(
                    site, visitor, refused, refused_services, "api", lang, action="withdraw", user_agent="demo-data"
                )
                withdrawal = _dated(withdrawal, later, site)
                store.save(withdrawal, outcomes.decision_counts(site, withdrawal))
    return made


def _dated(record, at, site):
    return dataclasses.replace(record, decided_at=at, expires_at=at + dt.timedelta(days=site.consent_max_age_days))


def reset_admin(store, email):
    """(Re)create the demo admin with a fresh random password; returns the password."""
    from cmp import clock, passwords
    from cmp.store.users import User

    password = secrets.token_urlsafe(12)
    store.users.remove(email)
    store.users.add(User(email, "admin", passwords.hash_password(password), (), clock.now()))
    return password


@click.command("demo-data", short_help="Load a demo admin and synthetic decisions (demo only).")
@click.option("--days", default=60, show_default=True, type=click.IntRange(1, 400), help="Days of history.")
@click.option(
    "--per-day", default=60, show_default=True, type=click.IntRange(1, 5000), help="Decisions a weekday, about."
)
@click.option("--seed", default=None, type=int, help="Seed for reproducible figures.")
@click.option(
    "--admin", "admin_email", default="admin@demo.invalid", show_default=True, help="The demo admin's e-mail."
)
def demo_data(days, per_day, seed, admin_email):
    """Create (or reset) the demo admin and print its password; load synthetic decisions for
    every site that has no figures yet in the period, through the service's own counting."""
    import inventory
    from cmp import clock
    from cmp.app import open_store
    from cmp.errors import CMPError
    from inventory.errors import InventoryError

    values = load_settings()
    try:
        sites = inventory.load_dir(values["INVENTORY_DIR"] or None)
        store = open_store(values)
        today = clock.utc_day(clock.now())
        rng = random.Random(seed)
        for site_id in sorted(sites):
            site = sites[site_id]
            if store.counters.read(site.id, today - dt.timedelta(days=days), today):
                click.echo(f"{site.id}: already has figures for the period; left as is")
                continue
            made = load_site(store, site, days, per_day, rng, today)
            click.echo(f"{site.id}: {made} decisions over {days} days")
        password = reset_admin(store, admin_email)
    except (CMPError, InventoryError) as exc:
        fail(str(exc))
    click.echo(f"Console admin: e-mail {admin_email}  password {password}")
