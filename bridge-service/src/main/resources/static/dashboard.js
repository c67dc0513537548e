// Live dashboard: one multiplexed stream for the four channels, rendered with plain DOM and uPlot. The bridge's
// client library resumes it from its cursor after any end, so after a bridge restart the page shows a brief
// "reconnecting" and no missing points.
import { BridgeStream } from '/client/index.js';

(() => {
  // First load: the channels that keep state start with their snapshot (every training, backtest and portfolio as
  // it is now, however long ago it last changed), alerts with the last five minutes, and the charts get the last
  // five minutes of history; then live. On reconnect the cursor (Last-Event-ID) wins over all of it.
  const HISTORY = 'PT5M';
  const CHARTED = ['training', 'backtest', 'dashboard'];
  // One id per page: ids identify connections in status, and two tabs must not share one.
  const PAGE = Math.random().toString(36).slice(2, 8);
  const COLORS = ['#6aa9ff', '#3ccf91', '#f5c542', '#ff9f43', '#c084fc', '#ff6b6b'];
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const pct = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const num = (v, digits) => (v === undefined || v === null ? '–' : Number(v).toFixed(digits));

  // ---- the stream ------------------------------------------------------------------------------------

  // One multiplexed connection for all four channels: browsers allow only six HTTP/1.1 connections per
  // origin, and one cursor covers every channel, so a reconnect resumes all of them exactly.
  // With security on, a token opens the streams: the demo user picked at the top (./demo.sh writes its users to
  // /demo-users.json), else one in the page's own URL (?access_token=), else the sse_token cookie.
  let userToken = null;
  function pageToken() {
    return userToken ?? new URLSearchParams(window.location.search).get('access_token');
  }
  function tokenParameter() {
    const token = pageToken();
    return token ? `&access_token=${encodeURIComponent(token)}` : '';
  }

  // The charts' points of the last five minutes, as JSON, before the stream's snapshot brings the latest values.
  // At most HISTORY_WAIT: the stream waits for them, and a history query that hangs must not hold the page up (one
  // did, right after a fresh start, in CI).
  const HISTORY_WAIT = 10_000;
  async function history(channel, handler) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), HISTORY_WAIT);
    try {
      const response = await fetch(`/api/v1/sse/history/${channel}?since=${HISTORY}&limit=1000${tokenParameter()}`,
        { signal: abort.signal });
      if (response.ok) {
        (await response.json()).events.forEach((e) => handler({ data: e.data, timestamp: e.timestamp }));
      }
    } catch (e) {
      // The stream alone still fills every panel.
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens the page's stream with the bridge's client library (/client/, from client-js/): it resumes from the
   * cursor after every kind of end (a restart, a token that expired, falling behind) and stops, saying why, on a
   * refusal. Returns a function that closes it for good (a new user gets a new stream).
   */
  function stream(channels, handlers) {
    const indicators = channels.map((c) => document.querySelector(`[data-stream="${c}"]`));
    const show = (state) => indicators.forEach((indicator) => {
      indicator.className = `stream ${state}`;
      indicator.querySelector('b').textContent = state;
    });
    let source = null;
    let closed = false;
    const open = () => {
      if (closed) {
        return;
      }
      const token = pageToken();
      // First connection: each state channel's snapshot, and the last five minutes of alerts; resumes use the cursor.
      source = new BridgeStream({
        channels, clientId: `dashboard-${PAGE}`, snapshot: true, since: HISTORY,
        token: token ? () => token : undefined,
      });
      source.on('open', () => show('live'));
      source.on('reconnecting', () => show('reconnecting'));
      source.on('close', ({ reason }) => {
        if (reason !== 'closed') {
          show('closed');
          console.warn(`the bridge refused the stream: ${reason}`);
        }
      });
      for (const [name, fn] of Object.entries(handlers)) {
        source.on(name, fn);
      }
    };
    const handlerOf = { training: 'training_progress', backtest: 'backtest_progress', dashboard: 'dashboard_update' };
    Promise.allSettled(CHARTED.filter((c) => channels.includes(c)).map((c) => history(c, handlers[handlerOf[c]])))
      .then(open);
    return () => {
      closed = true;
      if (source) {
        source.close();
      }
    };
  }

  // ---- charts ----------------------------------------------------------------------------------------

  function lineChart(element, xLabel, yFormat, time = false, axisFormat = yFormat) {
    let plot = null;
    let seriesKey = '';
    return (labels, data) => {
      const key = labels.join('|');
      const width = Math.max(300, element.clientWidth);
      if (!plot || key !== seriesKey) {
        if (plot) {
          plot.destroy();
        }
        seriesKey = key;
        plot = new uPlot({
          width, height: 190,
          scales: { x: { time } },
          legend: { show: true },
          axes: [
            { stroke: '#8a9bb0', grid: { stroke: '#263444' }, label: time ? undefined : xLabel },
            { stroke: '#8a9bb0', grid: { stroke: '#263444' }, values: (u, ticks) => ticks.map(axisFormat), size: 64 },
          ],
          series: [{ label: xLabel }, ...labels.map((l, i) => ({
            label: l, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
            value: (u, v) => (v === null || v === undefined ? '–' : yFormat(v)),
          }))],
        }, data, element);
      } else {
        plot.setData(data);
      }
    };
  }

  /** Aligns per-series maps of x -> y onto one sorted x axis, as uPlot wants. */
  function align(seriesMaps) {
    const xs = [...new Set(seriesMaps.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    return [xs, ...seriesMaps.map((m) => xs.map((x) => (m.has(x) ? m.get(x) : null)))];
  }

  // Redraw at most a few times a second, however fast events arrive.
  function throttled(render) {
    let pending = false;
    return () => {
      if (!pending) {
        pending = true;
        setTimeout(() => { pending = false; render(); }, 250);
      }
    };
  }

  function cell(text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) {
      td.className = cls;
    }
    return td;
  }

  function progressCell(progress) {
    const td = document.createElement('td');
    td.innerHTML = '<div class="bar"><span></span><em></em></div>';
    td.querySelector('span').style.width = `${Math.min(100, progress)}%`;
    td.querySelector('em').textContent = `${num(progress, 1)}%`;
    td.className = 'progress-value';
    return td;
  }

  // ---- training --------------------------------------------------------------------------------------

  const tasks = new Map(); // task_id -> { latest, loss: Map(epoch -> loss), seen }
  const lossChart = lineChart(document.getElementById('loss-chart'), 'epoch', (v) => num(v, 3));
  const renderTraining = throttled(() => {
    const recent = [...tasks.entries()].sort((a, b) => b[1].seen - a[1].seen).slice(0, 6);
    const rows = document.getElementById('training-rows');
    rows.replaceChildren(...recent.map(([id, t]) => {
      const tr = document.createElement('tr');
      tr.dataset.task = id;
      const p = t.latest;
      tr.append(cell(id), progressCell(p.progress), cell(`${p.epoch ?? '–'}/${p.total_epochs ?? '–'}`, 'num'),
        cell(num(p.metrics?.loss, 4), 'num loss'), cell(num(p.metrics?.accuracy, 4), 'num accuracy'),
        cell(p.status, `status status-${p.status}`));
      tr.title = p.message;
      return tr;
    }));
    const charted = recent.slice(0, 4);
    lossChart(charted.map(([id]) => id), align(charted.map(([, t]) => t.loss)));
  });

  let sequence = 0;
  function onTraining(event) {
    const p = event.data;
    const task = tasks.get(p.task_id) ?? { loss: new Map() };
    task.latest = p;
    task.seen = ++sequence;
    if (p.epoch !== undefined && p.metrics?.loss !== undefined) {
      task.loss.set(p.epoch, p.metrics.loss);
    }
    tasks.set(p.task_id, task);
    renderTraining();
  }

  // ---- backtests -------------------------------------------------------------------------------------

  const runs = new Map(); // backtest_id -> { latest, equity: Map(day -> equity), seen }
  const equityChart = lineChart(document.getElementById('equity-chart'), '% of period', (v) => num(v, 2));
  const renderBacktests = throttled(() => {
    // Latest run of each strategy.
    const byStrategy = new Map();
    for (const [id, run] of runs) {
      const s = run.latest.strategy ?? id;
      if (!byStrategy.has(s) || byStrategy.get(s)[1].seen < run.seen) {
        byStrategy.set(s, [id, run]);
      }
    }
    const latest = [...byStrategy.values()].sort((a, b) => a[0].localeCompare(b[0]));
    document.getElementById('backtest-rows').replaceChildren(...latest.map(([id, run]) => {
      const p = run.latest;
      const r = p.results ?? {};
      const tr = document.createElement('tr');
      tr.dataset.backtest = id;
      tr.append(cell(p.strategy ?? id), progressCell(p.progress), cell(p.current_date ?? '–'),
        cell(pct.format(r.total_return ?? 0), `num total-return ${(r.total_return ?? 0) >= 0 ? 'up' : 'down'}`),
        cell(num(r.sharpe_ratio, 2), 'num sharpe'), cell(pct.format(r.max_drawdown ?? 0), 'num drawdown down'));
      tr.title = `${id}: ${p.message}`;
      return tr;
    }));
    equityChart(latest.map(([, run]) => run.latest.strategy), align(latest.map(([, run]) => run.equity)));
  });

  function onBacktest(event) {
    const p = event.data;
    const run = runs.get(p.backtest_id) ?? { equity: new Map() };
    run.latest = p;
    run.seen = ++sequence;
    if (p.results) {
      // Runs of one backtest length line up by the share of the period simulated.
      run.equity.set(p.progress, 1 + p.results.total_return);
    }
    runs.set(p.backtest_id, run);
    renderBacktests();
  }

  // ---- risk alerts -----------------------------------------------------------------------------------

  const alertKeys = new Set();
  function onAlert(event) {
    const a = event.data;
    const key = `${event.timestamp}|${a.entity_id}|${a.alert_type}|${a.metric_value}`;
    if (alertKeys.has(key)) {
      return; // the same record again after a fresh (not resumed) connection
    }
    alertKeys.add(key);
    const li = document.createElement('li');
    li.className = `alert severity-${a.severity}`;
    li.dataset.entity = a.entity_id;
    li.innerHTML = '<span class="badge"></span><span class="message"></span><div class="meta"></div>';
    li.querySelector('.badge').textContent = a.severity;
    li.querySelector('.message').textContent = a.message;
    li.querySelector('.meta').textContent =
      `${a.entity_type} ${a.entity_id} · ${a.metric_name} ${num(a.metric_value, 4)} (limit ${num(a.threshold, 4)}) · `
      + new Date(event.timestamp).toLocaleTimeString();
    const feed = document.getElementById('alert-feed');
    feed.prepend(li);
    while (feed.children.length > 50) {
      feed.lastElementChild.remove();
    }
    document.getElementById('alerts-empty').hidden = true;
  }

  // ---- portfolios ------------------------------------------------------------------------------------

  const portfolios = new Map(); // id -> { metrics, positions, values: Map(seconds -> value) }
  const compactMoney = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 3 });
  const valueChart = lineChart(document.getElementById('value-chart'), 'time', (v) => money.format(v), true,
    (v) => compactMoney.format(v));
  const renderPortfolios = throttled(() => {
    const ids = [...portfolios.keys()].sort();
    document.getElementById('portfolio-cards').replaceChildren(...ids.map((id) => {
      const p = portfolios.get(id);
      const m = p.metrics ?? {};
      const card = document.createElement('div');
      card.className = 'card';
      card.dataset.portfolio = id;
      card.innerHTML = '<h3></h3><div class="total-value"></div><dl>'
        + '<dt>Daily return</dt><dd class="daily-return"></dd>'
        + '<dt>Positions</dt><dd class="positions-count"></dd>'
        + '<dt>Open orders</dt><dd class="open-orders"></dd></dl>';
      card.querySelector('h3').textContent = id;
      card.querySelector('.total-value').textContent = m.total_value === undefined ? '–' : money.format(m.total_value);
      const ret = card.querySelector('.daily-return');
      ret.textContent = m.daily_return === undefined ? '–' : pct.format(m.daily_return);
      ret.classList.add((m.daily_return ?? 0) >= 0 ? 'up' : 'down');
      card.querySelector('.positions-count').textContent = m.positions_count ?? '–';
      card.querySelector('.open-orders').textContent = m.open_orders ?? '–';
      if (p.positions) {
        card.title = p.positions.map((x) => `${x.symbol} ${x.quantity} @ ${x.price}`).join('\n');
      }
      return card;
    }));
    valueChart(ids, align(ids.map((id) => portfolios.get(id).values)));
  });

  function onDashboard(event) {
    const u = event.data;
    const id = u.portfolio_id ?? 'portfolio';
    const p = portfolios.get(id) ?? { values: new Map() };
    if (u.update_type === 'metrics') {
      p.metrics = u.data;
      p.values.set(Math.floor(Date.parse(event.timestamp) / 1000), u.data.total_value);
    } else if (u.update_type === 'positions') {
      p.positions = u.data.positions;
    }
    portfolios.set(id, p);
    renderPortfolios();
  }

  // ---- the page's user (the demo's) and its stream --------------------------------------------------

  function forget() {
    tasks.clear();
    runs.clear();
    portfolios.clear();
    alertKeys.clear();
    document.getElementById('alert-feed').replaceChildren();
    document.getElementById('alerts-empty').hidden = false;
    renderTraining();
    renderBacktests();
    renderPortfolios();
  }

  let closeStream = null;
  function start() {
    if (closeStream) {
      closeStream();
      forget();
    }
    closeStream = stream(['training', 'backtest', 'alerts', 'dashboard'], {
      training_progress: onTraining,
      backtest_progress: onBacktest,
      risk_alert: onAlert,
      dashboard_update: onDashboard,
    });
  }

  // The demo's users, when ./demo.sh runs the bridge scoped: each sees only the portfolios its token names.
  fetch('/demo-users.json').then((r) => (r.ok ? r.json() : null)).catch(() => null).then((demo) => {
    const users = demo?.users ?? [];
    if (users.length) {
      const picker = document.getElementById('user');
      picker.replaceChildren(...users.map((u) => {
        const option = document.createElement('option');
        option.value = u.name;
        option.textContent = `${u.name} (${u.portfolios.join(', ')})`;
        return option;
      }));
      const asked = new URLSearchParams(window.location.search).get('user');
      picker.value = users.some((u) => u.name === asked) ? asked : users[0].name;
      const pick = () => {
        userToken = users.find((u) => u.name === picker.value).token;
        start();
      };
      picker.addEventListener('change', pick);
      document.getElementById('user-picker').hidden = false;
      pick();
    } else {
      start();
    }
  });
})();
