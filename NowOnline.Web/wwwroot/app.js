window.nowOnline = {
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || null,
};
