"""Acknowledged versus found: consents written under load while the service (and Redis) are
killed with SIGKILL, then every consent the service answered 201 is looked up after a restart.
Also what each kind of hostile input gets back.

    python bench/reliability.py --store sqlite --kill app --seconds 3
    python bench/reliability.py --store redis --kill app+redis --seconds 3
    python bench/reliability.py --hostile

Prints one JSON line per run. Writers are threads posting first decisions as fast as the
service answers; the kill lands while requests are in flight, so some get no answer (those were
never acknowledged and are not counted).
"""

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import RedisServer, ServiceProcess  # noqa: E402

SITE = "amex-portal"
ENV = {"CMP_SECRET_KEY": "reliability", "CMP_ADMIN_API_KEY": "admin", "CMP_RATE_LIMIT": "off"}


def call(url, method="GET", body=None, headers=None, raw=None, timeout=5):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    if data is not None and "Content-Type" not in (headers or {}):
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def write_until_killed(url, revision, acknowledged, stop):
    body = {
        "choices": {"audience": True, "performance": False, "advertising": False},
        "revision": revision,
        "source": "api",
        "lang": "fr",
    }
    while not stop.is_set():
        try:
            status, raw = call(f"{url}/v1/sites/{SITE}/consents", "POST", body, timeout=2)
        except OSError:
            continue  # no answer: not acknowledged
        if status == 201:
            created = json.loads(raw)
            acknowledged.append((created["visitor_id"], created["token"], created["decided_at"]))


def kill_run(store, kill, seconds, writers):
    with tempfile.TemporaryDirectory() as tmp:
        redis_server = None
        env = dict(ENV)
        if store == "redis":
            Path(tmp, "redis").mkdir()
            redis_server = RedisServer(directory=Path(tmp, "redis")).start()
            env["CMP_STORE_URL"] = redis_server.url
        else:
            env["CMP_STORE_URL"] = f"sqlite:///{tmp}/consents.db"
        service = ServiceProcess(env, workers=2).start()
        try:
            revision = json.loads(call(f"{service.url}/v1/sites/{SITE}/banner")[1])["revision"]
            acknowledged, stop = [], threading.Event()
            threads = [
                threading.Thread(target=write_until_killed, args=(service.url, revision, acknowledged, stop))
                for _ in range(writers)
            ]
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            service.kill()  # SIGKILL to the server and its workers, mid-stream
            if redis_server and "redis" in kill:
                redis_server.kill()
            stop.set()
            for thread in threads:
                thread.join()
            if redis_server and "redis" in kill:
                redis_server.start()  # same port and folder: it replays its append-only file
            service = ServiceProcess(env, workers=2, port=service.port).start()
            found = sum(
                1
                for visitor_id, token, decided_at in acknowledged
                if (
                    answer := call(
                        f"{service.url}/v1/sites/{SITE}/consents/{visitor_id}",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                )[0]
                == 200
                and json.loads(answer[1])["decided_at"] == decided_at
            )
            return {
                "store": store,
                "kill": kill,
                "seconds": seconds,
                "writers": writers,
                "acknowledged": len(acknowledged),
                "found": found,
                "lost": len(acknowledged) - found,
            }
        finally:
            service.stop()
            if redis_server:
                redis_server.cleanup()


HOSTILE = {
    "nested JSON ([ x 3000)": dict(raw=b"[" * 3000),
    "invalid UTF-16 surrogate": dict(raw=b'{"choices": {"\\ud800": true}}'),
    "body over 8 KiB": dict(raw=b'{"x": "' + b"a" * 9000 + b'"}'),
    "not JSON content type": dict(raw=b"choices=all", headers={"Content-Type": "text/plain"}),
    "NaN in JSON": dict(raw=b'{"choices": NaN}'),
    "unknown field": dict(body={"choices": {}, "revision": "r", "source": "api", "admin": True}),
    "visitor id with a path": dict(body={"choices": {}, "revision": "r", "source": "api", "visitor_id": "../../etc"}),
}


def hostile_run():
    with tempfile.TemporaryDirectory() as tmp:
        service = ServiceProcess({**ENV, "CMP_STORE_URL": f"sqlite:///{tmp}/c.db"}, workers=1).start()
        try:
            answers = {}
            for name, request in HOSTILE.items():
                status, raw = call(f"{service.url}/v1/sites/{SITE}/consents", "POST", **request)
                answers[name] = {"status": status, "error": json.loads(raw).get("error")}
            for name, path in {"far-future export date": "to=9999-12-31", "unknown admin parameter": "form=x"}.items():
                status, raw = call(
                    f"{service.url}/v1/admin/sites/{SITE}/proofs?{path}", headers={"Authorization": "Bearer admin"}
                )
                answers[name] = {"status": status, "error": json.loads(raw).get("error")}
            return {"hostile": answers}
        finally:
            service.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "redis"], default="sqlite")
    parser.add_argument("--kill", choices=["app", "app+redis"], default="app")
    parser.add_argument("--seconds", type=float, default=3.0, help="Writing time before the kill.")
    parser.add_argument("--writers", type=int, default=8, help="Threads writing consents.")
    parser.add_argument("--hostile", action="store_true", help="Send hostile inputs instead.")
    args = parser.parse_args()
    result = hostile_run() if args.hostile else kill_run(args.store, args.kill, args.seconds, args.writers)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
