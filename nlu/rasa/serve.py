"""Serve the trained Rasa NLU model over HTTP, the auth token read from the environment.

``rasa run --auth-token TOKEN`` puts the token on the command line, where every local user
(``ps``) and ``docker inspect`` can read it. This launcher hands it to Rasa's own
``serve_application`` instead:

    RASA_TOKEN=... python nlu/rasa/serve.py --model models --interface 0.0.0.0 --port 5005

It runs inside the Rasa environment (Python 3.10, ``.venv-rasa`` or the ``rasa/rasa`` image).
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    """Parse the arguments, check the token and serve until stopped."""
    parser = argparse.ArgumentParser(description="Serve the Rasa NLU model; token from RASA_TOKEN.")
    parser.add_argument("--model", required=True, help="model file or folder (newest model wins)")
    parser.add_argument("--interface", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5005)
    args = parser.parse_args()
    token = os.environ.get("RASA_TOKEN", "")
    if not token:
        print("serve.py: RASA_TOKEN is not set; refusing to serve.", file=sys.stderr)
        return 2
    os.environ.pop("RASA_TOKEN")  # not inherited by anything Rasa starts
    from rasa.core.run import serve_application

    serve_application(
        model_path=args.model,
        interface=args.interface,
        port=args.port,
        auth_token=token,
        enable_api=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
