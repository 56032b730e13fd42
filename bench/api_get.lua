-- wrk script: a plain GET of the URL given (no token, no body).
wrk.method = "GET"
