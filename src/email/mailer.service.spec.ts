import { smtpTransportOptions } from './mailer.service';

describe(smtpTransportOptions.name, () => {
  it('verifies the certificate of a remote SMTP server', () => {
    expect(smtpTransportOptions('smtps://user:secret@smtp.example.com:465').tls).toBeUndefined();
    expect(smtpTransportOptions('smtp://smtp.example.com:587')).toMatchObject({ url: 'smtp://smtp.example.com:587', connectionTimeout: 10_000 });
    expect(smtpTransportOptions('smtp://127.0.0.2.example.com:25').tls).toBeUndefined();
  });

  it.each(['smtp://127.0.0.1:1025', 'smtp://localhost:1025', 'smtp://u:p@[::1]:2525'])(
    "accepts a loopback server's self-signed certificate (%s)",
    (url) => {
      expect(smtpTransportOptions(url).tls).toEqual({ rejectUnauthorized: false });
    },
  );
});
