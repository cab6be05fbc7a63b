/** Choices shared by /animate and /animate-setup defaults, with their zh-CN names. */
export const aspectChoices = [
  { name: 'Portrait', name_localizations: { 'zh-CN': '竖屏' }, value: 'portrait' },
  { name: 'Landscape', name_localizations: { 'zh-CN': '横屏' }, value: 'landscape' },
];
