// The dashboard's charts: reads the fifteen reports from /reports/data (no credentials) for the
// chosen range (the pre-orders waiting: as of the last ETL run, whatever the range) and draws them
// with Chart.js (the global `Chart` of chart.umd.js).
'use strict';

(function () {
  const DATA_URL = '/reports/data';
  const TOP_PRODUCTS = 10;
  const PREORDER_PRODUCTS = 10;
  const COLORS = {
    revenue: '#2f80ed',
    units: '#f2994a',
    allocated: '#9b51e0',
    shipped: '#27ae60',
    average: '#2f80ed',
    p50: '#27ae60',
    p90: '#eb5757',
    items: '#9b51e0',
    oldest: '#eb5757',
    mean: '#2f80ed',
  };
  /** The colours of the series of a stacked chart, in turn. */
  const SERIES_COLORS = ['#2f80ed', '#f2994a', '#9b51e0', '#27ae60', '#eb5757', '#56ccf2', '#f2c94c', '#6fcf97', '#bb6bd9', '#828282'];

  const main = document.getElementById('dashboard');
  const form = document.getElementById('range');
  const fromInput = document.getElementById('from');
  const toInput = document.getElementById('to');
  const status = document.getElementById('status');

  function chart(canvasId, config) {
    const base = { animation: false, responsive: true, maintainAspectRatio: false };
    return new Chart(document.getElementById(canvasId), { ...config, options: { ...base, ...config.options } });
  }

  /** A stacked bar chart of whole counts whose series drawSeries sets: their number depends on the data. */
  function stackedChart(canvasId, yTitle) {
    return chart(canvasId, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: yTitle } },
        },
      },
    });
  }

  const charts = {
    sales: chart('sales-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          // A lower order is drawn on top: the units line over the revenue bars.
          { type: 'bar', label: 'Revenue', data: [], yAxisID: 'revenue', backgroundColor: COLORS.revenue, order: 1 },
          { type: 'line', label: 'Units', data: [], yAxisID: 'units', borderColor: COLORS.units, backgroundColor: COLORS.units, order: 0 },
        ],
      },
      options: {
        scales: {
          revenue: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'Revenue' } },
          units: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'Units' } },
        },
      },
    }),
    products: chart('products-chart', {
      type: 'bar',
      data: { labels: [], datasets: [{ label: 'Units', data: [], backgroundColor: COLORS.units }] },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } },
    }),
    facilities: chart('facilities-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Allocated', data: [], backgroundColor: COLORS.allocated },
          { label: 'Shipped', data: [], backgroundColor: COLORS.shipped },
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    }),
    // One series per facility and rule, or per reason.
    allocations: stackedChart('allocations-chart', 'Order lines'),
    rejections: stackedChart('rejections-chart', 'Order lines'),
    // One series per hold reason.
    holds: stackedChart('holds-chart', 'Orders'),
    approvals: chart('approvals-chart', {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          { label: 'Average', data: [], borderColor: COLORS.average, backgroundColor: COLORS.average },
          { label: 'Median (p50)', data: [], borderColor: COLORS.p50, backgroundColor: COLORS.p50 },
          { label: '90th percentile', data: [], borderColor: COLORS.p90, backgroundColor: COLORS.p90 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'Minutes from creation to approval' } } } },
    }),
    autoCancellations: chart('autoCancellations-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Order lines', data: [], backgroundColor: COLORS.items },
          { label: 'Units', data: [], backgroundColor: COLORS.units },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    // One series per facility, or per store.
    shipments: stackedChart('shipments-chart', 'Shipments'),
    shipmentTimes: chart('shipmentTimes-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Median (p50)', data: [], backgroundColor: COLORS.p50 },
          { label: '90th percentile', data: [], backgroundColor: COLORS.p90 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'Minutes from allocation to shipment' } } } },
    }),
    pickupsNotCollected: stackedChart('pickupsNotCollected-chart', 'Orders'),
    // One series per return reason.
    returns: stackedChart('returns-chart', 'Units returned'),
    // One series per facility.
    receipts: stackedChart('receipts-chart', 'Receipts'),
    // Negative days: received before the expected date.
    leadTimes: chart('leadTimes-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Median (p50)', data: [], backgroundColor: COLORS.p50 },
          { label: '90th percentile', data: [], backgroundColor: COLORS.p90 },
        ],
      },
      options: { scales: { y: { title: { display: true, text: 'Days from the expected date to receipt' } } } },
    }),
    preordersWaiting: chart('preordersWaiting-chart', {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Units waiting', data: [], yAxisID: 'units', backgroundColor: COLORS.units },
          { label: 'Oldest (days)', data: [], yAxisID: 'days', backgroundColor: COLORS.oldest },
          { label: 'Mean age (days)', data: [], yAxisID: 'days', backgroundColor: COLORS.mean },
        ],
      },
      options: {
        scales: {
          units: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Units' } },
          days: {
            type: 'linear',
            position: 'right',
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'Days waiting' },
          },
        },
      },
    }),
  };

  async function fetchReport(path, query) {
    const response = await fetch(`${DATA_URL}/${path}?${new URLSearchParams(query)}`, { headers: { accept: 'application/json' } });
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw new Error((body && body.message) || `${path} answered ${response.status}`);
    return body;
  }

  async function fetchRows(path, query) {
    return (await fetchReport(path, query)).rows;
  }

  /** Puts new labels and one array of values per dataset into a chart, and says when there is nothing to draw. */
  function draw(name, labels, values) {
    const target = charts[name];
    target.data.labels = labels;
    target.data.datasets.forEach((dataset, index) => {
      dataset.data = values[index];
    });
    target.update();
    document.getElementById(`${name}-empty`).hidden = labels.length > 0;
  }

  /**
   * Pivots rows into a stacked chart: one bar per distinct `labelOf(row)` (in the rows' order), one
   * series per distinct `seriesOf(row)` (in label order), each bar's share of a series the sum of
   * `valueOf` over its rows (0 where none).
   */
  function drawSeries(name, rows, labelOf, seriesOf, valueOf) {
    const labels = [...new Set(rows.map(labelOf))];
    const series = [...new Set(rows.map(seriesOf))].sort();
    const target = charts[name];
    target.data.labels = labels;
    target.data.datasets = series.map((label, index) => {
      const data = labels.map(() => 0);
      for (const row of rows) if (seriesOf(row) === label) data[labels.indexOf(labelOf(row))] += valueOf(row);
      const color = SERIES_COLORS[index % SERIES_COLORS.length];
      return { label, data, backgroundColor: color, borderColor: color };
    });
    target.update();
    document.getElementById(`${name}-empty`).hidden = labels.length > 0;
  }

  /** A facility and the rule that allocated there, as a series name: the rule by its group and name. */
  function allocationSeries(row) {
    const rule = row.ruleName === null ? (row.ruleId === null ? 'no rule' : 'unknown rule') : `${row.routingGroupName}: ${row.ruleName}`;
    return `${row.code} · ${rule}`;
  }

  /** When the pre-orders were counted: the last ETL run, not the range. */
  function showAsOf(asOf) {
    const note = document.getElementById('preordersWaiting-asOf');
    note.dataset.asOf = asOf === null ? '' : asOf;
    note.textContent = asOf === null ? 'No ETL run yet.' : `As of the last ETL run, ${new Date(asOf).toLocaleString()}, whatever the range.`;
  }

  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle('error', isError);
  }

  let latestLoad = 0;

  async function load() {
    const range = { from: fromInput.value, to: toInput.value };
    if (!range.from || !range.to) return show('Choose both dates.', true);
    if (range.from > range.to) return show('The first day must not be after the last.', true);
    const load = ++latestLoad;
    main.dataset.state = 'loading';
    show('Loading…', false);
    try {
      const [
        sales,
        products,
        facilities,
        allocations,
        rejections,
        holds,
        approvals,
        autoCancellations,
        shipments,
        shipmentTimes,
        pickupsNotCollected,
        returns,
        receipts,
        leadTimes,
        preordersWaiting,
      ] = await Promise.all([
        fetchRows('sales/daily', range),
        fetchRows('products/top', { ...range, limit: TOP_PRODUCTS }),
        fetchRows('facilities', range),
        fetchRows('allocations', range),
        fetchRows('rejections', range),
        fetchRows('holds', range),
        fetchRows('approval-times', range),
        fetchRows('auto-cancellations', range),
        fetchRows('shipments', range),
        fetchRows('shipment-times', range),
        fetchRows('pickups-not-collected', range),
        fetchRows('returns', range),
        fetchRows('receipts', range),
        fetchRows('purchase-order-lead-time', range),
        fetchReport('preorders-waiting', { limit: PREORDER_PRODUCTS }),
      ]);
      if (load !== latestLoad) return;
      draw(
        'sales',
        sales.map((row) => row.date),
        [sales.map((row) => Number(row.revenue)), sales.map((row) => row.units)],
      );
      draw(
        'products',
        products.map((row) => `${row.name} (${row.sku})`),
        [products.map((row) => row.units)],
      );
      draw(
        'facilities',
        facilities.map((row) => row.code),
        [facilities.map((row) => row.itemsAllocated), facilities.map((row) => row.itemsShipped)],
      );
      drawSeries(
        'allocations',
        allocations,
        (row) => row.date,
        allocationSeries,
        (row) => row.items,
      );
      drawSeries(
        'rejections',
        rejections,
        (row) => row.code,
        (row) => row.reason,
        (row) => row.items,
      );
      drawSeries(
        'holds',
        holds,
        (row) => row.date,
        (row) => row.reason,
        (row) => row.orders,
      );
      draw(
        'approvals',
        approvals.map((row) => row.date),
        [approvals.map((row) => row.avgMinutes), approvals.map((row) => row.p50Minutes), approvals.map((row) => row.p90Minutes)],
      );
      draw(
        'autoCancellations',
        autoCancellations.map((row) => row.date),
        [autoCancellations.map((row) => row.items), autoCancellations.map((row) => row.units)],
      );
      drawSeries(
        'shipments',
        shipments,
        (row) => row.date,
        (row) => row.code,
        (row) => row.shipments,
      );
      draw(
        'shipmentTimes',
        shipmentTimes.map((row) => row.code),
        [shipmentTimes.map((row) => row.p50Minutes), shipmentTimes.map((row) => row.p90Minutes)],
      );
      drawSeries(
        'pickupsNotCollected',
        pickupsNotCollected,
        (row) => row.date,
        (row) => (row.code === null ? 'unknown store' : row.code),
        (row) => row.orders,
      );
      drawSeries(
        'returns',
        returns,
        (row) => row.date,
        (row) => row.reason,
        (row) => row.units,
      );
      drawSeries(
        'receipts',
        receipts,
        (row) => row.date,
        (row) => row.code,
        (row) => row.receipts,
      );
      draw(
        'leadTimes',
        leadTimes.map((row) => row.code),
        [leadTimes.map((row) => row.p50LeadDays), leadTimes.map((row) => row.p90LeadDays)],
      );
      const preorders = preordersWaiting.rows;
      draw(
        'preordersWaiting',
        preorders.map((row) => `${row.name} (${row.sku})`),
        [preorders.map((row) => row.units), preorders.map((row) => row.oldestAgeDays), preorders.map((row) => row.meanAgeDays)],
      );
      showAsOf(preordersWaiting.asOf);
      main.dataset.range = `${range.from}/${range.to}`;
      main.dataset.state = 'ready';
      show(sales.length === 0 ? 'No data in this range.' : `${range.from} to ${range.to}`, false);
    } catch (error) {
      if (load !== latestLoad) return;
      main.dataset.state = 'error';
      show(`Could not load the reports: ${error.message}`, true);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  void load();
})();
