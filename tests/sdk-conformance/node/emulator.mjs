// Starts the emulator binary on 127.0.0.1 with a free port, and stops it.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The emulator binary: $MANAGED_AGENTS_EMULATOR_BIN, else the debug build. */
export function binary() {
  if (process.env.MANAGED_AGENTS_EMULATOR_BIN) return process.env.MANAGED_AGENTS_EMULATOR_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
  return path.join(target, 'debug', 'managed-agents-emulator');
}

/** One emulator process; call `stop()` when done. */
export async function startEmulator(...args) {
  const apiKey = `sk-conformance-${randomBytes(12).toString('hex')}`;
  const child = spawn(binary(), ['--port', '0', ...args], {
    env: { ...process.env, MANAGED_AGENTS_EMULATOR_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  if (!first.startsWith('listening on ')) {
    child.kill('SIGKILL');
    throw new Error(`unexpected first line from the emulator: ${first}`);
  }
  lines.on('line', () => {});
  const baseURL = first.slice('listening on '.length);

  async function control(method, route, body, contentType) {
    const headers = { 'x-api-key': apiKey };
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(baseURL + route, { method, headers, body });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status}`);
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  }

  return {
    apiKey,
    baseURL,
    control,
    /** Plays the agent: writes a file to the session's outputs folder. */
    writeOutput: (sessionId, file, bytes, contentType) =>
      control('PUT', `/_emulator/sessions/${sessionId}/outputs/${file}`, bytes, contentType),
    /** Replaces the fault plan. */
    setFaults: (plan) =>
      control('PUT', '/_emulator/faults', JSON.stringify(plan), 'application/json'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
