import { OUR_IMAGE as IMAGE } from './doc-cases.js';

/** An `input` Kie refuses: the code (500 for a missing required field, 422 otherwise) and the field named. */
export interface Refusal {
  name: string;
  model: string;
  /** `IMAGE` stands for the test's image URL. */
  input: Record<string, unknown>;
  code: 422 | 500;
  field: string;
}

/** kie-models.md (June) rules, still in force. */
const JUNE: Refusal[] = [
  {
    name: 'Kling duration as a number',
    model: 'kling-2.6/image-to-video',
    input: { prompt: 'x', image_urls: [IMAGE], sound: false, duration: 5 },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Kling without sound',
    model: 'kling-2.6/image-to-video',
    input: { prompt: 'x', image_urls: [IMAGE], duration: '5' },
    code: 500,
    field: 'sound',
  },
  {
    name: 'Kling 15 s',
    model: 'kling-2.6/image-to-video',
    input: { prompt: 'x', image_urls: [IMAGE], sound: false, duration: '15' },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Seedance duration as a string',
    model: 'bytedance/seedance-1.5-pro',
    input: { prompt: 'a cat', input_urls: [IMAGE], aspect_ratio: '16:9', duration: '8' },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Seedance with Sora’s aspect names',
    model: 'bytedance/seedance-1.5-pro',
    input: { prompt: 'a cat', input_urls: [IMAGE], aspect_ratio: 'portrait', duration: 8 },
    code: 422,
    field: 'aspect_ratio',
  },
  {
    name: 'Seedance without aspect_ratio',
    model: 'bytedance/seedance-1.5-pro',
    input: { prompt: 'a cat', input_urls: [IMAGE], duration: 8 },
    code: 500,
    field: 'aspect_ratio',
  },
  {
    name: 'Wan with an aspect_ratio field it does not have',
    model: 'wan/2-6-image-to-video',
    input: { prompt: 'a cat', image_urls: [IMAGE], aspect_ratio: '16:9' },
    code: 422,
    field: 'aspect_ratio',
  },
  {
    name: 'Wan resolution in capitals',
    model: 'wan/2-6-image-to-video',
    input: { prompt: 'a cat', image_urls: [IMAGE], resolution: '1080P' },
    code: 422,
    field: 'resolution',
  },
  {
    name: 'Hailuo with image_urls instead of image_url',
    model: 'hailuo/2-3-image-to-video-standard',
    input: { prompt: 'a cat', image_urls: [IMAGE] },
    code: 500,
    field: 'image_url',
  },
  {
    name: 'Hailuo 10 s at 1080P',
    model: 'hailuo/2-3-image-to-video-standard',
    input: { prompt: 'a cat', image_url: IMAGE, duration: '10', resolution: '1080P' },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Grok spicy with an external image',
    model: 'grok-imagine/image-to-video',
    input: { image_urls: [IMAGE], prompt: 'a cat', mode: 'spicy' },
    code: 422,
    field: 'mode',
  },
  {
    name: 'Grok without an image or a task id',
    model: 'grok-imagine/image-to-video',
    input: { prompt: 'a cat' },
    code: 500,
    field: 'image_urls',
  },
  {
    name: 'Sora 2 Pro with an unknown size',
    model: 'sora-2-pro-image-to-video',
    input: { prompt: 'a cat', image_urls: [IMAGE], size: 'ultra' },
    code: 422,
    field: 'size',
  },
];

const SEEDANCE_MINI = 'bytedance/seedance-2-mini';
const KLING_3 = 'kling-3.0/video';
const KLING_3_ONE_SHOT = {
  sound: false,
  duration: '5',
  multi_shots: false,
  multi_prompt: [],
  kling_elements: [],
};
const WAN_3 = 'wan/3-0-video';
const VEO = 'veo-3-1';

/** kie-models-2026-09.md §3: the September models' value sets, required fields and modes. */
const SEPTEMBER: Refusal[] = [
  {
    name: 'Seedance 2 Mini with a last frame alone',
    model: SEEDANCE_MINI,
    input: { prompt: 'a cat', last_frame_url: IMAGE },
    code: 422,
    field: 'last_frame_url',
  },
  {
    name: 'Seedance 2 Mini mixing a first frame with reference images',
    model: SEEDANCE_MINI,
    input: { prompt: 'a cat', first_frame_url: IMAGE, reference_image_urls: [IMAGE] },
    code: 422,
    field: 'reference_image_urls',
  },
  {
    name: 'Seedance 2 Mini with return_last_frame, which only 2 and 2 Fast have',
    model: SEEDANCE_MINI,
    input: { prompt: 'a cat', first_frame_url: IMAGE, return_last_frame: false },
    code: 422,
    field: 'return_last_frame',
  },
  {
    name: 'Seedance 2 Mini at 1080p',
    model: SEEDANCE_MINI,
    input: { prompt: 'a cat', first_frame_url: IMAGE, resolution: '1080p' },
    code: 422,
    field: 'resolution',
  },
  {
    name: 'Seedance 2 Fast with web_search beside an image (text-to-video only)',
    model: 'bytedance/seedance-2-fast',
    input: { prompt: 'a cat', first_frame_url: IMAGE, web_search: false },
    code: 422,
    field: 'web_search',
  },
  {
    name: 'Seedance 2 with the duration as a string',
    model: 'bytedance/seedance-2',
    input: { prompt: 'a cat', first_frame_url: IMAGE, duration: '8' },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Seedance 2 with Sora’s aspect names',
    model: 'bytedance/seedance-2',
    input: { prompt: 'a cat', first_frame_url: IMAGE, aspect_ratio: 'portrait' },
    code: 422,
    field: 'aspect_ratio',
  },
  {
    name: 'Kling 3.0 without multi_prompt, required even for one shot',
    model: KLING_3,
    input: {
      prompt: 'a cat',
      image_urls: [IMAGE],
      sound: false,
      duration: '5',
      multi_shots: false,
      kling_elements: [],
    },
    code: 500,
    field: 'multi_prompt',
  },
  {
    name: 'Kling 3.0 with the duration as a number',
    model: KLING_3,
    input: { prompt: 'a cat', image_urls: [IMAGE], ...KLING_3_ONE_SHOT, duration: 5 },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Kling 3.0 multi-shot with a last frame',
    model: KLING_3,
    input: {
      prompt: 'a cat',
      image_urls: [IMAGE, IMAGE],
      ...KLING_3_ONE_SHOT,
      sound: true,
      multi_shots: true,
      multi_prompt: [{ prompt: 'a cat', duration: 5 }],
    },
    code: 422,
    field: 'image_urls',
  },
  {
    name: 'Kling 3.0 at 1080p by name instead of mode pro',
    model: KLING_3,
    input: { prompt: 'a cat', image_urls: [IMAGE], ...KLING_3_ONE_SHOT, mode: '1080p' },
    code: 422,
    field: 'mode',
  },
  {
    name: 'Wan 3.0 resolution in lower case',
    model: WAN_3,
    input: { prompt: 'a cat', first_frame_url: IMAGE, resolution: '1080p' },
    code: 422,
    field: 'resolution',
  },
  {
    name: 'Wan 3.0 with a first frame and reference images',
    model: WAN_3,
    input: { prompt: 'a cat', first_frame_url: IMAGE, reference_image_urls: [IMAGE] },
    code: 422,
    field: 'reference_image_urls',
  },
  {
    name: 'Wan 3.0 with a last frame alone',
    model: WAN_3,
    input: { prompt: 'a cat', last_frame_url: IMAGE },
    code: 422,
    field: 'last_frame_url',
  },
  {
    name: 'Wan 3.0 with neither an input nor a prompt',
    model: WAN_3,
    input: { duration: 5 },
    code: 500,
    field: 'prompt',
  },
  {
    name: 'Veo 3.1 for 5 s',
    model: VEO,
    input: {
      prompt: 'a cat',
      image_urls: [IMAGE],
      generation_type: 'FIRST_AND_LAST_FRAMES_2_VIDEO',
      duration: 5,
    },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Veo 3.1 with “auto” in lower case',
    model: VEO,
    input: { prompt: 'a cat', image_urls: [IMAGE], aspect_ratio: 'auto' },
    code: 422,
    field: 'aspect_ratio',
  },
  {
    name: 'Veo 3.1 reference mode for 6 s (8 s only)',
    model: VEO,
    input: { prompt: 'a cat', image_urls: [IMAGE], generation_type: 'REFERENCE_2_VIDEO', duration: 6 },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Runway 10 s at 1080p',
    model: 'runway',
    input: { prompt: 'a cat', image_url: IMAGE, duration: '10', quality: '1080p' },
    code: 422,
    field: 'duration',
  },
  {
    name: 'Runway without quality',
    model: 'runway',
    input: { prompt: 'a cat', image_url: IMAGE, duration: '5' },
    code: 500,
    field: 'quality',
  },
  {
    name: 'MiniMax H3 with June’s first_frame_image',
    model: 'minimax-h3/image-to-video',
    input: { prompt: 'a cat', first_frame_image: IMAGE, duration: 6 },
    code: 422,
    field: 'first_frame_image',
  },
  {
    name: 'MiniMax H3 without a frame',
    model: 'minimax-h3/image-to-video',
    input: { prompt: 'a cat', duration: 6 },
    code: 422,
    field: 'first_frame_url',
  },
  {
    name: 'Grok for 31 s',
    model: 'grok-imagine/image-to-video',
    input: { image_urls: [IMAGE], prompt: 'a cat', duration: '31' },
    code: 422,
    field: 'duration',
  },
];

export const REFUSALS: Refusal[] = [...JUNE, ...SEPTEMBER];
