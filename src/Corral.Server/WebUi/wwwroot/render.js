// Model output is untrusted: Markdown becomes HTML only through DOMPurify, which drops scripts, event handlers and
// javascript: URLs. The page's Content-Security-Policy (script-src 'self') is the second wall behind it.
import { marked } from './vendor/marked.esm.js';
import DOMPurify from './vendor/purify.es.mjs';

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// HTML the model writes is shown as text, not interpreted: what it said stays visible, and no handler attribute ever
// reaches a parser (even DOMPurify's inert one, where the CSP would report it).
marked.use({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text, block }) {
      return block ? '<p>' + escapeHtml(text) + '</p>' : escapeHtml(text);
    },
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'base', 'meta', 'link'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
};

/** Replaces el's children with the sanitized rendering of the Markdown text. */
export function renderMarkdown(el, text) {
  el.innerHTML = DOMPurify.sanitize(marked.parse(text || ''), PURIFY);
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log10(bytes) / 3));
  const value = bytes / 1000 ** power;
  return (power === 0 ? value : value.toFixed(value < 10 ? 1 : 0)) + ' ' + units[power];
}

/** "26 tokens · 412.3 tok/s · prompt 12 tokens" from a final chat chunk's counts and nanosecond durations. */
export function formatStats(stats) {
  if (!stats) return '';
  const parts = [];
  if (Number.isFinite(stats.eval_count)) {
    parts.push(stats.eval_count + (stats.eval_count === 1 ? ' token' : ' tokens'));
    if (stats.eval_duration > 0) parts.push((stats.eval_count / (stats.eval_duration / 1e9)).toFixed(1) + ' tok/s');
  }
  if (Number.isFinite(stats.prompt_eval_count)) parts.push('prompt ' + stats.prompt_eval_count + ' tokens');
  if (stats.done_reason && stats.done_reason !== 'stop') parts.push('ended: ' + stats.done_reason);
  return parts.join(' · ');
}
