import { Locale } from '../users/user-preferences';

// Every email TaskFlow sends, in each language, in one place. Each has a plain-text and an HTML part
// written from the same sentences; values are escaped in the HTML part.

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailParams {
  invitation: { inviterName: string; link: string };
  password_reset: { name: string; link: string; validMinutes: number };
}

export type EmailKind = keyof EmailParams;

/** A message: a greeting, paragraphs, one call to action (a link), and a closing note. */
interface Message {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action: { label: string; link: string };
  footer: string;
}

const WRITERS: { [K in EmailKind]: Record<Locale, (params: EmailParams[K]) => Message> } = {
  invitation: {
    en: ({ inviterName, link }) => ({
      subject: `${inviterName} invited you to TaskFlow`,
      greeting: 'Hello,',
      paragraphs: [`${inviterName} invited you to join their team on TaskFlow. The invitation works once, for 7 days.`],
      action: { label: 'Create your account', link },
      footer: 'If you did not expect this invitation, you can ignore this email.',
    }),
    fr: ({ inviterName, link }) => ({
      subject: `${inviterName} vous invite sur TaskFlow`,
      greeting: 'Bonjour,',
      paragraphs: [`${inviterName} vous invite à rejoindre son équipe sur TaskFlow. L'invitation est valable une fois, pendant 7 jours.`],
      action: { label: 'Créer votre compte', link },
      footer: "Si vous n'attendiez pas cette invitation, ignorez ce message.",
    }),
  },
  password_reset: {
    en: ({ name, link, validMinutes }) => ({
      subject: 'Reset your TaskFlow password',
      greeting: `Hello ${name},`,
      paragraphs: [
        `Someone asked to reset the password of your TaskFlow account. The link below works once, for ${validMinutes} minutes.`,
        'Choosing a new password signs you out everywhere.',
      ],
      action: { label: 'Choose a new password', link },
      footer: 'If you did not ask for this, ignore this email: your password stays as it is.',
    }),
    fr: ({ name, link, validMinutes }) => ({
      subject: 'Réinitialisez votre mot de passe TaskFlow',
      greeting: `Bonjour ${name},`,
      paragraphs: [
        `Quelqu'un a demandé à réinitialiser le mot de passe de votre compte TaskFlow. Le lien ci-dessous est valable une fois, pendant ${validMinutes} minutes.`,
        'Choisir un nouveau mot de passe vous déconnecte partout.',
      ],
      action: { label: 'Choisir un nouveau mot de passe', link },
      footer: "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe ne change pas.",
    }),
  },
};

export function renderEmail<K extends EmailKind>(kind: K, locale: Locale, params: EmailParams[K]): RenderedEmail {
  const message = WRITERS[kind][locale](params);
  return { subject: message.subject, text: toText(message), html: toHtml(message, locale) };
}

function toText(message: Message): string {
  return [message.greeting, ...message.paragraphs, `${message.action.label}: ${message.action.link}`, '--', message.footer].join('\n\n') + '\n';
}

function toHtml(message: Message, locale: Locale): string {
  const link = escapeHtml(message.action.link);
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1f2933;">',
    `<p>${escapeHtml(message.greeting)}</p>`,
    ...message.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<p><a href="${link}" style="display: inline-block; padding: 8px 16px; background: #2563eb; color: #fff; text-decoration: none; border-radius: 4px;">${escapeHtml(message.action.label)}</a></p>`,
    `<p style="font-size: 90%;">${link}</p>`,
    `<p style="color: #616e7c; font-size: 90%;">${escapeHtml(message.footer)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
