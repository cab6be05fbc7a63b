/** Messages about what outlives Kie's retention (kept images, fresh video links), en-US. */
export const retentionEnUS = {
  'image.expired':
    'The image of this video is no longer available: Kie AI deletes uploads after about a day, and this bot keeps images for {days} days after their last use. Please run `/animate` again and attach the image. Nothing was spent.',
  'video.freshLink':
    'Here is a fresh link to the video. It works for about {minutes} minutes (until {until}):\n{url}',
  'video.staleLink':
    'Kie AI gave no fresh link just now. This is the video’s original link; it may have expired:\n{url}',
  'video.none': 'This job has no video to open.',
} as const;

export const retentionZhCN = {
  'image.expired':
    '这个视频的图片已不可用：Kie AI 会在约一天后删除上传的文件，而本机器人在最后一次使用后保留图片 {days} 天。请重新运行 `/animate` 并附上图片。没有消耗任何积分。',
  'video.freshLink': '这是视频的新链接，约 {minutes} 分钟内有效（至 {until}）：\n{url}',
  'video.staleLink': 'Kie AI 暂时没有提供新链接。这是视频的原始链接，可能已经失效：\n{url}',
  'video.none': '这个任务没有可打开的视频。',
} satisfies Record<keyof typeof retentionEnUS, string>;
