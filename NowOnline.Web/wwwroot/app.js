window.nowOnline = {
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || null,

  // Keyboard focus goes back where it came from when a panel closes (the row's details button, a toolbar button).
  // The row's details button in the table, or its card's button (the one shown, when both are on the page). A details
  // sheet that hid the page may still be there for a frame, so the focus is retried until it takes (at most ~1 s).
  focusRow: (key) => new Promise(resolve => {
    const selector = `td[data-key="${CSS.escape(key)}"] [data-testid="row-open"], .online-card[data-key="${CSS.escape(key)}"] .card-open`;
    const until = Date.now() + 1000;
    const attempt = () => {
      const target = [...document.querySelectorAll(selector)].find(e => e.offsetParent !== null);
      target?.focus();
      if (!target || document.activeElement === target || Date.now() > until) resolve();
      else setTimeout(attempt, 20);
    };
    attempt();
  }),
  focusTestId: (id) => document.querySelector(`[data-testid="${CSS.escape(id)}"]`)?.focus(),

  // Escape closes the details panel from anywhere on the page, and the grid returns focus to the row (inside the panel
  // its own handler does it; dialogs, menus and the column chooser keep their own Escape).
  closeDetailsOnEscape: () => {
    if (document.body.dataset.escapeCloses) return;
    document.body.dataset.escapeCloses = 'true';
    document.addEventListener('keydown', e => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest('[data-testid="detail-panel"], .column-chooser, .mud-dialog, .mud-popover-open, [role="menu"], [role="listbox"]')) return;
      if (document.querySelector('.mud-dialog')) return;
      document.querySelector('[data-testid="detail-close"]')?.click();
    });
  },

  // The grid area's width now, and again whenever it changes (a turned phone, a resized window, the drawer folding).
  watchWidth: (element, area) => {
    let last = Math.round(element.getBoundingClientRect().width);
    const observer = new ResizeObserver(() => {
      if (!element.isConnected) { observer.disconnect(); return; }
      const width = Math.round(element.getBoundingClientRect().width);
      if (width === last) return;
      last = width;
      area.invokeMethodAsync('OnWidthChangedAsync', width).catch(() => observer.disconnect());
    });
    observer.observe(element);
    return last;
  },

  storage: {
    get: (key) => { try { return window.localStorage.getItem(key); } catch { return null; } },
    set: (key, value) => { try { window.localStorage.setItem(key, value); } catch { /* storage full or blocked */ } },
  },

  // Blazor toggles classes on #components-reconnect-modal while the circuit is down. Mirror that on the grid's
  // live indicator (the server cannot update the page while it is unreachable) and tell the grid when it is back.
  watchConnection: (grid) => {
    const modal = document.getElementById('components-reconnect-modal');
    if (!modal || modal.dataset.watched) return;
    modal.dataset.watched = 'true';
    const indicator = () => document.querySelector('[data-testid="live-state"]');
    let saved = null;
    new MutationObserver(() => {
      const el = indicator();
      const down = modal.classList.contains('components-reconnect-show');
      const failed = modal.classList.contains('components-reconnect-failed');
      const rejected = modal.classList.contains('components-reconnect-rejected') || modal.classList.contains('components-reconnect-resume-failed');
      if ((down || failed || rejected) && el) {
        if (!saved) saved = { state: el.dataset.state, text: el.textContent, cls: el.className };
        // Offline: the server does not answer; reloading: it restarted and reconnect.js reloads the page once it is ready.
        el.dataset.state = rejected ? 'reloading' : failed ? 'offline' : 'reconnecting';
        el.textContent = rejected ? 'Reloading…' : failed ? 'Offline' : 'Reconnecting…';
        el.className = 'live-state live-state-' + el.dataset.state;
      } else if (modal.classList.contains('components-reconnect-hide') && saved) {
        if (el) { el.dataset.state = saved.state; el.textContent = saved.text; el.className = saved.cls; }
        saved = null;
        grid.invokeMethodAsync('OnReconnectedAsync').catch(() => {});
      }
    }).observe(modal, { attributes: true, attributeFilter: ['class'] });
  },
};
