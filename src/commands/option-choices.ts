import { localizedChoice } from '../services/i18n/commands.js';

/** Choices shared by /animate and /animate-setup defaults, named in every language. */
export const aspectChoices = [
  localizedChoice('command.option.aspect_ratio.choice.portrait', 'portrait'),
  localizedChoice('command.option.aspect_ratio.choice.landscape', 'landscape'),
];
