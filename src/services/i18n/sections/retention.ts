/** Messages about what outlives Kie's retention (kept images), en-US. */
export const retentionEnUS = {
  'image.expired':
    'The image of this video is no longer available: Kie AI deletes uploads after about a day, and this bot keeps images for {days} days after their last use. Please run `/animate` again and attach the image. Nothing was spent.',
} as const;

export const retentionZhCN = {
  'image.expired':
    '这个视频的图片已不可用：Kie AI 会在约一天后删除上传的文件，而本机器人在最后一次使用后保留图片 {days} 天。请重新运行 `/animate` 并附上图片。没有消耗任何积分。',
} satisfies Record<keyof typeof retentionEnUS, string>;
