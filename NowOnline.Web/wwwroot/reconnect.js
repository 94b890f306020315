// The page stays honest through restarts and network drops (issue 36). Blazor toggles classes on
// #components-reconnect-modal while the circuit is down: "show" while it retries, "failed" when its retries ran out,
// "rejected" (or "resume-failed") when the server answered but no longer knows the circuit, as after a restart or a
// deploy. Then the page reloads itself at the same address (the view lives in the URL) as soon as the server answers
// ready; after "failed" it tries to reconnect once the server answers, which either resumes or is rejected.
(() => {
  const modal = document.getElementById('components-reconnect-modal');
  if (!modal || modal.dataset.interactive !== 'true') return;
  let waiting = false;

  const whenReady = async (then) => {
    if (waiting) return;
    waiting = true;
    for (;;) {
      try {
        const reply = await fetch('healthz/ready', { cache: 'no-store', credentials: 'same-origin' });
        if (reply.ok) break;
      } catch { /* not answering yet */ }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    waiting = false;
    then();
  };

  const reload = () => { modal.dataset.state = 'reloading'; location.reload(); };

  new MutationObserver(() => {
    const state = modal.classList;
    if (state.contains('components-reconnect-rejected') || state.contains('components-reconnect-resume-failed')) {
      whenReady(reload);
    } else if (state.contains('components-reconnect-failed')) {
      whenReady(() => {
        const attempt = window.Blazor?.reconnect?.();
        if (!attempt) { reload(); return; }
        attempt.then(ok => { if (!ok) reload(); }, reload);
      });
    }
  }).observe(modal, { attributes: true, attributeFilter: ['class'] });
})();
