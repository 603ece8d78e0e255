// Live queue: the server pushes the team's jobs in progress (server-sent events).
(() => {
  const body = document.getElementById('queue-rows');
  const empty = document.getElementById('queue-empty');
  const cell = (text) => {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  };
  const render = (rows) => {
    body.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.id = r.id;
        tr.dataset.state = r.state;
        const state = cell(r.state);
        state.className = 'state';
        tr.append(
          state,
          cell(r.position ? String(r.position) : ''),
          cell(r.etaSeconds !== undefined ? `${Math.ceil(r.etaSeconds)} s` : ''),
          cell(r.prompt),
          cell(r.author),
          cell(r.model),
        );
        return tr;
      }),
    );
    empty.hidden = rows.length > 0;
  };
  const events = new EventSource('/dashboard/api/queue/events');
  events.addEventListener('queue', (e) => render(JSON.parse(e.data)));
})();
