/**
 * The example `input` objects of kie-models-2026-09.md, copied character for character (its
 * "…" prompts included), by the section that carries them. Tests derive what each registry entry
 * must send from these, naming every difference and why.
 */
export const DOC_LITERALS = {
  /** §3.1, shared by the `-2`, `-2-fast` and `-2-mini` pages; mixes all three modes. */
  SEEDANCE_2: `{"prompt": "A serene beach at sunset with waves gently crashing on the shore, palm trees swaying in the breeze, and seagulls flying across the orange sky", "first_frame_url": "https://templateb.aiquickdraw.com/custom-page/akr/section-images/example2.png", "last_frame_url": "https://templateb.aiquickdraw.com/custom-page/akr/section-images/example3.png", "reference_image_urls": ["https://templateb.aiquickdraw.com/custom-page/akr/section-images/example1.png"], "reference_video_urls": ["https://templateb.aiquickdraw.com/custom-page/akr/section-images/example1.mp4"], "reference_audio_urls": ["https://templateb.aiquickdraw.com/custom-page/akr/section-images/example1.mp3"], "return_last_frame": false, "generate_audio": false, "resolution": "720p", "aspect_ratio": "16:9", "duration": 15, "web_search": false}`,
  /** §3.2 */
  SEEDANCE_1_5_PRO: `{"prompt": "A serene beach at sunset with waves gently crashing on the shore, palm trees swaying in the breeze, and seagulls flying across the orange sky", "input_urls": ["https://file.aiquickdraw.com/custom-page/akr/section-images/example1.png"], "aspect_ratio": "1:1", "resolution": "720p", "duration": 8, "fixed_lens": false, "generate_audio": false, "nsfw_checker": false}`,
  /** §3.3, `kling-3.0/video` */
  KLING_3: `{"prompt": "In a bright rehearsal room, sunlight streams through the window @element_dog", "image_urls": ["https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png"], "sound": true, "duration": "5", "aspect_ratio": "16:9", "mode": "pro", "multi_shots": false, "multi_prompt": [{"prompt": "a happy dog in running @element_cat", "duration": 3}, {"prompt": "a happy dog play with a cat @element_dog", "duration": 2}], "kling_elements": [{"name": "element_dog", "description": "dog", "element_input_urls": ["https://tempfileb.aiquickdraw.com/kieai/market/1770361808044_4RfUUJrI.jpeg", "https://tempfileb.aiquickdraw.com/kieai/market/1770361848336_ABQqRHBi.png"], "element_input_audio_urls": ["https://your-cdn.com/wjeoiajfosijfoi.mp3"]}, {"name": "element_cat", "description": "cat", "element_input_urls": ["https://your-cdn.com/element_image.mp4"], "element_input_audio_urls": ["https://your-cdn.com/wjeoiajfosijfoi.mp3"], "start_time": 0, "end_time": 8000}]}`,
  /** §3.4 */
  KLING_2_6: `{"prompt": "…", "image_urls": ["https://static.aiquickdraw.com/tools/example/1764851002741_i0lEiI8I.png"], "sound": false, "duration": "5"}`,
  /** §3.5, on the 3.0 and prime pages */
  WAN_3: `{"prompt": "The young girl's expression changed from a smile to a wide laugh. The camera slowly moved in, and the lighting shifted from a cool tone to a warm tone.", "first_frame_url": "https://example.com/first-frame.jpg", "last_frame_url": "https://example.com/last-frame.jpg", "resolution": "1080P", "aspect_ratio": "adaptive", "duration": 8, "audio": true, "seed": 12345}`,
  /** §3.6 */
  WAN_2_6: `{"prompt": "Anthopmopric fox singing a Christmas song at the rubbish dump in the rain.", "image_urls": ["https://static.aiquickdraw.com/tools/example/1765957673717_awiBAidD.webp"], "duration": "5", "resolution": "1080p", "multi_shots": false, "nsfw_checker": false}`,
  /** §3.7 */
  VEO_3_1: `{"prompt": "A dog playing in a park", "image_urls": ["http://example.com/image1.jpg", "http://example.com/image2.jpg"], "watermark": "MyBrand", "aspect_ratio": "16:9", "enable_fallback": false, "enable_translation": true, "generation_type": "REFERENCE_2_VIDEO"}`,
  /** §3.8 */
  RUNWAY: `{"prompt": "A fluffy orange cat dancing energetically in a colorful room with disco lights", "image_url": "https://example.com/cat-image.jpg", "duration": "5", "quality": "720p", "aspect_ratio": "9:16", "watermark": "kie.ai"}`,
  /** §3.9, 2.3 Standard */
  HAILUO_2_3: `{"prompt": "…", "image_url": "https://file.aiquickdraw.com/custom-page/akr/section-images/1761736401898mpm67du5.webp", "duration": "6", "resolution": "768P"}`,
  /** §3.10 */
  MINIMAX_H3: `{"prompt": "Let the character in the scene turn around naturally and smile, camera slowly pushing forward", "first_frame_url": "https://example.com/first-frame.jpg", "last_frame_url": "https://example.com/last-frame.jpg", "duration": 6}`,
  /** §3.11, image-to-video */
  GROK: `{"task_id": "task_grok_12345678", "image_urls": ["https://file.aiquickdraw.com/custom-page/akr/section-images/1762247692373tw5di116.png"], "prompt": "…", "mode": "normal", "duration": "6", "resolution": "480p", "aspect_ratio": "16:9"}`,
  /** §4, `grok-imagine/extend` */
  GROK_EXTEND: `{"task_id": "task_grok_12345678", "prompt": "", "extend_at": 2, "extend_times": "6"}`,
  /** §4, `veo/extend` */
  VEO_EXTEND: `{"task_id": "veo_task_abcdef123456", "prompt": "The dog continues running through the park, jumping over obstacles and playing with other dogs", "seeds": 12345, "watermark": "MyBrand"}`,
  /** §4, `runway/extend-ai-video` */
  RUNWAY_EXTEND: `{"task_id": "ee603959-debb-48d1-98c4-a6d1c717eba6", "prompt": "The cat continues dancing with more energy and excitement, spinning around with colorful light effects intensifying", "quality": "720p", "watermark": "kie.ai"}`,
} as const;

export type DocLiteral = keyof typeof DOC_LITERALS;

export function docLiteral(name: DocLiteral): Record<string, unknown> {
  return JSON.parse(DOC_LITERALS[name]) as Record<string, unknown>;
}
