import { type Attachment, Collection, Embed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { firstImageOf, type MessageMedia } from '../../../src/services/discord/message-image.js';

type File = { name: string; contentType: string | null; url: string; size?: number };

function message(files: File[], embeds: Array<Record<string, unknown>> = []): MessageMedia {
  const attachments = new Collection(
    files.map((file, i) => [
      String(i),
      {
        ...file,
        size: file.size ?? 100,
        width: 64,
        height: 36,
      } as unknown as Attachment,
    ]),
  );
  // discord.js's Embed wraps the API object as Discord sends it.
  const wrapped = embeds.map((data) => new (Embed as unknown as new (d: unknown) => Embed)(data));
  return { attachments, embeds: wrapped };
}

describe('firstImageOf', () => {
  it('takes the first attached image, past a video, with what Discord claims of it', () => {
    const image = firstImageOf(
      message([
        { name: 'clip.mp4', contentType: 'video/mp4', url: 'https://cdn.example/clip.mp4' },
        { name: 'cat.png', contentType: 'image/png', url: 'https://cdn.example/cat.png', size: 2048 },
        { name: 'dog.png', contentType: 'image/png', url: 'https://cdn.example/dog.png' },
      ]),
    );
    expect(image).toEqual({
      url: 'https://cdn.example/cat.png',
      contentType: 'image/png',
      size: 2048,
      width: 64,
      height: 36,
    });
  });

  it('takes a GIF too, so the member hears that GIFs are not taken rather than that there is no image', () => {
    expect(
      firstImageOf(message([{ name: 'a.gif', contentType: 'image/gif', url: 'https://cdn.example/a.gif' }])),
    ).toMatchObject({
      contentType: 'image/gif',
    });
  });

  it('knows an image by its name when Discord gives no type', () => {
    expect(
      firstImageOf(message([{ name: 'photo.JPG', contentType: null, url: 'https://cdn.example/p' }]))?.url,
    ).toBe('https://cdn.example/p');
  });

  it('falls back on an embed’s image, through Discord’s proxy, claims unverified', () => {
    const image = firstImageOf(
      message(
        [{ name: 'notes.txt', contentType: 'text/plain', url: 'https://cdn.example/notes.txt' }],
        [
          {
            thumbnail: {
              url: 'https://site.example/t.png',
              proxy_url: 'https://media.example/t.png',
              width: 10,
              height: 20,
            },
          },
        ],
      ),
    );
    expect(image).toEqual({
      url: 'https://media.example/t.png',
      contentType: null,
      size: 0,
      width: 10,
      height: 20,
      unverified: true,
    });
  });

  it('finds nothing in a message of words and files that are not images', () => {
    expect(
      firstImageOf(message([{ name: 'notes.txt', contentType: 'text/plain', url: 'https://cdn.example/n' }])),
    ).toBeUndefined();
    expect(firstImageOf(message([], [{ title: 'a link', description: 'no picture' }]))).toBeUndefined();
  });
});
