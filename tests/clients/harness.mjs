// Starts a real `corral serve` (the Release build) on a free port with a fresh model store,
// and writes generated GGUF models with corral-make-model. Shared by the client tests.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corralDll = join(repo, 'src/Corral.Cli/bin/Release/net10.0/corral.dll');
const makeModelDll = join(repo, 'tools/Corral.MakeModel/bin/Release/net10.0/corral-make-model.dll');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// Every temp folder a test file makes goes when its process ends: a run leaves nothing behind.
const tempFolders = [];
process.on('exit', () => {
  for (const dir of tempFolders) rmSync(dir, { recursive: true, force: true });
});

function tempFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempFolders.push(dir);
  return dir;
}

export function makeModel(kind) {
  const dir = tempFolder('corral-js-model-');
  const path = join(dir, `${kind}.gguf`);
  execFileSync('dotnet', [makeModelDll, kind, path], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path;
}

/** The tool-caller model and the Go template it answers with a tool call (see ToolCallerModel). */
export function makeToolCaller() {
  const path = makeModel('tool-caller');
  return { path, template: readFileSync(path + '.gotmpl', 'utf8') };
}

/**
 * The thinker model, the Go template it thinks with, and what it answers (see ThinkerModel): thought, answer,
 * thoughtPieces, answerPieces, thinkingTokens — read from the files corral-make-model writes beside it.
 */
export function makeThinker() {
  const path = makeModel('thinker');
  return { path, template: readFileSync(path + '.gotmpl', 'utf8'), expected: JSON.parse(readFileSync(path + '.json', 'utf8')) };
}

export async function startServer(env = {}) {
  const port = await freePort();
  const models = tempFolder('corral-js-store-');
  const child = spawn('dotnet', [corralDll, 'serve'], {
    env: { ...process.env, OLLAMA_HOST: `127.0.0.1:${port}`, OLLAMA_MODELS: models, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const host = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(host + '/');
      if (res.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`corral serve exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`corral serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    log: () => log,
    // SIGTERM lets the server stop its runners; SIGKILL only if it hangs (its runners then end by themselves:
    // they exit when the server's end of their stdin closes).
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Uploads a GGUF as a blob and returns its digest (sha256:...). */
export async function uploadBlob(host, path) {
  const bytes = readFileSync(path);
  const digest = 'sha256:' + createHash('sha256').update(bytes).digest('hex');
  const res = await fetch(`${host}/api/blobs/${digest}`, { method: 'POST', body: bytes });
  if (!res.ok && res.status !== 200 && res.status !== 201) throw new Error(`blob upload: ${res.status} ${await res.text()}`);
  return digest;
}
