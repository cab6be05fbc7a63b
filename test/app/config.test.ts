import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, trustedMediaOrigins } from '../../src/app/config.js';

describe('parseConfig', () => {
  it('needs only DISCORD_TOKEN and fills the documented defaults', () => {
    const config = parseConfig({ DISCORD_TOKEN: 'abc' });
    expect(config).toMatchObject({
      DISCORD_API_URL: 'https://discord.com/api',
      KIE_API_URL: 'https://api.kie.ai',
      KIE_UPLOAD_URL: 'https://kieai.redpandaai.co',
      STORE_URL: 'sqlite://data/animate.sqlite',
      JOB_DEADLINE_MINUTES: 30,
    });
    // Sora 2 first, as the original spec asks, then at least one live model to fall back on.
    expect(config.DEFAULT_MODELS[0]).toBe('sora-2-image-to-video');
    expect(config.DEFAULT_MODELS.length).toBeGreaterThan(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads DEFAULT_MODELS as an ordered list, and an old DEFAULT_MODEL goes first', () => {
    expect(parseConfig({ DISCORD_TOKEN: 'abc', DEFAULT_MODELS: ' a, b ,a,, c' }).DEFAULT_MODELS).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(
      parseConfig({ DISCORD_TOKEN: 'abc', DEFAULT_MODELS: 'a,b', DEFAULT_MODEL: 'b' }).DEFAULT_MODELS,
    ).toEqual(['b', 'a']);
    expect(() => parseConfig({ DISCORD_TOKEN: 'abc', DEFAULT_MODELS: ' , ' })).toThrowError(/DEFAULT_MODELS/);
  });

  it('names a missing token in one line', () => {
    expect(() => parseConfig({})).toThrowError(/^Configuration error: DISCORD_TOKEN is required/);
  });

  it('treats empty lines copied from .env.example as unset', () => {
    expect(parseConfig({ DISCORD_TOKEN: 'abc', ENCRYPTION_KEY: '', STORE_URL: '' }).STORE_URL).toBe(
      'sqlite://data/animate.sqlite',
    );
  });

  it('names every malformed variable without echoing secrets', () => {
    const secret = 'c2hvcnQ=';
    try {
      parseConfig({
        DISCORD_TOKEN: 'abc',
        ENCRYPTION_KEY: secret,
        STORE_URL: 'mysql://x',
        KIE_API_URL: 'nope',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('ENCRYPTION_KEY is invalid (must be 32 bytes, base64-encoded)');
      expect(message).toContain('STORE_URL is invalid');
      expect(message).toContain('KIE_API_URL is invalid');
      expect(message).not.toContain(secret);
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('takes METRICS_PORT beside HTTP_PORT, and names it when it lacks HTTP_PORT or equals it', () => {
    expect(parseConfig({ DISCORD_TOKEN: 'abc', HTTP_PORT: '8080', METRICS_PORT: '9464' }).METRICS_PORT).toBe(
      9464,
    );
    expect(parseConfig({ DISCORD_TOKEN: 'abc', METRICS_PORT: '' }).METRICS_PORT).toBeUndefined();
    expect(() => parseConfig({ DISCORD_TOKEN: 'abc', METRICS_PORT: '9464' })).toThrowError(
      /METRICS_PORT is invalid \(needs HTTP_PORT/,
    );
    expect(() => parseConfig({ DISCORD_TOKEN: 'abc', HTTP_PORT: '8080', METRICS_PORT: '8080' })).toThrowError(
      /METRICS_PORT is invalid \(must differ from HTTP_PORT\)/,
    );
  });
});

describe('trustedMediaOrigins', () => {
  it('are the public defaults unless the operator configured others', () => {
    expect(trustedMediaOrigins(parseConfig({ DISCORD_TOKEN: 'abc' }))).toEqual([
      'https://discord.com',
      'https://cdn.discordapp.com',
      'https://api.kie.ai',
      'https://kieai.redpandaai.co',
    ]);
  });

  it('are the exact origins configured, scheme and port included, each once', () => {
    const config = parseConfig({
      DISCORD_TOKEN: 'abc',
      DISCORD_API_URL: 'http://127.0.0.1:4100/api',
      DISCORD_CDN_URL: 'http://127.0.0.1:4100',
      KIE_API_URL: 'http://127.0.0.1:4200',
      KIE_UPLOAD_URL: 'http://127.0.0.1:4200/upload',
    });
    expect(trustedMediaOrigins(config)).toEqual(['http://127.0.0.1:4100', 'http://127.0.0.1:4200']);
  });
});
