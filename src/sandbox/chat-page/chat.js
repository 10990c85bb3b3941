// Sandbox chat page: a small Webex-like client over the fake API's /_sandbox/* routes (same origin).
// Plain browser JS, no build step. Text from the API only ever reaches the DOM as text nodes or through
// renderMarkdown(), which escapes everything before adding its few tags.
'use strict';
(() => {
  const AC = window.AdaptiveCards;
  const POLL_MS = 700;
  const ROOMS_MS = 3000;
  const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
  // Suggestions follow the chosen person's role: never offer what the reader may not do.
  const CHIPS = ['help', 'licenses', 'my seats', 'how many Webex Meetings seats are left?', 'expiring in 30 days'];
  const ADMIN_CHIPS = ['pending', 'who has Zoho CRM'];
  const ADMINS = ['ada@example.com', 'bob@example.com'];
  const $ = (id) => document.getElementById(id);
  const ui = {
    person: $('person'), role: $('me-role'), rooms: $('rooms'), title: $('room-title'), sub: $('room-sub'),
    error: $('error'), errorText: $('error-text'), messages: $('messages'), chips: $('chips'),
    form: $('composer-form'), text: $('text'), send: $('send'), mention: $('mention-hint'),
  };
  if (!AC) {
    ui.errorText.textContent = 'The Adaptive Cards renderer did not load (/vendor/adaptivecards.min.js): reload the page.';
    ui.error.hidden = false;
    return;
  }
  const state = {
    people: [], rooms: [], me: localStorage.getItem('sandbox.me') || '', roomId: null,
    lastId: null, gen: 0, nodes: new Map(), seen: {}, primed: false, roomsKey: '', errorSource: null,
    // Reconnecting: `offline` from a failed request until the next answer; `boot` tells a restarted fake API
    // (its bot was created anew); `room` is the open space as last seen, to find it again by title.
    offline: false, boot: null, room: null, resyncing: false,
  };

  // ---- small DOM helper: attributes via setAttribute, children as nodes or text nodes only
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }

  // ---- minimal, safe markdown: escape first, then bold / italics / code / links / line breaks
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }
  function emphasis(escaped) {
    return escaped
      .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<strong>$1</strong>')
      .replace(/__(?=\S)([^_\n]*?\S)__/g, '<strong>$1</strong>')
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1<em>$2</em>')
      .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<em>$2</em>');
  }
  const link = (url, textHtml) => `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${textHtml}</a>`;
  const TOKENS = /(`[^`\n]+`)|\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^\s()<>]+)\)|(https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)\]])/g;
  function inline(line) {
    let out = '';
    let last = 0;
    for (const m of line.matchAll(TOKENS)) {
      out += emphasis(escapeHtml(line.slice(last, m.index)));
      if (m[1]) out += `<code>${escapeHtml(m[1].slice(1, -1))}</code>`;
      else if (m[2]) out += link(m[3], emphasis(escapeHtml(m[2])));
      else out += link(m[4], escapeHtml(m[4]));
      last = m.index + m[0].length;
    }
    return out + emphasis(escapeHtml(line.slice(last)));
  }
  function renderMarkdown(text) {
    return String(text)
      .split(/```/)
      .map((part, i) => {
        if (i % 2 === 1) return `<pre><code>${escapeHtml(part.replace(/^[a-z]*\n/, ''))}</code></pre>`;
        return part
          .split('\n')
          .map((line) => {
            const heading = /^#{1,6}\s+(.*)$/.exec(line);
            if (heading) return `<strong>${inline(heading[1])}</strong>`;
            const item = /^\s*[-*]\s+(.*)$/.exec(line);
            return item ? `&bull;&nbsp;${inline(item[1])}` : inline(line);
          })
          .join('<br>');
      })
      .join('');
  }
  function markdownNode(text) {
    const div = el('div', { class: 'md' });
    div.innerHTML = renderMarkdown(text); // safe: renderMarkdown escapes all text it emits
    return div;
  }

  // ---- Adaptive Cards: the real renderer with a Webex-like host config
  // adaptivecards 3.0.6 reads an empty Input.Number as NaN and then fails its min/max check, so an optional
  // number left empty blocks the Submit. Webex accepts it (and sends ""): treat unset as valid unless required.
  const numberIsValid = AC.NumberInput.prototype.isValid;
  AC.NumberInput.prototype.isValid = function isValid() {
    return this.isSet() ? numberIsValid.call(this) : !this.isRequired;
  };
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderMarkdown(text);
    result.didProcess = true;
  };
  const fg = (d, s) => ({ default: d, subtle: s || d });
  const hostConfig = new AC.HostConfig({
    fontFamily: 'system-ui, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "WenQuanYi Micro Hei", "Noto Sans CJK SC"',
    spacing: { small: 4, default: 8, medium: 16, large: 24, extraLarge: 32, padding: 14 },
    separator: { lineThickness: 1, lineColor: '#E3E6EA' },
    fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    containerStyles: {
      default: {
        backgroundColor: '#FFFFFF',
        foregroundColors: {
          default: fg('#1F2328', '#626B75'), dark: fg('#1F2328', '#4B535C'), light: fg('#FFFFFF', '#E9ECEF'),
          accent: fg('#0A66C2', '#3D84CC'), good: fg('#1A7F37', '#3C9955'), warning: fg('#9A6700', '#A87D2B'),
          attention: fg('#CF222E', '#D6515A'),
        },
      },
      emphasis: { backgroundColor: '#F4F6F8' },
    },
    actions: {
      maxActions: 5, spacing: 'default', buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left',
      showCard: { actionMode: 'inline', inlineTopMargin: 12 },
    },
    factSet: {
      title: { color: 'default', size: 'default', isSubtle: true, weight: 'bolder', wrap: true, maxWidth: 170 },
      value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
      spacing: 10,
    },
  });

  function cardOf(message) {
    const a = (message.attachments || []).find((x) => x && x.contentType === CARD_TYPE && x.content);
    return a ? a.content : null;
  }
  function renderCard(message, content) {
    const status = el('div', { class: 'card-status', role: 'status' });
    try {
      const card = new AC.AdaptiveCard();
      card.hostConfig = hostConfig;
      card.parse(content, new AC.SerializationContext(AC.Versions.v1_3));
      card.onExecuteAction = (action) => void onCardAction(message, card, action, status);
      const node = card.render();
      if (!node) throw new Error('the renderer drew nothing');
      return el('div', { class: 'card' }, node, status);
    } catch (err) {
      return el('div', { class: 'card card-broken' }, markdownNode(message.markdown || message.text || ''),
        el('div', { class: 'card-error' }, `This card could not be drawn: ${err.message}`));
    }
  }
  // Webex sends every input of the card (unset ones as "") merged with the Submit's data.
  async function onCardAction(message, card, action, status) {
    if (action instanceof AC.OpenUrlAction) {
      if (/^https?:\/\//i.test(action.url || '')) window.open(action.url, '_blank', 'noopener,noreferrer');
      else showError(`Not opening "${action.url}": only http(s) links are allowed.`);
      return;
    }
    if (!(action instanceof AC.SubmitAction)) return;
    if (!state.me) return showError('Pick who you are first.');
    const inputs = {};
    for (const input of card.getAllInputs()) {
      if (input.id) inputs[input.id] = input.isSet() ? String(input.value) : '';
    }
    if (action.data && typeof action.data === 'object') Object.assign(inputs, action.data);
    status.className = 'card-status pending';
    status.textContent = `Sending “${action.title || 'Submit'}” as ${personLabel(state.me)}…`;
    try {
      await api('POST', '/_sandbox/submit', { messageId: message.id, personEmail: state.me, inputs });
      status.className = 'card-status ok';
      status.textContent = `Sent “${action.title || 'Submit'}” as ${personLabel(state.me)} ✓`;
      void fetchNew(state.gen);
    } catch (err) {
      status.className = 'card-status failed';
      status.textContent = err.message;
      status.title = err.detail || '';
    }
  }

  // ---- API: every failure becomes an Error whose message is a sentence for a person (the server's wording,
  // status and path stay in `detail`, shown as the banner's tooltip and in the console).
  const FIELDS = {
    text: 'That message', title: 'That title', personEmail: 'That email address', personId: 'That person',
    messageId: 'That card', roomId: 'That space', inputs: 'The card’s inputs', members: 'The member list',
    parentId: 'That thread', type: 'That kind of space',
  };
  // zod's prettifyError text ("✖ Too big: expected string to have <=7000 characters\n  → at text") as sentences.
  function validationSentences(text) {
    const issues = [];
    for (const line of String(text).split('\n')) {
      const issue = /^\s*✖\s*(.*)$/.exec(line);
      const at = /^\s*→\s*at\s+(.*)$/.exec(line);
      if (issue) issues.push({ message: issue[1].trim(), path: '' });
      else if (at && issues.length > 0) issues[issues.length - 1].path = at[1].trim();
    }
    const placed = issues.filter((i) => i.path !== '');
    const sentences = (placed.length > 0 ? placed : issues).map(({ message, path }) => {
      const subject = FIELDS[path.split('.')[0]] || 'That';
      let m;
      if ((m = /^Too big: expected string to have <=\s*(\d+) characters?/i.exec(message))) return `${subject} is too long (at most ${m[1]} characters).`;
      if ((m = /^Too big: expected \w+ to have <=\s*(\d+) items?/i.exec(message))) return `${subject} has too many entries (at most ${m[1]}).`;
      if (/^Too small: expected string to have >=\s*1 characters?/i.test(message)) return `${subject} is empty.`;
      if ((m = /^Too small: expected string to have >=\s*(\d+) characters?/i.exec(message))) return `${subject} is too short (at least ${m[1]} characters).`;
      if ((m = /^Too small: expected \w+ to have >=\s*(\d+) items?/i.exec(message))) return `${subject} needs at least ${m[1]}.`;
      if (/^Invalid email/i.test(message)) return `${subject === 'That' ? 'That' : subject} is not a valid email address.`;
      if (/received undefined$/i.test(message)) return `${subject} is missing.`;
      return `${subject} was not accepted (${message.replace(/^Invalid input:?\s*/i, '').replace(/[✖→]/g, '').trim() || 'invalid'}).`;
    });
    return sentences.length > 0 ? [...new Set(sentences)].join(' ') : null;
  }
  function humanError(status, why) {
    const text = String(why || '').trim();
    if (/^unknown messageId/i.test(text)) return 'That card is from before the sandbox restarted, so the bot no longer knows it. Ask again for a fresh one.';
    if (/^unknown room(Id)?\b/i.test(text)) return 'This space no longer exists: the sandbox restarted without it. Pick another space.';
    if (/is not a member of/i.test(text)) return `${personLabel(state.me)} is not a member of this space.`;
    if (status === 400) return validationSentences(text) || `The sandbox did not accept that: ${text.replace(/[✖→]/g, '').replace(/\s+/g, ' ').trim()}`;
    if (status === 421) return `The sandbox only answers at its own address: open ${location.protocol}//127.0.0.1:${location.port}/ instead.`;
    if (status === 404) return 'The sandbox does not know that any more (it may have restarted).';
    if (status >= 500) return `The sandbox had a problem answering (HTTP ${status}). Try again in a moment.`;
    return `The sandbox refused that (HTTP ${status}).`;
  }
  class ApiError extends Error {
    constructor(message, { status, detail, offline }) {
      super(message);
      this.status = status;
      this.detail = detail;
      this.offline = offline;
    }
  }
  const OFFLINE = 'The sandbox is not answering (is npm start still running?). Reconnecting…';
  async function api(method, path, body) {
    const shortPath = path.split('?')[0];
    let res;
    let raw;
    try {
      res = await fetch(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      raw = await res.text();
    } catch (err) {
      const e = new ApiError(OFFLINE, { status: 0, detail: `${method} ${shortPath}: ${err.message}`, offline: true });
      connectionLost(e);
      throw e;
    }
    connectionBack();
    let json = null;
    try {
      json = raw ? JSON.parse(raw) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const why = (json && ((json.error && json.error.message) || json.message)) || raw.slice(0, 200) || res.statusText;
      throw new ApiError(humanError(res.status, why), { status: res.status, detail: `${method} ${shortPath} failed (${res.status}): ${why}`, offline: false });
    }
    if (json === null || typeof json !== 'object') {
      throw new ApiError('The sandbox sent an answer this page cannot read.', { status: res.status, detail: `${method} ${shortPath}: not JSON`, offline: false });
    }
    return json;
  }
  function showError(message, source, detail) {
    state.errorSource = source || null;
    ui.errorText.textContent = message;
    ui.error.title = detail || '';
    ui.error.hidden = false;
    if (detail) console.warn(detail);
  }
  function showApiError(err, source) {
    if (err && err.offline) return; // connectionLost already says so, once, and clears it itself
    showError(err.message, source, err.detail);
  }
  function clearError(source) {
    if (!source || state.errorSource === source) ui.error.hidden = true;
  }
  // ---- connection: lost on the first failed request, back (and the page resynced) on the first answer after it
  function connectionLost(err) {
    state.offline = true;
    showError(err.message, 'connection', err.detail);
  }
  function connectionBack() {
    if (!state.offline) return;
    state.offline = false;
    clearError('connection');
    void resync();
  }
  $('error-close').addEventListener('click', () => clearError());

  // ---- people and spaces
  const personById = (id) => state.people.find((p) => p.id === id);
  const personByEmail = (email) => state.people.find((p) => (p.emails || []).includes(email));
  function personLabel(email) {
    const p = personByEmail(email);
    return p ? p.displayName : email;
  }
  const bot = () => state.people.find((p) => p.type === 'bot');
  const currentRoom = () => state.rooms.find((r) => r.id === state.roomId) || null;
  const isMember = (room, email) => room.members.some((m) => m.email === email);
  const initials = (name) => name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');

  function renderPeople() {
    const humans = state.people.filter((p) => p.type !== 'bot');
    const emails = humans.map((p) => p.emails[0]);
    if (ui.person.options.length !== humans.length) {
      ui.person.replaceChildren(...humans.map((p) => el('option', { value: p.emails[0] }, `${p.displayName} (${p.emails[0]})`)));
    }
    if (!emails.includes(state.me)) state.me = emails.includes('cy@example.com') ? 'cy@example.com' : emails[0] || '';
    ui.person.value = state.me;
    ui.role.textContent = ADMINS.includes(state.me) ? 'License admin: can approve requests' : 'Regular user';
    renderChips();
  }
  function renderChips() {
    const enabled = ui.chips.children.length > 0 && !ui.chips.children[0].disabled;
    const chips = ADMINS.includes(state.me) ? [...CHIPS, ...ADMIN_CHIPS] : CHIPS;
    ui.chips.replaceChildren(...chips.map((c) => el('button', { type: 'button', class: 'chip', disabled: !enabled, onclick: () => void say(c) }, c)));
  }
  function roomLabel(room) {
    if (room.type === 'direct') return { name: (bot() && bot().displayName) || 'License Bot', sub: 'Direct message' };
    return { name: room.title, sub: `${room.members.length} members · group space` };
  }
  function renderRooms() {
    const mine = state.rooms.filter((r) => isMember(r, state.me));
    mine.sort((a, b) => (a.type === b.type ? a.title.localeCompare(b.title) : a.type === 'direct' ? -1 : 1));
    const unreadOf = (r) => r.id !== state.roomId && r.lastActivity > (state.seen[r.id] || '');
    const key = JSON.stringify([state.roomId, mine.map((r) => [r.id, r.title, r.members.length, unreadOf(r)])]);
    if (key === state.roomsKey) return; // unchanged: keep the buttons (a click in progress is not lost)
    state.roomsKey = key;
    ui.rooms.replaceChildren(...mine.map((r) => {
      const { name, sub } = roomLabel(r);
      const unread = unreadOf(r);
      return el('button', {
        type: 'button', class: `room${r.id === state.roomId ? ' active' : ''}${unread ? ' unread' : ''}`,
        'data-room-id': r.id, 'data-room-type': r.type, 'aria-current': r.id === state.roomId ? 'true' : null,
        onclick: () => selectRoom(r.id),
      }, el('span', { class: `avatar ${r.type}` }, r.type === 'direct' ? 'LB' : initials(r.title)),
      el('span', { class: 'room-text' }, el('span', { class: 'room-name' }, name), el('span', { class: 'room-sub' }, sub)),
      unread ? el('span', { class: 'dot', title: 'New messages' }) : null);
    }));
    if (mine.length === 0) ui.rooms.append(el('p', { class: 'empty' }, 'You are in no space with the bot.'));
  }
  async function refreshDirectory() {
    try {
      const [people, rooms] = await Promise.all([api('GET', '/_sandbox/people'), api('GET', '/_sandbox/rooms')]);
      state.people = people.items;
      state.rooms = rooms.items;
      const b = bot();
      const boot = b ? `${b.id} ${b.created}` : '';
      const restarted = state.boot !== null && boot !== state.boot;
      state.boot = boot;
      if (restarted) {
        state.primed = false; // a restarted API dates every space anew: nothing is unread because of that
        void resync();
      }
      if (!state.primed) state.seen = Object.fromEntries(state.rooms.map((r) => [r.id, r.lastActivity]));
      state.primed = true;
      const room = currentRoom();
      if (room) state.seen[room.id] = room.lastActivity;
      renderPeople();
      renderRooms();
      clearError('directory');
    } catch (err) {
      showApiError(err, 'directory');
    }
  }

  // ---- the open space: messages, threads, polling
  function renderHeader() {
    const room = currentRoom();
    const on = Boolean(room && isMember(room, state.me));
    ui.text.disabled = ui.send.disabled = !on;
    for (const chip of ui.chips.children) chip.disabled = !on;
    ui.mention.hidden = !(room && room.type === 'group');
    if (!room) {
      ui.title.textContent = 'Pick a space';
      ui.sub.textContent = 'Choose who you are and a space on the left.';
      return;
    }
    ui.title.textContent = roomLabel(room).name;
    ui.sub.textContent = room.type === 'group'
      ? `${room.members.map((m) => m.displayName).join(', ')} · the bot only sees messages that mention it`
      : `You and the bot · ${personLabel(state.me)}`;
    ui.text.placeholder = room.type === 'group' ? 'Message the bot (sent with @License Bot)…' : 'Message License Bot…';
  }
  function selectRoom(id) {
    state.gen += 1;
    state.roomId = id;
    state.lastId = null;
    state.nodes.clear();
    ui.messages.replaceChildren(el('p', { class: 'empty' }, 'Loading messages…'));
    const room = currentRoom();
    state.room = room;
    if (room) state.seen[id] = room.lastActivity;
    renderRooms();
    renderHeader();
    clearError('poll');
    clearError('room');
    if (id) void loop(state.gen);
    else ui.messages.replaceChildren(el('p', { class: 'empty' }, 'Pick a space on the left.'));
  }
  function formatTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
  }
  function messageBody(m) {
    const content = cardOf(m);
    if (content) return renderCard(m, content);
    const b = bot();
    let text = m.markdown || m.text || '';
    const mentionsBot = b && (m.mentionedPeople || []).includes(b.id) && text.startsWith(b.displayName);
    if (mentionsBot) text = text.slice(b.displayName.length).trimStart();
    const body = markdownNode(text);
    if (mentionsBot) body.prepend(el('span', { class: 'mention-pill' }, `@${b.displayName}`), ' ');
    return body;
  }
  function renderMessage(m) {
    const p = personById(m.personId);
    const name = p ? p.displayName : m.personEmail || 'Someone';
    const fromBot = p && p.type === 'bot';
    return el('article', { class: `msg${fromBot ? ' from-bot' : ''}${m.personEmail === state.me ? ' from-me' : ''}`, 'data-message-id': m.id },
      el('span', { class: `avatar${fromBot ? ' bot' : ''}`, 'aria-hidden': 'true' }, fromBot ? 'LB' : initials(name)),
      el('div', { class: 'msg-main' },
        el('div', { class: 'meta' }, el('span', { class: 'who' }, name), el('time', { datetime: m.created }, formatTime(m.created)),
          m.parentId ? el('span', { class: 'thread-tag' }, 'reply') : null),
        messageBody(m),
        el('div', { class: 'replies' })));
  }
  function addMessages(items) {
    const box = ui.messages;
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
    if (state.nodes.size === 0) box.replaceChildren();
    let mine = false;
    for (const m of items) {
      if (state.nodes.has(m.id)) continue;
      const node = renderMessage(m);
      state.nodes.set(m.id, node);
      const parent = m.parentId && state.nodes.get(m.parentId);
      const inThread = parent && parent.parentElement.classList.contains('replies');
      (parent ? (inThread ? parent.parentElement : parent.querySelector('.replies')) : box).append(node); // one level, like Webex
      mine = mine || m.personEmail === state.me;
    }
    const last = items[items.length - 1];
    if (last) state.lastId = last.id;
    if (last && last.created > (state.seen[state.roomId] || '')) state.seen[state.roomId] = last.created;
    if (state.nodes.size === 0) box.replaceChildren(el('p', { class: 'empty' }, 'No messages yet. Say “help” to the bot.'));
    if (nearBottom || mine) box.scrollTop = box.scrollHeight;
  }
  async function fetchNew(gen) {
    if (gen !== state.gen || !state.roomId) return;
    const after = state.lastId ? `?after=${encodeURIComponent(state.lastId)}` : '';
    try {
      const { items } = await api('GET', `/_sandbox/rooms/${encodeURIComponent(state.roomId)}/messages${after}`);
      if (gen !== state.gen) return;
      if (items.length > 0 || state.nodes.size === 0) addMessages(items);
      clearError('poll');
    } catch (err) {
      if (gen !== state.gen) return;
      if (err.status === 404) void resync(); // the space is gone: find it again by title, or say so
      else showApiError(err, 'poll');
    }
  }
  async function loop(gen) {
    await fetchNew(gen);
    if (gen === state.gen) setTimeout(() => void loop(gen), POLL_MS);
  }

  // ---- after a restart (or a lost connection): the same spaces, their history again, no banner left behind
  const sameRoom = (a, b) =>
    a.type === b.type && a.title === b.title &&
    JSON.stringify(a.members.map((m) => m.email).sort()) === JSON.stringify(b.members.map((m) => m.email).sort());
  async function resync() {
    if (state.resyncing) return;
    state.resyncing = true;
    try {
      await refreshDirectory();
      const before = state.room;
      if (!before || !state.roomId) return;
      // Spaces keep their ids across restarts (the fake names them after their title); if one did not, find it again.
      const room = currentRoom() || state.rooms.find((r) => sameRoom(r, before));
      if (!room) {
        const title = roomLabel(before).name;
        selectRoom(null);
        showError(`The space “${title}” no longer exists: the sandbox restarted without it. Pick another space.`, 'room');
        return;
      }
      state.roomId = room.id;
      state.room = room;
      renderRooms();
      renderHeader();
      await reloadHistory(state.gen);
    } catch (err) {
      showApiError(err, 'poll');
    } finally {
      state.resyncing = false;
    }
  }
  // The open space's whole history again. Messages the API no longer has stay on screen, marked as from before.
  async function reloadHistory(gen) {
    const { items } = await api('GET', `/_sandbox/rooms/${encodeURIComponent(state.roomId)}/messages`);
    if (gen !== state.gen) return;
    const gone = [...state.nodes.entries()].filter(([id, node]) => !node.classList.contains('stale') && !items.some((m) => m.id === id));
    if (gone.length > 0) {
      for (const [, node] of gone) node.classList.add('stale');
      ui.messages.append(el('div', { class: 'restart-note', role: 'note' },
        'The sandbox restarted. The messages above are from before it, and their buttons no longer work.'));
      ui.messages.scrollTop = ui.messages.scrollHeight;
    }
    state.lastId = null;
    addMessages(items.filter((m) => !state.nodes.has(m.id)));
    const last = items[items.length - 1];
    state.lastId = last ? last.id : null;
    clearError('poll');
  }

  // ---- composer
  async function say(text) {
    const room = currentRoom();
    const clean = text.trim();
    if (!room || !clean) return;
    ui.send.disabled = true;
    try {
      await api('POST', '/_sandbox/say', { roomId: room.id, personEmail: state.me, text: clean, mentionBot: room.type === 'group' });
      if (ui.text.value.trim() === clean) ui.text.value = '';
      autoGrow();
      await fetchNew(state.gen);
    } catch (err) {
      if (err.offline) showError(`${OFFLINE} Your message was not sent.`, 'connection', err.detail);
      else showApiError(err);
    } finally {
      ui.send.disabled = false;
      ui.text.focus();
    }
  }
  function autoGrow() {
    ui.text.style.height = 'auto';
    ui.text.style.height = `${Math.min(ui.text.scrollHeight, 160)}px`;
  }
  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void say(ui.text.value);
  });
  ui.text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void say(ui.text.value);
    }
  });
  ui.text.addEventListener('input', autoGrow);
  renderChips();
  ui.person.addEventListener('change', () => {
    state.me = ui.person.value;
    localStorage.setItem('sandbox.me', state.me);
    renderPeople();
    const room = currentRoom();
    selectRoom(room && isMember(room, state.me) ? room.id : null); // redraw: "you" changed
  });

  async function start() {
    await refreshDirectory();
    renderHeader();
    const again = () => setTimeout(() => void refreshDirectory().then(again), ROOMS_MS);
    again();
  }
  void start();
})();
