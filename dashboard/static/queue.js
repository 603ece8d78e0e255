// Live queue: the server pushes the team's jobs in progress (server-sent events); the time left
// counts down here between pushes.
(() => {
  const body = document.getElementById('queue-rows');
  const empty = document.getElementById('queue-empty');
  const shown = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  };
  const cell = (text) => {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  };
  const tick = () => {
    for (const td of body.querySelectorAll('td.eta[data-until]'))
      td.textContent = shown((Number(td.dataset.until) - Date.now()) / 1000);
  };
  const render = (rows) => {
    const now = Date.now();
    body.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.id = r.id;
        tr.dataset.state = r.state;
        const state = cell(r.state);
        state.className = 'state';
        const eta = cell('');
        eta.className = 'eta';
        if (r.etaSeconds !== undefined) eta.dataset.until = String(now + r.etaSeconds * 1000);
        tr.append(
          state,
          cell(r.position ? String(r.position) : ''),
          eta,
          cell(r.prompt),
          cell(r.author),
          cell(r.model),
        );
        return tr;
      }),
    );
    empty.hidden = rows.length > 0;
    tick();
  };
  // Rows drawn by the server count down too, until the first push replaces them.
  for (const td of body.querySelectorAll('td.eta[data-seconds]'))
    td.dataset.until = String(Date.now() + Number(td.dataset.seconds) * 1000);
  setInterval(tick, 1000);
  const events = new EventSource('/dashboard/api/queue/events');
  events.addEventListener('queue', (e) => render(JSON.parse(e.data)));
})();
