import { basicAuthPassword, presentedAdminToken } from './admin-browser-access';

const withAuthorization = (authorization?: string) => ({ headers: { authorization } });
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('the admin token as the internal pages take it', () => {
  it('reads the password of Basic credentials, whatever the user name', () => {
    expect(basicAuthPassword(withAuthorization(basic('operator:s3cret')))).toBe('s3cret');
    expect(basicAuthPassword(withAuthorization(basic(':s3cret')))).toBe('s3cret');
    expect(basicAuthPassword(withAuthorization(basic('operator:pa:ss')))).toBe('pa:ss');
  });

  it.each([undefined, '', 'Bearer abc', 'Basic', 'Basic not base64!', basic('no-colon')])('finds no password in %p', (header) => {
    expect(basicAuthPassword(withAuthorization(header))).toBeUndefined();
  });

  it('takes a Bearer token as on every internal route, or the Basic password a browser sends', () => {
    expect(presentedAdminToken(withAuthorization('Bearer t0ken'))).toBe('t0ken');
    expect(presentedAdminToken(withAuthorization(basic('operator:t0ken')))).toBe('t0ken');
    expect(presentedAdminToken(withAuthorization())).toBeUndefined();
  });
});
