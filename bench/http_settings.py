"""Settings for `bench/http_load.py`: production settings with the per-address guards raised for one load client.

Everything else is `motcua.settings` as deployed (DEBUG off, the cache on Redis from CACHE_URL, whitenoise). One wrk
client sends every request from 127.0.0.1, so the public tracking budget (10 lookups per address per 10 minutes)
and the anonymous API rate would answer 429 within a second and measure the refusal, not the page.
"""
from motcua.settings import *  # noqa: F403

TRACKING_ATTEMPTS = 10**9
TRACKING_WINDOW_SECONDS = 1
REST_FRAMEWORK = {**REST_FRAMEWORK,  # noqa: F405
                  "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
                                             "anon": "1000000/second"}}
