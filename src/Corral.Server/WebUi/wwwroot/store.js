// Conversations live in this browser's localStorage only; the server keeps nothing.
const CONVERSATIONS = 'corral.conversations';
const SETTINGS = 'corral.settings';

export function loadConversations() {
  try {
    const list = JSON.parse(localStorage.getItem(CONVERSATIONS) || '[]');
    return Array.isArray(list) ? list.filter((c) => c && typeof c.id === 'string' && Array.isArray(c.messages)) : [];
  } catch {
    return [];
  }
}

/** False when the browser refused (storage full: images are large). */
export function saveConversations(list) {
  try {
    localStorage.setItem(CONVERSATIONS, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

export function loadSettings() {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS) || '{}') || {};
  } catch {
    return {};
  }
}

export function saveSettings(settings) {
  localStorage.setItem(SETTINGS, JSON.stringify(settings));
}

export function newId() {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
}
