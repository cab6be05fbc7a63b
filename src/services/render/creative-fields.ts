import type { MessageKey, MessageParams } from '../i18n/index.js';
import type { JobOptions } from '../jobs/job-record.js';
import type { ModelEntry } from '../models/model.js';
import { namedExtra } from '../models/named-options.js';

interface EmbedField {
  name: string;
  value: string;
  inline: boolean;
}

/**
 * The embed fields for what a job ends on and the model's own sound and camera, as they will
 * be (the model's default where nobody chose): sound often costs more, so the member sees it.
 */
export function creativeFields(
  model: ModelEntry,
  options: JobOptions,
  t: (key: MessageKey, params?: MessageParams) => string,
): EmbedField[] {
  const fields: EmbedField[] = [];
  if (options.endFrame) {
    fields.push({
      name: t('status.field.lastFrame'),
      value: t(options.endFrame === 'loop' ? 'status.lastFrame.loop' : 'status.lastFrame.image'),
      inline: true,
    });
  }
  const rows = [
    ['sound', 'status.field.sound', 'models.value.on', 'models.value.off'],
    ['camera', 'status.field.camera', 'models.value.camera.fixed', 'models.value.camera.free'],
  ] as const;
  for (const [named, name, on, off] of rows) {
    const option = namedExtra(model, named);
    if (!option) continue;
    const value = (options.extra[option.name] ?? option.default) === true;
    fields.push({ name: t(name), value: t(value ? on : off), inline: true });
  }
  return fields;
}
