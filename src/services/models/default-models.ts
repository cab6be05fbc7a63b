/**
 * The bot-wide default, in order (DEFAULT_MODELS): Sora 2 first, as the original spec asks,
 * although Kie withdrew it on 2026-09-24; then live models, the first one Kie accepts making
 * the video for a server that picked none.
 */
export const DEFAULT_MODEL_IDS = ['sora-2-image-to-video', 'bytedance/seedance-1.5-pro'] as const;
