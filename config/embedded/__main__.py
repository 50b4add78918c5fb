"""`python -m config.embedded start|stop|status`: the embedded servers by hand (`make stop` uses stop)."""

import argparse
import sys

from config.embedded import EmbeddedError, Services


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m config.embedded", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status"])
    action = parser.parse_args().action
    services = Services()
    if action == "start":
        try:
            services.start(owned=False)
        except EmbeddedError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    if action == "stop":
        stopped = services.stop()
        print(f"Stopped {' and '.join(stopped)}." if stopped else "Nothing was running.")
        return 0
    for name, server in (("PostgreSQL", services.postgres), ("Redis", services.redis)):
        state = f"running (pid {server.pid()})" if server.is_running() else "stopped"
        print(f"{name}: {state}, data in {server.data}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
