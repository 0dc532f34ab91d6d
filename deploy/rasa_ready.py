"""Is this Rasa server ready? Exit 0 when ``/status`` names a loaded model, else 1.

The readiness check of the Rasa containers (docker-compose.yml, deploy/k8s/rasa.yaml),
run with the rasa image's Python (standard library only). ``/status`` needs the API
token, which a plain HTTP probe cannot read from the environment; this is the test the
gateway makes (``RasaClient.is_ready``); ``/`` answers even when no model could be loaded.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

PORT = 5005


def main() -> int:
    """Ask the local Rasa server's ``/status``; 0 when a model is loaded."""
    token = os.environ.get("ICBOT_RASA_TOKEN", "")
    query = urllib.parse.urlencode({"token": token})
    url = f"http://127.0.0.1:{PORT}/status?{query}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            status = json.load(response)
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        print(f"rasa not ready: {exc}", file=sys.stderr)
        return 1
    if not (isinstance(status, dict) and status.get("model_file")):
        print("rasa not ready: no model loaded", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
