import {
  type DocCase,
  FILTER_ON,
  NO_WATERMARK,
  SEEDANCE_2_AS_LITERAL,
  SEEDANCE_2_OTHER_MODES,
} from './doc-cases.js';

// The Seedance 2 literal is first + last mode already: only the references are another mode's.
const { last_frame_url: _kept, ...SEEDANCE_2_REFERENCES } = SEEDANCE_2_OTHER_MODES;

/**
 * Every registry entry that takes a last frame, against a literal of kie-models-2026-09.md with
 * our first image and our last frame in the fields §5 names. Where the literal carries a last
 * frame (Seedance 2, Wan 3.0, MiniMax H3, Veo's second image) it is ours in its place; Kling
 * 3.0's and Seedance 1.5's literals have one image, and §5 puts the last frame second.
 */
export const END_FRAME_CASES: DocCase[] = [
  {
    name: 'Seedance 2 Mini ending on a second image, as the example (first + last frame)',
    model: 'bytedance/seedance-2-mini',
    options: { ...SEEDANCE_2_AS_LITERAL, endFrame: 'image' },
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    removed: {
      ...SEEDANCE_2_REFERENCES,
      return_last_frame: 'Mini has no such field',
      web_search: 'text-to-video only on Mini',
    },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2 Fast ending on a second image, as the example',
    model: 'bytedance/seedance-2-fast',
    options: { ...SEEDANCE_2_AS_LITERAL, endFrame: 'image' },
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    removed: { ...SEEDANCE_2_REFERENCES, web_search: 'text-to-video only on Fast' },
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 2 as a loop: the first image is also the last frame',
    model: 'bytedance/seedance-2',
    options: { ...SEEDANCE_2_AS_LITERAL, endFrame: 'loop' },
    literal: 'SEEDANCE_2',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    removed: SEEDANCE_2_REFERENCES,
    added: { nsfw_checker: FILTER_ON },
  },
  {
    name: 'Seedance 1.5 Pro ending on a second image: the second item of input_urls',
    model: 'bytedance/seedance-1.5-pro',
    options: { durationSeconds: 8, aspectRatio: 'landscape', endFrame: 'image' },
    literal: 'SEEDANCE_1_5_PRO',
    imageField: 'input_urls',
    endImageField: 'input_urls',
    changed: {
      aspect_ratio: { value: '16:9', why: 'members pick portrait or landscape; 1:1 is not offered' },
      nsfw_checker: FILTER_ON,
    },
  },
  {
    name: 'Kling 3.0 ending on a second image: the second item of image_urls, one shot',
    model: 'kling-3.0/video',
    options: {
      durationSeconds: 5,
      aspectRatio: 'landscape',
      aspectFromImage: true,
      extra: { sound: true },
      endFrame: 'image',
    },
    literal: 'KLING_3',
    imageField: 'image_urls',
    endImageField: 'image_urls',
    changed: {
      multi_prompt: { value: [], why: 'one shot (a last frame cannot go with multi_shots)' },
      kling_elements: { value: [], why: 'required: its smallest value' },
    },
  },
  {
    name: 'Wan 3.0 ending on a second image, as the example',
    model: 'wan/3-0-video',
    options: { durationSeconds: 8, aspectFromImage: true, endFrame: 'image' },
    literal: 'WAN_3',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    removed: { seed: 'Kie picks one, so two runs of one prompt differ' },
  },
  {
    name: 'Veo 3.1 ending on a second image: two image_urls with the first-and-last type',
    model: 'veo-3-1',
    options: { durationSeconds: 8, aspectRatio: 'landscape', endFrame: 'image' },
    literal: 'VEO_3_1',
    imageField: 'image_urls',
    endImageField: 'image_urls',
    removed: { watermark: NO_WATERMARK, enable_fallback: 'deprecated' },
    changed: {
      generation_type: {
        value: 'FIRST_AND_LAST_FRAMES_2_VIDEO',
        why: '§5: a last frame goes with this type',
      },
    },
    added: {
      duration: { value: 8, why: 'documented, default 8' },
      resolution: { value: '720p', why: 'documented, default 720p' },
    },
  },
  {
    name: 'MiniMax H3 ending on a second image, as the example',
    model: 'minimax-h3/image-to-video',
    options: { durationSeconds: 6, endFrame: 'image' },
    literal: 'MINIMAX_H3',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    added: { resolution: { value: '2K', why: 'documented; its default, the dearer, said out loud' } },
  },
  {
    name: 'MiniMax H3 as a loop',
    model: 'minimax-h3/image-to-video',
    options: { durationSeconds: 6, endFrame: 'loop' },
    literal: 'MINIMAX_H3',
    imageField: 'first_frame_url',
    endImageField: 'last_frame_url',
    added: { resolution: { value: '2K', why: 'documented; its default, the dearer, said out loud' } },
  },
];
