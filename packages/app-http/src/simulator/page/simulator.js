// The simulator page: two phones, each polling its own chat log and posting what is typed or
// tapped to /simulator/api/inbound (which signs it and posts it to /webhooks/whatsapp). Every
// string from the server goes in through textContent, never as HTML.
const POLL_MS = 1000;

const statusLine = document.getElementById('status');

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

async function api(path, init) {
  const res = await fetch(path, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** What a message sent by Khaacho shows: its text and, for buttons and lists, what can be tapped. */
function outbound(phone, entry) {
  const p = entry.payload;
  const bubble = el('div', { class: 'bubble out', 'data-testid': 'message-out', 'data-seq': String(entry.seq) });
  if (p.type === 'text') {
    bubble.append(el('span', { text: p.text?.body ?? '' }));
  } else if (p.type === 'interactive' && p.interactive?.type === 'button') {
    bubble.append(el('span', { text: p.interactive.body?.text ?? '' }));
    const actions = el('div', { class: 'actions' });
    for (const b of p.interactive.action?.buttons ?? []) {
      const reply = b.reply ?? {};
      actions.append(
        el('button', {
          type: 'button',
          text: reply.title,
          'data-testid': 'reply-button',
          'data-id': reply.id,
          onclick: () => phone.send({ buttonReply: { id: reply.id, title: reply.title }, contextId: entry.messageId }),
        }),
      );
    }
    bubble.append(actions);
  } else if (p.type === 'interactive' && p.interactive?.type === 'list') {
    bubble.append(el('span', { text: p.interactive.body?.text ?? '' }));
    const rows = el('div', { class: 'rows' });
    for (const section of p.interactive.action?.sections ?? []) {
      if (section.title) rows.append(el('strong', { text: section.title }));
      for (const row of section.rows ?? []) {
        const reply = { id: row.id, title: row.title, ...(row.description ? { description: row.description } : {}) };
        const button = el('button', {
          type: 'button',
          'data-testid': 'list-row',
          'data-id': row.id,
          onclick: () => phone.send({ listReply: reply, contextId: entry.messageId }),
        });
        button.append(el('span', { text: row.title }));
        if (row.description) button.append(el('small', { text: row.description }));
        rows.append(button);
      }
    }
    const open = el('button', {
      type: 'button',
      text: `☰ ${p.interactive.action?.button ?? 'Choose'}`,
      'data-testid': 'list-open',
      onclick: () => {
        // An opened list can run past the chat's bottom: scroll its bubble into view (whole if
        // it fits, else from its top: 'nearest' does both).
        if (rows.classList.toggle('open')) bubble.scrollIntoView({ block: 'nearest' });
      },
    });
    bubble.append(el('div', { class: 'actions' }, open, rows));
  } else if (p.type === 'template') {
    const t = p.template ?? {};
    const params = (t.components ?? []).flatMap((c) => (c.parameters ?? []).map((x) => x.text ?? ''));
    bubble.append(el('span', { class: 'template', text: `template ${t.name} (${t.language?.code ?? '?'})` }));
    if (params.length > 0) bubble.append(el('div', { text: params.join('\n') }));
  } else {
    bubble.append(el('span', { class: 'template', text: `${p.type} message` }));
  }
  bubble.append(el('span', { class: 'meta', text: new Date(entry.at).toLocaleTimeString() }));
  return bubble;
}

/** What the phone's owner sent, with how our webhook answered its signed delivery. */
function inbound(entry) {
  const m = entry.payload;
  const text =
    m.type === 'text'
      ? m.text?.body
      : m.type === 'audio'
        ? `🎤 voice note${entry.simulatedTranscript ? ` — simulated transcript: "${entry.simulatedTranscript}"` : ''}`
        : m.interactive?.type === 'button_reply'
          ? `▸ ${m.interactive.button_reply.title}`
          : `▸ ${m.interactive?.list_reply?.title ?? m.type}`;
  const ok = entry.webhook?.status === 200;
  const state = entry.webhook
    ? ok
      ? 'webhook 200 ✓'
      : (entry.webhook.error ?? `webhook ${entry.webhook.status}`)
    : '…';
  return el(
    'div',
    {
      class: 'bubble in',
      'data-testid': 'message-in',
      'data-seq': String(entry.seq),
      'data-webhook': String(entry.webhook?.status ?? ''),
    },
    el('span', { text: text ?? '' }),
    el('span', { class: ok ? 'meta' : 'meta failed', text: `${new Date(entry.at).toLocaleTimeString()} · ${state}` }),
  );
}

/** A dispatched order's [Delivered] button: from then on the vendor phone explains the code. */
function offersDelivered(entry) {
  const buttons = entry.direction === 'out' ? (entry.payload.interactive?.action?.buttons ?? []) : [];
  return buttons.some((b) => b.reply?.id?.startsWith('order:delivered:'));
}

function makePhone(section, parties, mode) {
  const select = section.querySelector('select');
  const chat = section.querySelector('.chat');
  const form = section.querySelector('form');
  const input = form.querySelector('input');
  const status = section.querySelector('.phone-status');
  const hint = section.querySelector('.delivery-hint');
  const state = { from: null, after: 0, timer: null, polling: false };
  // By seq: what each bubble was drawn from, and the webhook answers the sends returned. A poll
  // may draw the phone's own message before its send returns, so the answer lands later.
  const drawn = new Map();
  const answers = new Map();
  for (const party of parties) {
    select.append(el('option', { value: party.phone, text: `${party.name} (+${party.phone})` }));
  }

  async function poll() {
    if (state.polling || state.from === null) return;
    state.polling = true;
    const from = state.from;
    try {
      const { entries } = await api(`/simulator/api/messages?phone=${from}&after=${state.after}`);
      if (from !== state.from) return;
      for (const entry of entries) {
        draw(entry);
        state.after = Math.max(state.after, entry.seq);
      }
      if (entries.length > 0) chat.scrollTop = chat.scrollHeight;
    } catch (error) {
      status.textContent = `could not read messages: ${error.message}`;
    } finally {
      state.polling = false;
    }
  }

  /**
   * Draws an entry once per seq, in seq order. An inbound bubble is redrawn only when its
   * webhook answer becomes known; an outbound one never changes (an open list stays open).
   */
  function draw(logged) {
    const answer = answers.get(logged.seq);
    const entry = logged.direction === 'in' && !logged.webhook && answer ? { ...logged, webhook: answer } : logged;
    const known = drawn.get(entry.seq);
    if (known) {
      if (entry.direction === 'out' || known.entry.webhook || !entry.webhook) return;
      const node = inbound(entry);
      known.node.replaceWith(node);
      drawn.set(entry.seq, { entry, node });
      return;
    }
    const node = entry.direction === 'in' ? inbound(entry) : outbound(phone, entry);
    drawn.set(entry.seq, { entry, node });
    if (hint && offersDelivered(entry)) hint.hidden = false;
    const later = [...chat.children].find((child) => Number(child.dataset.seq) > entry.seq);
    chat.insertBefore(node, later ?? null);
  }

  /** The send's answer for its own message, whichever came first: the answer or the poll's bubble. */
  function settle(seq, webhook) {
    answers.set(seq, webhook);
    const known = drawn.get(seq);
    if (known) draw(known.entry);
  }

  const phone = {
    async send(content) {
      if (state.from === null) return;
      const from = state.from;
      status.textContent = 'sending…';
      try {
        const result = await api('/simulator/api/inbound', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ from: state.from, ...content }),
        });
        status.textContent =
          result.webhook.status === 200
            ? 'delivered: the webhook answered 200'
            : `not accepted: ${result.webhook.error ?? result.webhook.status}`;
        section.dataset.lastWebhook = String(result.webhook.status);
        if (from === state.from && Number.isInteger(result.seq)) settle(result.seq, result.webhook);
      } catch (error) {
        status.textContent = `not sent: ${error.message}`;
      }
      await poll();
    },
  };

  function choose(value) {
    state.from = value || null;
    state.after = 0;
    drawn.clear();
    answers.clear();
    chat.replaceChildren();
    status.textContent = '';
    if (hint) hint.hidden = true;
    poll();
  }
  select.addEventListener('change', () => choose(select.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    phone.send({ text });
  });
  choose(select.value);
  state.timer = setInterval(poll, POLL_MS);
  const voice = section.querySelector('.voice');
  if (voice) voiceNotes(voice, phone, mode);
  return phone;
}

/** Base64 of a Blob's bytes (what the inbound API takes for a voice note). */
function base64Of(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** The audio's type as the API takes it: `audio/<subtype>` and at most a codecs parameter. */
function audioType(blob) {
  const match = /^(audio\/[\w.+-]{1,60})(;\s*codecs=([\w.-]{1,30}))?/.exec(blob.type || '');
  if (!match) return null;
  return match[3] ? `${match[1]}; codecs=${match[3]}` : match[1];
}

/**
 * A voice note from an audio file or a recording: sent as a Meta-shaped audio message whose
 * media the Graph stub serves. With no speech-to-text configured (`mode` 'simulated') the
 * transcript typed beside it is what Khaacho "hears", and the page says so.
 */
function voiceNotes(voice, phone, mode) {
  const file = voice.querySelector('[data-testid="voice-file"]');
  const record = voice.querySelector('[data-testid="voice-record"]');
  const transcriptLabel = voice.querySelector('[data-testid="voice-transcript-label"]');
  const transcript = voice.querySelector('[data-testid="voice-transcript"]');
  const send = voice.querySelector('[data-testid="voice-send"]');
  const info = voice.querySelector('[data-testid="voice-info"]');
  let audio = null;
  let recorder = null;
  transcriptLabel.hidden = mode !== 'simulated';
  const modeNote =
    mode === 'transcribed'
      ? 'Transcribed by the configured speech-to-text.'
      : mode === 'simulated'
        ? 'No speech-to-text is configured: without a transcript Khaacho answers "please type".'
        : 'No speech-to-text: Khaacho answers "please type".';
  info.textContent = modeNote;
  const ready = (blob, what) => {
    const type = audioType(blob);
    if (type === null) {
      audio = null;
      send.disabled = true;
      info.textContent = `not an audio file (${blob.type || 'unknown type'})`;
      return;
    }
    audio = { blob, type };
    send.disabled = false;
    info.textContent = `${what}: ${Math.ceil(blob.size / 1024)} KiB ${type}. ${modeNote}`;
  };
  file.addEventListener('change', () => {
    if (file.files?.[0]) ready(file.files[0], file.files[0].name);
  });
  record.addEventListener('click', async () => {
    if (recorder) {
      recorder.stop();
      return;
    }
    // Plain http on another host than localhost has no navigator.mediaDevices at all, and some
    // browsers (headless ones) no MediaRecorder: say so rather than throw a TypeError.
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      info.textContent = window.isSecureContext
        ? 'cannot record here: this browser has no microphone recording. Choose an audio file instead.'
        : 'cannot record here: the browser allows the microphone only on https or localhost. Choose an audio file instead.';
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      info.textContent =
        error?.name === 'NotAllowedError'
          ? 'cannot record here: microphone permission was refused. Choose an audio file instead.'
          : error?.name === 'NotFoundError'
            ? 'cannot record here: no microphone found. Choose an audio file instead.'
            : `cannot record here: ${error?.message ?? error}. Choose an audio file instead.`;
      return;
    }
    try {
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = (event) => chunks.push(event.data);
      recorder.onstop = () => {
        for (const track of stream.getTracks()) track.stop();
        ready(new Blob(chunks, { type: recorder.mimeType }), 'recording');
        recorder = null;
        record.textContent = '● Record';
      };
      recorder.start();
      record.textContent = '■ Stop';
      info.textContent = 'recording…';
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      recorder = null;
      info.textContent = `cannot record here: ${error.message}. Choose an audio file instead.`;
    }
  });
  send.addEventListener('click', async () => {
    if (!audio) return;
    let data;
    try {
      data = await base64Of(audio.blob);
    } catch (error) {
      // A file moved or deleted after it was chosen cannot be read: say so, not nothing.
      info.textContent = `could not read the audio: ${error?.message ?? error}. Choose it again.`;
      return;
    }
    const typed = transcript.value.trim();
    await phone.send({
      audio: { data, mimeType: audio.type, ...(mode === 'simulated' && typed ? { transcript: typed } : {}) },
    });
    audio = null;
    send.disabled = true;
    file.value = '';
    transcript.value = '';
    info.textContent = modeNote;
  });
}

async function start() {
  try {
    const parties = await api('/simulator/api/parties');
    makePhone(document.querySelector('[data-role="shop"]'), parties.shops, parties.voice);
    makePhone(document.querySelector('[data-role="vendor"]'), parties.vendors, parties.voice);
    statusLine.textContent =
      parties.shops.length === 0 ? 'no demo shops: start with the demo data (KHAACHO_DEMO_DATA=true)' : 'ready';
    document.body.dataset.ready = 'true';
  } catch (error) {
    statusLine.textContent = `could not load the demo parties: ${error.message}`;
  }
}

start();
