import { Locale } from '../users/user-preferences';
import type { NotificationEmailItem } from './notification-email.entity';

// Every email TaskFlow sends, in each language, in one place. Each has a plain-text and an HTML part
// written from the same sentences; values are escaped in the HTML part.

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A notification in an email: what happened, and the link to its task. */
export interface LinkedNotification extends NotificationEmailItem {
  link: string;
}

export interface EmailParams {
  invitation: { inviterName: string; link: string };
  password_reset: { name: string; link: string; validMinutes: number };
  /** `instant` notifications, combined. */
  notifications: { name: string; notifications: LinkedNotification[]; settingsLink: string };
  /** The `daily` digest of the previous 24 hours. */
  notification_digest: { name: string; notifications: LinkedNotification[]; settingsLink: string };
}

export type EmailKind = keyof EmailParams;

/** A message: a greeting, paragraphs, linked items (notifications), one call to action, and a closing note. */
interface Message {
  subject: string;
  greeting: string;
  paragraphs: string[];
  items?: Array<{ text: string; link: string }>;
  action: { label: string; link: string };
  footer: string;
}

const NOTIFICATION_SENTENCES: Record<Locale, (n: NotificationEmailItem) => string> = {
  en: (n) => {
    const task = `${n.taskKey} ${n.taskTitle}`;
    const actor = n.actorName ?? 'Someone';
    switch (n.kind) {
      case 'assigned':
        return `${actor} assigned you ${task}`;
      case 'mentioned':
        return `${actor} mentioned you in ${task}`;
      case 'commented':
        return `${actor} commented on ${task}`;
      case 'status_changed':
        return `${actor} changed the status of ${task}`;
      case 'task_deleted':
        return `${actor} deleted ${task}`;
      case 'due_soon':
        return `${task} is due within 24 hours`;
    }
  },
  fr: (n) => {
    const task = `${n.taskKey} ${n.taskTitle}`;
    const actor = n.actorName ?? "Quelqu'un";
    switch (n.kind) {
      case 'assigned':
        return `${actor} vous a assigné ${task}`;
      case 'mentioned':
        return `${actor} vous a mentionné dans ${task}`;
      case 'commented':
        return `${actor} a commenté ${task}`;
      case 'status_changed':
        return `${actor} a changé le statut de ${task}`;
      case 'task_deleted':
        return `${actor} a supprimé ${task}`;
      case 'due_soon':
        return `${task} arrive à échéance dans moins de 24 heures`;
    }
  },
};

const linkedItems = (locale: Locale, notifications: LinkedNotification[]) =>
  notifications.map((notification) => ({ text: NOTIFICATION_SENTENCES[locale](notification), link: notification.link }));

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
  notifications: {
    en: ({ name, notifications, settingsLink }) => ({
      subject:
        notifications.length === 1 ? NOTIFICATION_SENTENCES.en(notifications[0]) : `${notifications.length} new notifications in TaskFlow`,
      greeting: `Hello ${name},`,
      paragraphs: [notifications.length === 1 ? 'This happened in TaskFlow:' : 'These happened in TaskFlow:'],
      items: linkedItems(Locale.En, notifications),
      action: { label: 'Email settings', link: settingsLink },
      footer: 'You get these emails because your email notifications are on (instant). Change them on your Account page.',
    }),
    fr: ({ name, notifications, settingsLink }) => ({
      subject:
        notifications.length === 1 ? NOTIFICATION_SENTENCES.fr(notifications[0]) : `${notifications.length} nouvelles notifications dans TaskFlow`,
      greeting: `Bonjour ${name},`,
      paragraphs: ['Du nouveau dans TaskFlow :'],
      items: linkedItems(Locale.Fr, notifications),
      action: { label: 'Réglages des e-mails', link: settingsLink },
      footer: 'Vous recevez ces e-mails car vos notifications par e-mail sont activées (immédiates). Modifiez-les sur la page Compte.',
    }),
  },
  notification_digest: {
    en: ({ name, notifications, settingsLink }) => ({
      subject: `Your TaskFlow day: ${notifications.length} notification${notifications.length === 1 ? '' : 's'}`,
      greeting: `Hello ${name},`,
      paragraphs: ['Here is what happened in TaskFlow in the last 24 hours:'],
      items: linkedItems(Locale.En, notifications),
      action: { label: 'Email settings', link: settingsLink },
      footer: 'You get this digest because your email notifications are set to daily. Change them on your Account page.',
    }),
    fr: ({ name, notifications, settingsLink }) => ({
      subject: `Votre journée TaskFlow : ${notifications.length} notification${notifications.length === 1 ? '' : 's'}`,
      greeting: `Bonjour ${name},`,
      paragraphs: ['Voici ce qui s\'est passé dans TaskFlow ces dernières 24 heures :'],
      items: linkedItems(Locale.Fr, notifications),
      action: { label: 'Réglages des e-mails', link: settingsLink },
      footer: 'Vous recevez ce résumé car vos notifications par e-mail sont quotidiennes. Modifiez-les sur la page Compte.',
    }),
  },
};

export function renderEmail<K extends EmailKind>(kind: K, locale: Locale, params: EmailParams[K]): RenderedEmail {
  const message = WRITERS[kind][locale](params);
  return { subject: message.subject, text: toText(message), html: toHtml(message, locale) };
}

function toText(message: Message): string {
  const items = message.items?.length ? [message.items.map((item) => `- ${item.text}\n  ${item.link}`).join('\n')] : [];
  return [message.greeting, ...message.paragraphs, ...items, `${message.action.label}: ${message.action.link}`, '--', message.footer].join('\n\n') + '\n';
}

function toHtml(message: Message, locale: Locale): string {
  const link = escapeHtml(message.action.link);
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #1f2933;">',
    `<p>${escapeHtml(message.greeting)}</p>`,
    ...message.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(message.items?.length
      ? ['<ul>', ...message.items.map((item) => `<li><a href="${escapeHtml(item.link)}">${escapeHtml(item.text)}</a></li>`), '</ul>']
      : []),
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
