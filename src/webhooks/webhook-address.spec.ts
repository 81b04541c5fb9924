import { UnprocessableEntityException } from '@nestjs/common';
import { blockedReason, BlockedAddressError, resolveAllowed } from './webhook-address';
import { assertAcceptableUrl } from './webhook-url';

/** What the 422 says, or null when the URL is accepted. */
async function refusal(url: string, allowedHosts: string[] = []): Promise<string | null> {
  try {
    await assertAcceptableUrl(url, allowedHosts);
    return null;
  } catch (error) {
    return ((error as UnprocessableEntityException).getResponse() as { message: string[] }).message.join('; ');
  }
}

describe('webhook address rules', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['FE80::abcd:1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedReason(address)).toBe(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'])('accepts the public address %s', (address) => {
    expect(blockedReason(address)).toBeNull();
  });

  it('refuses a name that resolves to a loopback address, unless the allow-list names it or its address', async () => {
    await expect(resolveAllowed('localhost', [])).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolveAllowed('localhost', ['localhost'])).resolves.not.toHaveLength(0);
    await expect(resolveAllowed('127.0.0.1', ['127.0.0.1'])).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolveAllowed('[::1]', ['::1'])).resolves.toEqual([{ address: '::1', family: 6 }]);
  });

  it.each([
    'http://127.0.0.1/hook',
    'http://0x7f.1/hook',
    'http://0177.0.0.1/hook',
    'http://2130706433/hook',
    'http://017700000001/hook',
    'http://127.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://0/hook',
    'http://10.0.0.1:8080/hook',
    'https://169.254.169.254/latest/meta-data',
    'http://[fd00::1]/hook',
    'http://[ff02::1]/hook',
    'http://localhost:8000/hook',
  ])('refuses the URL %s for its address', async (url) => {
    await expect(refusal(url)).resolves.toMatch(/^url is not allowed: .* resolves to .*, a (loopback|private|link-local|unique-local|multicast|unspecified) address$/);
  });

  it.each(['ftp://93.184.216.34/hook', 'javascript:alert(1)', 'hooks.example.com/x', 'http://user:pass@93.184.216.34/hook', 'http://user@93.184.216.34/hook'])(
    'refuses the malformed or credentialed URL %s',
    async (url) => {
      await expect(refusal(url)).resolves.toMatch(/^url must (be an absolute http or https URL|not contain a user name or password)$/);
    },
  );

  it('accepts a public address, and a loopback one the allow-list names', async () => {
    await expect(refusal('https://93.184.216.34/hook')).resolves.toBeNull();
    await expect(refusal('http://127.0.0.1:9999/hook', ['127.0.0.1'])).resolves.toBeNull();
    await expect(refusal('http://0x7f.0.0.1:9999/hook', ['127.0.0.1'])).resolves.toBeNull();
    await expect(refusal('http://localhost:9999/hook', ['localhost'])).resolves.toBeNull();
  });

  it('accepts a name that does not resolve now (each delivery resolves and checks it again)', async () => {
    await expect(refusal('https://no-such-host.invalid/hook')).resolves.toBeNull();
  });
});
