// Same-origin requests to this server's /api routes, with the API key the user gave (kept in localStorage only).
const KEY_STORAGE = 'corral.apiKey';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};

/** Called with (status, message) when the server answers 401 or 403. */
export function onUnauthorized(handler) { unauthorized = handler; }

export function apiKey() { return localStorage.getItem(KEY_STORAGE) || ''; }

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

/** GET without a body, POST with one; throws ApiError with the server's {"error": ...} message. */
export async function api(path, body, signal) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const key = apiKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
  });
  if (!response.ok) {
    let message = response.statusText || ('HTTP ' + response.status);
    try {
      const json = await response.json();
      if (json && typeof json.error === 'string') message = json.error;
    } catch { /* not JSON */ }
    if (response.status === 401 || response.status === 403) unauthorized(response.status, message);
    throw new ApiError(response.status, message);
  }
  return response;
}

/** The objects of an NDJSON response as they arrive; an {"error": ...} line throws. */
export async function* ndjson(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield parseLine(line);
      }
      if (done) break;
    }
    if (buffer.trim()) yield parseLine(buffer.trim());
  } finally {
    reader.releaseLock();
  }
}

function parseLine(line) {
  const value = JSON.parse(line);
  if (value && typeof value.error === 'string') throw new ApiError(500, value.error);
  return value;
}
