import type { JobOptions } from '../jobs/job-record.js';

/** What a member asked for, after defaults; a model entry turns it into Kie's `input`. */
export interface InputRequest {
  imageUrl: string;
  options: JobOptions;
}

/**
 * One image-to-video model behind Kie's createTask / recordInfo contract. Each entry knows its
 * limits (checked before any credits are spent) and builds `input` with every field explicit,
 * since some models do not apply their documented defaults server-side.
 */
export interface ModelEntry {
  id: string;
  /** Short human name for menus. */
  label: string;
  image: {
    /** The `input` field that carries the image URL. */
    field: 'image_urls' | 'image_url' | 'input_urls';
    contentTypes: readonly string[];
    maxBytes: number;
  };
  prompt: { maxLength: number };
  durationsSeconds: readonly number[];
  defaultDurationSeconds: number;
  /** 'choice': the member picks portrait or landscape; 'image': the model follows the image's shape. */
  aspect: 'choice' | 'image';
  supportsRemoveWatermark: boolean;
  /** Documented price in credits, for estimates only; undefined when no reliable figure exists. */
  estimateCredits(options: JobOptions): number | undefined;
  buildInput(request: InputRequest): Record<string, unknown>;
}
