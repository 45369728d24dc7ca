"""Container health check: healthy only when the Rasa server answers with a model loaded.

``GET /`` answers as soon as the HTTP server is up, before any model is loaded. ``/status``
names the loaded model file; it is empty (or the call fails) until the model is ready. The token
comes from the environment, so it never appears on a command line.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request


def main() -> int:
    """Exit 0 when ``/status`` reports a loaded model, 1 otherwise."""
    port = os.environ.get("RASA_PORT", "5005")
    query = urllib.parse.urlencode({"token": os.environ.get("RASA_TOKEN", "")})
    url = f"http://127.0.0.1:{port}/status?{query}"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            status = json.load(response)
    except (OSError, ValueError):
        return 1
    return 0 if isinstance(status, dict) and status.get("model_file") else 1


if __name__ == "__main__":
    sys.exit(main())
