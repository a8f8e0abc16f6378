"""Drives the emulator with the official Python SDK through spec section 11 and every
environment, session, session resource and file method the SDK offers."""

import unittest

import anthropic

from emulator import Emulator

BETA = "managed-agents-2026-04-01"
TOKEN = "ghp_conformance_token_1"


class Conformance(unittest.TestCase):
    def setUp(self) -> None:
        self.emulator = Emulator()
        self.addCleanup(self.emulator.stop)
        self.client = anthropic.Anthropic(
            api_key=self.emulator.api_key, base_url=self.emulator.base_url, max_retries=2
        )

    def test_worked_flows(self) -> None:
        beta = self.client.beta
        emulator = self.emulator

        # 1. Environments.
        python_dev = beta.environments.create(
            name="python-dev",
            config={"type": "cloud", "networking": {"type": "unrestricted"}},
        )
        self.assertTrue(python_dev.id.startswith("env_"))
        with self.assertRaises(anthropic.APIStatusError) as conflict:
            beta.environments.create(name="python-dev")
        self.assertEqual(conflict.exception.status_code, 409)
        self.assertEqual(conflict.exception.response.headers["x-should-retry"], "false")
        self.assertTrue(conflict.exception.request_id.startswith("req_"))
        locked = beta.environments.create(
            name="locked-down",
            config={
                "type": "cloud",
                "networking": {
                    "type": "package_managers_and_custom",
                    "allowed_hosts": ["api.example.com"],
                },
            },
        )
        analysis = beta.environments.create(
            name="data-analysis",
            config={
                "type": "cloud",
                "networking": {"type": "limited", "allow_package_managers": True},
                "packages": {"pip": ["pandas", "numpy", "scikit-learn"], "npm": ["express"]},
            },
        )
        self.assertEqual(analysis.config.packages.pip, ["pandas", "numpy", "scikit-learn"])
        self.assertEqual(beta.environments.retrieve(locked.id).name, "locked-down")

        # 2. Upload and agent.
        csv = b"city,temp\nOslo,3\nLima,19\n"
        upload = beta.files.upload(file=("data.csv", csv, "text/csv"))
        self.assertEqual(upload.filename, "data.csv")
        self.assertEqual(upload.size_bytes, len(csv))
        self.assertFalse(upload.downloadable)
        self.assertEqual(beta.files.retrieve_metadata(upload.id).id, upload.id)
        agent = beta.agents.create(
            name="GitHub Agent",
            model="claude-opus-4-7",
            mcp_servers=[
                {"type": "url", "name": "github", "url": "https://api.githubcopilot.com/mcp/"}
            ],
            tools=[
                {"type": "agent_toolset_20260401", "default_config": {"enabled": True}},
                {"type": "mcp_toolset", "mcp_server_name": "github"},
            ],
        )
        self.assertEqual(agent.version, 1)
        vault = beta.vaults.create(display_name="conformance")

        # 3. Session with resources.
        session = beta.sessions.create(
            agent=agent.id,
            environment_id=python_dev.id,
            resources=[
                {"type": "file", "file_id": upload.id, "mount_path": "/workspace/data.csv"},
                {
                    "type": "github_repository",
                    "url": "https://github.com/owner/repo",
                    "authorization_token": TOKEN,
                    "checkout": {"type": "branch", "name": "main"},
                },
            ],
            vault_ids=[vault.id],
        )
        self.assertEqual(session.status, "idle")
        self.assertEqual(session.vault_ids, [vault.id])
        self.assertNotIn(TOKEN, session.to_json())

        # 4. Resources, token rotation.
        resources = list(beta.sessions.resources.list(session.id))
        self.assertEqual([r.type for r in resources], ["file", "github_repository"])
        self.assertEqual(resources[0].mount_path, "/workspace/data.csv")
        repository = resources[1]
        rotated = beta.sessions.resources.update(
            repository.id, session_id=session.id, authorization_token="ghp_rotated"
        )
        self.assertEqual(rotated.id, repository.id)
        raw = beta.sessions.resources.with_raw_response.list(session.id)
        self.assertNotIn("ghp_", raw.http_response.text)

        # 5. Outputs.
        report = b"# Report\n\nWarmest: Lima.\n"
        chart = bytes(range(256)) * 64
        emulator.write_output(session.id, "report.md", report, "text/markdown")
        emulator.write_output(session.id, "chart.png", chart, "image/png")
        outputs = list(beta.files.list(scope_id=session.id, betas=[BETA]))
        self.assertEqual(sorted(f.filename for f in outputs), ["chart.png", "report.md"])
        for output in outputs:
            self.assertTrue(output.downloadable)
            self.assertEqual(output.scope.id, session.id)
            content = beta.files.download(output.id).read()
            self.assertEqual(content, report if output.filename == "report.md" else chart)
        with self.assertRaises(anthropic.BadRequestError):
            beta.files.list(scope_id=session.id)
        with self.assertRaises(anthropic.PermissionDeniedError):
            beta.files.download(upload.id)

        # 6. Update, archive, refuse, list, delete.
        updated = beta.environments.update(python_dev.id, description="for new sessions")
        self.assertEqual(updated.description, "for new sessions")
        archived = beta.environments.archive(python_dev.id)
        self.assertIsNotNone(archived.archived_at)
        with self.assertRaises(anthropic.BadRequestError):
            beta.sessions.create(agent=agent.id, environment_id=python_dev.id)
        with self.assertRaises(anthropic.BadRequestError):
            beta.environments.update(python_dev.id, name="renamed")
        active = [e.id for e in beta.environments.list()]
        self.assertNotIn(python_dev.id, active)
        everything = [e.id for e in beta.environments.list(include_archived=True)]
        self.assertIn(python_dev.id, everything)
        beta.environments.delete(python_dev.id)
        with self.assertRaises(anthropic.NotFoundError):
            beta.environments.retrieve(python_dev.id)

    def test_every_session_resource_and_file_method(self) -> None:
        beta = self.client.beta
        environment = beta.environments.create(name="methods")
        agent = beta.agents.create(name="a", model="claude-opus-4-7")
        upload = beta.files.upload(file=("notes.txt", b"hello", "text/plain"))
        session = beta.sessions.create(
            agent={"type": "agent", "id": agent.id, "version": 1},
            environment_id=environment.id,
            title="first",
            metadata={"team": "qa"},
        )
        self.assertEqual(beta.sessions.retrieve(session.id).title, "first")
        updated = beta.sessions.update(session.id, title="second", metadata={"team": None})
        self.assertEqual(updated.title, "second")
        self.assertEqual(updated.metadata, {})
        with self.assertRaises(anthropic.BadRequestError):
            beta.sessions.update(session.id, vault_ids=[])

        added = beta.sessions.resources.add(session.id, type="file", file_id=upload.id)
        self.assertEqual(added.mount_path, f"/mnt/session/uploads/{upload.id}")
        fetched = beta.sessions.resources.retrieve(added.id, session_id=session.id)
        self.assertEqual(fetched.file_id, upload.id)
        with self.assertRaises(anthropic.BadRequestError):
            beta.sessions.resources.update(
                added.id, session_id=session.id, authorization_token="t"
            )
        deleted = beta.sessions.resources.delete(added.id, session_id=session.id)
        self.assertEqual(deleted.type, "session_resource_deleted")

        listed = [s.id for s in beta.sessions.list(agent_id=agent.id, statuses=["idle"])]
        self.assertEqual(listed, [session.id])
        archived = beta.sessions.archive(session.id)
        self.assertIsNotNone(archived.archived_at)
        self.assertEqual(list(beta.sessions.list()), [])
        self.assertEqual(beta.sessions.delete(session.id).type, "session_deleted")

        for index in range(5):
            beta.files.upload(file=(f"{index}.txt", b"x", "text/plain"))
        page = beta.files.list(limit=2)
        walked = [f.id for f in page.iter_pages() for f in f.data]
        self.assertEqual(len(walked), 6)
        self.assertEqual(len(set(walked)), 6)
        chosen = beta.files.list(ids=[upload.id])
        self.assertEqual([f.id for f in chosen.data], [upload.id])
        self.assertEqual(beta.files.delete(upload.id).type, "file_deleted")

    def test_retries_against_injected_faults(self) -> None:
        self.emulator.set_faults(
            {
                "rules": [
                    {
                        "method": "GET",
                        "path": "/v1/environments",
                        "times": 2,
                        "fault": {
                            "type": "status",
                            "status": 529,
                            "headers": {"retry-after-ms": "10"},
                        },
                    },
                    {
                        "method": "POST",
                        "path": "/v1/environments",
                        "times": 1,
                        "fault": {"type": "drop", "when": "after_body"},
                    },
                    {
                        "path": "/v1/vaults",
                        "times": 1,
                        "fault": {
                            "type": "status",
                            "status": 503,
                            "headers": {"x-should-retry": "false"},
                        },
                    },
                ]
            }
        )
        self.assertEqual(list(self.client.beta.environments.list()), [])
        created = self.client.beta.environments.create(name="after-a-drop")
        self.assertEqual(created.name, "after-a-drop")
        with self.assertRaises(anthropic.InternalServerError):
            self.client.beta.vaults.list()
        plan = self.emulator.control("GET", "/_emulator/faults")
        self.assertEqual([rule["hits"] for rule in plan["rules"]], [2, 1, 1])

    def test_auth_is_required(self) -> None:
        stranger = anthropic.Anthropic(
            api_key="sk-wrong", base_url=self.emulator.base_url, max_retries=0
        )
        with self.assertRaises(anthropic.AuthenticationError):
            stranger.beta.environments.list()


if __name__ == "__main__":
    unittest.main()
