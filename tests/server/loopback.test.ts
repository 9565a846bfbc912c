// One rule for "is this host this computer": the bind address, a request's peer and a fleet URL all use it.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src-shared/loopback';

describe('isLoopbackHost', () => {
  it('takes loopback addresses and names, in any of the forms they arrive in', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', ' 127.0.0.1 '])
      expect(isLoopbackHost(h), h).toBe(true);
  });
  it('refuses everything else, including names that only start like one', () => {
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.2',
      '::ffff:10.0.0.1',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      '1270.0.0.1',
      '',
    ])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});
