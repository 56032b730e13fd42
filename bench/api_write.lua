-- wrk script: POST first decisions (new visitors) to the consent API.
-- The body (with the site's current revision) is passed in the BENCH_BODY environment variable.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
