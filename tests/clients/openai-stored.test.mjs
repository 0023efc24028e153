// The real npm `openai` client against a real corral serve's stored responses and Conversations API (issue 19).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startServer, makeModel, makeToolCaller, makeThinker, uploadBlob } from './harness.mjs';

const TEMPLATE = '{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
const WEATHER_TOOL = {
  type: 'function', name: 'get_weather', description: 'weather of a city', strict: true,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};
let server;
let client;

async function create(body) {
  const res = await fetch(server.host + '/api/create', { method: 'POST', body: JSON.stringify({ ...body, stream: false }) });
  assert.equal(res.status, 200, await res.text());
}

async function poll(id) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await client.responses.retrieve(id);
    if (res.status !== 'queued' && res.status !== 'in_progress') return res;
    assert.ok(Date.now() < deadline, `response ${id} still ${res.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  server = await startServer({ OLLAMA_NUM_PARALLEL: '2', OLLAMA_CONTEXT_LENGTH: '1024' });
  client = new OpenAI({ baseURL: server.host + '/v1', apiKey: 'unused', maxRetries: 0 });
  await create({ model: 'succ', files: { 'successor.gguf': await uploadBlob(server.host, makeModel('successor')) }, template: TEMPLATE, parameters: { temperature: 0 } });
  await create({ model: 'random', files: { 'random.gguf': await uploadBlob(server.host, makeModel('random')) } });
  const toolCaller = makeToolCaller();
  await create({ model: 'caller', files: { 'tool-caller.gguf': await uploadBlob(server.host, toolCaller.path) }, template: toolCaller.template, parameters: { temperature: 0 } });
  const thinker = makeThinker();
  await create({ model: 'thinker', files: { 'thinker.gguf': await uploadBlob(server.host, thinker.path) }, template: thinker.template, parameters: { temperature: 0 } });
});

after(async () => {
  await server?.stop();
});

test('previous_response_id continues a stored response; retrieve, input_items pages, delete', async () => {
  const first = await client.responses.create({ model: 'succ', input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }, { role: 'user', content: 'three' }] });
  assert.equal(first.store, true);
  assert.equal(first.output_text, ALPHABET);

  const next = await client.responses.create({ model: 'succ', input: 'four', previous_response_id: first.id });
  assert.equal(next.previous_response_id, first.id);
  const whole = await client.responses.create({
    model: 'succ', store: false,
    input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }, { role: 'user', content: 'three' }, { role: 'assistant', content: ALPHABET }, { role: 'user', content: 'four' }],
  });
  assert.equal(next.usage.input_tokens, whole.usage.input_tokens);

  const read = await client.responses.retrieve(first.id);
  assert.equal(read.id, first.id);
  assert.equal(read.output_text, ALPHABET);

  // The SDK's pager follows the cursor over pages of two, newest first.
  const texts = [];
  for await (const item of client.responses.inputItems.list(first.id, { limit: 2 })) {
    assert.equal(item.type, 'message');
    assert.match(item.id, /^msg_/);
    texts.push(item.content[0].text);
  }
  assert.deepEqual(texts, ['three', 'two', 'one']);

  await client.responses.delete(first.id);
  await assert.rejects(client.responses.retrieve(first.id), (err) => err instanceof OpenAI.NotFoundError && /not found/.test(err.message));
  await assert.rejects(client.responses.retrieve(whole.id), OpenAI.NotFoundError); // store: false keeps nothing
});

test('a streamed stored response can be read back as soon as the stream says it completed', async () => {
  const stream = await client.responses.create({ model: 'succ', input: 'hi', max_output_tokens: 5, stream: true });
  let id;
  for await (const event of stream) {
    if (event.type === 'response.incomplete') {
      id = event.response.id;
      const read = await client.responses.retrieve(id);
      assert.equal(read.status, 'incomplete');
      assert.equal(read.output_text, 'abcde');
    }
  }
  assert.ok(id);
});

test('a tool call answered in the next turn by previous_response_id', async () => {
  const first = await client.responses.create({ model: 'caller', tools: [WEATHER_TOOL], input: 'weather in Paris?' });
  const call = first.output[0];
  assert.equal(call.type, 'function_call');
  const answer = await client.responses.create({
    model: 'caller', tools: [WEATHER_TOOL], previous_response_id: first.id,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
  });
  assert.equal(answer.output_text, ALPHABET);
  const stateless = await client.responses.create({
    model: 'caller', tools: [WEATHER_TOOL], store: false,
    input: ['weather in Paris?', call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }]
      .map((x) => (typeof x === 'string' ? { role: 'user', content: x } : x)),
  });
  assert.equal(answer.usage.input_tokens, stateless.usage.input_tokens);
});

test('previous_response_id gives the model the stored reasoning item with the answer', async () => {
  const first = await client.responses.create({ model: 'thinker', input: 'hi', reasoning: { effort: 'low' } });
  assert.deepEqual(first.output.map((i) => i.type), ['reasoning', 'message']);
  const next = await client.responses.create({ model: 'thinker', input: 'again', reasoning: { effort: 'low' }, previous_response_id: first.id });
  const whole = await client.responses.create({
    model: 'thinker', store: false, reasoning: { effort: 'low' },
    input: [{ role: 'user', content: 'hi' }, ...first.output, { role: 'user', content: 'again' }],
  });
  // The same prompt as sending the stored items back (this template leaves out earlier turns' thinking;
  // ResponseStoreTests checks the reasoning item is in the history).
  assert.equal(next.usage.input_tokens, whole.usage.input_tokens);
});

test('background responses: polled to completion, and cancelled while running', async () => {
  const queued = await client.responses.create({ model: 'succ', input: 'hi', background: true });
  assert.equal(queued.status, 'queued');
  assert.equal(queued.background, true);
  const done = await poll(queued.id);
  assert.equal(done.status, 'completed');
  assert.equal(done.output_text, ALPHABET);

  const long = await client.responses.create({ model: 'random', input: 'go', background: true, max_output_tokens: 1_000_000 });
  const cancelled = await client.responses.cancel(long.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal((await client.responses.retrieve(long.id)).status, 'cancelled');

  await assert.rejects(client.responses.create({ model: 'succ', input: 'hi', background: true, store: false }), OpenAI.BadRequestError);
});

test('conversations: items in, responses add their turns, items listed, added, read and deleted', async () => {
  const conversation = await client.conversations.create({ metadata: { topic: 'letters' }, items: [{ type: 'message', role: 'user', content: 'start' }] });
  assert.match(conversation.id, /^conv_/);
  assert.equal(conversation.object, 'conversation');
  assert.deepEqual(conversation.metadata, { topic: 'letters' });

  const first = await client.responses.create({ model: 'succ', input: 'one', max_output_tokens: 3, conversation: conversation.id });
  assert.equal(first.conversation.id, conversation.id);
  const second = await client.responses.create({ model: 'succ', input: 'two', max_output_tokens: 3, conversation: { id: conversation.id } });
  const whole = await client.responses.create({
    model: 'succ', store: false, max_output_tokens: 3,
    input: [{ role: 'user', content: 'start' }, { role: 'user', content: 'one' }, { role: 'assistant', content: 'abc' }, { role: 'user', content: 'two' }],
  });
  assert.equal(second.usage.input_tokens, whole.usage.input_tokens);

  const items = [];
  for await (const item of client.conversations.items.list(conversation.id, { order: 'asc', limit: 2 })) items.push(item);
  assert.deepEqual(items.map((i) => [i.role, i.content[0].text]), [['user', 'start'], ['user', 'one'], ['assistant', 'abc'], ['user', 'two'], ['assistant', 'abc']]);

  const added = await client.conversations.items.create(conversation.id, { items: [{ type: 'message', role: 'user', content: 'extra' }] });
  assert.equal(added.data.length, 1);
  const extra = await client.conversations.items.retrieve(added.data[0].id, { conversation_id: conversation.id });
  assert.equal(extra.content[0].text, 'extra');
  const after = await client.conversations.items.delete(added.data[0].id, { conversation_id: conversation.id });
  assert.equal(after.id, conversation.id);
  await assert.rejects(client.conversations.items.retrieve(added.data[0].id, { conversation_id: conversation.id }), OpenAI.NotFoundError);

  const updated = await client.conversations.update(conversation.id, { metadata: { topic: 'numbers' } });
  assert.deepEqual(updated.metadata, { topic: 'numbers' });
  assert.deepEqual((await client.conversations.retrieve(conversation.id)).metadata, { topic: 'numbers' });

  const deleted = await client.conversations.delete(conversation.id);
  assert.equal(deleted.deleted, true);
  await assert.rejects(client.conversations.retrieve(conversation.id), OpenAI.NotFoundError);
  await assert.rejects(client.responses.create({ model: 'succ', input: 'hi', conversation: conversation.id }), OpenAI.NotFoundError);
  await assert.rejects(client.responses.create({ model: 'succ', input: 'hi', conversation: 'conv_x', previous_response_id: first.id }), OpenAI.BadRequestError);
});
