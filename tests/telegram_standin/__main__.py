"""Chat with a bot through the stand-in by hand.

    .venv/bin/python -m tests.telegram_standin --port 8081
    # in another shell: TELEGRAM_API_URL=http://127.0.0.1:8081/bot TELEGRAM_BOT_TOKEN=123456:TEST \
    #     .venv/bin/digilotse run

Type a line to send it as user ``--user``; ``!data`` presses the inline button with that
callback_data; Ctrl-D ends.  The bot's messages are printed as they arrive.
"""

from __future__ import annotations

import argparse
import sys
import threading

from .recording import EDIT_METHODS, SEND_METHODS, SentCall
from .server import StandinServer


def _printer(server: StandinServer, stop: threading.Event) -> None:
    since = 0
    while not stop.is_set():
        try:
            call = server.wait_for(_is_visible, timeout=0.5, since=since)
        except TimeoutError:
            continue
        since = next(i for i, sent in enumerate(server.sent) if sent is call) + 1
        _show(call)


def _is_visible(call: SentCall) -> bool:
    return call.method in SEND_METHODS | EDIT_METHODS or not call.ok


def _show(call: SentCall) -> None:
    if not call.ok:
        print(f"  !! {call.method} -> {call.status} {call.error}", flush=True)
        return
    marker = "~" if call.method in EDIT_METHODS else ">"
    print(f"{marker} {call.plain_text or ''}", flush=True)
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        print("   " + "  ".join(f"[{b['text']} !{b.get('callback_data', '')}]" for b in row))


def main() -> None:
    """Serve until stdin ends."""
    parser = argparse.ArgumentParser(prog="python -m tests.telegram_standin")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--user", type=int, default=1)
    parser.add_argument("--rate-limit", type=float, default=30.0)
    args = parser.parse_args()
    stop = threading.Event()
    with StandinServer(args.token, port=args.port, rate_limit=args.rate_limit) as server:
        for name, value in server.bot_env().items():
            print(f"{name}={value}")
        threading.Thread(target=_printer, args=(server, stop), daemon=True).start()
        for line in sys.stdin:
            text = line.rstrip("\n")
            if text.startswith("!"):
                server.inject_callback(args.user, text[1:], check_button=False)
            elif text:
                server.inject_message(args.user, text)
        stop.set()


if __name__ == "__main__":
    main()
