import { describe, expect, it } from 'vitest';
import { type BodyRequest, OpenApiValidator } from './openapi.js';

const JSON_BODY = { 'content-type': 'application/json' };

/** Bodies of the kinds the bot sends, each valid as published. */
const SAMPLES: Array<[method: string, route: string, body: unknown]> = [
  ['POST', '/interactions/1/t/callback', { type: 5, data: { flags: 64 } }],
  [
    'POST',
    '/interactions/1/t/callback',
    {
      type: 4,
      data: {
        content: 'x',
        embeds: [{ title: 't', color: 1, fields: [{ name: 'a', value: 'b', inline: true }] }],
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, custom_id: 'a', label: 'A' },
              { type: 2, style: 5, url: 'https://example.com/', label: 'L' },
            ],
          },
          { type: 1, components: [{ type: 3, custom_id: 's', options: [{ label: 'l', value: 'v' }] }] },
        ],
        allowed_mentions: { parse: [] },
        flags: 64,
      },
    },
  ],
  [
    'POST',
    '/interactions/1/t/callback',
    {
      type: 9,
      data: {
        custom_id: 'm',
        title: 'T',
        components: [
          { type: 18, label: 'Key', component: { type: 4, custom_id: 'k', style: 1 } },
          { type: 1, components: [{ type: 4, custom_id: 'p', style: 2, label: 'P' }] },
        ],
      },
    },
  ],
  ['POST', '/interactions/1/t/callback', { type: 8, data: { choices: [{ name: 'Sora', value: 'sora' }] } }],
  ['POST', '/interactions/1/t/callback', { type: 7, data: { content: 'c', components: [] } }],
  [
    'PATCH',
    '/webhooks/1/t/messages/@original',
    {
      content: 'x',
      attachments: [{ id: '0', description: null }],
      embeds: [{ image: { url: 'attachment://v.mp4' } }],
    },
  ],
  [
    'PUT',
    '/applications/1/commands',
    [
      {
        name: 'animate',
        description: 'd',
        default_member_permissions: '32',
        contexts: [0],
        integration_types: [0],
        options: [
          { type: 11, name: 'image', description: 'i', required: true },
          { type: 3, name: 'p', description: 'p', max_length: 1000, autocomplete: true },
          {
            type: 1,
            name: 'sub',
            description: 's',
            options: [{ type: 4, name: 'n', description: 'n', min_value: 1 }],
          },
        ],
      },
    ],
  ],
  [
    'POST',
    '/channels/1/messages',
    { content: 'x', components: [{ type: 17, components: [{ type: 10, content: 'hi' }] }], flags: 32768 },
  ],
];

const ODD_VALUES = [null, 0, 99, -1, 'x', '', true, [], {}, 'a'.repeat(300), 2, 4, 7, 12, 18];

/** Deterministic mutations: one or two values replaced by odd ones, or a property dropped. */
function* mutations(body: unknown, count: number): Generator<unknown> {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let n = 0; n < count; n++) {
    const copy = structuredClone(body);
    const slots: Array<[Record<string, unknown>, string]> = [];
    const walk = (node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      for (const [k, v] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, k]);
        walk(v);
      }
    };
    walk(copy);
    for (let i = 0; i < 1 + Math.floor(random() * 2); i++) {
      const [parent, key] = slots[Math.floor(random() * slots.length)] ?? [{}, ''];
      if (random() < 0.15 && !Array.isArray(parent)) delete parent[key];
      else parent[key] = structuredClone(ODD_VALUES[Math.floor(random() * ODD_VALUES.length)]);
    }
    yield copy;
  }
}

describe('OpenAPI union rewrite', () => {
  it('accepts and refuses exactly what the published unions do, on the bodies the bot sends and 60 mutations of each', () => {
    const rewritten = new OpenApiValidator();
    const published = new OpenApiValidator(undefined, { rewriteUnions: false });
    const verdicts = { accepted: 0, refused: 0 };
    for (const [method, route, body] of SAMPLES) {
      const request = (json: unknown): BodyRequest => ({
        method,
        route,
        headers: JSON_BODY,
        json,
        files: [],
      });
      expect(rewritten.check(request(body)), `${method} ${route}`).toEqual([]);
      for (const json of mutations(body, 60)) {
        const refused = published.check(request(json)).length > 0;
        expect(rewritten.check(request(json)).length > 0, `${method} ${route} ${JSON.stringify(json)}`).toBe(
          refused,
        );
        verdicts[refused ? 'refused' : 'accepted']++;
      }
    }
    // Both outcomes are well represented, so the comparison means something.
    expect(verdicts.accepted).toBeGreaterThan(50);
    expect(verdicts.refused).toBeGreaterThan(150);
  });
});
