"""Starts the emulator binary on 127.0.0.1 with a free port, and stops it."""

import json
import os
import secrets
import subprocess
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def binary() -> str:
    """The emulator binary: $MANAGED_AGENTS_EMULATOR_BIN, else the debug build."""
    explicit = os.environ.get("MANAGED_AGENTS_EMULATOR_BIN")
    if explicit:
        return explicit
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "debug" / "managed-agents-emulator")


class Emulator:
    """One emulator process; use as a context manager."""

    def __init__(self, *args: str) -> None:
        self.api_key = "sk-conformance-" + secrets.token_hex(12)
        env = dict(os.environ, MANAGED_AGENTS_EMULATOR_API_KEY=self.api_key)
        self.process = subprocess.Popen(
            [binary(), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"unexpected first line from the emulator: {line!r}")
        self.base_url = line.removeprefix("listening on ")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def control(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> dict:
        """Calls a `/_emulator` control endpoint and decodes its JSON answer."""
        request = urllib.request.Request(
            self.base_url + path, data=body or None, method=method
        )
        request.add_header("x-api-key", self.api_key)
        if content_type:
            request.add_header("content-type", content_type)
        with urllib.request.urlopen(request) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def write_output(self, session_id: str, path: str, body: bytes, content_type: str) -> dict:
        """Plays the agent: writes a file to the session's outputs folder."""
        return self.control(
            "PUT", f"/_emulator/sessions/{session_id}/outputs/{path}", body, content_type
        )

    def set_faults(self, plan: dict) -> dict:
        """Replaces the fault plan."""
        return self.control(
            "PUT", "/_emulator/faults", json.dumps(plan).encode(), "application/json"
        )
