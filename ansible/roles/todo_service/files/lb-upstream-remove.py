#!/usr/bin/python3
"""Takes one app instance out of a running Caddy's load balancing, through Caddy's admin API.

    lb-upstream-remove.py ADMIN_ADDRESS HOST:PORT

Every reverse_proxy handler of the running configuration that balances over HOST:PORT gets the list without it, so
the instance receives no new request while the requests it has finish (Caddy applies configuration changes
gracefully). `systemctl reload caddy` restores the configuration from the Caddyfile. Prints "removed" or
"unchanged" (no such upstream, the last one, or no Caddy running yet).
"""
import json
import sys
import urllib.error
import urllib.request


def handlers(node, path):
    """Yields (path, upstreams) of each reverse_proxy handler below node."""
    if isinstance(node, dict):
        if node.get("handler") == "reverse_proxy":
            yield path + ["upstreams"], node.get("upstreams", [])
        for key, value in node.items():
            yield from handlers(value, path + [key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from handlers(value, path + [str(index)])


def main(admin, dial):
    try:
        with urllib.request.urlopen(f"http://{admin}/config/", timeout=5) as response:
            config = json.load(response)
    except urllib.error.URLError:
        return "unchanged"
    outcome = "unchanged"
    for path, upstreams in list(handlers(config, [])):
        remaining = [upstream for upstream in upstreams if upstream.get("dial") != dial]
        if len(remaining) == len(upstreams) or not remaining:
            continue
        request = urllib.request.Request(f"http://{admin}/config/" + "/".join(path), method="PATCH",
                                         data=json.dumps(remaining).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):
            outcome = "removed"
    return outcome


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2]))
