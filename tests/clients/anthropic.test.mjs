// The real npm `@anthropic-ai/sdk` client against a real corral serve's /v1/messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startServer, makeModel, makeToolCaller, makeThinker, uploadBlob } from './harness.mjs';

const TEMPLATE = '{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
let server;
let client;
let thinker;

before(async () => {
  server = await startServer();
  // The SDK appends /v1/messages to baseURL; any key is accepted.
  client = new Anthropic({ baseURL: server.host, apiKey: 'sk-ant-unused', maxRetries: 0 });
  const successor = await uploadBlob(server.host, makeModel('successor'));
  const res = await fetch(server.host + '/api/create', {
    method: 'POST',
    body: JSON.stringify({ model: 'succ', files: { 'successor.gguf': successor }, template: TEMPLATE, parameters: { temperature: 0 }, stream: false }),
  });
  assert.equal(res.status, 200, await res.text());
  const toolCaller = makeToolCaller();
  const digest = await uploadBlob(server.host, toolCaller.path);
  const created = await fetch(server.host + '/api/create', {
    method: 'POST',
    body: JSON.stringify({ model: 'caller', files: { 'tool-caller.gguf': digest }, template: toolCaller.template, parameters: { temperature: 0 }, stream: false }),
  });
  assert.equal(created.status, 200, await created.text());
  thinker = makeThinker();
  const thinkerCreated = await fetch(server.host + '/api/create', {
    method: 'POST',
    body: JSON.stringify({ model: 'thinker', files: { 'thinker.gguf': await uploadBlob(server.host, thinker.path) }, template: thinker.template, parameters: { temperature: 0 }, stream: false }),
  });
  assert.equal(thinkerCreated.status, 200, await thinkerCreated.text());
});

const WEATHER = { name: 'get_weather', description: 'weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

after(async () => {
  await server?.stop();
});

test('messages.create without streaming', async () => {
  const msg = await client.messages.create({ model: 'succ', max_tokens: 100, system: 'be brief', messages: [{ role: 'user', content: 'hi' }] });
  assert.match(msg.id, /^msg_/);
  assert.equal(msg.type, 'message');
  assert.equal(msg.role, 'assistant');
  assert.equal(msg.content.length, 1);
  assert.equal(msg.content[0].type, 'text');
  assert.equal(msg.content[0].text, ALPHABET);
  assert.equal(msg.stop_reason, 'end_turn');
  assert.equal(msg.usage.output_tokens, 26);
});

test('messages.create with max_tokens stops at max_tokens', async () => {
  const msg = await client.messages.create({ model: 'succ', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  assert.equal(msg.content[0].text, 'abcde');
  assert.equal(msg.stop_reason, 'max_tokens');
});

test('messages.stream delivers text events and the final message', async () => {
  const stream = client.messages.stream({ model: 'succ', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
  let text = '';
  stream.on('text', (delta) => { text += delta; });
  const final = await stream.finalMessage();
  assert.equal(text, 'abcde');
  assert.equal(final.content[0].text, 'abcde');
  assert.equal(final.stop_reason, 'max_tokens');
  assert.equal(final.usage.output_tokens, 5);
});

test('messages.create with stream: true yields the raw event sequence', async () => {
  const stream = await client.messages.create({ model: 'succ', max_tokens: 3, stream: true, messages: [{ role: 'user', content: 'hi' }] });
  const types = [];
  for await (const event of stream) types.push(event.type);
  assert.deepEqual(types, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
});

test('messages.countTokens counts the rendered prompt', async () => {
  const counted = await client.messages.countTokens({ model: 'succ', system: 'one two three', messages: [{ role: 'user', content: 'hi' }] });
  const shorter = await client.messages.countTokens({ model: 'succ', messages: [{ role: 'user', content: 'hi' }] });
  assert.ok(counted.input_tokens > shorter.input_tokens);
});

test('tool definitions with tool_choice none on a model without tool support still answer', async () => {
  const msg = await client.messages.create({
    model: 'succ', max_tokens: 3, tool_choice: { type: 'none' },
    tools: [{ name: 'get_weather', description: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    messages: [{ role: 'user', content: 'hi' }],
  });
  assert.equal(msg.content[0].text, 'abc');
});

test('an unknown model is a NotFoundError', async () => {
  await assert.rejects(
    client.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.NotFoundError && err.status === 404 && err.error?.error?.type === 'not_found_error',
  );
});

test('a matched stop sequence gives stop_reason stop_sequence', async () => {
  const msg = await client.messages.create({ model: 'succ', max_tokens: 100, stop_sequences: ['xyz', 'fgh'], messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(msg.content[0].text, 'abcde');
  assert.equal(msg.stop_reason, 'stop_sequence');
  assert.equal(msg.stop_sequence, 'fgh');

  const final = await client.messages.stream({ model: 'succ', max_tokens: 100, stop_sequences: ['fgh'], messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
  assert.equal(final.stop_reason, 'stop_sequence');
  assert.equal(final.stop_sequence, 'fgh');
});

test('tool use: a tool_use block, then the tool_result is answered', async () => {
  const msg = await client.messages.create({ model: 'caller', max_tokens: 100, tools: [WEATHER], messages: [{ role: 'user', content: 'weather in Paris?' }] });
  assert.equal(msg.stop_reason, 'tool_use');
  assert.equal(msg.content.length, 1);
  const [use] = msg.content;
  assert.equal(use.type, 'tool_use');
  assert.match(use.id, /^toolu_/);
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });

  const answer = await client.messages.create({
    model: 'caller', max_tokens: 100, tools: [WEATHER],
    messages: [
      { role: 'user', content: 'weather in Paris?' },
      { role: 'assistant', content: msg.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 24 C' }] },
    ],
  });
  assert.equal(answer.stop_reason, 'end_turn');
  assert.equal(answer.content[0].text, ALPHABET);
});

test('streamed tool use: the SDK assembles the input from input_json_delta', async () => {
  const stream = client.messages.stream({ model: 'caller', max_tokens: 100, tools: [WEATHER], messages: [{ role: 'user', content: 'weather in Paris?' }] });
  const partials = [];
  stream.on('inputJson', (partial) => { partials.push(partial); });
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, 'tool_use');
  assert.equal(final.content[0].type, 'tool_use');
  assert.equal(final.content[0].name, 'get_weather');
  assert.deepEqual(final.content[0].input, { city: 'Paris' });
  assert.ok(partials.length >= 1);
});

test('extended thinking: a thinking block then a text block, and messages.stream assembles them from the deltas', async () => {
  const { thought, answer, thoughtPieces } = thinker.expected;
  const request = { model: 'thinker', max_tokens: 100, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'hi' }] };
  const msg = await client.messages.create(request);
  assert.deepEqual(msg.content.map((b) => b.type), ['thinking', 'text']);
  assert.equal(msg.content[0].thinking, thought);
  assert.equal(typeof msg.content[0].signature, 'string');
  assert.ok(msg.content[0].signature.length > 0, 'a non-empty (opaque) signature');
  assert.equal(msg.content[1].text, answer);
  assert.equal(msg.stop_reason, 'end_turn');

  const stream = client.messages.stream(request);
  const thinkingDeltas = [];
  let signature;
  stream.on('thinking', (delta) => thinkingDeltas.push(delta));
  stream.on('signature', (s) => { signature = s; });
  const final = await stream.finalMessage();
  assert.deepEqual(thinkingDeltas, thoughtPieces);
  assert.equal(signature, msg.content[0].signature, 'the streamed signature is the one the whole message carries');
  assert.deepEqual(final.content.map((b) => b.type), ['thinking', 'text']);
  assert.equal(final.content[0].thinking, thought);
  assert.equal(final.content[1].text, answer);

  // The thinking block goes back in the next turn, as the SDK's docs say to do.
  const next = await client.messages.create({ ...request, messages: [...request.messages, { role: 'assistant', content: final.content }, { role: 'user', content: 'hi again' }] });
  assert.equal(next.content[0].thinking, thought);
});
