// The real npm `openai` client against a real corral serve's /v1 surface.
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
let thinker;

async function create(body) {
  const res = await fetch(server.host + '/api/create', { method: 'POST', body: JSON.stringify({ ...body, stream: false }) });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  server = await startServer();
  client = new OpenAI({ baseURL: server.host + '/v1', apiKey: 'unused', maxRetries: 0 });
  const successor = await uploadBlob(server.host, makeModel('successor'));
  const embedding = await uploadBlob(server.host, makeModel('embedding'));
  await create({ model: 'succ', files: { 'successor.gguf': successor }, template: TEMPLATE });
  await create({ model: 'emb', files: { 'embedding.gguf': embedding } });
  const toolCaller = makeToolCaller();
  await create({ model: 'caller', files: { 'tool-caller.gguf': await uploadBlob(server.host, toolCaller.path) }, template: toolCaller.template, parameters: { temperature: 0 } });
  thinker = makeThinker();
  await create({ model: 'thinker', files: { 'thinker.gguf': await uploadBlob(server.host, thinker.path) }, template: thinker.template, parameters: { temperature: 0 } });
});

after(async () => {
  await server?.stop();
});

test('chat.completions.create without streaming', async () => {
  const res = await client.chat.completions.create({ model: 'succ', temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
  assert.match(res.id, /^chatcmpl-/);
  assert.equal(res.object, 'chat.completion');
  assert.equal(res.model, 'succ');
  assert.equal(res.choices[0].message.role, 'assistant');
  assert.equal(res.choices[0].message.content, ALPHABET);
  assert.equal(res.choices[0].finish_reason, 'stop');
  assert.equal(res.usage.completion_tokens, 26);
  assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + 26);
});

test('usage counts the whole prompt on a repeat and names the cached part (issue 15)', async () => {
  const request = { model: 'succ', temperature: 0, max_tokens: 2, messages: [{ role: 'user', content: 'usage counted the same twice' }] };
  const first = await client.chat.completions.create(request);
  const again = await client.chat.completions.create(request);
  assert.ok(first.usage.prompt_tokens > 5);
  assert.equal(again.usage.prompt_tokens, first.usage.prompt_tokens);
  assert.equal(again.usage.prompt_tokens_details.cached_tokens, again.usage.prompt_tokens - 1);
});

test('chat.completions.create streaming with usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'succ', temperature: 0, max_tokens: 5, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'hi' }],
  });
  let text = '';
  let finish;
  let usage;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
  }
  assert.equal(text, 'abcde');
  assert.equal(finish, 'length');
  assert.equal(usage.completion_tokens, 5);
  assert.ok(chunks >= 7);
});

test('chat.completions.create with a json_schema response format gives JSON', async () => {
  const res = await client.chat.completions.create({
    model: 'succ', max_tokens: 100,
    response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'string', enum: ['yes', 'no'] } }, required: ['a'] } } },
    messages: [{ role: 'user', content: 'hi' }],
  });
  const value = JSON.parse(res.choices[0].message.content);
  assert.ok(['yes', 'no'].includes(value.a));
});

test('completions.create', async () => {
  const res = await client.completions.create({ model: 'succ', prompt: 'ignored', max_tokens: 3, temperature: 0 });
  assert.equal(res.object, 'text_completion');
  assert.equal(res.choices[0].text.length > 0, true);
  assert.equal(res.choices[0].finish_reason, 'length');
});

test('embeddings.create (the SDK asks for base64 and decodes it)', async () => {
  const res = await client.embeddings.create({ model: 'emb', input: ['hello', 'world'] });
  assert.equal(res.data.length, 2);
  const v = res.data[0].embedding;
  assert.ok(Array.isArray(v) && v.length > 0);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-3);
  const floats = await client.embeddings.create({ model: 'emb', input: 'hello', encoding_format: 'float' });
  floats.data[0].embedding.forEach((x, i) => assert.ok(Math.abs(x - v[i]) < 1e-5));
  // OpenAI's embeddings usage: no completion_tokens.
  assert.deepEqual(Object.keys(res.usage).sort(), ['prompt_tokens', 'total_tokens']);
});

test('models.list and models.retrieve', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids.sort(), ['caller:latest', 'emb:latest', 'succ:latest', 'thinker:latest']);
  const m = await client.models.retrieve('succ');
  assert.equal(m.id, 'succ');
  assert.equal(m.owned_by, 'library');
});

test('errors surface as the SDK error types', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'missing', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.NotFoundError && /missing/.test(err.message) && err.error?.type === 'not_found_error',
  );
  await assert.rejects(
    client.models.retrieve('missing'),
    (err) => err instanceof OpenAI.NotFoundError && err.error?.type === 'not_found_error' && err.error?.message === "model 'missing:latest' not found",
  );
  await assert.rejects(
    client.embeddings.create({ model: 'emb', input: [[1, 2, 3]] }),
    (err) => err instanceof OpenAI.BadRequestError && err.error?.type === 'invalid_request_error',
  );
});

const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

test('tools with tool_choice required produce a tool call, and the tool result is answered', async () => {
  const res = await client.chat.completions.create({ model: 'caller', tools: [WEATHER], tool_choice: 'required', messages: [{ role: 'user', content: 'weather in Paris?' }] });
  const [choice] = res.choices;
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, null);
  assert.equal(choice.message.tool_calls.length, 1);
  const [call] = choice.message.tool_calls;
  assert.match(call.id, /^call_/);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

  const answer = await client.chat.completions.create({
    model: 'caller', tools: [WEATHER],
    messages: [{ role: 'user', content: 'weather in Paris?' }, choice.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 24 C' }],
  });
  assert.equal(answer.choices[0].finish_reason, 'stop');
  assert.equal(answer.choices[0].message.content, ALPHABET);
});

test('streamed tool call deltas assemble into the call (runTools-style accumulation)', async () => {
  const stream = client.chat.completions.stream({ model: 'caller', tools: [WEATHER], messages: [{ role: 'user', content: 'weather in Paris?' }] });
  const final = await stream.finalChatCompletion();
  const [choice] = final.choices;
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.tool_calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(choice.message.tool_calls[0].function.arguments), { city: 'Paris' });
});

test('tool_choice none leaves the model output as text', async () => {
  const res = await client.chat.completions.create({ model: 'caller', tools: [WEATHER], tool_choice: 'none', messages: [{ role: 'user', content: 'weather in Paris?' }] });
  assert.equal(res.choices[0].finish_reason, 'stop');
  assert.match(res.choices[0].message.content, /^<tool_call>\n/);
  assert.equal(res.choices[0].message.tool_calls, undefined);
});

test('responses.create without streaming', async () => {
  const res = await client.responses.create({ model: 'succ', temperature: 0, instructions: 'be brief', input: 'hi' });
  assert.match(res.id, /^resp_/);
  assert.equal(res.object, 'response');
  assert.equal(res.status, 'completed');
  assert.equal(res.output_text, ALPHABET);
  assert.equal(res.output[0].type, 'message');
  assert.equal(res.instructions, 'be brief');
  assert.equal(res.usage.output_tokens, 26);
  assert.equal(res.usage.total_tokens, res.usage.input_tokens + 26);

  const limited = await client.responses.create({
    model: 'succ', temperature: 0, max_output_tokens: 4,
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
  });
  assert.equal(limited.status, 'incomplete');
  assert.equal(limited.incomplete_details.reason, 'max_output_tokens');
  assert.equal(limited.output_text, 'abcd');
});

test('responses.create streaming and responses.stream', async () => {
  const stream = await client.responses.create({ model: 'succ', temperature: 0, max_output_tokens: 6, stream: true, input: 'hi' });
  const types = [];
  let text = '';
  let last = -1;
  let final;
  for await (const event of stream) {
    types.push(event.type);
    assert.ok(event.sequence_number > last);
    last = event.sequence_number;
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.incomplete') final = event.response;
  }
  assert.equal(text, 'abcdef');
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.incomplete');
  assert.equal(final.output[0].content[0].text, 'abcdef');

  // The helper accumulates the events into the final response itself.
  const helper = client.responses.stream({ model: 'succ', temperature: 0, input: 'hi' });
  let deltas = '';
  helper.on('response.output_text.delta', (e) => { deltas += e.delta; });
  const response = await helper.finalResponse();
  assert.equal(deltas, ALPHABET);
  assert.equal(response.output_text, ALPHABET);
  assert.equal(response.status, 'completed');
});

test('responses with function calls: a call, then its output in a second stateless turn', async () => {
  const first = await client.responses.create({ model: 'caller', temperature: 0, tools: [WEATHER_TOOL], input: 'weather in Paris?' });
  const call = first.output.find((o) => o.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
  assert.match(call.call_id, /^call_/);

  const second = await client.responses.create({
    model: 'caller', temperature: 0, tools: [WEATHER_TOOL],
    input: [{ role: 'user', content: 'weather in Paris?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
  });
  assert.equal(second.output_text, ALPHABET);

  const streamed = client.responses.stream({ model: 'caller', temperature: 0, tools: [WEATHER_TOOL], input: 'weather in Paris?' });
  let args = '';
  streamed.on('response.function_call_arguments.delta', (e) => { args += e.delta; });
  const response = await streamed.finalResponse();
  assert.deepEqual(JSON.parse(args), { city: 'Paris' });
  assert.equal(response.output[0].type, 'function_call');
  assert.equal(response.output[0].arguments, args);
});

test('responses errors surface as the SDK error types', async () => {
  await assert.rejects(
    client.responses.create({ model: 'missing', input: 'hi' }),
    (err) => err instanceof OpenAI.NotFoundError && err.status === 404 && /missing/.test(err.message),
  );
  await assert.rejects(
    client.responses.create({ model: 'succ', input: 'hi', previous_response_id: 'resp_1' }),
    (err) => err instanceof OpenAI.BadRequestError && /Previous response with id 'resp_1' not found/.test(err.message),
  );
});

test('chat.completions with reasoning_effort: the reasoning apart from the content, whole and streamed', async () => {
  const { thought, answer, thoughtPieces, answerPieces } = thinker.expected;
  const res = await client.chat.completions.create({ model: 'thinker', reasoning_effort: 'low', messages: [{ role: 'user', content: 'hi' }] });
  const message = res.choices[0].message;
  assert.equal(message.content, answer);
  // Not in the SDK's types, but passed through: Ollama's `reasoning` and DeepSeek/vLLM's `reasoning_content`.
  assert.equal(message.reasoning, thought);
  assert.equal(message.reasoning_content, thought);

  const stream = await client.chat.completions.create({ model: 'thinker', reasoning_effort: 'high', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  const order = [];
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      if (choice.delta.reasoning) order.push(['reasoning', choice.delta.reasoning]);
      if (choice.delta.content) order.push(['content', choice.delta.content]);
    }
  }
  assert.deepEqual(order, [...thoughtPieces.map((p) => ['reasoning', p]), ...answerPieces.map((p) => ['content', p])]);
});

test('responses with reasoning: a reasoning item with the summary, then the message; streamed summary events', async () => {
  const { thought, answer, thoughtPieces } = thinker.expected;
  const res = await client.responses.create({ model: 'thinker', input: 'hi', reasoning: { effort: 'medium' } });
  assert.deepEqual(res.output.map((o) => o.type), ['reasoning', 'message']);
  assert.equal(res.output[0].summary[0].type, 'summary_text');
  assert.equal(res.output[0].summary[0].text, thought);
  assert.equal(res.output_text, answer);

  const stream = client.responses.stream({ model: 'thinker', input: 'hi', reasoning: { effort: 'low' } });
  const deltas = [];
  let summaryDone;
  for await (const event of stream) {
    if (event.type === 'response.reasoning_summary_text.delta') deltas.push(event.delta);
    if (event.type === 'response.reasoning_summary_text.done') summaryDone = event.text;
  }
  assert.deepEqual(deltas, thoughtPieces);
  assert.equal(summaryDone, thought);
  const final = await stream.finalResponse();
  assert.equal(final.output[0].summary[0].text, thought);
  assert.equal(final.output_text, answer);
});
