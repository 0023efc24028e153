// The real npm `openai` client against a real corral serve's /v1 surface.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startServer, makeModel, uploadBlob } from './harness.mjs';

const TEMPLATE = '{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
// The tool-caller model's template (ToolCallerModel.Template in tools/Corral.TestModels): a user turn is answered
// with <tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>, a tool result with the alphabet.
const TOOL_CALLER_TEMPLATE = '{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}'
  + '{{- if .Tools }}<|start_header_id|>system<|end_header_id|>\n\nTools:'
  + '{{- range .Tools }}\n{{ json .Function }}{{- end }}'
  + '\nCall a tool as <tool_call>{"name": ..., "arguments": {...}}</tool_call>.<|eot_id|>{{ end }}'
  + '{{- range $i, $_ := .Messages }}'
  + '{{- $last := eq (len (slice $.Messages $i)) 1 }}'
  + '{{- if eq .Role "assistant" }}<|start_header_id|>assistant<|end_header_id|>\n\n{{ .Content }}'
  + '{{- if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{"name": "{{ .Function.Name }}", "arguments": {{ json .Function.Arguments }}}\n{{ end }}</tool_call>{{ end }}'
  + '{{- if not $last }}<|eot_id|>{{ end }}'
  + '{{- else if eq .Role "tool" }}<|start_header_id|>tool<|end_header_id|>\n\n{{ .Content }}<|eot_id|>'
  + '{{- else if ne .Role "system" }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}<|eot_id|>{{ end }}'
  + '{{- if and $last (ne .Role "assistant") }}<|start_header_id|>assistant<|end_header_id|>\n{{ if ne .Role "tool" }}\n{{ end }}{{ end }}'
  + '{{- end }}';
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

before(async () => {
  server = await startServer();
  client = new OpenAI({ baseURL: server.host + '/v1', apiKey: 'unused', maxRetries: 0 });
  const successor = await uploadBlob(server.host, makeModel('successor'));
  const embedding = await uploadBlob(server.host, makeModel('embedding'));
  await create({ model: 'succ', files: { 'successor.gguf': successor }, template: TEMPLATE });
  await create({ model: 'emb', files: { 'embedding.gguf': embedding } });
  const toolCaller = await uploadBlob(server.host, makeModel('tool-caller'));
  await create({ model: 'caller', files: { 'tool-caller.gguf': toolCaller }, template: TOOL_CALLER_TEMPLATE });
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
});

test('models.list and models.retrieve', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids.sort(), ['caller:latest', 'emb:latest', 'succ:latest']);
  const m = await client.models.retrieve('succ');
  assert.equal(m.id, 'succ');
  assert.equal(m.owned_by, 'library');
});

test('errors surface as the SDK error types', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'missing', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.NotFoundError && /missing/.test(err.message),
  );
  await assert.rejects(
    client.embeddings.create({ model: 'emb', input: [[1, 2, 3]] }),
    (err) => err instanceof OpenAI.BadRequestError && err.error?.type === 'invalid_request_error',
  );
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
    (err) => err instanceof OpenAI.BadRequestError && /stateless/.test(err.message),
  );
});
