import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Files the static host serves as they are, beside the app: a path without a file gets the app's HTML instead.
const root = join(__dirname, '..');

describe('static files published with the app', () => {
  it('has a robots.txt that keeps search engines out of a private workspace', () => {
    const robots = readFileSync(join(root, 'public', 'robots.txt'), 'utf8');
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toMatch(/^Disallow: \/$/m);
  });

  it('links an icon that exists', () => {
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    const href = /<link rel="icon" href="\/([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('icon.svg');
    expect(readFileSync(join(root, 'public', href!), 'utf8')).toContain('<svg');
  });
});
