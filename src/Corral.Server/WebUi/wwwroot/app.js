// The chat page: models from /api/tags, streamed /api/chat, pulls, loaded models, conversations in localStorage.
import { api, ndjson, onUnauthorized, apiKey, setApiKey, ApiError } from './api.js';
import { renderMarkdown, formatBytes, formatStats } from './render.js';
import { loadConversations, saveConversations, loadSettings, saveSettings, newId } from './store.js';

const $ = (id) => document.getElementById(id);
const ui = {
  menu: $('menu-toggle'), sidebar: $('sidebar'), model: $('model'), modelInfo: $('model-info'),
  newChat: $('new-chat'), conversations: $('conversations'),
  keySection: $('key-section'), keyMessage: $('key-message'), keyForm: $('key-form'), key: $('api-key'), keyForget: $('key-forget'),
  loaded: $('loaded'), refreshLoaded: $('refresh-loaded'),
  pullForm: $('pull-form'), pullName: $('pull-name'), pullInsecure: $('pull-insecure'), pullButton: $('pull-button'),
  pullProgress: $('pull-progress'), pullLog: $('pull-log'),
  system: $('system'), temperature: $('temperature'), numCtx: $('num-ctx'), seed: $('seed'), think: $('think'),
  messages: $('messages'), status: $('status'), composer: $('composer'), attachments: $('attachments'),
  message: $('message'), attachLabel: $('attach-label'), attach: $('attach'), send: $('send'), stop: $('stop'),
};

let models = [];
let conversations = loadConversations();
let currentId = localStorage.getItem('corral.current') || '';
let pendingImages = [];
let generation = null; // { controller, conversationId } while a chat request streams

// ---- status, API key ---------------------------------------------------------------------------------------------

function setStatus(text) { ui.status.textContent = text || ''; }

onUnauthorized((status, message) => {
  ui.keySection.hidden = false;
  ui.keyMessage.textContent = status === 401
    ? (apiKey() ? 'The server did not accept this API key: ' : 'This server needs an API key: ') + message
    : 'This API key may not do that: ' + message;
  openSidebar();
  ui.key.focus();
});

ui.keyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  setApiKey(ui.key.value.trim());
  ui.key.value = '';
  ui.keyMessage.textContent = apiKey() ? 'Key saved in this browser.' : '';
  await loadModels();
});

ui.keyForget.addEventListener('click', () => {
  setApiKey('');
  ui.keyMessage.textContent = 'Key forgotten.';
});

// ---- models ------------------------------------------------------------------------------------------------------

async function loadModels() {
  try {
    const response = await api('/api/tags');
    models = ((await response.json()).models || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    setStatus('Could not list models: ' + error.message);
    if (models.length === 0) ui.model.replaceChildren(new Option('(models unavailable)', ''));
    return;
  }
  const wanted = ui.model.value || current()?.model || localStorage.getItem('corral.model') || '';
  ui.model.replaceChildren();
  if (models.length === 0) ui.model.append(new Option('(no models: pull one)', ''));
  for (const model of models) {
    ui.model.append(new Option(model.name + ' (' + formatBytes(model.size) + ')', model.name));
  }
  if (models.some((m) => m.name === wanted)) ui.model.value = wanted;
  if (ui.keySection.hidden === false && apiKey()) ui.keyMessage.textContent = 'Key accepted.';
  showModelInfo();
  await refreshLoaded();
}

function selectedModel() { return models.find((m) => m.name === ui.model.value); }

function showModelInfo() {
  const model = selectedModel();
  if (!model) {
    ui.modelInfo.textContent = '';
    ui.attachLabel.hidden = true;
    return;
  }
  const details = model.details || {};
  const capabilities = model.capabilities || [];
  ui.modelInfo.textContent = [details.family, details.parameter_size, details.quantization_level, formatBytes(model.size),
    capabilities.length ? 'can: ' + capabilities.join(', ') : ''].filter(Boolean).join(' · ');
  ui.attachLabel.hidden = !capabilities.includes('vision');
  if (ui.attachLabel.hidden) clearAttachments();
}

ui.model.addEventListener('change', () => {
  localStorage.setItem('corral.model', ui.model.value);
  showModelInfo();
});

// ---- loaded models (/api/ps) -------------------------------------------------------------------------------------

async function refreshLoaded() {
  let loaded;
  try {
    loaded = (await (await api('/api/ps')).json()).models || [];
  } catch {
    return;
  }
  ui.loaded.replaceChildren();
  if (loaded.length === 0) {
    const empty = document.createElement('li');
    empty.textContent = 'None';
    ui.loaded.append(empty);
  }
  for (const model of loaded) {
    const item = document.createElement('li');
    const text = document.createElement('span');
    const until = model.expires_at ? new Date(model.expires_at) : null;
    text.textContent = model.name + ' · ' + formatBytes(model.size)
      + (until && until.getFullYear() < 3000 ? ' · until ' + until.toLocaleTimeString() : '');
    const unload = button('Unload', 'Unload ' + model.name, async () => {
      unload.disabled = true;
      try {
        await api('/api/generate', { model: model.name, keep_alive: 0 });
        setStatus('Unloaded ' + model.name + '.');
      } catch (error) {
        setStatus('Could not unload ' + model.name + ': ' + error.message);
      }
      await refreshLoaded();
    });
    item.append(text, ' ', unload);
    ui.loaded.append(item);
  }
}

ui.refreshLoaded.addEventListener('click', refreshLoaded);

// ---- pull --------------------------------------------------------------------------------------------------------

ui.pullForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = ui.pullName.value.trim();
  if (!name) return;
  ui.pullButton.disabled = true;
  ui.pullLog.replaceChildren();
  ui.pullProgress.hidden = false;
  ui.pullProgress.max = 1;
  ui.pullProgress.value = 0;
  let last = '';
  const layers = new Map();
  const log = (text, isError) => {
    const item = document.createElement('li');
    item.textContent = text;
    if (isError) item.setAttribute('role', 'alert');
    ui.pullLog.append(item);
  };
  try {
    const response = await api('/api/pull', { model: name, insecure: ui.pullInsecure.checked, stream: true });
    for await (const chunk of ndjson(response)) {
      if (chunk.status && chunk.status !== last) {
        last = chunk.status;
        log(chunk.status);
      }
      if (chunk.total > 0) {
        // One bar for the whole pull: the sum over the layers reported so far.
        layers.set(chunk.digest || chunk.status, { total: chunk.total, completed: chunk.completed || 0 });
        let total = 0;
        let completed = 0;
        for (const layer of layers.values()) {
          total += layer.total;
          completed += layer.completed;
        }
        ui.pullProgress.max = total;
        ui.pullProgress.value = completed;
        ui.pullProgress.setAttribute('aria-valuetext', formatBytes(completed) + ' of ' + formatBytes(total));
      }
    }
    if (last === 'success') {
      ui.pullProgress.value = ui.pullProgress.max;
      await loadModels();
      if (models.some((m) => m.name === name || m.name === name + ':latest')) {
        ui.model.value = models.find((m) => m.name === name || m.name === name + ':latest').name;
        showModelInfo();
      }
    }
  } catch (error) {
    log('error: ' + error.message, true);
  } finally {
    ui.pullButton.disabled = false;
  }
});

// ---- conversations -----------------------------------------------------------------------------------------------

function current() { return conversations.find((c) => c.id === currentId); }

function persist() {
  if (!saveConversations(conversations)) setStatus('This browser\'s storage is full: the conversation was not saved.');
  localStorage.setItem('corral.current', currentId);
}

function newConversation() {
  const conversation = { id: newId(), title: 'New chat', model: ui.model.value, messages: [], updated: Date.now() };
  conversations.unshift(conversation);
  currentId = conversation.id;
  persist();
  return conversation;
}

function openConversation(id) {
  if (generation) return;
  currentId = id;
  const conversation = current();
  if (conversation?.model && models.some((m) => m.name === conversation.model)) {
    ui.model.value = conversation.model;
    showModelInfo();
  }
  persist();
  renderList();
  renderConversation();
  closeSidebarIfNarrow();
  ui.message.focus();
}

function renderList() {
  ui.conversations.replaceChildren();
  for (const conversation of conversations) {
    const item = document.createElement('li');
    const open = button(conversation.title, null, () => openConversation(conversation.id));
    open.className = 'open';
    if (conversation.id === currentId) open.setAttribute('aria-current', 'true');
    const rename = button('Rename', 'Rename conversation ' + conversation.title, () => startRename(item, conversation));
    const remove = button('Delete', 'Delete conversation ' + conversation.title, () => {
      conversations = conversations.filter((c) => c.id !== conversation.id);
      if (currentId === conversation.id) currentId = '';
      persist();
      renderList();
      renderConversation();
      ui.newChat.focus();
    });
    item.append(open, rename, remove);
    ui.conversations.append(item);
  }
}

function startRename(item, conversation) {
  const input = document.createElement('input');
  input.value = conversation.title;
  input.setAttribute('aria-label', 'New name for ' + conversation.title + ' (Enter saves, Escape cancels)');
  item.replaceChildren(input);
  input.focus();
  input.select();
  let finished = false;
  const finish = (save) => {
    if (finished) return;
    finished = true;
    if (save && input.value.trim()) {
      conversation.title = input.value.trim().slice(0, 80);
      persist();
    }
    renderList();
    ui.conversations.querySelector('[aria-current] , li:first-child .open')?.focus();
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); finish(true); }
    if (event.key === 'Escape') { event.preventDefault(); finish(false); }
  });
  input.addEventListener('blur', () => finish(true));
}

ui.newChat.addEventListener('click', () => {
  if (generation) return;
  currentId = '';
  persist();
  renderList();
  renderConversation();
  closeSidebarIfNarrow();
  ui.message.focus();
});

// ---- messages ----------------------------------------------------------------------------------------------------

function renderConversation() {
  ui.messages.replaceChildren();
  const conversation = current();
  if (!conversation || conversation.messages.length === 0) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = 'Choose a model and send a message.';
    ui.messages.append(hint);
    return;
  }
  conversation.messages.forEach((message, index) => ui.messages.append(messageElement(message, index === conversation.messages.length - 1)));
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

function messageElement(message, isLast) {
  const article = document.createElement('article');
  article.className = 'message ' + message.role;
  const heading = document.createElement('h3');
  heading.textContent = message.role === 'user' ? 'You' : 'Assistant' + (message.model ? ' (' + message.model + ')' : '');
  article.append(heading);
  if (message.role === 'assistant') {
    const thinking = document.createElement('details');
    thinking.className = 'thinking';
    const summary = document.createElement('summary');
    summary.textContent = 'Thinking';
    const thought = document.createElement('div');
    thought.className = 'thought';
    thinking.append(summary, thought);
    const content = document.createElement('div');
    content.className = 'content';
    const meta = document.createElement('p');
    meta.className = 'meta';
    const actions = document.createElement('div');
    actions.className = 'row message-actions';
    article.append(thinking, content, meta, actions);
    // Kept by reference: the rendered answer may contain elements with any class names.
    const parts = { thinking, thought, content, meta, actions };
    article.update = () => updateAssistant(parts, message, isLast);
    article.update();
  } else {
    const content = document.createElement('div');
    content.className = 'content plain';
    content.textContent = message.content;
    article.append(content);
    if (message.images?.length) {
      const images = document.createElement('div');
      images.className = 'images';
      message.images.forEach((src, i) => {
        const img = document.createElement('img');
        img.src = src;
        img.alt = 'Attached image ' + (i + 1);
        images.append(img);
      });
      article.append(images);
    }
  }
  return article;
}

function updateAssistant({ thinking, thought, content, meta, actions }, message, isLast) {
  thinking.hidden = !message.thinking;
  thought.textContent = message.thinking || '';
  renderMarkdown(content, message.content);
  const notes = [formatStats(message.stats)];
  if (message.stopped) notes.push('stopped');
  meta.textContent = notes.filter(Boolean).join(' · ');
  if (meta.nextElementSibling?.classList.contains('error')) meta.nextElementSibling.remove();
  if (message.error) {
    const error = document.createElement('p');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    error.textContent = 'Error: ' + message.error;
    meta.after(error);
  }
  actions.replaceChildren();
  const streaming = generation && isLast;
  if (!streaming) {
    const copy = button('Copy', 'Copy answer', async () => {
      try {
        await navigator.clipboard.writeText(message.content);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Copy failed';
      }
    });
    actions.append(copy);
    if (isLast) actions.append(button('Regenerate', 'Regenerate answer', () => sendMessage(true)));
  }
}

// ---- sending -----------------------------------------------------------------------------------------------------

function chatOptions() {
  const options = {};
  const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
  const temperature = number(ui.temperature);
  const numCtx = number(ui.numCtx);
  const seed = number(ui.seed);
  if (temperature !== null && Number.isFinite(temperature)) options.temperature = temperature;
  if (numCtx !== null && Number.isInteger(numCtx)) options.num_ctx = numCtx;
  if (seed !== null && Number.isInteger(seed)) options.seed = seed;
  return options;
}

function wireMessages(messages) {
  const wire = [];
  if (ui.system.value.trim()) wire.push({ role: 'system', content: ui.system.value });
  for (const message of messages) {
    if (message.role === 'assistant' && !message.content) continue; // an answer that failed or was stopped at once
    const item = { role: message.role, content: message.content };
    if (message.images?.length) item.images = message.images.map((src) => src.slice(src.indexOf(',') + 1));
    wire.push(item);
  }
  return wire;
}

async function sendMessage(regenerate) {
  if (generation) return;
  const model = ui.model.value;
  if (!model) {
    setStatus('Choose a model first.');
    ui.model.focus();
    return;
  }
  let conversation = current();
  if (regenerate) {
    if (!conversation || conversation.messages.at(-1)?.role !== 'assistant') return;
    conversation.messages.pop();
  } else {
    const text = ui.message.value.trim();
    if (!text && pendingImages.length === 0) return;
    conversation ??= newConversation();
    conversation.messages.push({ role: 'user', content: text, images: pendingImages.length ? pendingImages.slice() : undefined });
    if (conversation.title === 'New chat') conversation.title = (text || 'Image').slice(0, 60);
    ui.message.value = '';
    clearAttachments();
  }
  const reply = { role: 'assistant', content: '', thinking: '', model };
  const history = conversation.messages.slice();
  conversation.messages.push(reply);
  conversation.model = model;
  conversation.updated = Date.now();
  conversations = [conversation, ...conversations.filter((c) => c.id !== conversation.id)];
  generation = { controller: new AbortController(), conversationId: conversation.id };
  setBusy(true);
  persist();
  renderList();
  renderConversation();
  const article = ui.messages.lastElementChild;
  let pending = false;
  const paint = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      if (article.isConnected) {
        // Follow the answer only while the reader is at the bottom: scrolling up to read stays put.
        const following = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 48;
        article.update();
        if (following) ui.messages.scrollTop = ui.messages.scrollHeight;
      }
    });
  };

  const body = { model, messages: wireMessages(history), stream: true, options: chatOptions() };
  if (ui.think.value) body.think = ui.think.value === 'true';
  setStatus('Generating…');
  try {
    const response = await api('/api/chat', body, generation.controller.signal);
    for await (const chunk of ndjson(response)) {
      if (chunk.message) {
        reply.content += chunk.message.content || '';
        reply.thinking += chunk.message.thinking || '';
        paint();
      }
      if (chunk.done) {
        reply.stats = {
          eval_count: chunk.eval_count, eval_duration: chunk.eval_duration,
          prompt_eval_count: chunk.prompt_eval_count, done_reason: chunk.done_reason,
        };
      }
    }
    setStatus('Done.');
  } catch (error) {
    if (error.name === 'AbortError') {
      reply.stopped = true;
      setStatus('Stopped.');
    } else {
      reply.error = error instanceof ApiError || error.message ? error.message : String(error);
      setStatus('Error: ' + reply.error);
    }
  } finally {
    generation = null;
    setBusy(false);
    persist();
    if (article.isConnected) {
      renderConversation();
    }
    ui.message.focus();
    refreshLoaded();
  }
}

function setBusy(busy) {
  ui.send.hidden = busy;
  ui.stop.hidden = !busy;
  ui.messages.setAttribute('aria-busy', String(busy));
  if (busy) ui.stop.focus({ preventScroll: true });
}

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  sendMessage(false);
});

ui.message.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendMessage(false);
  }
});

ui.stop.addEventListener('click', () => generation?.controller.abort());

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && generation) generation.controller.abort();
});

// ---- images ------------------------------------------------------------------------------------------------------

ui.attach.addEventListener('change', async () => {
  for (const file of ui.attach.files) {
    pendingImages.push(await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    }));
  }
  ui.attach.value = '';
  renderAttachments();
});

function renderAttachments() {
  ui.attachments.replaceChildren();
  pendingImages.forEach((src, index) => {
    const item = document.createElement('li');
    const img = document.createElement('img');
    img.src = src;
    img.alt = 'Image ' + (index + 1) + ' to send';
    const remove = button('Remove', 'Remove image ' + (index + 1), () => {
      pendingImages.splice(index, 1);
      renderAttachments();
      ui.message.focus();
    });
    item.append(img, remove);
    ui.attachments.append(item);
  });
}

function clearAttachments() {
  pendingImages = [];
  renderAttachments();
}

// ---- settings ----------------------------------------------------------------------------------------------------

const settingInputs = { system: ui.system, temperature: ui.temperature, num_ctx: ui.numCtx, seed: ui.seed, think: ui.think };
const savedSettings = loadSettings();
for (const [name, input] of Object.entries(settingInputs)) {
  if (typeof savedSettings[name] === 'string') input.value = savedSettings[name];
  input.addEventListener('change', () => {
    saveSettings(Object.fromEntries(Object.entries(settingInputs).map(([key, el]) => [key, el.value])));
  });
}

// ---- layout ------------------------------------------------------------------------------------------------------

function openSidebar() {
  ui.sidebar.classList.add('open');
  ui.menu.setAttribute('aria-expanded', 'true');
}

function closeSidebarIfNarrow() {
  if (getComputedStyle(ui.menu).display === 'none') return;
  ui.sidebar.classList.remove('open');
  ui.menu.setAttribute('aria-expanded', 'false');
}

ui.menu.addEventListener('click', () => {
  const open = !ui.sidebar.classList.contains('open');
  ui.sidebar.classList.toggle('open', open);
  ui.menu.setAttribute('aria-expanded', String(open));
  if (open) ui.newChat.focus();
});

function button(text, label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  if (label) element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

// ---- start -------------------------------------------------------------------------------------------------------

if (apiKey()) ui.keySection.hidden = false;
renderList();
renderConversation();
await loadModels();
document.body.dataset.ready = 'true';
