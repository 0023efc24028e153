// The real npm `ollama` client (ollama-js) against a real corral serve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { startServer, makeModel, uploadBlob } from './harness.mjs';

const TEMPLATE = '{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
let server;
let ollama;

before(async () => {
  server = await startServer();
  ollama = new Ollama({ host: server.host });
  const successor = await uploadBlob(server.host, makeModel('successor'));
  const embedding = await uploadBlob(server.host, makeModel('embedding'));
  const created = await ollama.create({ model: 'succ', files: { 'successor.gguf': successor }, template: TEMPLATE, parameters: { temperature: 0 } });
  assert.equal(created.status, 'success');
  await ollama.create({ model: 'emb', files: { 'embedding.gguf': embedding } });
});

after(async () => {
  await server?.stop();
});

test('list shows the created models', async () => {
  const { models } = await ollama.list();
  const names = models.map((m) => m.name).sort();
  assert.deepEqual(names, ['emb:latest', 'succ:latest']);
  const succ = models.find((m) => m.name === 'succ:latest');
  assert.equal(succ.details.format, 'gguf');
  assert.match(succ.digest, /^[0-9a-f]{64}$/);
  assert.ok(succ.size > 0);
});

test('show returns the template, parameters and capabilities', async () => {
  const info = await ollama.show({ model: 'succ' });
  assert.equal(info.template, TEMPLATE);
  assert.match(info.parameters, /temperature\s+0/);
  assert.ok(info.capabilities.includes('completion'));
  assert.equal(info.model_info['general.architecture'], 'llama');
  const emb = await ollama.show({ model: 'emb' });
  assert.ok(emb.capabilities.includes('embedding'));
});

test('generate without streaming', async () => {
  const res = await ollama.generate({ model: 'succ', prompt: 'hello a', raw: true });
  assert.equal(res.response, 'bcdefghijklmnopqrstuvwxyz');
  assert.equal(res.done, true);
  assert.equal(res.done_reason, 'stop');
  assert.equal(res.eval_count, 25);
});

test('generate streaming', async () => {
  const stream = await ollama.generate({ model: 'succ', prompt: 'x 4', raw: true, stream: true, options: { num_predict: 6 } });
  let text = '';
  let last;
  for await (const part of stream) {
    text += part.response;
    last = part;
  }
  assert.equal(text, '567890');
  assert.equal(last.done_reason, 'length');
});

test('chat without and with streaming', async () => {
  const res = await ollama.chat({ model: 'succ', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(res.message.role, 'assistant');
  assert.equal(res.message.content, ALPHABET);

  const stream = await ollama.chat({ model: 'succ', messages: [{ role: 'user', content: 'hi' }], stream: true, options: { num_predict: 3 } });
  let text = '';
  for await (const part of stream) text += part.message.content;
  assert.equal(text, 'abc');
});

test('embed', async () => {
  const res = await ollama.embed({ model: 'emb', input: ['hello world', 'the cat'] });
  assert.equal(res.embeddings.length, 2);
  assert.equal(res.embeddings[0].length, 32);
  const norm = Math.sqrt(res.embeddings[0].reduce((s, v) => s + v * v, 0));
  assert.ok(Math.abs(norm - 1) < 1e-4);
});

test('ps lists loaded models', async () => {
  const { models } = await ollama.ps();
  assert.ok(models.some((m) => m.name === 'succ:latest'));
  assert.ok(models.every((m) => typeof m.expires_at === 'string'));
});

test('copy and delete', async () => {
  await ollama.copy({ source: 'succ', destination: 'succ-copy' });
  let { models } = await ollama.list();
  assert.ok(models.some((m) => m.name === 'succ-copy:latest'));
  await ollama.delete({ model: 'succ-copy' });
  ({ models } = await ollama.list());
  assert.ok(!models.some((m) => m.name === 'succ-copy:latest'));
  // the original still works
  const res = await ollama.generate({ model: 'succ', prompt: 'a', raw: true, options: { num_predict: 2 } });
  assert.equal(res.response, 'bc');
});

test('the whole prompt is counted every time and load_duration is always there (issue 15)', async () => {
  const request = { model: 'succ', prompt: 'count me the same twice please', raw: true, options: { num_predict: 2 } };
  const first = await ollama.generate(request);
  const again = await ollama.generate(request);
  assert.ok(first.prompt_eval_count > 3);
  assert.equal(again.prompt_eval_count, first.prompt_eval_count);
  assert.ok(again.load_duration > 0);

  const stream = await ollama.chat({ model: 'succ', messages: [{ role: 'user', content: 'hi' }], stream: true, options: { num_predict: 2 } });
  let last;
  for await (const part of stream) last = part;
  assert.equal(last.done, true);
  assert.ok(last.load_duration > 0);
  assert.ok(last.prompt_eval_count > 0);

  await ollama.embed({ model: 'emb', input: 'warm' });
  const embedded = await ollama.embed({ model: 'emb', input: 'timed' });
  assert.ok(embedded.load_duration > 0);
  assert.ok(embedded.total_duration >= embedded.load_duration);
});

test('list has capabilities and the lengths; version is an Ollama version', async () => {
  const { models } = await ollama.list();
  const succ = models.find((m) => m.name === 'succ:latest');
  assert.ok(succ.capabilities.includes('completion'));
  assert.ok(succ.details.context_length > 0);
  assert.ok(succ.details.embedding_length > 0);
  assert.deepEqual(models.find((m) => m.name === 'emb:latest').capabilities, ['embedding']);
  const { version } = await ollama.version();
  assert.equal(version, '0.33.0');
});

test('think accepts the max level', async () => {
  // succ cannot think: the level is valid, the model is what gets refused.
  await assert.rejects(ollama.chat({ model: 'succ', think: 'max', messages: [{ role: 'user', content: 'hi' }] }), (err) => {
    assert.equal(err.status_code, 400);
    assert.equal(err.error, '"succ" does not support thinking');
    return true;
  });
});

test('errors come back as ResponseError with the status', async () => {
  await assert.rejects(ollama.generate({ model: 'does-not-exist', prompt: 'x' }), (err) => {
    assert.equal(err.status_code, 404);
    assert.match(err.error, /not found/);
    return true;
  });
});
