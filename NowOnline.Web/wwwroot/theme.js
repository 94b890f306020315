// The admin shell's browser helpers (app.js belongs to the grid).
window.nowOnlineShell = {
  // The admin's light / dark pick, per admin; no entry means "follow the device".
  theme: {
    get: (key) => { try { return window.localStorage.getItem(key); } catch { return null; } },
    set: (key, value) => {
      try {
        if (value) window.localStorage.setItem(key, value); else window.localStorage.removeItem(key);
      } catch { /* storage full or blocked: the pick lasts for this page only */ }
    },
    // The theme this browser last showed, for the server's first paint of the next page (no light flash in dark mode).
    shown: (dark) => {
      document.cookie = `nowonline-theme=${dark ? 'dark' : 'light'}; path=/; max-age=31536000; samesite=strict`;
    },
  },
};
