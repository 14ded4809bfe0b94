#!/usr/bin/env python3
"""Container health check: exit 0 when URL answers 200, else 1 with the reason.

Standard library only (the image has no curl). Usage: probe.py URL [TIMEOUT_SECONDS]
"""

import sys
import urllib.error
import urllib.request


def main() -> int:
    url = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"{url} answered {error.code}: {error.read(500).decode(errors='replace')}")
    except (urllib.error.URLError, OSError) as error:
        print(f"{url} did not answer: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
