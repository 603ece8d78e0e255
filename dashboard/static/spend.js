// Spend charts: cost per day by person and by model (Chart.js, served by the bot itself).
(() => {
  const data = JSON.parse(document.getElementById('spend-data').textContent);
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1'];
  const draw = (id, series) =>
    new Chart(document.getElementById(id), {
      type: 'bar',
      data: {
        labels: data.days,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          backgroundColor: palette[i % palette.length],
        })),
      },
      options: {
        animation: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, title: { display: true, text: data.currency } },
        },
      },
    });
  draw('by-person', data.byPerson);
  draw('by-model', data.byModel);
})();
